import { isArmType, templateResources } from "../lib/apim";
import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, ieq, isFalse, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const managementEndpointsDisabled = resourceRule({
  name: "apim-management-endpoints-disabled",
  area: "apim",
  description:
    "API Management's side doors are closed: the direct management API and Git configuration endpoints stay disabled (a template " +
    "that sets `service/tenant` access must set enabled false), the developer portals are disabled and portal username/password " +
    "sign-in is off. azure-native 3.28 has no tenant access resource; new services have these endpoints off by default.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `developerPortalStatus: "Disabled"` and `legacyPortalStatus: "Disabled"` on the service; in ARM templates keep ' +
    "`Microsoft.ApiManagement/service/tenant` (access, gitAccess) `enabled: false` and `portalconfigs` `enableBasicAuth: false`.",
  seedControls: [SEED.authentication],
  azureBuiltins: builtins(
    "API Management/DirectManagementAPIEnabled_AuditDeny",
    "API Management/PublicEndpoint_AINE",
    "API Management/PublicEndpoint_DINE",
    "API Management/BasicAuth_Audit",
    "API Management/BasicAuthDisabled_Modify",
  ),
  resourceTypes: [T.apimService, T.armDeployment],
  validate: (props, args, report) => {
    if (canonicalType(args.type) === T.armDeployment) {
      for (const resource of templateResources(props)) {
        if (
          isArmType(resource.type, ["Microsoft.ApiManagement/service/tenant"]) &&
          !isFalse(get(resource.properties, "enabled"))
        ) {
          report(
            `template resource ${resource.name}: tenant access must have enabled false (got ${show(get(resource.properties, "enabled"))}).`,
          );
        }
        if (
          isArmType(resource.type, ["Microsoft.ApiManagement/service/portalconfigs"]) &&
          !isFalse(get(resource.properties, "enableBasicAuth"))
        ) {
          report(
            `template resource ${resource.name}: enableBasicAuth must be false (got ${show(get(resource.properties, "enableBasicAuth"))}).`,
          );
        }
      }
      return;
    }
    for (const portal of ["developerPortalStatus", "legacyPortalStatus"]) {
      const value = get(props, portal);
      if (!ieq(value, "Disabled")) report(`${portal} must be "Disabled" (got ${show(value)}).`);
    }
  },
});
