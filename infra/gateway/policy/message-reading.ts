import { block, csString, csStringArray, expr } from "./escape";

/**
 * The single reading of a JSON-RPC message (docs/gateway.md, "One reading of each message"). The gateway
 * decides on the method and tool it reads here and forwards the original bytes, so a message that two
 * reasonable JSON parsers could read differently must be refused before anything is decided on it:
 * Newtonsoft keeps the last of duplicate members and is lenient (comments, single quotes, bare names),
 * while other parsers keep the first, match member names case-insensitively or fold Unicode case
 * (Go's encoding/json does several of these: GHSA-wvj2-96wp-fq3f). The body is parsed once, here;
 * later steps read the small result this expression returns.
 *
 * The result is a JSON array `[kind, method, tool, arguments, task, name, revision, declared, id]` (see readingPart): kind `none` (GET/DELETE), `parse-error`
 * (not strict RFC 8259 JSON), `ambiguous` (duplicate member names, names that collide only when compared
 * case-insensitively or after Unicode normalization, control characters or non-ASCII in names at the
 * envelope and params levels), `invalid` (not a JSON-RPC message of MCP's shapes, unknown members), or
 * `request` / `notification` / `response`.
 */

/** Top-level members of each message shape (JSON-RPC 2.0; MCP 2025-11-25 "Base Protocol"). */
export const ENVELOPE_MEMBERS = {
  request: ["jsonrpc", "id", "method", "params"],
  notification: ["jsonrpc", "method", "params"],
  response: ["jsonrpc", "id", "result", "error"],
} as const;

/**
 * `tools/call` params: `name`, `arguments`, `_meta` (both eras), `task` (2025-11-25 Tasks utility),
 * `inputResponses` and `requestState` (2026-07-28 "Multi Round-Trip Requests").
 */
export const TOOLS_CALL_PARAMS = [
  "name",
  "arguments",
  "_meta",
  "task",
  "inputResponses",
  "requestState",
] as const;

/**
 * The methods whose body value `Mcp-Name` mirrors, and the `params` member it mirrors: 2026-07-28 Streamable
 * HTTP, "Standard Request Headers" (tools/call, prompts/get: name; resources/read: uri) and the Tasks
 * extension, "Streamable HTTP: Routing Headers" (tasks/get, tasks/update, tasks/cancel: taskId).
 */
export const NAME_METHODS: readonly (readonly [string, string])[] = [
  ["tools/call", "name"],
  ["prompts/get", "name"],
  ["resources/read", "uri"],
  ["tasks/get", "taskId"],
  ["tasks/update", "taskId"],
  ["tasks/cancel", "taskId"],
];
/** The task methods of the Tasks extension (SEP-2663 "Supported Methods"; no tasks/list). */
export const TASK_METHODS = ["tasks/get", "tasks/update", "tasks/cancel"] as const;

/** `_meta` keys of 2026-07-28 ("Base Protocol", "Per-request protocol fields"). */
export const META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
export const META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
/** The Tasks extension's identifier (SEP-2663 "Extension Identifier"). */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

