/**
 * Header rewrites at the edge. Setting a header to the empty string deletes it (Application Gateway
 * rewrite semantics); `{var_client_ip}` is the Application Gateway server variable for the TCP peer.
 * Rewrites do not apply to responses the gateway generates itself (its own 4xx/5xx).
 */

export interface HeaderConfiguration {
  headerName: string;
  headerValue: string;
}

export interface RewriteRule {
  name: string;
  ruleSequence: number;
  actionSet: {
    requestHeaderConfigurations: HeaderConfiguration[];
    responseHeaderConfigurations: HeaderConfiguration[];
  };
}

export interface RewriteRuleSet {
  name: string;
  rewriteRules: RewriteRule[];
}

/** One year, subdomains of the MCP host included; no `preload` (that is a decision for the whole domain). */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/** Response headers that only tell an attacker what runs behind the edge. */
export const REMOVED_RESPONSE_HEADERS: readonly string[] = Object.freeze([
  "Server",
  "X-Powered-By",
  "X-AspNet-Version",
]);

/**
 * Forwarding headers a client could pre-fill to spoof its origin. The edge is the only public entry,
 * so the TCP peer is the client: X-Forwarded-For becomes exactly that address, and X-Forwarded-Host
 * (which the gateway never sets) is dropped.
 */
export const CLIENT_IP_VARIABLE = "{var_client_ip}";

export function rewriteRuleSet(name: string): RewriteRuleSet {
  return {
    name,
    rewriteRules: [
      {
        name: "strip-backend-identity",
        ruleSequence: 100,
        actionSet: {
          requestHeaderConfigurations: [],
          responseHeaderConfigurations: REMOVED_RESPONSE_HEADERS.map((headerName) => ({
            headerName,
            headerValue: "",
          })),
        },
      },
      {
        name: "strict-transport-security",
        ruleSequence: 200,
        actionSet: {
          requestHeaderConfigurations: [],
          responseHeaderConfigurations: [
            { headerName: "Strict-Transport-Security", headerValue: STRICT_TRANSPORT_SECURITY },
          ],
        },
      },
      {
        name: "forwarded-for-client-only",
        ruleSequence: 300,
        actionSet: {
          requestHeaderConfigurations: [
            { headerName: "X-Forwarded-For", headerValue: CLIENT_IP_VARIABLE },
            { headerName: "X-Forwarded-Host", headerValue: "" },
          ],
          responseHeaderConfigurations: [],
        },
      },
    ],
  };
}
