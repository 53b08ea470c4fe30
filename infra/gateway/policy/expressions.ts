import { block, csString, csStringArray, expr } from "./escape";
import { NAME_METHODS, readingPart, readingPartExpression, TASK_METHODS } from "./message-reading";
import type { MethodPolicy, ToolPolicy } from "./types";

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
  reading: "mcp-rpc-reading",
  envelope: "mcp-rpc-envelope",
  method: "mcp-rpc-method",
  toolName: "mcp-tool-name",
  stage: "mcp-stage",
  token: "mcp-token",
  oid: "mcp-oid",
  decision: "mcp-decision",
  callableTools: "mcp-callable-tools",
  sessionId: "mcp-session-id",
  sessionOwner: "mcp-session-owner",
  sessionBind: "mcp-session-bind",
  sessionClaimed: "mcp-session-claimed",
  sessionBackendId: "mcp-session-backend-id",
  sessionBoundOwner: "mcp-session-bound-owner",
  toolArguments: "mcp-tool-arguments",
  shieldResponse: "mcp-shield-response",
  shieldVerdict: "mcp-shield-verdict",
  clientAppId: "mcp-client-app-id",
  auditServer: "mcp-audit-server",
  auditSessionHash: "mcp-audit-session-hash",
  auditClientIp: "mcp-audit-client-ip",
  auditMethod: "mcp-audit-method",
  auditTool: "mcp-audit-tool",
  auditProtocolVersion: "mcp-audit-protocol-version",
  modern: "mcp-modern",
  headerCheck: "mcp-header-check",
  taskBackendId: "mcp-task-backend-id",
} as const;

/**
 * Revisions served by the modern rules (2026-07-28 "Versioning", "Terminology": per-request `_meta`, routing
 * headers, no sessions); every other supported revision follows the legacy rules (initialize, sessions).
 * The same list as infra/config (MODERN_MCP_PROTOCOL_REVISIONS), imported there from here would invert the
 * layers, so config re-states it and a test keeps the two equal.
 */
export const MODERN_PROTOCOL_REVISIONS: readonly string[] = ["2026-07-28"];

/** The protocol revision pattern the audit trace accepts (else `<invalid>`). */
export const PROTOCOL_REVISION_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}\\z";

