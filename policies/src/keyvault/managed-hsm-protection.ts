import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, ieq, isTrue, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const managedHsmProtection = resourceRule({
  name: "keyvault-managed-hsm-protection",
  area: "keyvault",
  description:
    "A Managed HSM (optional, keyVault.managedHsm) has soft delete and purge protection on, public network access disabled and a " +
    "deny-by-default firewall with no IP rules.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `properties.enableSoftDelete: true`, `enablePurgeProtection: true`, `publicNetworkAccess: "Disabled"` and ' +
    '`networkAcls: { defaultAction: "Deny", ipRules: [] }`; reach it through a private endpoint (group managedhsm).',
  seedControls: [SEED.secureStorage],
  azureBuiltins: builtins(
    "Key Vault/ManagedHsm_Recoverable_Audit",
    "Key Vault/ManagedHsm_FirewallEnabled_Audit",
    "Key Vault/ManagedHsm_FirewallEnabled_Modify",
  ),
  resourceTypes: [T.managedHsm],
  validate: (props, _args, report) => {
    for (const flag of ["enableSoftDelete", "enablePurgeProtection"]) {
      const value = get(props, `properties.${flag}`);
      if (!isTrue(value)) report(`properties.${flag} must be true (got ${show(value)}).`);
    }
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
