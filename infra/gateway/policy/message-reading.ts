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
 * The result is a JSON array `[kind, method, tool, arguments, task]`: kind `none` (GET/DELETE), `parse-error`
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

/** `tools/call` params as MCP 2025-11-25 defines them (`CallToolRequest`; `task` from the Tasks utility). */
export const TOOLS_CALL_PARAMS = ["name", "arguments", "_meta", "task"] as const;

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
  const result = (kind: string, method = '""', tool = '""', args = '""', task = '""') =>
    `return new JArray(${kind}, ${method}, ${tool}, ${args}, ${task}).ToString(Newtonsoft.Json.Formatting.None);`;
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
    // Task augmentation (`params.task`, 2025-11-25 Tasks utility): flagged so the gateway can refuse it.
    'var task = parameters != null && parameters["task"] != null ? "task" : "";',
    `if ((string)method != "tools/call") { ${result("kind", "(string)method", '""', '""', "task")} }`,
    "var callParams = parameters as JObject;",
    `if (callParams == null || !callParams.Properties().All(p => ${csStringArray(TOOLS_CALL_PARAMS)}.Contains(p.Name))) { ${result('"invalid"')} }`,
    'var tool = callParams["name"]; var arguments = callParams["arguments"];',
    `if (tool == null || tool.Type != JTokenType.String || (arguments != null && arguments.Type != JTokenType.Object)) { ${result('"invalid"')} }`,
    result(
      "kind",
      "(string)method",
      "(string)tool",
      'arguments == null ? "" : arguments.ToString(Newtonsoft.Json.Formatting.None)',
      "task",
    ),
  ]);
}

export type ReadingPart = 0 | 1 | 2 | 3 | 4;

/** Part `index` of the reading held in `variable`: 0 kind, 1 method, 2 tool, 3 arguments (compact JSON), 4 task. */
export function readingPart(variable: string, index: ReadingPart): string {
  return `((string)JArray.Parse(context.Variables.GetValueOrDefault<string>(${csString(variable)}, ${csString(EMPTY_READING)}))[${index}])`;
}

/** The reading of a request without a body (GET, DELETE). */
export const EMPTY_READING = '["none","","","",""]';

export function readingPartExpression(variable: string, index: ReadingPart): string {
  return expr(readingPart(variable, index));
}
