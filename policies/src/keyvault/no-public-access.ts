import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, ieq, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const keyVaultNoPublicAccess = resourceRule({
  name: "keyvault-no-public-access",
  area: "keyvault",
  description:
    "Key vaults are reachable through private endpoints only: public network access disabled and the firewall denying by default " +
    "with no IP rules.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `properties.publicNetworkAccess: "Disabled"` and `properties.networkAcls: { defaultAction: "Deny", bypass: "None" }` ' +
    "(or `AzureServices` if a trusted service needs it), no `ipRules`; reach the vault through a private endpoint.",
  seedControls: [SEED.secureStorage, SEED.toolExecution],
  azureBuiltins: builtins(
    "Key Vault/PublicNetworkAccess_Audit",
    "Key Vault/FirewallEnabled_Audit",
    "Key Vault/FirewallEnabled_Modify",
  ),
  rulesets: ["CKV_AZURE_189", "CKV_AZURE_109", "Azure.KeyVault.Firewall"],
  resourceTypes: [T.vault],
  validate: (props, _args, report) => {
    const access = get(props, "properties.publicNetworkAccess");
    if (!ieq(access, "Disabled"))
      report(`properties.publicNetworkAccess must be "Disabled" (got ${show(access)}).`);
    const action = get(props, "properties.networkAcls.defaultAction");
    if (!ieq(action, "Deny"))
      report(`properties.networkAcls.defaultAction must be "Deny" (got ${show(action)}).`);
    if (asArray(get(props, "properties.networkAcls.ipRules")).length > 0)
      report("properties.networkAcls.ipRules must be empty.");
  },
});
