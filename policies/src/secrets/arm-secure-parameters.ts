import { SEED } from "../lib/metadata";
import { get, inList, isRecord } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const armSecureParameters = resourceRule({
  name: "secrets-arm-secure-parameters",
  area: "secrets",
  description:
    "ARM template deployments receive secure parameters (securestring, secureObject) as Key Vault references, never as values.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Pass the parameter as `{ reference: { keyVault: { id: <vault ID> }, secretName: <name> } }` instead of `{ value: ... }`, or have the " +
    "template read the secret itself through the deploying identity.",
  seedControls: [SEED.secureStorage],
  azureBuiltins: [],
  resourceTypes: [T.armDeployment],
  validate: (props, _args, report) => {
    const declared = get(props, "properties.template.parameters");
    const supplied = get(props, "properties.parameters");
    if (!isRecord(declared) || !isRecord(supplied)) return;
    for (const [name, definition] of Object.entries(declared)) {
      if (!inList(get(definition, "type"), ["securestring", "secureObject"])) continue;
      const parameter = supplied[name];
      if (get(parameter, "value") !== undefined)
        report(`secure parameter ${name} is passed as a value: pass a Key Vault reference.`);
    }
  },
});
