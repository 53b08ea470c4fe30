import { block, csString, csStringArray, expr } from "./escape";
import type { ToolPolicy } from "./types";

/**
 * The C# policy expressions of the MCP API policy, one small function each. They use only what API
 * Management's policy-expression reference allows: `context.Request`/`Response`/`Variables`/`LastError`,
 * `Jwt.Claims.GetValueOrDefault(name, default)` (comma-separated values), Newtonsoft.Json.Linq, Linq,
 * Regex, Encoding, HashSet/Dictionary/StringComparer. `set-variable` only holds basic types (string,
 * bool, numbers), so the request body is kept as a string and parsed where a value is needed.
 * Every value from the input reaches C# through `csString` and reaches XML through the template's escaping.
 */

/** Context variable names set by the policy (fixed, never derived from input). */
export const VARIABLES = {
  body: "mcp-body",
  envelope: "mcp-rpc-envelope",
  method: "mcp-rpc-method",
  toolName: "mcp-tool-name",
  stage: "mcp-stage",
  token: "mcp-token",
  oid: "mcp-oid",
  toolDecision: "mcp-tool-decision",
  sessionId: "mcp-session-id",
  sessionOwner: "mcp-session-owner",
  sessionBind: "mcp-session-bind",
  toolArguments: "mcp-tool-arguments",
  shieldResponse: "mcp-shield-response",
  shieldVerdict: "mcp-shield-verdict",
  clientAppId: "mcp-client-app-id",
  auditServer: "mcp-audit-server",
  auditSessionHash: "mcp-audit-session-hash",
  auditClientIp: "mcp-audit-client-ip",
  auditMethod: "mcp-audit-method",
  auditTool: "mcp-audit-tool",
} as const;

/** A session ID must be visible ASCII, 0x21-0x7E (MCP transports). */
export const SESSION_ID_PATTERN = "^[!-~]+$";
/** Bounds the cache keys and counter keys a client-chosen session ID can create. */
export const SESSION_ID_MAX_LENGTH = 1024;

/**
 * Audit events log `tool` and `method` only when they match these patterns, else `<invalid>`, so an
 * event stays short and parseable whatever the body held. `\z`, not `$`: .NET's `$` also matches before
 * a trailing newline. The tool pattern is the logging contract's; the method one is the gateway's own bound.
 */
export const TOOL_NAME_PATTERN = "^[A-Za-z0-9_.-]{1,128}\\z";
export const RPC_METHOD_PATTERN = "^[A-Za-z0-9_./$-]{1,128}\\z";
export const INVALID_VALUE = "<invalid>";

function validSessionId(value: string): string {
  return `${value}.Length <= ${SESSION_ID_MAX_LENGTH} && Regex.IsMatch(${value}, ${csString(SESSION_ID_PATTERN)})`;
}

const stringVar = (name: string) => `((string)context.Variables[${csString(name)}])`;
const token = () => `((Jwt)context.Variables[${csString(VARIABLES.token)}])`;
const header = (name: string) => `context.Request.Headers.GetValueOrDefault(${csString(name)}, "")`;
const parseBody = `JObject.Parse(${stringVar(VARIABLES.body)})`;
const isSuccess = "context.Response.StatusCode >= 200 && context.Response.StatusCode < 300";

function notInSet(
  value: string,
  allowed: readonly string[],
  comparer: "Ordinal" | "OrdinalIgnoreCase",
): string {
  return `!new HashSet<string>(${csStringArray(allowed)}, StringComparer.${comparer}).Contains(${value})`;
}

// Step 1: the metadata operation of an MCP API is answered before anything else.

/** True on the given operation of the API (`context.Operation.Id` is the operation's ID). */
export function isOperation(operationId: string): string {
  return expr(`context.Operation.Id == ${csString(operationId)}`);
}

// Step 2: transport checks.

/** MCP transports: an `Origin` that is present and not allowed gets 403 (DNS rebinding defence). */
export function originRejected(allowedOrigins: readonly string[]): string {
  return block([
    `var origin = ${header("Origin")};`,
    `return origin.Length > 0 && ${notInSet("origin", allowedOrigins, "OrdinalIgnoreCase")};`,
  ]);
}

/** MCP transports: an `MCP-Protocol-Version` that is present and unsupported gets 400. */
export function protocolVersionRejected(supported: readonly string[]): string {
  return block([
    `var version = ${header("MCP-Protocol-Version")};`,
    `return version.Length > 0 && ${notInSet("version", supported, "Ordinal")};`,
  ]);
}

/** Cheap early check on the declared length, before the body is read. */
export function declaredLengthTooLarge(maxBytes: number): string {
  return block([
    "long length;",
    `return long.TryParse(${header("Content-Length")}, out length) && length > ${maxBytes};`,
  ]);
}