/** The verdicts of `headerCheck`: the request's headers agree with its body, or why not. */
export const HEADER_CHECKS = {
  ok: "",
  mismatch: "mismatch",
  metaMissing: "meta-missing",
  response: "response",
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

/** A backend's own ID leaves room for the signature (`.` + 43 base64url characters) within the bound. */
export const BACKEND_SESSION_ID_MAX_LENGTH = SESSION_ID_MAX_LENGTH - 44;

function validBackendSessionId(value: string): string {
  return `${value}.Length <= ${BACKEND_SESSION_ID_MAX_LENGTH} && Regex.IsMatch(${value}, ${csString(SESSION_ID_PATTERN)})`;
}

function validSessionId(value: string): string {
  return `${value}.Length <= ${SESSION_ID_MAX_LENGTH} && Regex.IsMatch(${value}, ${csString(SESSION_ID_PATTERN)})`;
}

const stringVar = (name: string) => `((string)context.Variables[${csString(name)}])`;
const token = () => `((Jwt)context.Variables[${csString(VARIABLES.token)}])`;
/** C# that reads a request header, empty when absent (one helper for every header read). */
export const header = (name: string) => `context.Request.Headers.GetValueOrDefault(${csString(name)}, "")`;
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

const isModernRequestCs = () =>
  `new HashSet<string>(${csStringArray(MODERN_PROTOCOL_REVISIONS)}, StringComparer.Ordinal).Contains(${header("MCP-Protocol-Version")})`;

/**
 * True when the request declares a modern revision in `MCP-Protocol-Version` (read from the header, not the
 * body: 2026-07-28 Streamable HTTP, "Protocol Version Header"; the body's `_meta` must then agree with it).
 */
export function isModernRequest(): string {
  return expr(isModernRequestCs());
}

export function modernIs(value: boolean): string {
  return expr(
    `${value ? "" : "!"}context.Variables.GetValueOrDefault<bool>(${csString(VARIABLES.modern)}, false)`,
  );
}

/** 2026-07-28 has no GET stream and no session to DELETE: 405 (Streamable HTTP, "Backward Compatibility"). */
export function bodylessOnModern(): string {
  return expr(
    `context.Request.Method != "POST" && context.Variables.GetValueOrDefault<bool>(${csString(VARIABLES.modern)}, false)`,
  );
}

/** The revision for the audit trace: the header when it looks like a revision, `<invalid>` if not, else empty. */
export function auditProtocolVersion(): string {
  return block([
    `var version = ${header("MCP-Protocol-Version")};`,
    'if (version.Length == 0) { return ""; }',
    `return Regex.IsMatch(version, ${csString(PROTOCOL_REVISION_PATTERN)}) ? version : ${csString(INVALID_VALUE)};`,
  ]);
}

/**
 * 2026-07-28 Streamable HTTP, "Server Validation": on a modern request, `MCP-Protocol-Version` must equal
 * `_meta["io.modelcontextprotocol/protocolVersion"]`, `Mcp-Method` the method and `Mcp-Name` the named value
 * (`params.name`, `params.uri`, or the Tasks extension's `params.taskId`), after decoding the `=?base64?...?=`
 * form ("Value Encoding"); a missing header is a mismatch too (-32020). A request without the required
 * `_meta` fields is malformed (-32602, "Base Protocol", `_meta`). The client sends no responses on 2026-07-28
 * ("Sending Messages"). Reads only the single reading and the headers.
 */
export function headerCheck(): string {
  const h = HEADER_CHECKS;
  const part = (index: 1 | 5 | 6 | 7) => readingPart(VARIABLES.reading, index);
  return block([
    `if (!context.Variables.GetValueOrDefault<bool>(${csString(VARIABLES.modern)}, false)) { return ${csString(h.ok)}; }`,
    `var kind = ${stringVar(VARIABLES.envelope)};`,
    `if (kind == "response") { return ${csString(h.response)}; }`,
    `if (kind != "request" && kind != "notification") { return ${csString(h.ok)}; }`,
    `var version = ${header("MCP-Protocol-Version")};`,
    `var method = ${part(1)};`,
    `var methodHeader = ${header("Mcp-Method")};`,
    // Header requirements for notification POSTs are not defined by 2026-07-28 ("Sending Messages", note):
    // a notification's headers are checked when present.
    `if (kind == "request" && methodHeader.Length == 0) { return ${csString(h.mismatch)}; }`,
    `if (methodHeader.Length > 0 && methodHeader != method) { return ${csString(h.mismatch)}; }`,
    `if (kind == "request" && (${part(6)}.Length == 0 || ${part(7)}.Length == 0)) { return ${csString(h.metaMissing)}; }`,
    `if (${part(6)}.Length > 0 && ${part(6)} != version) { return ${csString(h.mismatch)}; }`,
    `if (!${csStringArray(NAME_METHODS.map(([method]) => method))}.Contains(method)) { return ${csString(h.ok)}; }`,
    `var name = ${header("Mcp-Name")};`,
    `if (name.Length == 0) { return kind == "request" ? ${csString(h.mismatch)} : ${csString(h.ok)}; }`,
    'if (name.StartsWith("=?base64?", StringComparison.Ordinal) && name.EndsWith("?=", StringComparison.Ordinal) && name.Length >= 11) {',
    "  byte[] decoded;",
    `  try { decoded = Convert.FromBase64String(name.Substring(9, name.Length - 11)); } catch (Exception) { return ${csString(h.mismatch)}; }`,
    // Strict UTF-8: a value that does not round-trip (invalid sequences) matches no body value.
    "  name = Encoding.UTF8.GetString(decoded);",
    `  if (!Encoding.UTF8.GetBytes(name).SequenceEqual(decoded)) { return ${csString(h.mismatch)}; }`,
    "}",
    `return name == ${part(5)} ? ${csString(h.ok)} : ${csString(h.mismatch)};`,
  ]);
}

export function headerCheckIs(verdict: string): string {
  return expr(`${stringVar(VARIABLES.headerCheck)} == ${csString(verdict)}`);
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

/** The message kind of the single reading (message-reading.ts): `none`, `parse-error`, `ambiguous`, ... */
export function envelopeKind(): string {
  return readingPartExpression(VARIABLES.reading, 0);
}

export function envelopeIs(kind: string): string {
  return expr(`${stringVar(VARIABLES.envelope)} == ${csString(kind)}`);
}

/** The JSON-RPC method of a valid request or notification, else empty. */
export function rpcMethod(): string {
  return readingPartExpression(VARIABLES.reading, 1);
}

/** `params.name` of a valid `tools/call`, else empty (an empty name is on no allowlist). */
export function toolName(): string {
  return readingPartExpression(VARIABLES.reading, 2);
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

// Step 5: deny by default, per method.

/**
 * Methods every MCP session needs and that reveal nothing: they need only the scope (MCP 2025-11-25,
 * "Lifecycle" and "Utilities": initialize, initialized, ping, cancellation).
 */
export const LIFECYCLE_METHODS = [
  "initialize",
  "notifications/initialized",
  "ping",
  "notifications/cancelled",
  // A dual-era client probes with server/discover before falling back to initialize (2026-07-28
  // "Versioning", "Backward Compatibility"): forwarded, so the backend's own answer (method not found from a
  // legacy server) tells the client to fall back.
  "server/discover",
];

/**
 * 2026-07-28 has no handshake: `server/discover` is its one lifecycle method ("Discovery": servers MUST
 * implement it); ping and initialize are gone ("Key Changes" 2 and 5).
 */
export const MODERN_LIFECYCLE_METHODS = ["server/discover"];

/** The decisions `requestDecision` returns, one refusal each except `allowed`. */
export const DECISIONS = {
  allowed: "allowed",
  methodNotAllowed: "method-not-allowed",
  taskRefused: "task-refused",
  unknownTool: "unknown-tool",
  roleMissing: "role-missing",
  /** A Tasks-extension request (2026-07-28): allowed once the task ID is verified as the caller's. */
  task: "task",
} as const;

/**
 * Deny by default: lifecycle methods (per era), client responses and body-less requests (GET stream, DELETE)
 * need only the scope; `tools/call` needs one of the tool's app roles; any other method only when configured,
 * with one of its roles when it lists any. On 2025-11-25 a task-augmented request is refused (the gateway
 * cannot bind its task IDs to the caller); on 2026-07-28 the Tasks extension's methods are decided by the
 * task binding (`taskVerified`).
 */
export function requestDecision(tools: readonly ToolPolicy[], methods: readonly MethodPolicy[]): string {
  const methodEntries = methods
    .map((method) => `{ ${csString(method.name)}, ${csStringArray(method.roles)} }`)
    .join(", ");
  const d = DECISIONS;
  return block([
    `var kind = ${stringVar(VARIABLES.envelope)};`,
    `if (kind != "request" && kind != "notification") { return ${csString(d.allowed)}; }`,
    `var method = ${stringVar(VARIABLES.method)};`,
    `var modern = context.Variables.GetValueOrDefault<bool>(${csString(VARIABLES.modern)}, false);`,
    // 2026-07-28 ignores the legacy `task` parameter (SEP-2663 "Backward Compatibility"); 2025-11-25 cannot bind it.
    `if (!modern && ${readingPart(VARIABLES.reading, 4)}.Length > 0) { return ${csString(d.taskRefused)}; }`,
    `if ((modern ? ${csStringArray(MODERN_LIFECYCLE_METHODS)} : ${csStringArray(LIFECYCLE_METHODS)}).Contains(method)) { return ${csString(d.allowed)}; }`,
    `if (modern && ${csStringArray(TASK_METHODS)}.Contains(method)) { return ${csString(d.task)}; }`,
    `var held = ${token()}.Claims.GetValueOrDefault("roles", "").Split(',').Select(role => role.Trim()).ToArray();`,
    "string[] required;",
    'if (method == "tools/call") {',
    `  var name = ${stringVar(VARIABLES.toolName)};`,
    `  if (!${csStringArray(tools.map((tool) => tool.name))}.Contains(name)) { return ${csString(d.unknownTool)}; }`,
    `  return ${callable()}.Contains(name) ? ${csString(d.allowed)} : ${csString(d.roleMissing)};`,
    "}",
    `var methods = new Dictionary<string, string[]>(StringComparer.Ordinal) { ${methodEntries} };`,
    `if (!methods.TryGetValue(method, out required)) { return ${csString(d.methodNotAllowed)}; }`,
    `return required.Length == 0 || required.Any(role => held.Contains(role)) ? ${csString(d.allowed)} : ${csString(d.roleMissing)};`,
  ]);
}

/**
 * The tools the caller may call (holds one of the tool's app roles), comma-separated (tool names cannot hold a
 * comma), computed once after token validation: the decision and the `tools/list` filter both read it, so the
 * role table is in the document once.
 */
export function callableTools(tools: readonly ToolPolicy[]): string {
  // Each distinct role once, tools by role index: the largest config the schema allows (100 tools of 10
  // roles) then stays far below API Management's 256 KiB per document.
  const roles = [...new Set(tools.flatMap((tool) => tool.roles))];
  const toolEntries = tools
    .map(
      (tool) =>
        `{ ${csString(tool.name)}, new int[] { ${tool.roles.map((role) => roles.indexOf(role)).join(", ")} } }`,
    )
    .join(", ");
  return block([
    `var held = new HashSet<string>(${token()}.Claims.GetValueOrDefault("roles", "").Split(',').Select(role => role.Trim()), StringComparer.Ordinal);`,
    `var roles = ${csStringArray(roles)};`,
    `var tools = new Dictionary<string, int[]>(StringComparer.Ordinal) { ${toolEntries} };`,
    'return string.Join(",", tools.Where(tool => tool.Value.Any(index => held.Contains(roles[index]))).Select(tool => tool.Key));',
  ]);
}

const callable = () => `${stringVar(VARIABLES.callableTools)}.Split(',')`;

/** Deny by default on 2026-07-28 answers 404 (Streamable HTTP, "Protocol Version Header"). */
export function methodNotFoundOnModern(): string {
  return expr(
    `${stringVar(VARIABLES.decision)} == ${csString(DECISIONS.methodNotAllowed)} && context.Variables.GetValueOrDefault<bool>(${csString(VARIABLES.modern)}, false)`,
  );
}

export function decisionIs(decision: string): string {
  return expr(`${stringVar(VARIABLES.decision)} == ${csString(decision)}`);
}

/**
 * Outbound, `tools/list` only: the answer lists just the tools the caller may call (discovery matches
 * permission). The one response body the gateway reads: a JSON answer, or each `data:` line of an SSE one.
 * An answer it cannot read becomes an internal error rather than an unfiltered list.
 */
export function filteredToolList(): string {
  return rewrittenAnswer({
    before: [`var callable = new HashSet<string>(${callable()}, StringComparer.Ordinal);`],
    perResult: [
      '  var list = result["tools"] as JArray;',
      "  if (list == null) { continue; }",
      "  foreach (var tool in list.ToList()) {",
      '    var name = tool["name"] != null && tool["name"].Type == JTokenType.String ? (string)tool["name"] : "";',
      "    if (!callable.Contains(name)) { tool.Remove(); }",
      "  }",
    ],
    // Nothing filtered means the answer held no list the gateway could read: never pass it unfiltered.
    failWhen: "rewritten == 0",
  });
}

/**
 * The body of an outbound expression that rewrites the `result` of each JSON-RPC answer in a response:
 * the JSON answer itself, or each `data:` line of an SSE one (the only response bodies the gateway reads).
 * `perResult` sees `result` (a non-null JObject) and may `continue` to leave a message as it is, set
 * `failed = true; break;` to give up, or fall through to have the message written back (`rewritten` counts
 * those). When `failWhen` holds at the end, the client gets a JSON-RPC internal error instead.
 */
function rewrittenAnswer(parts: {
  readonly before?: readonly string[];
  readonly perResult: readonly string[];
  readonly failWhen: string;
}): string {
  return block([
    ...(parts.before ?? []),
    'var sse = context.Response.Headers.GetValueOrDefault("Content-Type", "").StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);',
    "var text = context.Response.Body.As<string>();",
    "var lines = sse ? text.Split('\\n') : new[] { text };",
    "var rewritten = 0; var failed = false;",
    "for (var i = 0; i < lines.Length; i++) {",
    "  var line = lines[i].TrimEnd('\\r'); var prefix = \"\";",
    '  if (sse) { if (!line.StartsWith("data:")) { continue; } prefix = "data: "; line = line.Substring(5).Trim(); }',
    "  JObject message;",
    "  try { message = JObject.Parse(line); } catch (Exception) { continue; }",
    '  var result = message["result"] as JObject;',
    "  if (result == null) { continue; }",
    ...parts.perResult,
    "  lines[i] = prefix + message.ToString(Newtonsoft.Json.Formatting.None); rewritten++;",
    "}",
    `if (${parts.failWhen}) { return new JObject(new JProperty("jsonrpc", "2.0"), new JProperty("error", new JObject(new JProperty("code", -32603), new JProperty("message", "Internal error")))).ToString(Newtonsoft.Json.Formatting.None); }`,
    'return string.Join(sse ? "\\n" : "", lines);',
  ]);
}

export function isSuccessfulToolList(): string {
  return expr(`${stringVar(VARIABLES.method)} == "tools/list" && ${isSuccess}`);
}

// Step 5: session binding.

/**
 * The session ID the request presents; none on 2026-07-28, which has no sessions: the header is ignored
 * and deleted, never bound or echoed (Streamable HTTP, "Backward Compatibility").
 */
export function sessionIdHeader(): string {
  return expr(
    `context.Variables.GetValueOrDefault<bool>(${csString(VARIABLES.modern)}, false) ? "" : ${header("Mcp-Session-Id")}`,
  );
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

/**
 * The session MAC: base64url (no padding) of HMAC-SHA256 over `oid \n server \n backend session ID`, keyed
 * with the `{{keyNamedValue}}` named value (a generated Key Vault secret of letters and digits, so it is safe
 * inside the string literal). Binding the caller and the server in the MAC makes the ID useless to anyone else,
 * without the cache.
 */
function sessionMac(serverName: string, keyNamedValue: string, backendId: string): string {
  const message = `${stringVar(VARIABLES.oid)} + "\\n" + ${csString(serverName)} + "\\n" + ${backendId}`;
  return `Convert.ToBase64String(new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("{{${keyNamedValue}}}")).ComputeHash(Encoding.UTF8.GetBytes(${message}))).TrimEnd('=').Replace('+', '-').Replace('/', '_')`;
}

/** The backend part a client-held session ID claims: everything before the last `.` (the whole ID without one). */
export function sessionClaimed(): string {
  return block([
    `var id = ${stringVar(VARIABLES.sessionId)};`,
    "var dot = id.LastIndexOf('.');",
    "return dot > 0 ? id.Substring(0, dot) : id;",
  ]);
}

/** The backend session ID when the presented MAC is the caller's (compared in constant time), else empty. */
export function sessionVerified(serverName: string, keyNamedValue: string): string {
  return block([
    `var id = ${stringVar(VARIABLES.sessionId)};`,
    "var dot = id.LastIndexOf('.');",
    'if (dot <= 0 || dot == id.Length - 1) { return ""; }',
    "var claimed = id.Substring(0, dot);",
    "var presented = id.Substring(dot + 1);",
    `var expected = ${sessionMac(serverName, keyNamedValue, "claimed")};`,
    'if (presented.Length != expected.Length) { return ""; }',
    "var difference = 0;",
    "for (var i = 0; i < expected.Length; i++) { difference |= presented[i] ^ expected[i]; }",
    'return difference == 0 ? claimed : "";',
  ]);
}

export function sessionSignatureInvalid(): string {
  return expr(`${stringVar(VARIABLES.sessionBackendId)}.Length == 0`);
}

/** Outbound: the session ID the client gets: the backend's, signed for the caller. */
export function sessionSigned(serverName: string, keyNamedValue: string): string {
  return expr(
    `${stringVar(VARIABLES.sessionBind)} + "." + ${sessionMac(serverName, keyNamedValue, stringVar(VARIABLES.sessionBind))}`,
  );
}

export function sessionBackendIdValue(): string {
  return expr(stringVar(VARIABLES.sessionBackendId));
}

export function sessionForeign(): string {
  return expr(
    `context.Variables.ContainsKey(${csString(VARIABLES.sessionOwner)}) && !string.Equals(${stringVar(VARIABLES.sessionOwner)}, ${stringVar(VARIABLES.oid)}, StringComparison.Ordinal)`,
  );
}

/**
 * Outbound: the session to (re)bind to the caller after a 2xx: the one the backend issued in
 * `Mcp-Session-Id` (initialize), else the one the request used (sliding expiry). Empty for none.
 */
export function sessionToBind(): string {
  return block([
    `if (!(${isSuccess}) || context.Variables.GetValueOrDefault<bool>(${csString(VARIABLES.modern)}, false)) { return ""; }`,
    'var issued = context.Response.Headers.GetValueOrDefault("Mcp-Session-Id", "");',
    `if (issued.Length > 0) { return ${validBackendSessionId("issued")} ? issued : ""; }`,
    `return context.Variables.GetValueOrDefault<string>(${csString(VARIABLES.sessionBackendId)}, "");`,
  ]);
}

export function sessionBindPresent(): string {
  return expr(`${stringVar(VARIABLES.sessionBind)}.Length > 0`);
}

/** Outbound: the backend issued a session ID (initialize) that differs from the one the request used. */
export function sessionIssued(): string {
  return expr(
    `${stringVar(VARIABLES.sessionBind)}.Length > 0 && ${stringVar(VARIABLES.sessionBind)} != context.Variables.GetValueOrDefault<string>(${csString(VARIABLES.sessionBackendId)}, "")`,
  );
}

/** Outbound: that ID is already bound to another user: never re-bind it. */
export function sessionRebound(): string {
  return expr(
    `context.Variables.ContainsKey(${csString(VARIABLES.sessionBoundOwner)}) && !string.Equals(${stringVar(VARIABLES.sessionBoundOwner)}, ${stringVar(VARIABLES.oid)}, StringComparison.Ordinal)`,
  );
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

/** `params.arguments` of the tool call as compact JSON, or empty (from the single reading). */
export function toolArguments(): string {
  return readingPartExpression(VARIABLES.reading, 3);
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
    `var id = ${isModernRequestCs()} ? "" : ${header("Mcp-Session-Id")};`,
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

// Tasks extension on 2026-07-28 (SEP-2663 "Security Implications": every task request is checked against
// the caller). The client holds `<backend task ID>.<MAC>`, the MAC binding the task to the caller and the
// server under the session key (a domain prefix keeps task MACs and session MACs apart), so a task is
// verified without the cache, like a session (docs/gateway.md, step 6).

/** The task MAC: base64url HMAC-SHA256 over `task \n oid \n server \n backend task ID`. */
function taskMac(serverName: string, keyNamedValue: string, backendId: string): string {
  const message = `"task\\n" + ${stringVar(VARIABLES.oid)} + "\\n" + ${csString(serverName)} + "\\n" + ${backendId}`;
  return `Convert.ToBase64String(new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("{{${keyNamedValue}}}")).ComputeHash(Encoding.UTF8.GetBytes(${message}))).TrimEnd('=').Replace('+', '-').Replace('/', '_')`;
}

/**
 * The backend's task ID when the body's `params.taskId` (which `Mcp-Name` was checked to equal) carries the
 * caller's MAC (compared in constant time), else empty: another user's task, a forged or an unknown ID.
 */
export function taskVerified(serverName: string, keyNamedValue: string): string {
  return block([
    `var id = ${readingPart(VARIABLES.reading, 5)};`,
    "var dot = id.LastIndexOf('.');",
    'if (dot <= 0 || dot == id.Length - 1) { return ""; }',
    "var claimed = id.Substring(0, dot);",
    "var presented = id.Substring(dot + 1);",
    `var expected = ${taskMac(serverName, keyNamedValue, "claimed")};`,
    'if (presented.Length != expected.Length) { return ""; }',
    "var difference = 0;",
    "for (var i = 0; i < expected.Length; i++) { difference |= presented[i] ^ expected[i]; }",
    'return difference == 0 ? claimed : "";',
  ]);
}

export function taskUnverified(): string {
  return expr(
    `${stringVar(VARIABLES.decision)} == ${csString(DECISIONS.task)} && ${stringVar(VARIABLES.taskBackendId)}.Length == 0`,
  );
}

export function isVerifiedTask(): string {
  return expr(`${stringVar(VARIABLES.decision)} == ${csString(DECISIONS.task)}`);
}

export function taskBackendIdValue(): string {
  return expr(stringVar(VARIABLES.taskBackendId));
}

/** The request body with `params.taskId` replaced by the backend's own ID (the body was read unambiguously). */
export function taskBodyForBackend(): string {
  return block([
    `var rpc = JObject.Parse(${stringVar(VARIABLES.body)});`,
    `rpc["params"]["taskId"] = ${stringVar(VARIABLES.taskBackendId)};`,
    "return rpc.ToString(Newtonsoft.Json.Formatting.None);",
  ]);
}

/**
 * Outbound: answers that carry a task ID the client will present later: a `tools/call` of a client that
 * declared the Tasks extension (only then may a server answer with `CreateTaskResult`, SEP-2663 "Capability
 * Negotiation") and `tasks/get` (its result is the Task). Only these bodies are read: every other answer,
 * including every tools/call of a client without the extension, still streams.
 */
export function isTaskAnswer(): string {
  const part = (index: 7) => readingPart(VARIABLES.reading, index);
  return expr(
    `context.Variables.GetValueOrDefault<bool>(${csString(VARIABLES.modern)}, false) && ${isSuccess} && ((${stringVar(VARIABLES.method)} == "tools/call" && ${part(7)} == "tasks") || ${stringVar(VARIABLES.method)} == "tasks/get")`,
  );
}

/**
 * Outbound: the answer with every task ID the backend issued signed for the caller (`result.task.taskId` of a
 * `CreateTaskResult`, `result.taskId` of a `tasks/get` result), in a JSON answer or each `data:` line of an
 * SSE one. A task ID the gateway cannot sign safely (not visible ASCII, too long) becomes an internal error.
 */
export function signedTaskAnswer(serverName: string, keyNamedValue: string): string {
  return rewrittenAnswer({
    perResult: [
      '  var holder = result["resultType"] != null && result["resultType"].Type == JTokenType.String && (string)result["resultType"] == "task" ? result["task"] as JObject : result;',
      '  if (holder == null || holder["taskId"] == null) { continue; }',
      '  var id = holder["taskId"].Type == JTokenType.String ? (string)holder["taskId"] : "";',
      `  if (!(${validBackendSessionId("id")})) { failed = true; break; }`,
      `  holder["taskId"] = id + "." + ${taskMac(serverName, keyNamedValue, "id")};`,
    ],
    failWhen: "failed",
  });
}
