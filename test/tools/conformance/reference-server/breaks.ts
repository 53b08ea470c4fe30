/**
 * Switches that break one gateway behaviour each, so that every check can be shown to fail
 * against a server that gets its behaviour wrong.
 */
export const BREAK_SWITCHES = {
  prmInconsistent: "the endpoint-relative metadata document names another resource",
  challengeWithoutScope: "401 challenges carry resource_metadata but no scope",
  leakErrorDetail: "401 bodies carry token-validation diagnostics and a stack trace",
  acceptAnyAudience: "tokens are accepted whatever their audience",
  ignoreExpiry: "expired tokens are accepted",
  skipSignatureCheck: "token signatures are not verified (alg none and tampered tokens pass)",
  ignoreScope: "tokens without the delegated scope are served",
  ignoreTenantClaim: "the tid claim is not compared with the tenant",
  rejectValidTokens: "every token is refused, valid ones included",
  ignoreToolRoles: "tools/call ignores the roles a tool needs",
  noToolAllowlist: "tools/call is forwarded whatever the tool (the MCP server answers unknown tools)",
  allowAnyOrigin: "the Origin header is not checked",
  ignoreProtocolVersion: "MCP-Protocol-Version is not checked",
  noBodyLimit: "request bodies of any size are accepted",
  noEnvelopeCheck: "bodies are not checked for a single JSON-RPC 2.0 message (the MCP server is lenient)",
  ignoreSessionOwner: "a session is served to any authenticated user",
  acceptUnknownSession: "unknown and terminated session IDs are served",
  predictableSessionIds: "session IDs are a counter",
  allowTls12: "TLS 1.2 handshakes are accepted",
  noSecurityHeaders: "no Strict-Transport-Security, nosniff or no-store headers",
  leakServerHeaders: "Server and X-Powered-By headers name the software and its version",
  bufferSse: "SSE responses are buffered and sent in one piece",
  noRateLimit: "no per-user rate limit",
  noRetryAfter: "429 responses carry no Retry-After",
} as const;

export type BreakSwitch = keyof typeof BREAK_SWITCHES;

export const ALL_BREAK_SWITCHES = Object.keys(BREAK_SWITCHES) as BreakSwitch[];
