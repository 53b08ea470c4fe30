/**
 * Inputs of the policy renderers. They are resolved values (call the renderers inside `pulumi.all(...).apply`),
 * so rendering stays pure and testable without the Pulumi runtime.
 */

/** Which API Management platform the gateway runs on: some policies exist only on one of them. */
export type GatewayTier = "classic" | "v2";

/** What identifies one MCP server to OAuth clients; enough to render its Protected Resource Metadata. */
export interface McpServerIdentity {
  /** URL path segment: the server is served at `https://<gatewayHostname>/<serverName>/mcp`. */
  readonly serverName: string;
  /** The custom gateway hostname on a domain verified in the tenant (the Entra identifier URI's host). */
  readonly gatewayHostname: string;
  /** Entra tenant that issues the access tokens. */
  readonly tenantId: string;
  /** The delegated scope value as it appears in the `scp` claim, e.g. `user_impersonation`. */
  readonly scopeValue: string;
}

export interface PrmInput extends McpServerIdentity {
  /** Optional human-readable name (RFC 9728 `resource_name`). */
  readonly resourceName?: string;
}

export interface RateLimit {
  readonly calls: number;
  /** At most 300 seconds (rate-limit-by-key). */
  readonly renewalPeriodSeconds: number;
}

export interface RateLimitsInput {
  readonly perUser: RateLimit;
  readonly perUserSession: RateLimit;
  readonly perUserTool: RateLimit;
  /** Before authentication, per client address (every request counts, refused ones too). */
  readonly perClientAddress?: RateLimit;
  /** Calls per user per UTC day (quota-by-key); only the classic tiers have quota-by-key, so omit it on v2. */
  readonly dailyQuotaPerUser?: number;
}

/** A JSON-RPC method other than `tools/call` and the lifecycle methods, allowed with one of `roles` (none: the scope alone). */
export interface MethodPolicy {
  readonly name: string;
  readonly roles: readonly string[];
}

export interface ToolPolicy {
  /** MCP tool name, matched exactly against `params.name` of `tools/call`. */
  readonly name: string;
  /** Entra app role values; the caller's `roles` claim must hold at least one. */
  readonly roles: readonly string[];
}

/** How the gateway authenticates to the MCP server behind it; the client's token never goes further. */
export type BackendAuth =
  | {
      readonly kind: "managedIdentity";
      /** Application ID URI or client ID of the backend's Entra app (the token's audience). */
      readonly audience: string;
    }
  | {
      readonly kind: "apiKey";
      /** Request header that carries the key. */
      readonly headerName: string;
      /** API Management named value (a Key Vault reference) holding the key; referenced as `{{name}}`. */
      readonly namedValueName: string;
    };

export type ContentSafetyFailMode = "closed" | "open";

/** Prompt Shields screening of `tools/call` arguments (issue 8). */
export interface ContentSafetyInput {
  /** Azure AI Content Safety endpoint, e.g. `https://cs-mcpgw-dev.cognitiveservices.azure.com`. */
  readonly endpoint: string;
  /** `closed`: refuse a tool call that could not be screened; `open`: let it through. */
  readonly failMode: ContentSafetyFailMode;
  /** Seconds to wait for Content Safety (default 10). */
  readonly timeoutSeconds?: number;
}

/**
 * Everything the MCP API policy of one server needs. `resourceName` (RFC 9728 `resource_name`) is used for
 * the metadata document the policy answers itself (step 1); pass the same value to `renderPrmOperationPolicy`.
 */
export interface McpApiPolicyInput extends PrmInput {
  readonly gatewayTier: GatewayTier;
  /** Client ID of this server's Entra API app: v2 access tokens carry it in `aud`. */
  readonly apiClientId: string;
  /** Client applications allowed to call (the token's `azp`), e.g. VS Code's public client ID. */
  readonly allowedClientAppIds: readonly string[];
  /** Advanced: `backend-application-ids` of validate-azure-ad-token; usually empty. */
  readonly backendApplicationIds?: readonly string[];
  /** The allowlist: a `tools/call` for any other tool is refused. */
  readonly tools: readonly ToolPolicy[];
  /** Other methods the server allows (deny by default); default: `tools/list` with the scope alone. */
  readonly methods?: readonly MethodPolicy[];
  /** Browser origins allowed to call; a request with any other `Origin` gets 403. Empty: no browsers. */
  readonly allowedOrigins: readonly string[];
  /** `MCP-Protocol-Version` values accepted when the header is present. */
  readonly supportedProtocolVersions: readonly string[];
  readonly maxRequestBodyBytes: number;
  /** Lifetime of the session-to-user binding; refreshed by every successful request in the session. */
  readonly sessionTtlSeconds: number;
  readonly rateLimits: RateLimitsInput;
  readonly backend: BackendAuth;
  /**
   * ID of the API Management Backend entity that describes this server (URL, TLS validation and, for
   * `apiKey` backends, the key header from a named value). When given, the policy routes with
   * `set-backend-service backend-id` and an `apiKey` credential comes from the Backend entity instead of
   * a `set-header` in the policy. Omit it to call the API's `serviceUrl` with the key set by the policy.
   */
  readonly backendId?: string;
  /** Client ID of a user-assigned identity for backend and Content Safety tokens; omit for system-assigned. */
  readonly managedIdentityClientId?: string;
  /** Seconds to wait for the backend's response headers (default 120, at most 240). */
  readonly backendTimeoutSeconds?: number;
  /** Present only when Prompt Shields screening is enabled for this server. */
  readonly contentSafety?: ContentSafetyInput;
}

/** The URLs one MCP server is known by; the single source for identity, gateway and docs. */
export interface McpServerUrls {
  /** API path in API Management, without a leading slash: `<server>/mcp`. */
  readonly apiPath: string;
  /** The MCP endpoint = RFC 8707 resource = Entra identifier URI: `https://<host>/<server>/mcp`. */
  readonly resourceUrl: string;
  /** RFC 9728 metadata URL (path-suffixed form): `https://<host>/.well-known/oauth-protected-resource/<server>/mcp`. */
  readonly metadataUrl: string;
  /** The same document under the MCP endpoint: `https://<host>/<server>/mcp/.well-known/oauth-protected-resource`. */
  readonly endpointMetadataUrl: string;
  /** The full delegated scope clients request: `<resourceUrl>/<scopeValue>`. */
  readonly scope: string;
  /** Authorization server issuer for the tenant: `https://login.microsoftonline.com/<tenant>/v2.0`. */
  readonly authorizationServer: string;
}

/** RFC 9728 Protected Resource Metadata as served for one MCP server. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly ["header"];
  readonly resource_name?: string;
}

/** An API Management operation the gateway component must declare. */
export interface OperationSpec {
  /** Operation ID (resource name), unique within its API. */
  readonly name: string;
  readonly displayName: string;
  readonly method: "GET" | "POST" | "DELETE";
  readonly urlTemplate: string;
  /** Which operation-scope policy to attach: none (the API policy applies) or the PRM document. */
  readonly policy: "none" | "protectedResourceMetadata";
}

/** An API the gateway component must declare, with its operations. */
export interface ApiSpec {
  readonly name: string;
  readonly displayName: string;
  /** API path without a leading slash. */
  readonly path: string;
  readonly operations: readonly OperationSpec[];
}
