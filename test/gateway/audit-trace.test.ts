import { TOKEN_ERROR_BY_LAST_ERROR_REASON } from "../../infra/gateway/policy/audit";
import {
  DENIAL_REASONS,
  EVENT_FIELD_NAMES,
  EVENT_NAMES,
  TOKEN_ERRORS,
  TRACE_SCHEMA_VERSION,
  TRACE_SOURCE,
} from "../../infra/conventions/logging-contract";
import { INVALID_VALUE, TOOL_NAME_PATTERN } from "../../infra/gateway/policy/expressions";
import {
  MAX_POLICY_DOCUMENT_BYTES,
  type McpApiPolicyInput,
  renderContentSafetyFragment,
  renderMcpApiPolicy,
} from "../../infra/gateway/policy";
import { refusalMarkup } from "../../infra/gateway/policy/responses";
import { splitCsharp } from "./csharp";
import { child, descendants, docsInput, findAll, parseXml, section, type XmlNode } from "./support";

const ENDPOINT = "https://cs-mcpgw-dev.cognitiveservices.azure.com";

/** Policy variants that together render every refusal the renderer has. */
const VARIANTS: Record<string, Partial<McpApiPolicyInput>> = {
  default: {},
  "content safety, fail closed": { contentSafety: { endpoint: ENDPOINT, failMode: "closed" } },
  "content safety, fail open": { contentSafety: { endpoint: ENDPOINT, failMode: "open" } },
  "v2, no origins, apiKey backend": {
    gatewayTier: "v2",
    allowedOrigins: [],
    rateLimits: { ...docsInput().rateLimits, dailyQuotaPerUser: undefined },
    backend: { kind: "apiKey", headerName: "X-Api-Key", namedValueName: "docs-key" },
    backendId: "mcp-docs",
  },
};

/** The refusals of the default document, in document order: [status, reason]. */
const INBOUND_REFUSALS: [string, string][] = [
  ["403", "origin_rejected"],
  ["405", "method_not_allowed"],
  ["413", "body_too_large"],
  ["415", "invalid_jsonrpc"],
  ["413", "body_too_large"],
  ["400", "invalid_jsonrpc"],
  ["400", "invalid_jsonrpc"],
  ["400", "protocol_version"],
  ["400", "header_mismatch"],
  ["400", "invalid_jsonrpc"],
  ["400", "invalid_jsonrpc"],
  ["401", "token_invalid"],
  ["403", "insufficient_scope"],
  ["404", "method_not_allowed"],
  ["403", "method_not_allowed"],
  ["400", "invalid_jsonrpc"],
  ["403", "unknown_tool"],
  ["403", "missing_role"],
  ["400", "task_unbound"],
  ["400", "session_unknown"],
  ["404", "session_owner_mismatch"],
  ["404", "session_unknown"],
];
/** After content safety: the header allowlist's own refusal. */
const AFTER_SHIELD_REFUSALS: [string, string][] = [["431", "headers_rejected"]];
const SHIELD_REFUSALS: Record<"closed" | "open", [string, string][]> = {
  closed: [
    ["403", "prompt_shield"],
    ["413", "body_too_large"],
    ["503", "shield_unavailable"],
  ],
  open: [["403", "prompt_shield"]],
};
const ON_ERROR_REFUSALS: [string, string][] = [
  ["401", "token_invalid"],
  ["401", "token_invalid"],
  ["429", "rate_limited"],
  ["429", "quota_exceeded"],
];
/** Refusals whose status is not the catalogue's usual one for their reason, each with docs/gateway.md's why. */
const STATUS_EXCEPTIONS = new Set([
  "415 invalid_jsonrpc",
  "400 session_unknown",
  // 2026-07-28 (docs/gateway.md, "Protocol revisions"): deny by default is 404, GET/DELETE 405.
  "404 method_not_allowed",
  "405 method_not_allowed",
]);
/** on-error answers that are not refusals: the request was forwarded (mcp.request) or failed in the gateway. */
const NOT_REFUSALS = new Set(["500", "502", "504"]);

const render = (overrides: Partial<McpApiPolicyInput> = {}) =>
  parseXml(renderMcpApiPolicy(docsInput(overrides)));

const isAuditTrace = (n: XmlNode) => n.name === "trace" && n.attributes.source === TRACE_SOURCE;
const statusOf = (response: XmlNode) => child(response, "set-status").attributes.code ?? "";
const messageOf = (trace: XmlNode) => child(trace, "message").text;

/** The direct parent of every element below `root` (the parsed tree has no parent links). */
function parents(root: XmlNode): Map<XmlNode, XmlNode> {
  const map = new Map<XmlNode, XmlNode>();
  for (const node of [root, ...descendants(root)]) for (const c of node.children) map.set(c, node);
  return map;
}

