import {
  DEFAULT_EXEMPT_API_ID_PATTERN,
  forEachMcpApiPolicy,
  type PolicyDocument,
  section,
} from "../lib/apim";
import { SEED } from "../lib/metadata";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";
import { descendantsNamed } from "../lib/xml";

interface Config {
  readonly exemptApiIdPattern: string;
}

const DEFAULTS: Config = { exemptApiIdPattern: DEFAULT_EXEMPT_API_ID_PATTERN };

export const mcpRateLimit = resourceRule({
  name: "apim-mcp-rate-limit",
  area: "apim",
  description:
    "MCP API policies rate-limit callers in <inbound> (rate-limit-by-key keyed on the validated token's subject, or rate-limit / " +
    "quota-by-key), so one client cannot exhaust the tools behind the gateway. Advisory by default; the staging and prod " +
    "configs make it mandatory.",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps:
    'Add `<rate-limit-by-key calls="..." renewal-period="60" counter-key="@(((Jwt)context.Variables[\\"token\\"]).Claims.GetValueOrDefault(\\"oid\\", \\"anonymous\\"))" />` ' +
    "after token validation; add quota-by-key for daily limits.",
  seedControls: [SEED.rateLimiting],
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
  if (
    !inbound ||
    descendantsNamed(inbound, "rate-limit-by-key", "rate-limit", "quota-by-key", "llm-token-limit").length ===
      0
  ) {
    report("<inbound> has no rate-limit-by-key, rate-limit or quota-by-key.");
  }
}
