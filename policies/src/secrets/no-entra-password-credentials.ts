import { SEED } from "../lib/metadata";
import { get } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const noEntraPasswordCredentials = resourceRule({
  name: "secrets-no-entra-password-credentials",
  area: "secrets",
  description:
    "No Entra ID password credentials (client secrets) on applications or service principals: workloads use managed identities and CI " +
    "uses federated identity credentials.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove the `ApplicationPassword`/`ServicePrincipalPassword` (and any `password` block on the application); use a managed " +
    "identity, a federated identity credential (GitHub OIDC) or, where a credential is unavoidable, a certificate kept in Key Vault.",
  seedControls: [SEED.secureStorage, SEED.authentication],
  azureBuiltins: [],
  resourceTypes: [T.entraApplicationPassword, T.entraServicePrincipalPassword, T.entraApplication],
  validate: (props, args, report) => {
    const type = canonicalType(args.type);
    if (type === T.entraApplication) {
      if (get(props, "password") !== undefined)
        report("the application declares a password credential (`password`).");
      return;
    }
    report(`${type.split(":").pop() ?? type} creates a client secret.`);
  },
});
