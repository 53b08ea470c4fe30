import { block, csString, csStringArray, expr, joinMarkup, markup, type Markup, xmlEscape } from "./escape";
import { VARIABLES } from "./expressions";
import { deleteHeaderMarkup, setHeaderMarkup } from "./responses";

/**
 * What reaches a backend and what reaches a client (docs/gateway.md, "Backend hygiene").
 *
 * API Management has no "delete every header except" element, but `set-header`'s `name` accepts a policy
 * expression (https://learn.microsoft.com/azure/api-management/set-header-policy): each of a bounded number
 * of `set-header exists-action="delete"` elements removes the first request header not on the allowlist,
 * and a request that still has one after that is refused (431). Headers API Management cannot delete
 * (`Connection`, `Content-Length`, `Keep-Alive`, `Transfer-Encoding`) are on the allowlist.
 */

/** Request headers that reach a backend (compared case-insensitively). */
export const FORWARDED_REQUEST_HEADERS = [
  "Accept",
  "Accept-Encoding",
  "Authorization", // deleted right after, then replaced by the gateway's own credential
  "Connection",
  "Content-Length",
  "Content-Type",
  "Host",
  "Keep-Alive",
  "Last-Event-ID",
  "Mcp-Method",
  "Mcp-Name",
  "MCP-Protocol-Version",
  "Mcp-Session-Id",
  "traceparent",
  "tracestate",
  "Transfer-Encoding",
  "User-Agent",
  "X-Forwarded-For", // API Management cannot delete the client IP from it
  "X-Forwarded-Proto",
] as const;

/**
 * Request header name prefixes that reach a backend: `Mcp-Param-{Name}` mirrors a tool argument (2026-07-28
 * Streamable HTTP, "Server Behavior for Custom Headers": an intermediary that does not use it MUST forward it;
 * the backend checks it against the body). The gateway decides on the body, never on these.
 */
export const FORWARDED_REQUEST_HEADER_PREFIXES = ["Mcp-Param-"] as const;

/** How many non-allowlisted headers the gateway removes before it refuses the request instead. */
export const MAX_REMOVED_REQUEST_HEADERS = 24;

/**
 * The caller's identity as the gateway asserts it, so a backend can authorize per user. Set only after the
 * allowlist has removed any client-sent copy, from the validated token's claims and the single reading.
 */
export const GATEWAY_ASSERTED_HEADERS = {
  oid: "X-MCP-Caller-OID",
  clientAppId: "X-MCP-Caller-App",
  roles: "X-MCP-Caller-Roles",
  tool: "X-MCP-Tool",
} as const;

/** Response headers that never reach a client: cookies and backend infrastructure details. */
export const REMOVED_RESPONSE_HEADERS = [
  "WWW-Authenticate", // a backend 401 is about the gateway's credential, not the client's
  "Set-Cookie",
  "X-Powered-By",
  "X-AspNet-Version",
  "X-AspNetMvc-Version",
  "X-Envoy-Upstream-Service-Time",
  "X-Runtime",
] as const;

/** A name no client can have sent (the allowlist removes nothing when every header is allowed). */
const NO_HEADER = "X-MCP-Gateway-None";

/** The variable holding the names of the request headers to remove, comma-separated (names hold no comma). */
export const UNLISTED_HEADERS_VARIABLE = "mcp-unlisted-headers";

/** Computes, once, which request headers are not on the allowlist. */
export function unlistedHeaders(): string {
  return expr(
    `string.Join(",", context.Request.Headers.Keys.Where(name => !new HashSet<string>(${csStringArray(FORWARDED_REQUEST_HEADERS)}, StringComparer.OrdinalIgnoreCase).Contains(name) && !${csStringArray(FORWARDED_REQUEST_HEADER_PREFIXES)}.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))))`,
  );
}

/** One `set-header ... delete` per possible unlisted header, each removing the k-th name of the list. */
export function headerAllowlistMarkup(): Markup {
  const list = `context.Variables.GetValueOrDefault<string>(${csString(UNLISTED_HEADERS_VARIABLE)}, "")`;
  return joinMarkup([
    markup(`<set-variable name="${UNLISTED_HEADERS_VARIABLE}" value="${xmlEscape(unlistedHeaders())}" />`),
    ...Array.from({ length: MAX_REMOVED_REQUEST_HEADERS }, (_, index) =>
      deleteHeaderMarkup(
        block([
          `var names = ${list}.Split(',');`,
          `return names.Length > ${index} && names[${index}].Length > 0 ? names[${index}] : ${csString(NO_HEADER)};`,
        ]),
      ),
    ),
  ]);
}

/** True when more headers are off the allowlist than the elements above remove. */
export function headersRemain(): string {
  return expr(
    `context.Variables.GetValueOrDefault<string>(${csString(UNLISTED_HEADERS_VARIABLE)}, "").Split(',').Length > ${MAX_REMOVED_REQUEST_HEADERS}`,
  );
}

export function identityHeadersMarkup(): Markup {
  const variable = (name: string) => `context.Variables.GetValueOrDefault<string>(${csString(name)}, "")`;
  const roles = `((Jwt)context.Variables[${csString(VARIABLES.token)}]).Claims.GetValueOrDefault("roles", "")`;
  return joinMarkup([
    setHeaderMarkup({ name: GATEWAY_ASSERTED_HEADERS.oid, value: expr(variable(VARIABLES.oid)) }),
    setHeaderMarkup({
      name: GATEWAY_ASSERTED_HEADERS.clientAppId,
      value: expr(variable(VARIABLES.clientAppId)),
    }),
    setHeaderMarkup({ name: GATEWAY_ASSERTED_HEADERS.roles, value: expr(roles) }),
    setHeaderMarkup({ name: GATEWAY_ASSERTED_HEADERS.tool, value: expr(variable(VARIABLES.toolName)) }),
  ]);
}

export function responseHeaderCleanupMarkup(): Markup {
  return joinMarkup(REMOVED_RESPONSE_HEADERS.map((name) => deleteHeaderMarkup(name)));
}
