import type { XmlElement } from "../lib/xml";
import { DEFAULT_EXEMPT_API_ID_PATTERN, forEachMcpApiPolicy } from "../lib/apim";
import { canonicalType, resourceRule, type ResourceRuleDefinition } from "../lib/rule";
import { T } from "../lib/types";

interface Config {
  readonly exemptApiIdPattern: string;
}

const DEFAULTS: Config = { exemptApiIdPattern: DEFAULT_EXEMPT_API_ID_PATTERN };

export interface McpApiPolicyRuleDefinition extends Omit<
  ResourceRuleDefinition,
  "resourceTypes" | "validate" | "configSchema"
> {
  /** How `exemptApiIdPattern` is described in this rule's config schema. */
  readonly exemptPatternDescription?: string;
  /** Checks one parsed MCP API policy document (unparseable or linked documents are reported before). */
  readonly checkDocument: (root: XmlElement, report: (message: string) => void) => void;
}

/**
 * A rule over every MCP API policy document: API policy resources and API policies inside ARM
 * template deployments, except APIs whose apiId matches the configurable `exemptApiIdPattern`.
 */
export function mcpApiPolicyRule(definition: McpApiPolicyRuleDefinition) {
  const { checkDocument, exemptPatternDescription, ...metadata } = definition;
  return resourceRule({
    ...metadata,
    resourceTypes: [T.apimApiPolicy, T.apimWorkspaceApiPolicy, T.armDeployment],
    configSchema: {
      properties: {
        exemptApiIdPattern: {
          type: "string",
          minLength: 1,
          default: DEFAULTS.exemptApiIdPattern,
          description: exemptPatternDescription ?? "As in apim-mcp-token-validation.",
        },
      },
    },
    validate: (props, args, report) => {
      const { exemptApiIdPattern } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
      forEachMcpApiPolicy(
        canonicalType(args.type),
        props,
        exemptApiIdPattern,
        (document, reportDocument) => {
          if (document.kind === "invalid") reportDocument(`${document.reason}.`);
          else checkDocument(document.root, reportDocument);
        },
        report,
        T.armDeployment,
        args.name,
      );
    },
  });
}
