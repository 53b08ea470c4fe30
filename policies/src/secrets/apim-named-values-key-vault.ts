import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, isReferenceSet, isTrue } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const apimNamedValuesKeyVault = resourceRule({
  name: "secrets-apim-named-values-key-vault",
  area: "secrets",
  description:
    "API Management named values marked secret are Key Vault references (keyVault.secretIdentifier), never values stored in API Management.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the named value `keyVault: { secretIdentifier: <versionless secret URI>, identityClientId: <user-assigned identity> }` and " +
    "`secret: true`, and no `value`; grant the gateway's identity `Key Vault Secrets User` on the secret.",
  seedControls: [SEED.secureStorage],
  azureBuiltins: builtins("API Management/NamedValueSecretsInKV_AuditDeny"),
  rulesets: ["Azure.APIM.EncryptValues"],
  resourceTypes: [T.apimNamedValue, T.apimWorkspaceNamedValue],
  validate: (props, _args, report) => {
    const secret = get(props, "secret");
    if (isTrue(secret) && !isReferenceSet(props, "keyVault.secretIdentifier")) {
      report("a secret named value must reference Key Vault: keyVault.secretIdentifier is missing.");
    }
    if (isTrue(secret) && get(props, "value") !== undefined) {
      report("a secret named value must not carry a value: the secret stays in Key Vault.");
    }
  },
});