export function postWithoutJson(): string {
  return block([
    'if (context.Request.Method != "POST") { return false; }',
    `var mediaType = ${header("Content-Type")}.Split(';')[0].Trim();`,
    'return !string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase);',
  ]);
}

/** The POST body as a string, read with preserveContent so it still reaches the backend. */
export function requestBody(): string {
  return expr(
    'context.Request.Method == "POST" && context.Request.Body != null ? context.Request.Body.As<string>(preserveContent: true) : ""',
  );
}

/** The real size, for bodies without (or with a wrong) Content-Length. */
export function bodyTooLarge(maxBytes: number): string {
  return expr(`Encoding.UTF8.GetByteCount(${stringVar(VARIABLES.body)}) > ${maxBytes}`);
}

/**
 * Classifies the JSON-RPC 2.0 envelope: `none` (GET/DELETE), `parse-error`, `invalid`, or the kind of a
 * well-formed single message (`request`, `notification`, `response`). Batches (arrays) are invalid.
 */
export function envelopeKind(): string {
  return block([
    'if (context.Request.Method != "POST") { return "none"; }',
    "JObject rpc;",
    `try { rpc = ${parseBody}; } catch (Exception) { return "parse-error"; }`,
    'var version = rpc["jsonrpc"];',
    'if (version == null || version.Type != JTokenType.String || (string)version != "2.0") { return "invalid"; }',
    'var method = rpc["method"];',
    "if (method != null) {",
    'if (method.Type != JTokenType.String || ((string)method).Length == 0) { return "invalid"; }',
    'return rpc["id"] != null ? "request" : "notification";',
    "}",
    'return rpc["id"] != null && (rpc["result"] != null || rpc["error"] != null) ? "response" : "invalid";',
  ]);
}

export function envelopeIs(kind: string): string {
  return expr(`${stringVar(VARIABLES.envelope)} == ${csString(kind)}`);
}

/** The JSON-RPC method of a valid request or notification, else empty. */
export function rpcMethod(): string {
  return block([
    `var kind = ${stringVar(VARIABLES.envelope)};`,
    'if (kind != "request" && kind != "notification") { return ""; }',
    `return (string)${parseBody}["method"];`,
  ]);
}

/** `params.name` of a `tools/call`, else empty (an empty name is on no allowlist). */
export function toolName(): string {
  return block([
    `if (${stringVar(VARIABLES.method)} != "tools/call") { return ""; }`,
    `var parameters = ${parseBody}["params"] as JObject;`,
    'var name = parameters == null ? null : parameters["name"];',
    'return name != null && name.Type == JTokenType.String ? (string)name : "";',
  ]);
}

export function isToolCall(): string {
  return expr(`${stringVar(VARIABLES.method)} == "tools/call"`);
}

// Step 3: token.

export function oid(): string {
  return expr(`${token()}.Claims.GetValueOrDefault("oid", "")`);
}

/** `azp` (v2 tokens) or else `appid` (v1) of the validated token: the client application. */
export function clientAppId(): string {
  return block([
    `var azp = ${token()}.Claims.GetValueOrDefault("azp", "");`,
    `return azp.Length > 0 ? azp : ${token()}.Claims.GetValueOrDefault("appid", "");`,
  ]);
}

export function oidValue(): string {
  return expr(stringVar(VARIABLES.oid));
}

export function oidMissing(): string {
  return expr(`${stringVar(VARIABLES.oid)}.Length == 0`);
}

/** The delegated scope must be in `scp` (space-separated); app-only tokens have none and are refused. */
export function scopeMissing(scopeValue: string): string {
  return expr(`!${token()}.Claims.GetValueOrDefault("scp", "").Split(' ').Contains(${csString(scopeValue)})`);
}

/** On-error: the failure came from token validation (the stage marker, or the policy named as source). */
export function authenticationFailed(): string {
  return expr(
    `context.Variables.GetValueOrDefault<string>(${csString(VARIABLES.stage)}, "") == "authenticating" || context.LastError.Source == "validate-azure-ad-token"`,
  );
}

/** RFC 6750 section 3: `error="invalid_token"` only when a token was actually presented. */
export function authenticationFailedWithToken(): string {
  return expr(
    `(context.Variables.GetValueOrDefault<string>(${csString(VARIABLES.stage)}, "") == "authenticating" || context.LastError.Source == "validate-azure-ad-token") && ${header("Authorization")}.Length > 0`,
  );
}

// Step 4: tool authorization.

