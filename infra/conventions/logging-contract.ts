/**
 * The gateway's logging contract, in one place: what the API Management policy writes into its audit
 * trace, what no log may capture, and the names the Log Analytics queries read. The gateway renderer
 * (`infra/gateway/policy/audit.ts`), the diagnostic settings (`infra/gateway/service-settings.ts`,
 * `infra/monitoring/diagnostics.ts`), the query partial (`kql-partials/mcp-gateway-events.kql`), the KQL
 * check (`tools/kql/`) and the tests all import it; docs/operations.md, "Gateway logging contract", is the
 * prose version and a test keeps the two in step. It lives in conventions/ because components never import
 * each other and both the gateway and the monitoring/Sentinel queries depend on it.
 *
 * The policy emits, for every request it forwards and for every request it refuses:
 *
 *   <trace source="mcp-gateway" severity="information">
 *     <message>@(...JSON object below, serialized on one line...)</message>
 *   </trace>
 *
 * The API Management diagnostic logs `information` traces (verbosity "information"), which land in
 * ApiManagementGatewayLogs.TraceRecords as entries whose `source` is "mcp-gateway" and whose `message`
 * is the JSON text.
 */

export const TRACE_SOURCE = "mcp-gateway";
export const TRACE_SEVERITY = "information";
export const TRACE_SCHEMA_VERSION = 1;

/** `event`: one `mcp.request` per forwarded request, one `mcp.denied` per refusal. */
export const EVENT_NAMES = ["mcp.request", "mcp.denied"] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** `reason` on `mcp.denied`, with the HTTP status the gateway answers. */
export const DENIAL_REASONS = {
  token_invalid: { status: 401, meaning: "token missing, expired, wrong audience/issuer, bad signature" },
  insufficient_scope: { status: 403, meaning: "valid token without the delegated scope (step-up challenge)" },
  missing_role: {
    status: 403,
    meaning: "token with the scope but without an app role the method or tool needs",
  },
  method_not_allowed: {
    status: 403,
    meaning:
      "JSON-RPC method not allowed on the server (deny by default; 404 on 2026-07-28), or GET/DELETE on 2026-07-28 (405)",
  },
  unknown_tool: { status: 403, meaning: "tools/call for a tool not on the server's allowlist" },
  session_owner_mismatch: {
    status: 404,
    meaning: "Mcp-Session-Id bound to a different oid (answered as an unknown session)",
  },
  session_unknown: { status: 404, meaning: "Mcp-Session-Id unknown or expired" },
  origin_rejected: { status: 403, meaning: "Origin header not in gatewayPolicy.allowedOrigins" },
  protocol_version: { status: 400, meaning: "unsupported MCP-Protocol-Version" },
  header_mismatch: {
    status: 400,
    meaning: "2026-07-28: MCP-Protocol-Version, Mcp-Method or Mcp-Name missing or disagreeing with the body",
  },
  task_unbound: {
    status: 400,
    meaning: "2026-07-28 Tasks: a task ID not issued to this oid (another user's, forged or unknown)",
  },
  body_too_large: { status: 413, meaning: "body above gatewayPolicy.maxRequestBodyBytes" },
  invalid_jsonrpc: {
    status: 400,
    meaning:
      "not JSON-RPC 2.0 of MCP's shapes, ambiguous JSON, a task-augmented request (2025-11-25), missing _meta fields (2026-07-28), or wrong Content-Type (415)",
  },
  headers_rejected: { status: 431, meaning: "more non-allowlisted request headers than the gateway removes" },
  rate_limited: {
    status: 429,
    meaning: "rate-limit-by-key on the client address, oid, oid+session or oid+tool exceeded",
  },
  quota_exceeded: { status: 429, meaning: "quota-by-key daily quota on oid exceeded" },
  prompt_shield: { status: 403, meaning: "Prompt Shields flagged tools/call arguments as an attack" },
  shield_unavailable: {
    status: 503,
    meaning: "Content Safety unreachable and contentSafety.failMode is closed",
  },
  blocked_principal: { status: 403, meaning: "oid on the containment deny-list (optional, see playbook)" },
} as const;
export type DenialReason = keyof typeof DENIAL_REASONS;

/** `tokenError` on `token_invalid`. */
export const TOKEN_ERRORS = [
  "missing",
  "expired",
  "audience",
  "issuer",
  "signature",
  "malformed",
  "other",
] as const;
export type TokenError = (typeof TOKEN_ERRORS)[number];

/**
 * JSON fields of the trace message, in the order the gateway writes them. All strings except `v`;
 * "" when not applicable (never omitted, never null).
 */
export const EVENT_FIELDS = {
  v: "Schema version: the number 1.",
  event: "mcp.request or mcp.denied.",
  reason: 'mcp.denied only: one of DENIAL_REASONS; "" on mcp.request.',
  oid: 'The oid claim of the token validate-azure-ad-token accepted; "" when no token was validated. Never a claim from a rejected token, never the token.',
  clientAppId: 'azp (v2) or appid (v1) claim of the validated token; "" otherwise.',
  server: "mcpServers[].name of the API called.",
  method: 'JSON-RPC method (tools/call, initialize, tools/list, ...); "" for GET/DELETE or unparsed bodies.',
  tool: 'params.name of tools/call when it matches ^[A-Za-z0-9_.-]{1,128}$, "<invalid>" when it does not; "" otherwise.',
  sessionHash:
    'Lowercase hex SHA-256 of the Mcp-Session-Id header (UTF-8); "" without one. Never the raw ID.',
  clientIp:
    "The last X-Forwarded-For entry (added by Application Gateway), port removed; context.Request.IpAddress if absent.",
  tokenError: 'token_invalid only: one of TOKEN_ERRORS, from context.LastError.Reason; "" otherwise.',
  protocolVersion:
    'The MCP-Protocol-Version header (the revision the client declares, e.g. 2026-07-28) when it looks like a revision, "<invalid>" when not; "" without one.',
} as const;
export type EventField = keyof typeof EVENT_FIELDS;
/** The field names in write order. */
export const EVENT_FIELD_NAMES = Object.keys(EVENT_FIELDS) as EventField[];

/**
 * Headers no log may capture, compared case-insensitively: credentials, and `Mcp-Session-Id` (a raw
 * session ID in a log lets a log reader replay it; the gateway logs its SHA-256, `sessionHash`). Backend
 * API-key headers from config are added by the components that log.
 */
export const FORBIDDEN_LOG_HEADERS: readonly string[] = [
  "Authorization",
  "Proxy-Authorization",
  "Cookie",
  "Set-Cookie",
  "Ocp-Apim-Subscription-Key",
  "Api-Key",
  "X-Api-Key",
  "Mcp-Session-Id",
];

/**
 * The query side: the partial `kql-partials/<KQL_EVENTS_PARTIAL>.kql` parses each trace message into the
 * dynamic column `KQL_EVENT_COLUMN`; `npm run check:kql` fails any query that reads a member of it that is
 * not in EVENT_FIELDS (the analyzer cannot type a JSON bag, so this is where a misspelt field is caught).
 */
export const KQL_EVENTS_PARTIAL = "mcp-gateway-events";
export const KQL_EVENT_COLUMN = "McpEvent";
