import {
  DEFAULT_EXEMPT_API_ID_PATTERN,
  forEachMcpApiPolicy,
  type PolicyDocument,
  section,
} from "../lib/apim";
import { SEED } from "../lib/metadata";
import { ieq } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";
import { attribute, childrenNamed } from "../lib/xml";

interface Config {
  readonly exemptApiIdPattern: string;
}

const DEFAULTS: Config = { exemptApiIdPattern: DEFAULT_EXEMPT_API_ID_PATTERN };

export const mcpNoTokenPassthrough = resourceRule({
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
  resourceTypes: [T.apimApiPolicy, T.apimWorkspaceApiPolicy, T.armDeployment],
  configSchema: {
    properties: {
      exemptApiIdPattern: {
        type: "string",
        minLength: 1,
        default: DEFAULTS.exemptApiIdPattern,
        description: "As in apim-mcp-token-validation.",
      },
    },
  },
  validate: (props, args, report) => {
    const { exemptApiIdPattern } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    forEachMcpApiPolicy(
      canonicalType(args.type),
      props,
      exemptApiIdPattern,
      checkDocument,
      report,
      T.armDeployment,
      args.name,
    );
  },
});

function checkDocument(document: PolicyDocument, report: (message: string) => void): void {
  if (document.kind === "invalid") {
    report(`${document.reason}.`);
    return;
  }
  const inbound = section(document.root, "inbound");
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
