import {
  ARM_SCOPED_POLICY_TYPES,
  isArmType,
  type PolicyDocument,
  policyDocument,
  section,
  templateResources,
} from "../lib/apim";
import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";
import { childrenNamed, POLICY_SECTIONS } from "../lib/xml";

interface Config {
  readonly requireFirst: boolean;
}

const DEFAULTS: Config = { requireFirst: true };

const POLICY_TYPES = [
  T.apimApiPolicy,
  T.apimApiOperationPolicy,
  T.apimProductPolicy,
  T.apimWorkspaceApiPolicy,
  T.apimWorkspaceApiOperationPolicy,
  T.apimWorkspacePolicy,
  T.apimWorkspaceProductPolicy,
];

export const policyBaseInheritance = resourceRule({
  name: "apim-policy-base-inheritance",
  area: "apim",
  description:
    "API Management policies below the global scope (API, operation, product, workspace) inherit their parent's policies: each of " +
    "<inbound>, <backend>, <outbound> and <on-error> exists and starts with <base />, so gateway-wide controls cannot be skipped.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Write every section as `<inbound><base />...</inbound>` (the same for backend, outbound, on-error), even when the section adds nothing.",
  seedControls: [SEED.authorizationVerification, SEED.inputValidation],
  azureBuiltins: builtins("API Management/BasePolicy_Audit"),
  rulesets: ["Azure.APIM.PolicyBase"],
  resourceTypes: [...POLICY_TYPES, T.armDeployment],
  configSchema: {
    properties: {
      requireFirst: {
        type: "boolean",
        default: DEFAULTS.requireFirst,
        description: "<base /> must be the first element of each section (as Azure's built-in checks).",
      },
    },
  },
  validate: (props, args, report) => {
    const { requireFirst } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    if (canonicalType(args.type) === T.armDeployment) {
      for (const resource of templateResources(props).filter((r) =>
        isArmType(r.type, ARM_SCOPED_POLICY_TYPES),
      )) {
        checkDocument(policyDocument(resource.properties), requireFirst, (message) =>
          report(`template resource ${resource.name}: ${message}`),
        );
      }
      return;
    }
    checkDocument(policyDocument(props), requireFirst, report);
  },
});

function checkDocument(
  document: PolicyDocument,
  requireFirst: boolean,
  report: (message: string) => void,
): void {
  if (document.kind === "invalid") {
    report(`${document.reason}.`);
    return;
  }
  for (const name of POLICY_SECTIONS) {
    const element = section(document.root, name);
    if (!element) {
      report(`<${name}> is missing: include it with <base />.`);
      continue;
    }
    const base = childrenNamed(element, "base");
    if (base.length === 0) report(`<${name}> does not contain <base />.`);
    else if (requireFirst && element.children[0]?.name.toLowerCase() !== "base")
      report(`<${name}> must start with <base /> (found <${element.children[0]?.name ?? "?"}> first).`);
  }
}