/** `new JProperty("name", value)` pairs of a trace message, in order. */
function jsonProperties(message: string): [string, string][] {
  const matches = message.matchAll(/new JProperty\("([^"]+)", (.*?)\)(?=, new JProperty|\)\.ToString)/g);
  return [...matches].map((m) => [m[1] ?? "", m[2] ?? ""]);
}

function property(message: string, name: string): string | undefined {
  return jsonProperties(message).find(([field]) => field === name)?.[1];
}

/** The decoded string literal a property is set to (undefined when it is not a literal). */
function literal(message: string, name: string): string | undefined {
  const value = property(message, name);
  if (value === undefined || !/^"(?:[^"\\]|\\.)*"$/.test(value)) return undefined;
  return splitCsharp(value).literals[0];
}

interface Refusal {
  readonly status: string;
  /** The traces among the return-response's siblings, and whether one is right before it. */
  readonly traces: XmlNode[];
  readonly immediatelyPreceded: boolean;
}

function refusals(scope: XmlNode, tree: Map<XmlNode, XmlNode>): Refusal[] {
  return findAll(scope, "return-response").map((response) => {
    const siblings = tree.get(response)?.children ?? [];
    const at = siblings.indexOf(response);
    const before = siblings[at - 1];
    return {
      status: statusOf(response),
      traces: siblings.filter(isAuditTrace),
      immediatelyPreceded: before !== undefined && isAuditTrace(before),
    };
  });
}

describe("audit trace: token errors", () => {
  it("maps every LastError reason docs/operations.md names to its token error, and nothing outside the list", () => {
    expect(TOKEN_ERROR_BY_LAST_ERROR_REASON).toMatchObject({
      TokenNotPresent: "missing",
      TokenExpired: "expired",
      TokenAudienceNotAllowed: "audience",
      TokenIssuerNotAllowed: "issuer",
      TokenSignatureInvalid: "signature",
      JwtInvalid: "malformed",
    });
    for (const error of Object.values(TOKEN_ERROR_BY_LAST_ERROR_REASON)) {
      expect(TOKEN_ERRORS).toContain(error);
    }
  });
});

describe.each(Object.entries(VARIANTS))("audit trace placement (%s)", (_name, overrides) => {
  const policy = render(overrides);
  const tree = parents(policy);
  const inbound = section(policy, "inbound");
  const onError = section(policy, "on-error");
  const shield =
    overrides.contentSafety === undefined ? [] : SHIELD_REFUSALS[overrides.contentSafety.failMode];

  it("writes exactly one mcp-gateway trace right before every inbound refusal", () => {
    const found = refusals(inbound, tree).filter((r) => r.status !== "200");
    expect(found.map((r) => [r.status, r.traces.length, r.immediatelyPreceded])).toEqual(
      found.map((r) => [r.status, 1, true]),
    );
  });

  it("writes exactly one right before every on-error refusal, and none for backend or internal errors", () => {
    for (const refusal of refusals(onError, tree)) {
      const expected = NOT_REFUSALS.has(refusal.status) ? [0, false] : [1, true];
      expect([refusal.status, refusal.traces.length, refusal.immediatelyPreceded]).toEqual([
        refusal.status,
        ...expected,
      ]);
    }
  });

  it("names the catalogue's reason for each refusal, with its status", () => {
    const reasonsBefore = (scope: XmlNode) =>
      refusals(scope, tree)
        .filter((r) => r.traces.length > 0)
        .map((r) => [r.status, literal(messageOf(r.traces[0] as XmlNode), "reason")]);
    expect(reasonsBefore(inbound)).toEqual([...INBOUND_REFUSALS, ...shield, ...AFTER_SHIELD_REFUSALS]);
    expect(reasonsBefore(onError)).toEqual(ON_ERROR_REFUSALS);
    for (const [status, reason] of [
      ...INBOUND_REFUSALS,
      ...shield,
      ...AFTER_SHIELD_REFUSALS,
      ...ON_ERROR_REFUSALS,
    ]) {
      const known = DENIAL_REASONS[reason as keyof typeof DENIAL_REASONS];
      expect(known).toBeDefined();
      if (!STATUS_EXCEPTIONS.has(`${status} ${reason}`)) expect(String(known?.status)).toBe(status);
    }
  });

  it("writes one mcp.request, as the last step of inbound, after the credential swap", () => {
    const traces = findAll(policy, "trace").filter(isAuditTrace);
    const requests = traces.filter((t) => literal(messageOf(t), "event") === "mcp.request");
    expect(requests).toHaveLength(1);
    expect(inbound.children[inbound.children.length - 1]).toBe(requests[0]);
    const swap = inbound.children.findIndex(
      (n) => n.name === "set-header" && n.attributes.name === "Authorization",
    );
    expect(inbound.children.indexOf(requests[0] as XmlNode)).toBeGreaterThan(swap);
    const denied = traces.filter((t) => literal(messageOf(t), "event") === "mcp.denied");
    expect(traces).toHaveLength(requests.length + denied.length);
    expect(denied).toHaveLength(
      INBOUND_REFUSALS.length + shield.length + AFTER_SHIELD_REFUSALS.length + ON_ERROR_REFUSALS.length,
    );
  });

  it("writes no trace in backend or outbound (nothing reads the response)", () => {
    for (const name of ["backend", "outbound"] as const) {
      expect(findAll(section(policy, name), "trace")).toHaveLength(0);
    }
  });

  it("stays within API Management's policy size limit", () => {
    expect(Buffer.byteLength(renderMcpApiPolicy(docsInput(overrides)))).toBeLessThan(
      MAX_POLICY_DOCUMENT_BYTES,
    );
  });
});

