import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, isTrue, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const keyVaultRbacAuthorization = resourceRule({
  name: "keyvault-rbac-authorization",
  area: "keyvault",
  description: "Key vaults use the Azure RBAC permission model, not vault access policies.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `properties.enableRbacAuthorization: true`, drop `accessPolicies`, and grant least-privilege data roles (Key Vault Secrets " +
    "User, Key Vault Crypto Service Encryption User) scoped to the vault or the single secret/key.",
  seedControls: [SEED.secureStorage, SEED.authentication],
  azureBuiltins: builtins("Key Vault/Should_Use_RBAC"),
  rulesets: ["Azure.KeyVault.RBAC", "Azure.KeyVault.AccessPolicy"],
  resourceTypes: [T.vault],
  validate: (props, _args, report) => {
    const rbac = get(props, "properties.enableRbacAuthorization");
    if (!isTrue(rbac)) report(`properties.enableRbacAuthorization must be true (got ${show(rbac)}).`);
    if (asArray(get(props, "properties.accessPolicies")).length > 0)
      report("properties.accessPolicies must be empty: use role assignments.");
  },
});