/** `not-a-tool-call`, `unknown` (not on the allowlist), `forbidden` (no matching role) or `allowed`. */
export function toolDecision(tools: readonly ToolPolicy[]): string {
  const entries = tools.map((tool) => `{ ${csString(tool.name)}, ${csStringArray(tool.roles)} }`).join(", ");
  return block([
    `if (${stringVar(VARIABLES.method)} != "tools/call") { return "not-a-tool-call"; }`,
    `var allowlist = new Dictionary<string, string[]>(StringComparer.Ordinal) { ${entries} };`,
    "string[] required;",
    `if (!allowlist.TryGetValue(${stringVar(VARIABLES.toolName)}, out required)) { return "unknown"; }`,
    `var held = ${token()}.Claims.GetValueOrDefault("roles", "").Split(',').Select(role => role.Trim()).ToArray();`,
    'return required.Any(role => held.Contains(role)) ? "allowed" : "forbidden";',
  ]);
}

export function toolDecisionIs(decision: string): string {
  return expr(`${stringVar(VARIABLES.toolDecision)} == ${csString(decision)}`);
}

// Step 5: session binding.

export function sessionIdHeader(): string {
  return expr(header("Mcp-Session-Id"));
}

export function sessionPresent(): string {
  return expr(`${stringVar(VARIABLES.sessionId)}.Length > 0`);
}

export function sessionIdMalformed(): string {
  const id = stringVar(VARIABLES.sessionId);
  return expr(`${id}.Length > 0 && !(${validSessionId(id)})`);
}

/** `mcp-session:<server>:<session id>`; the value stored under it is the owner's oid. */
export function sessionCacheKey(serverName: string, variable: string): string {
  return expr(`${csString(`mcp-session:${serverName}:`)} + ${stringVar(variable)}`);
}

export function sessionUnknown(): string {
  return expr(`!context.Variables.ContainsKey(${csString(VARIABLES.sessionOwner)})`);
}

export function sessionForeign(): string {
  return expr(
    `!string.Equals(${stringVar(VARIABLES.sessionOwner)}, ${stringVar(VARIABLES.oid)}, StringComparison.Ordinal)`,
  );
}

/**
 * Outbound: the session to (re)bind to the caller after a 2xx: the one the backend issued in
 * `Mcp-Session-Id` (initialize), else the one the request used (sliding expiry). Empty for none.
 */
export function sessionToBind(): string {
  return block([
    `if (!(${isSuccess})) { return ""; }`,
    'var issued = context.Response.Headers.GetValueOrDefault("Mcp-Session-Id", "");',
    `if (issued.Length > 0) { return ${validSessionId("issued")} ? issued : ""; }`,
    `return ${stringVar(VARIABLES.sessionId)};`,
  ]);
}

export function sessionBindPresent(): string {
  return expr(`${stringVar(VARIABLES.sessionBind)}.Length > 0`);
}

/** Outbound: a successful DELETE ends the session, so its binding goes too. */
export function sessionEnded(): string {
  return expr(
    `context.Request.Method == "DELETE" && ${isSuccess} && ${stringVar(VARIABLES.sessionId)}.Length > 0`,
  );
}

// Step 6: rate limits.

export function counterKey(prefix: string, variables: readonly string[]): string {
  return expr([csString(prefix), ...variables.map(stringVar)].join(' + ":" + '));
}

// Outbound and on-error.

/** A backend 401 means the gateway's own credential was refused: the client must not re-authenticate. */
export function backendRejectedGateway(): string {
  return expr("context.Response.StatusCode == 401");
}

export function lastErrorReasonIs(...reasons: string[]): string {
  return expr(reasons.map((reason) => `context.LastError.Reason == ${csString(reason)}`).join(" || "));
}

export function rateLimited(): string {
  return expr('context.LastError.Reason == "RateLimitExceeded" || context.Response.StatusCode == 429');
}

/** Copies the rate limiter's Retry-After, with a fallback when it is not readable. */
export function retryAfterFromResponse(fallbackSeconds: number): string {
  return expr(
    `context.Response.Headers.GetValueOrDefault("Retry-After", ${csString(String(fallbackSeconds))})`,
  );
}

/** A daily quota renews at 00:00 UTC (first-period-start defaults to 0001-01-01T00:00:00Z). */
export function retryAfterUntilUtcMidnight(): string {
  return expr(
    'context.Response.Headers.GetValueOrDefault("Retry-After", ((int)Math.Ceiling(DateTime.UtcNow.Date.AddDays(1).Subtract(DateTime.UtcNow).TotalSeconds)).ToString())',
  );
}

// Content safety (issue 8).

