import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, ieq, isTrue, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const zoneRedundancy = resourceRule({
  name: "resilience-zone-redundancy",
  area: "resilience",
  description:
    "The gateway and what it depends on survive a zone outage: API Management Premium in at least two zones, zone-redundant " +
    "Container Apps environments, zone-redundant storage (ZRS/GZRS). Advisory by default; production config makes it mandatory.",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps:
    'API Management: `sku.name: "Premium"` with `zones: ["1", "2", "3"]` and capacity of at least the zone count; managed ' +
    "environment: `zoneRedundant: true` with an infrastructure subnet; storage: a `*ZRS` SKU.",
  seedControls: [SEED.rateLimiting],
  azureBuiltins: builtins(
    "Resilience/Apimanagement_Service_ZoneRedundant_Audit",
    "Resilience/App_managedEnvironments_ZoneRedundant_Audit",
    "Resilience/Storage_storageAccounts_ZoneRedundant_Audit",
  ),
  rulesets: ["Azure.APIM.AvailabilityZone"],
  resourceTypes: [T.apimService, T.managedEnvironment, T.storageAccount],
  validate: (props, args, report) => {
    switch (canonicalType(args.type)) {
      case T.apimService: {
        const zones = asArray(get(props, "zones"));
        if (!ieq(get(props, "sku.name"), "Premium") || zones.length < 2) {
          report(
            `API Management must be Premium in at least two zones (sku ${show(get(props, "sku.name"))}, zones ${show(get(props, "zones"))}).`,
          );
        }
        return;
      }
      case T.managedEnvironment: {
        const value = get(props, "zoneRedundant");
        if (!isTrue(value)) report(`zoneRedundant must be true (got ${show(value)}).`);
        return;
      }
      case T.storageAccount: {
        const sku = get(props, "sku.name");
        if (typeof sku !== "string" || !/zrs$/i.test(sku) || ieq(get(props, "kind"), "Storage"))
          report(`storage must be zone-redundant (sku ${show(sku)}).`);
        return;
      }
    }
  },
});
