import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, isTrue, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const keyVaultDeletionProtection = resourceRule({
  name: "keyvault-deletion-protection",
  area: "keyvault",
  description:
    "Key vaults have soft delete and purge protection explicitly on, so a deleted vault or key can be recovered and not purged.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `properties.enableSoftDelete: true`, `properties.enablePurgeProtection: true` and a `softDeleteRetentionInDays` (7-90); " +
    "purge protection cannot be turned off again.",
  seedControls: [SEED.secureStorage],
  azureBuiltins: builtins("Key Vault/Recoverable_Audit", "Key Vault/SoftDeleteMustBeEnabled_Audit"),
  rulesets: [
    "CKV_AZURE_110",
    "CKV_AZURE_111",
    "CKV_AZURE_42",
    "Azure.KeyVault.SoftDelete",
    "Azure.KeyVault.PurgeProtect",
  ],
  resourceTypes: [T.vault],
  validate: (props, _args, report) => {
    for (const flag of ["enableSoftDelete", "enablePurgeProtection"]) {
      const value = get(props, `properties.${flag}`);
      if (!isTrue(value)) report(`properties.${flag} must be true (got ${show(value)}).`);
    }
  },
});
