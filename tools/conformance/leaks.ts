/**
 * Signs of internal detail in an error body: what a gateway must not tell an unauthenticated or
 * refused caller (stack traces, exception and framework names, token-validation diagnostics, file
 * paths, internal host names or addresses).
 */
const PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: "stack trace", pattern: /\bat\s+[\w.$<>[\]`]+\s*\([^)]*(?::\d+|line \d+)/ },
  { name: "stack trace", pattern: /^\s+at\s+\S+/m },
  { name: "exception type", pattern: /\b[A-Z][A-Za-z]+Exception\b/ },
  { name: "IdentityModel diagnostic", pattern: /\bIDX\d{5}\b/ },
  { name: "framework namespace", pattern: /\b(?:System|Microsoft|Azure)\.[A-Z]\w+\.[A-Z]\w+/ },
  { name: "source location", pattern: /\.(?:cs|js|ts|py|java|go|rb):\d+/ },
  // Not inside a URL: `https://host/app/...` is a route, `(/app/src/x.js:1:2)` is a file.
  {
    name: "file path",
    pattern: /(?:\b[A-Za-z]:\\[\w\\.-]+|(?<![\w.:/-])\/(?:home|usr|var|opt|app|src|srv|tmp)\/[\w/.-]+)/,
  },
  {
    name: "token validation diagnostic",
    pattern:
      /\b(?:signature validation failed|audience validation failed|lifetime validation failed|issuer validation failed|ValidTo|ValidFrom|ValidAudience|ValidIssuer)\b/i,
  },
  {
    name: "internal host",
    pattern: /\b[\w.-]+\.(?:internal|svc\.cluster\.local|azurecontainerapps\.io|privatelink\.[\w.]+)\b/i,
  },
  {
    name: "private address",
    pattern: /\b(?:10\.\d{1,3}|192\.168|172\.(?:1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}\b/,
  },
];

/** Names of the leak kinds found in `body`; `secrets` found verbatim count as "reflected token". */
export function findLeaks(body: string, secrets: readonly string[] = []): string[] {
  const found = new Set<string>();
  for (const { name, pattern } of PATTERNS) if (pattern.test(body)) found.add(name);
  if (secrets.some((s) => s.length >= 8 && body.includes(s))) found.add("reflected token");
  return [...found];
}