describe("audit trace: the event builder", () => {
  const policy = render({ contentSafety: { endpoint: ENDPOINT, failMode: "closed" } });
  const traces = findAll(policy, "trace").filter(isAuditTrace);
  const messages = traces.map(messageOf);

  it("is <trace source severity><message> with nothing else", () => {
    for (const trace of traces) {
      expect(trace.attributes).toEqual({ source: "mcp-gateway", severity: "information" });
      expect(trace.children.map((c) => c.name)).toEqual(["message"]);
    }
  });

  it("writes every field, in the contract's order, as one line of JSON built by Newtonsoft", () => {
    for (const message of messages) {
      expect(message).toMatch(/^@[({]/);
      expect(jsonProperties(message).map(([field]) => field)).toEqual(EVENT_FIELD_NAMES);
      expect(property(message, "v")).toBe(String(TRACE_SCHEMA_VERSION));
      expect(message).toMatch(
        /new JObject\(new JProperty\("v", 1\), .*\)\.ToString\(Newtonsoft\.Json\.Formatting\.None\)/,
      );
      // Values are JProperty arguments, never text glued together.
      expect(splitCsharp(message).code).not.toContain("+");
    }
  });

  it("never reads the Authorization header, the token, the body or the raw session ID", () => {
    for (const message of messages) {
      const { code, literals } = splitCsharp(message);
      expect(code).not.toMatch(/Request\.(Headers|Body)|Response\.|LastError\.Message|Jwt|\.Claims/);
      for (const forbidden of [
        "Authorization",
        "Mcp-Session-Id",
        "mcp-session-id",
        "mcp-token",
        "mcp-body",
      ]) {
        expect(literals).not.toContain(forbidden);
        expect(message).not.toContain(forbidden);
      }
    }
  });

  it("reads identifiers only from the audit variables, and leaves identity empty on token_invalid", () => {
    for (const message of messages) {
      const reason = literal(message, "reason");
      for (const [field, variable] of [
        ["server", "mcp-audit-server"],
        ["method", "mcp-audit-method"],
        ["tool", "mcp-audit-tool"],
        ["sessionHash", "mcp-audit-session-hash"],
        ["clientIp", "mcp-audit-client-ip"],
      ] as const) {
        expect(property(message, field)).toBe(
          `context.Variables.GetValueOrDefault<string>("${variable}", "")`,
        );
      }
      if (reason === "token_invalid") {
        expect([literal(message, "oid"), literal(message, "clientAppId")]).toEqual(["", ""]);
      } else {
        expect(property(message, "oid")).toBe('context.Variables.GetValueOrDefault<string>("mcp-oid", "")');
        expect(property(message, "clientAppId")).toBe(
          'context.Variables.GetValueOrDefault<string>("mcp-client-app-id", "")',
        );
      }
    }
  });

  it('sets reason only on mcp.denied and tokenError only on token_invalid (else "")', () => {
    for (const message of messages) {
      const event = literal(message, "event");
      const reason = literal(message, "reason");
      expect(EVENT_NAMES).toContain(event);
      if (event === "mcp.request") expect(reason).toBe("");
      else expect(Object.keys(DENIAL_REASONS)).toContain(reason);
      if (reason !== "token_invalid") expect(literal(message, "tokenError")).toBe("");
    }
  });

  it("takes tokenError from context.LastError.Reason on-error, missing without a token, other for a token without oid", () => {
    const onError = findAll(section(policy, "on-error"), "trace").map(messageOf);
    const [withToken, withoutToken] = onError;
    expect(property(withToken ?? "", "tokenError")).toBe("tokenError");
    expect(withToken).toContain(
      'TryGetValue(context.LastError.Reason ?? "", out tokenError)) { tokenError = "other"; }',
    );
    for (const [reason, error] of Object.entries(TOKEN_ERROR_BY_LAST_ERROR_REASON)) {
      expect(withToken).toContain(`{ "${reason}", "${error}" }`);
    }
    expect(literal(withoutToken ?? "", "tokenError")).toBe("missing");
    const inboundTokenTrace = findAll(section(policy, "inbound"), "trace")
      .map(messageOf)
      .filter((m) => literal(m, "reason") === "token_invalid");
    expect(inboundTokenTrace.map((m) => literal(m, "tokenError"))).toEqual(["other"]);
  });

  it("refuses to render a 4xx refusal without an audit reason", () => {
    expect(() =>
      refusalMarkup({ status: 403, reason: "Forbidden", rpcCode: -32003, message: "x", denial: null }),
    ).toThrow(/audit denial reason/);
  });
});

describe("audit trace: the context it reads", () => {
  const inbound = section(render(), "inbound");
  const variable = (name: string) =>
    inbound.children.find((n) => n.name === "set-variable" && n.attributes.name === name);
  const value = (name: string) => variable(name)?.attributes.value ?? "";
  const position = (predicate: (n: XmlNode) => boolean) => inbound.children.findIndex(predicate);
  const firstRefusal = position((n) => findAll(n, "return-response").some((r) => statusOf(r) !== "200"));

  it("computes server, session hash and client IP before the first refusal", () => {
    for (const name of ["mcp-audit-server", "mcp-audit-session-hash", "mcp-audit-client-ip"]) {
      expect(variable(name)).toBeDefined();
      expect(inbound.children.indexOf(variable(name) as XmlNode)).toBeLessThan(firstRefusal);
    }
    expect(value("mcp-audit-server")).toBe("docs");
  });

  it("logs the session only as a lowercase hex SHA-256 of the header", () => {
    const hash = value("mcp-audit-session-hash");
    expect(hash).toContain('context.Request.Headers.GetValueOrDefault("Mcp-Session-Id", "")');
    expect(hash).toContain("System.Security.Cryptography.SHA256.Create()");
    expect(hash).toContain("Encoding.UTF8.GetBytes(id)");
    expect(hash).toContain('.Replace("-", "").ToLowerInvariant()');
    expect(hash).toContain('if (id.Length == 0) { return ""; }');
  });

  it("takes the client IP from the last X-Forwarded-For entry, without its port", () => {
    const ip = value("mcp-audit-client-ip");
    expect(ip).toContain('GetValueOrDefault("X-Forwarded-For", "").Split(\',\')');
    expect(ip).toContain("hops[hops.Length - 1].Trim()");
    expect(ip).toContain("System.Net.IPAddress.TryParse(hop, out address)");
    expect(ip).toContain("context.Request.IpAddress");
  });

  it("bounds method and tool to safe patterns after parsing, before the token is validated", () => {
    const tool = value("mcp-audit-tool");
    expect(TOOL_NAME_PATTERN).toBe("^[A-Za-z0-9_.-]{1,128}\\z");
    expect(splitCsharp(tool).literals).toEqual(
      expect.arrayContaining(["tools/call", TOOL_NAME_PATTERN, INVALID_VALUE]),
    );
    expect(splitCsharp(value("mcp-audit-method")).literals).toContain(INVALID_VALUE);
    const validation = position((n) => n.name === "validate-azure-ad-token");
    const toolName = inbound.children.indexOf(variable("mcp-tool-name") as XmlNode);
    for (const name of ["mcp-audit-method", "mcp-audit-tool"]) {
      const at = inbound.children.indexOf(variable(name) as XmlNode);
      expect(at).toBeGreaterThan(toolName);
      expect(at).toBeLessThan(validation);
    }
  });

  it("reads the client application (azp, else appid) from the validated token, before any later refusal", () => {
    const appId = value("mcp-client-app-id");
    expect(appId).toContain('Claims.GetValueOrDefault("azp", "")');
    expect(appId).toContain('Claims.GetValueOrDefault("appid", "")');
    const oid = inbound.children.indexOf(variable("mcp-oid") as XmlNode);
    expect(inbound.children.indexOf(variable("mcp-client-app-id") as XmlNode)).toBe(oid + 1);
  });

  it("is used by the standalone content-safety fragment too", () => {
    const fragment = parseXml(renderContentSafetyFragment({ endpoint: ENDPOINT, failMode: "closed" }));
    const reasons = findAll(fragment, "trace")
      .filter(isAuditTrace)
      .map((t) => literal(messageOf(t), "reason"));
    expect(reasons).toEqual(["prompt_shield", "body_too_large", "shield_unavailable"]);
  });
});