export const MESSAGE_KINDS = [
  "none",
  "parse-error",
  "ambiguous",
  "invalid",
  "request",
  "notification",
  "response",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The reading as a whole (one variable); the parts are read back with `readingPart`. */
export function messageReading(bodyVariable: string): string {
  const known = [...new Set(Object.values(ENVELOPE_MEMBERS).flat())];
  const result = (
    kind: string,
    method = '""',
    tool = '""',
    args = '""',
    task = '""',
    name = '""',
    version = '""',
    declared = '""',
    id = '""',
  ) =>
    `return new JArray(${kind}, ${method}, ${tool}, ${args}, ${task}, ${name}, ${version}, ${declared}, ${id}).ToString(Newtonsoft.Json.Formatting.None);`;
  return block([
    `if (context.Request.Method != "POST") { ${result('"none"')} }`,
    `var s = context.Variables.GetValueOrDefault<string>(${csString(bodyVariable)}, "");`,
    // Pass 1: a strict scan of the raw text. Names per open object (exact and folded), the path of each.
    "var exact = new Stack<HashSet<string>>(); var folded = new Stack<HashSet<string>>(); var paths = new Stack<string>();",
    `var envelopeLevel = new HashSet<string>(${csStringArray(known)}, StringComparer.Ordinal);`,
    "var envelopeFolded = new HashSet<string>(envelopeLevel.Select(k => k.ToUpperInvariant()), StringComparer.Ordinal);",
    'var bareToken = new Regex("^(true|false|null|-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?)\\\\z");',
    "string verdict = \"\"; string pending = null; var bare = new StringBuilder(); char last = ' '; int roots = 0;",
    "for (var i = 0; i <= s.Length && verdict.Length == 0; i++) {",
    "  var c = i < s.Length ? s[i] : ' ';",
    "  var structural = c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' || c == '\"';",
    "  var space = c == ' ' || c == '\\t' || c == '\\n' || c == '\\r';",
    "  if (!structural && !space) { bare.Append(c); continue; }",
    "  if (bare.Length > 0) {",
    '    if (!bareToken.IsMatch(bare.ToString())) { verdict = "parse-error"; break; }',
    "    bare.Clear(); last = '0'; pending = null;",
    "  }",
    "  if (space) { continue; }",
    "  if (c == '\"') {",
    "    var name = new StringBuilder(); var closed = false;",
    "    for (i++; i < s.Length; i++) {",
    "      var d = s[i];",
    "      if (d == '\"') { closed = true; break; }",
    "      if (d < ' ') { verdict = \"parse-error\"; break; }",
    "      if (d != '\\\\') { name.Append(d); continue; }",
    '      if (i + 1 >= s.Length) { verdict = "parse-error"; break; }',
    "      var e = s[++i];",
    "      if (e == 'u') {",
    '        if (i + 4 >= s.Length || !Regex.IsMatch(s.Substring(i + 1, 4), "^[0-9A-Fa-f]{4}\\\\z")) { verdict = "parse-error"; break; }',
    "        name.Append((char)Convert.ToInt32(s.Substring(i + 1, 4), 16)); i += 4;",
    "      }",
    "      else if (e == '\"' || e == '\\\\' || e == '/') { name.Append(e); }",
    "      else if (e == 'b') { name.Append('\\b'); } else if (e == 'f') { name.Append('\\f'); }",
    "      else if (e == 'n') { name.Append('\\n'); } else if (e == 'r') { name.Append('\\r'); } else if (e == 't') { name.Append('\\t'); }",
    '      else { verdict = "parse-error"; break; }',
    "    }",
    '    if (verdict.Length > 0) { break; } if (!closed) { verdict = "parse-error"; break; }',
    "    var j = i + 1; while (j < s.Length && (s[j] == ' ' || s[j] == '\\t' || s[j] == '\\n' || s[j] == '\\r')) { j++; }",
    "    if (j < s.Length && s[j] == ':') {",
    "      if (exact.Count == 0 || exact.Peek() == null || (last != '{' && last != ',')) { verdict = \"parse-error\"; break; }",
    "      var member = name.ToString(); var path = paths.Peek();",
    "      if (member.Any(ch => ch < ' ' || (ch >= '\\u007f' && ch <= '\\u009f') || ch == '\\u2028' || ch == '\\u2029')) { verdict = \"ambiguous\"; break; }",
    '      if ((path == "" || path == "/params") && member.Any(ch => ch > \'~\')) { verdict = "ambiguous"; break; }',
    "      var fold = member.Normalize().ToLowerInvariant().ToUpperInvariant();",
    '      if (exact.Peek().Contains(member) || folded.Peek().Contains(fold)) { verdict = "ambiguous"; break; }',
    '      if (path == "" && !envelopeLevel.Contains(member)) { verdict = envelopeFolded.Contains(fold) ? "ambiguous" : "invalid"; break; }',
    "      exact.Peek().Add(member); folded.Peek().Add(fold); pending = member; last = ':'; i = j; continue;",
    "    }",
    "    last = '\"'; pending = null; continue;",
    "  }",
    "  if ((c == '}' || c == ']') && last == ',') { verdict = \"parse-error\"; break; }",
    "  if (c == ',' && (last == '{' || last == '[' || last == ',' || last == ':')) { verdict = \"parse-error\"; break; }",
    "  if (c == '{' || c == '[') {",
    '    if (paths.Count == 0 && ++roots > 1) { verdict = "parse-error"; break; }',
    "    var parent = paths.Count == 0 ? null : paths.Peek();",
    '    paths.Push(parent == null ? "" : parent + "/" + (pending ?? "[]"));',
    "    exact.Push(c == '{' ? new HashSet<string>(StringComparer.Ordinal) : null);",
    "    folded.Push(c == '{' ? new HashSet<string>(StringComparer.Ordinal) : null);",
    "    pending = null; last = c; continue;",
    "  }",
    "  if (c == '}' || c == ']') {",
    "    if (paths.Count == 0 || (exact.Peek() == null) != (c == ']')) { verdict = \"parse-error\"; break; }",
    "    paths.Pop(); exact.Pop(); folded.Pop(); pending = null; last = '0'; continue;",
    "  }",
    "  last = c;",
    "}",
    'if (verdict.Length == 0 && paths.Count > 0) { verdict = "parse-error"; }',
    `if (verdict.Length > 0) { ${result("verdict")} }`,
    // Pass 2: the values, by the same reading Newtonsoft gives (the scan proved there is only one).
    // A batch (top-level array) is not an MCP message (2025-06-18 removed batching): Invalid Request.
    `if (s.TrimStart(' ', '\\t', '\\n', '\\r').StartsWith("[")) { ${result('"invalid"')} }`,
    "JObject rpc;",
    `try { rpc = JObject.Parse(s); } catch (Exception) { ${result('"parse-error"')} }`,
    `var names = rpc.Properties().Select(p => p.Name).ToList();`,
    'var version = rpc["jsonrpc"];',
    `if (version == null || version.Type != JTokenType.String || (string)version != "2.0") { ${result('"invalid"')} }`,
    'var id = rpc["id"];',
    "var idValid = id != null && (id.Type == JTokenType.String || id.Type == JTokenType.Integer);",
    'var method = rpc["method"];',
    "if (method == null) {",
    `  var isResponse = idValid && names.All(n => ${csStringArray(ENVELOPE_MEMBERS.response)}.Contains(n)) && (rpc["result"] != null) != (rpc["error"] != null);`,
    '  var error = rpc["error"] as JObject;',
    '  if (isResponse && rpc["error"] != null && (error == null || error["code"] == null || error["code"].Type != JTokenType.Integer || error["message"] == null || error["message"].Type != JTokenType.String)) { isResponse = false; }',
    `  ${result('isResponse ? "response" : "invalid"')}`,
    "}",
    `if (method.Type != JTokenType.String || ((string)method).Length == 0) { ${result('"invalid"')} }`,
    `var kind = id == null ? "notification" : "request";`,
    `var allowed = kind == "request" ? ${csStringArray(ENVELOPE_MEMBERS.request)} : ${csStringArray(ENVELOPE_MEMBERS.notification)};`,
    `if ((id != null && !idValid) || !names.All(n => allowed.Contains(n))) { ${result('"invalid"')} }`,
    'var parameters = rpc["params"];',
    `if (parameters != null && parameters.Type != JTokenType.Object) { ${result('"invalid"')} }`,
    "var prm = parameters as JObject;",
    // Task augmentation (`params.task`, 2025-11-25 Tasks utility): flagged so the legacy path can refuse it.
    'var task = prm != null && prm["task"] != null ? "task" : "";',
    // The value `Mcp-Name` mirrors (2026-07-28 Streamable HTTP, "Standard Request Headers"; Tasks extension,
    // "Streamable HTTP: Routing Headers"): a string when present, or the message is invalid.
    `var nameMembers = new Dictionary<string, string>(StringComparer.Ordinal) { ${NAME_METHODS.map(([method, member]) => `{ ${csString(method)}, ${csString(member)} }`).join(", ")} };`,
    'string nameMember; if (!nameMembers.TryGetValue((string)method, out nameMember)) { nameMember = ""; }',
    "var nameToken = nameMember.Length > 0 && prm != null ? prm[nameMember] : null;",
    `if (nameToken != null && nameToken.Type != JTokenType.String) { ${result('"invalid"')} }`,
    'var mirrored = nameToken == null ? "" : (string)nameToken;',
    // Per-request metadata (2026-07-28 "Base Protocol", `_meta`): an object when present; the revision a
    // string; the capabilities an object.
    'var meta = prm == null ? null : prm["_meta"];',
    `if (meta != null && meta.Type != JTokenType.Object) { ${result('"invalid"')} }`,
    `var metaVersion = meta == null ? null : meta[${csString(META_PROTOCOL_VERSION)}];`,
    `var capabilities = meta == null ? null : meta[${csString(META_CLIENT_CAPABILITIES)}];`,
    `if ((metaVersion != null && metaVersion.Type != JTokenType.String) || (capabilities != null && capabilities.Type != JTokenType.Object)) { ${result('"invalid"')} }`,
    'var revision = metaVersion == null ? "" : (string)metaVersion;',
    'var extensions = capabilities == null ? null : capabilities["extensions"] as JObject;',
    `var declared = capabilities == null ? "" : (extensions != null && extensions[${csString(TASKS_EXTENSION)}] != null ? "tasks" : "capabilities");`,
    // The request's id as compact JSON (a string or an integer, checked above), so the gateway's own error
    // answers can carry it (JSON-RPC 2.0 section 5; 2026-07-28 SEP-2575); empty for a notification.
    'var idJson = id == null ? "" : id.ToString(Newtonsoft.Json.Formatting.None);',
    `if ((string)method != "tools/call") { ${result("kind", "(string)method", '""', '""', "task", "mirrored", "revision", "declared", "idJson")} }`,
    `if (prm == null || !prm.Properties().All(q => ${csStringArray(TOOLS_CALL_PARAMS)}.Contains(q.Name))) { ${result('"invalid"')} }`,
    'var tool = prm["name"]; var arguments = prm["arguments"];',
    `if (tool == null || (arguments != null && arguments.Type != JTokenType.Object)) { ${result('"invalid"')} }`,
    result(
      "kind",
      "(string)method",
      "(string)tool",
      'arguments == null ? "" : arguments.ToString(Newtonsoft.Json.Formatting.None)',
      "task",
      "mirrored",
      "revision",
      "declared",
      "idJson",
    ),
  ]);
}

export type ReadingPart = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/**
 * Part `index` of the reading held in `variable`: 0 kind, 1 method, 2 tool, 3 arguments (compact JSON), 4 task
 * (legacy augmentation), 5 the `Mcp-Name` value of the body, 6 `_meta` protocol revision, 7 declared client
 * capabilities (`""` none, `capabilities`, or `tasks` when they declare the Tasks extension), 8 the id of a
 * request as compact JSON (`""` for anything else: no id, or one the reading could not establish).
 */
export function readingPart(variable: string, index: ReadingPart): string {
  return `((string)JArray.Parse(context.Variables.GetValueOrDefault<string>(${csString(variable)}, ${csString(EMPTY_READING)}))[${index}])`;
}

/** The reading of a request without a body (GET, DELETE). */
export const EMPTY_READING = '["none","","","","","","","",""]';

export function readingPartExpression(variable: string, index: ReadingPart): string {
  return expr(readingPart(variable, index));
}
