import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, ieq, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const managedIdentity = resourceRule({
  name: "workloads-managed-identity",
  area: "workloads",
  description:
    "API Management, Container Apps and App Service apps have a managed identity, which they use to read Key Vault, pull images and " +
    "call backends instead of holding credentials.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `identity: { type: "UserAssigned", userAssignedIdentities: { [<identity ID>]: {} } }` (or SystemAssigned).',
  seedControls: [SEED.authentication, SEED.toolExecution, SEED.secureStorage],
  azureBuiltins: builtins(
    "Container Apps/ManagedIdentity_Audit",
    "App Service/UseManagedIdentity_WebApp_Audit",
    "App Service/UseManagedIdentity_FunctionApp_Audit",
  ),
  rulesets: [
    "Azure.APIM.ManagedIdentity",
    "Azure.ContainerApp.ManagedIdentity",
    "CKV_AZURE_71",
    "CKV_AZURE_16",
  ],
  resourceTypes: [T.apimService, T.containerApp, T.webApp, T.webAppSlot],
  validate: (props, _args, report) => {
    const type = get(props, "identity.type");
    if (typeof type !== "string" || type.trim() === "" || ieq(type, "None"))
      report(`identity.type must be SystemAssigned and/or UserAssigned (got ${show(type)}).`);
  },
});