/** `params.arguments` of the tool call as compact JSON, or empty. */
export function toolArguments(): string {
  return block([
    `var parameters = ${parseBody}["params"] as JObject;`,
    'var arguments = parameters == null ? null : parameters["arguments"];',
    'return arguments == null ? "" : arguments.ToString(Newtonsoft.Json.Formatting.None);',
  ]);
}

export function toolArgumentsEmpty(): string {
  return expr(`${stringVar(VARIABLES.toolArguments)}.Length == 0`);
}

export function toolArgumentsLongerThan(maxCharacters: number): string {
  return expr(`${stringVar(VARIABLES.toolArguments)}.Length > ${maxCharacters}`);
}

export function shieldPromptBody(): string {
  return expr(
    `new JObject(new JProperty("userPrompt", ${stringVar(VARIABLES.toolArguments)})).ToString(Newtonsoft.Json.Formatting.None)`,
  );
}

/** `attack`, `clean` or `unscreened` (no answer, an error status, or an unexpected shape). */
export function shieldVerdict(): string {
  return block([
    `var response = context.Variables.GetValueOrDefault<IResponse>(${csString(VARIABLES.shieldResponse)}, null);`,
    'if (response == null || response.StatusCode != 200) { return "unscreened"; }',
    "JObject result;",
    'try { result = response.Body.As<JObject>(); } catch (Exception) { return "unscreened"; }',
    'var prompt = result["userPromptAnalysis"] as JObject;',
    'if (prompt == null || prompt["attackDetected"] == null || prompt["attackDetected"].Type != JTokenType.Boolean) { return "unscreened"; }',
    'if ((bool)prompt["attackDetected"]) { return "attack"; }',
    'var documents = result["documentsAnalysis"] as JArray;',
    'var documentAttack = documents != null && documents.Any(d => d["attackDetected"] != null && d["attackDetected"].Type == JTokenType.Boolean && (bool)d["attackDetected"]);',
    'return documentAttack ? "attack" : "clean";',
  ]);
}

export function shieldVerdictIs(verdict: string): string {
  return expr(`${stringVar(VARIABLES.shieldVerdict)} == ${csString(verdict)}`);
}

// Audit trace context (audit.ts): the fields of the mcp-gateway events that are not known where an event
// is written, computed once into variables. None may throw: an exception would turn a refusal into a 500.

/** Lowercase hex SHA-256 of the `Mcp-Session-Id` header (UTF-8), empty without one: never the raw ID. */
export function auditSessionHash(): string {
  return block([
    `var id = ${header("Mcp-Session-Id")};`,
    'if (id.Length == 0) { return ""; }',
    "using (var sha = System.Security.Cryptography.SHA256.Create()) {",
    'return BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(id))).Replace("-", "").ToLowerInvariant();',
    "}",
  ]);
}

/**
 * The last `X-Forwarded-For` entry (the one Application Gateway appended; earlier ones are the client's),
 * port removed (`1.2.3.4:5678`, `[2001:db8::1]:443`) and normalised; `context.Request.IpAddress` when there
 * is none or it is not an IP address.
 */
export function auditClientIp(): string {
  return block([
    `var hops = ${header("X-Forwarded-For")}.Split(',');`,
    "var hop = hops[hops.Length - 1].Trim();",
    `if (hop.StartsWith("[")) { var close = hop.IndexOf(']'); hop = close > 0 ? hop.Substring(1, close - 1) : ""; }`,
    "else if (hop.IndexOf(':') > 0 && hop.IndexOf(':') == hop.LastIndexOf(':')) { hop = hop.Substring(0, hop.IndexOf(':')); }",
    "System.Net.IPAddress address;",
    'return System.Net.IPAddress.TryParse(hop, out address) ? address.ToString() : (context.Request.IpAddress ?? "");',
  ]);
}

/** The JSON-RPC method when it looks like one, `<invalid>` when not, empty when there is none. */
export function auditMethod(): string {
  return block([
    `var method = context.Variables.GetValueOrDefault<string>(${csString(VARIABLES.method)}, "");`,
    'if (method.Length == 0) { return ""; }',
    `return Regex.IsMatch(method, ${csString(RPC_METHOD_PATTERN)}) ? method : ${csString(INVALID_VALUE)};`,
  ]);
}

/** `params.name` of a `tools/call` when it matches the contract's pattern, else `<invalid>`; empty otherwise. */
export function auditTool(): string {
  return block([
    `if (${stringVar(VARIABLES.method)} != "tools/call") { return ""; }`,
    `var name = ${stringVar(VARIABLES.toolName)};`,
    `return Regex.IsMatch(name, ${csString(TOOL_NAME_PATTERN)}) ? name : ${csString(INVALID_VALUE)};`,
  ]);
}
