import { section } from "../lib/apim";
import { mcpApiPolicyRule } from "./mcp-api-policy-rule";
import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { ieq, show } from "../lib/props";
import { attribute, childNamed, childrenNamed, type XmlElement } from "../lib/xml";

export const mcpTokenValidation = mcpApiPolicyRule({
  name: "apim-mcp-token-validation",
  area: "apim",
  description:
    "Every MCP API policy validates the caller's token before anything else runs: <inbound> contains, as a direct (unconditional) " +
    "child, validate-azure-ad-token or validate-jwt with at least one <audience>, so only tokens issued for this MCP server are accepted. " +
    "Every API policy is an MCP API policy except APIs whose apiId matches `exemptApiIdPattern` (the anonymous protected resource " +
    "metadata endpoint); when the apiId is unknown at preview (`apiId: api.name`), the policy resource's name is matched instead.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    'In the API policy\'s <inbound>, after <base />, add `<validate-azure-ad-token tenant-id="..." header-name="Authorization" ' +
    'failed-validation-httpcode="401"><audiences><audience>{client ID}</audience><audience>{identifier URI}</audience></audiences>' +
    "</validate-azure-ad-token>` (or validate-jwt with openid-config, audiences and signed, expiring tokens required).",
  seedControls: [SEED.tokenValidation, SEED.authorizationVerification, SEED.tokenManagement],
  // Defender for APIs assesses the same property at runtime ("API endpoints ... should be authenticated").
  azureBuiltins: builtins("Security Center/ASC_APIMApiEndpointsShouldbeAuthenticated_AINE"),
  exemptPatternDescription:
    "Case-insensitive regular expression for API IDs that are not MCP APIs (never matches an unknown apiId).",
  checkDocument,
});

function checkDocument(root: XmlElement, report: (message: string) => void): void {
  const inbound = section(root, "inbound");
  const validators = inbound
    ? [...childrenNamed(inbound, "validate-azure-ad-token"), ...childrenNamed(inbound, "validate-jwt")]
    : [];
  if (validators.length === 0) {
    report(
      "<inbound> has no validate-azure-ad-token or validate-jwt as a direct child (a validation nested in <choose> is conditional).",
    );
    return;
  }
  const problems = validators.map(validatorProblems);
  if (problems.every((list) => list.length > 0))
    report(problems[0]?.join("; ") ?? "token validation is incomplete.");
}

function validatorProblems(validator: XmlElement): string[] {
  const problems: string[] = [];
  const audiences = childNamed(validator, "audiences");
  const values = audiences
    ? childrenNamed(audiences, "audience").filter((audience) => audience.text.length > 0)
    : [];
  if (values.length === 0)
    problems.push(`<${validator.name}> must list at least one <audience> in <audiences>`);
  if (validator.name.toLowerCase() === "validate-jwt") {
    for (const flag of ["require-expiration-time", "require-signed-tokens"]) {
      const value = attribute(validator, flag);
      if (value !== undefined && ieq(value, "false"))
        problems.push(`validate-jwt must not set ${flag}="false" (got ${show(value)})`);
    }
    if (!childNamed(validator, "openid-config") && !childNamed(validator, "issuer-signing-keys")) {
      problems.push("validate-jwt needs <openid-config> or <issuer-signing-keys> to verify signatures");
    }
  }
  return problems;
}
