import { SEED } from "../lib/metadata";
import { asArray, get, isRecord, isReferenceSet, tryGet } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const containerAppSecretsKeyVault = resourceRule({
  name: "secrets-container-app-key-vault-references",
  area: "secrets",
  description:
    "Container App secrets are Key Vault references read with a managed identity (keyVaultUrl + identity), never inline values, and " +
    "registries are pulled with a managed identity, not a password.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Declare each secret as `{ name, keyVaultUrl: <versionless secret URI>, identity: <user-assigned identity ID or "system"> }` and ' +
    "reference it from environment variables with `secretRef`; give registries `identity` instead of `passwordSecretRef`.",
  seedControls: [SEED.secureStorage, SEED.toolExecution],
  azureBuiltins: [],
  rulesets: ["Azure.ContainerApp.ManagedIdentity"],
  resourceTypes: [T.containerApp],
  validate: (props, _args, report) => {
    for (const [index, secret] of asArray(get(props, "configuration.secrets")).entries()) {
      const name = isRecord(secret) && typeof secret["name"] === "string" ? secret["name"] : String(index);
      if (!isReferenceSet(secret, "keyVaultUrl"))
        report(`secret ${name} must be a Key Vault reference (keyVaultUrl).`);
      else if (!isReferenceSet(secret, "identity"))
        report(`secret ${name} must name the identity that reads it (identity).`);
      if (tryGet(secret, "value") !== undefined) report(`secret ${name} must not carry an inline value.`);
    }
    for (const [index, registry] of asArray(get(props, "configuration.registries")).entries()) {
      const server = get(registry, "server");
      const name = typeof server === "string" ? server : String(index);
      if (tryGet(registry, "passwordSecretRef") !== undefined || !isReferenceSet(registry, "identity")) {
        report(`registry ${name} must be pulled with a managed identity (identity), not a password.`);
      }
    }
  },
});
