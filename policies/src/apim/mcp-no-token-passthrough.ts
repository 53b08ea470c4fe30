import { section } from "../lib/apim";
import { mcpApiPolicyRule } from "./mcp-api-policy-rule";
import { SEED } from "../lib/metadata";
import { ieq } from "../lib/props";
import { attribute, childrenNamed, type XmlElement } from "../lib/xml";

export const mcpNoTokenPassthrough = mcpApiPolicyRule({
  name: "apim-mcp-no-token-passthrough",
  area: "apim",
  description:
    "MCP API policies never forward the client's token to the backend: <inbound> replaces the Authorization header with the " +
    'gateway\'s own credential (authentication-managed-identity) or deletes it (set-header name="Authorization" ' +
    'exists-action="delete" or "override"). API Management forwards the header by default.',
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Add `<authentication-managed-identity resource="<backend app ID URI>" />` to <inbound> for backends that accept Entra tokens, or ' +
    '`<set-header name="Authorization" exists-action="delete" />` before authenticating to the backend with a Key Vault named value.',
  seedControls: [SEED.tokenManagement, SEED.tokenValidation],
  azureBuiltins: [],
  checkDocument,
});

function checkDocument(root: XmlElement, report: (message: string) => void): void {
  const inbound = section(root, "inbound");
  if (!inbound) {
    report("<inbound> is missing, so the client's Authorization header reaches the backend.");
    return;
  }
  const replaced = childrenNamed(inbound, "authentication-managed-identity").length > 0;
  const removed = childrenNamed(inbound, "set-header").some(
    (header) =>
      ieq(attribute(header, "name"), "Authorization") &&
      (ieq(attribute(header, "exists-action"), "delete") ||
        ieq(attribute(header, "exists-action"), "override")),
  );
  if (!replaced && !removed) {
    report(
      "<inbound> neither replaces (authentication-managed-identity) nor deletes (set-header Authorization) the client's token before the backend call.",
    );
  }
}
