import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, inList, isReferenceSet, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

interface Config {
  readonly allowedSkus: readonly string[];
}

/** Azure's built-in list of tiers that support virtual network injection. */
const DEFAULTS: Config = { allowedSkus: ["Developer", "Premium", "Isolated"] };

export const vnetSku = resourceRule({
  name: "apim-vnet-injected",
  area: "apim",
  description:
    "API Management runs on a tier that supports virtual network injection (Developer, Premium, Isolated) and is injected into the " +
    "gateway subnet (virtualNetworkType External or Internal with a subnet).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Use `sku.name: "Premium"` (Developer for non-production), `virtualNetworkType: "Internal"` and ' +
    "`virtualNetworkConfiguration: { subnetResourceId: <gateway subnet> }` with the NSG rules API Management needs.",
  seedControls: [SEED.toolExecution],
  azureBuiltins: builtins("API Management/AllowedVNETSkus_AuditDeny", "API Management/VNETEnabled_Audit"),
  rulesets: ["CKV_AZURE_107"],
  resourceTypes: [T.apimService],
  configSchema: {
    properties: {
      allowedSkus: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        default: DEFAULTS.allowedSkus,
        description: "Tiers that can be injected.",
      },
    },
  },
  validate: (props, args, report) => {
    const { allowedSkus } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const sku = get(props, "sku.name");
    if (!inList(sku, allowedSkus))
      report(`sku.name must be one of ${allowedSkus.join(", ")} (got ${show(sku)}).`);
    const vnetType = get(props, "virtualNetworkType");
    if (!inList(vnetType, ["External", "Internal"]))
      report(`virtualNetworkType must be "Internal" or "External" (got ${show(vnetType)}).`);
    if (!isReferenceSet(props, "virtualNetworkConfiguration.subnetResourceId"))
      report("virtualNetworkConfiguration.subnetResourceId must be set.");
  },
});
