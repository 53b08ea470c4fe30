import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { McpApiPolicyInput } from "../../infra/gateway/policy";

/** A parsed XML element; attribute values and text are entity-decoded, comments dropped. */
export interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
  readonly text: string;
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** Parses a well-formed document (fails the test otherwise) into its root element. */
export function parseXml(xml: string): XmlNode {
  const validation = XMLValidator.validate(xml);
  if (validation !== true) throw new Error(`not well-formed XML: ${JSON.stringify(validation.err)}`);
  const roots = (parser.parse(xml) as OrderedNode[]).map(toNode).filter((n): n is XmlNode => n !== undefined);
  const [root] = roots;
  if (root === undefined || roots.length !== 1) throw new Error("expected exactly one root element");
  return root;
}

function toNode(entry: OrderedNode): XmlNode | undefined {
  const name = Object.keys(entry).find((key) => key !== ":@" && key !== "#text");
  if (name === undefined) return undefined;
  const rawChildren = (entry[name] as OrderedNode[]) ?? [];
  const attributes = (entry[":@"] as Record<string, string> | undefined) ?? {};
  const text = rawChildren
    .filter((child) => "#text" in child)
    .map((child) => String(child["#text"]))
    .join("");
  const children = rawChildren.map(toNode).filter((n): n is XmlNode => n !== undefined);
  return { name, attributes, children, text };
}

export function child(node: XmlNode, name: string): XmlNode {
  const found = node.children.find((c) => c.name === name);
  if (found === undefined) throw new Error(`<${node.name}> has no <${name}>`);
  return found;
}

export function childNames(node: XmlNode): string[] {
  return node.children.map((c) => c.name);
}

/** Every element below `node` (depth first, document order). */
export function descendants(node: XmlNode): XmlNode[] {
  return node.children.flatMap((c) => [c, ...descendants(c)]);
}

export function findAll(node: XmlNode, name: string): XmlNode[] {
  return descendants(node).filter((n) => n.name === name);
}

export function section(policy: XmlNode, name: "inbound" | "backend" | "outbound" | "on-error"): XmlNode {
  return child(policy, name);
}

/** Index in document order of the first element matching `predicate` below `node` (-1 when none). */
export function orderOf(node: XmlNode, predicate: (n: XmlNode) => boolean): number {
  return descendants(node).findIndex(predicate);
}

export const TENANT_ID = "3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13";
export const API_CLIENT_ID = "11111111-2222-4333-8444-555555555555";
export const VS_CODE_CLIENT_ID = "aebc6443-996d-45c2-90f0-388ff96faa56";

/** The dev stack's `docs` server, resolved as the gateway component would pass it. */
export function docsInput(overrides: Partial<McpApiPolicyInput> = {}): McpApiPolicyInput {
  return {
    serverName: "docs",
    gatewayHostname: "mcp.dev.contoso.com",
    tenantId: TENANT_ID,
    scopeValue: "user_impersonation",
    gatewayTier: "classic",
    apiClientId: API_CLIENT_ID,
    allowedClientAppIds: [VS_CODE_CLIENT_ID],
    tools: [
      { name: "search_docs", roles: ["MCP.Tools.Read"] },
      { name: "get_page", roles: ["MCP.Tools.Read", "MCP.Admin"] },
    ],
    allowedOrigins: ["https://vscode.dev"],
    supportedProtocolVersions: ["2025-11-25", "2025-06-18"],
    maxRequestBodyBytes: 1_048_576,
    sessionTtlSeconds: 3600,
    rateLimits: {
      perUser: { calls: 120, renewalPeriodSeconds: 60 },
      perUserSession: { calls: 60, renewalPeriodSeconds: 30 },
      perUserTool: { calls: 30, renewalPeriodSeconds: 90 },
      dailyQuotaPerUser: 5000,
    },
    backend: { kind: "managedIdentity", audience: "api://mcp-docs-backend" },
    ...overrides,
  };
}
