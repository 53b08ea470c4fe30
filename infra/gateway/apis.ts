import type { McpServerConfig, StackConfig } from "../config/schema";
import { type BackendAuth, mcpApiName, type McpApiPolicyInput } from "./policy";
import { gatewayTier, type GatewaySku } from "./service-settings";

/**
 * How one MCP server from config becomes API Management entities: the policy input, the Backend entity's
 * credentials and the Key Vault named values. Pure, resolved values (call inside `pulumi.all(...).apply`).
 */

/** What the other components resolved for one server. */
export interface ResolvedServerEndpoint {
  /** Client ID of the server's own Entra API app: v2 tokens carry it in `aud`. */
  readonly apiClientId: string;
  /** The backend's Entra audience; required when the server authenticates the gateway by managed identity. */
  readonly backendAudience?: string;
}

/** Everything the policy inputs share across servers. */
export interface PolicyContext {
  readonly sku: GatewaySku;
  readonly gatewayHostname: string;
  readonly tenantId: string;
  readonly scopeValue: string;
  readonly allowedClientAppIds: readonly string[];
  readonly gatewayPolicy: StackConfig["gatewayPolicy"];
  /** Client ID of the gateway's user-assigned identity (backend and Content Safety tokens). */
  readonly managedIdentityClientId: string;
  /** Azure AI Content Safety endpoint; required when any server enables content safety. */
  readonly contentSafetyEndpoint?: string;
}

/** Backend entity ID of a server: the same as its API's ID (`mcp-<server>`). */
export function backendId(serverName: string): string {
  return mcpApiName(serverName);
}

/** API Management named value ID (and display name) holding a backend key: the Key Vault secret's name. */
export function namedValueName(secretName: string): string {
  return secretName;
}

/** Clients allowed to call (`azp`): the pre-authorized clients, then the first-party client, without repeats. */
export function allowedClientAppIds(preAuthorized: readonly string[], firstPartyClientId?: string): string[] {
  return [...new Set([...preAuthorized, ...(firstPartyClientId === undefined ? [] : [firstPartyClientId])])];
}

export function backendAuth(server: McpServerConfig, endpoint: ResolvedServerEndpoint): BackendAuth {
  if (server.backendAuth.type === "apiKey") {
    return {
      kind: "apiKey",
      headerName: server.backendAuth.headerName,
      namedValueName: namedValueName(server.backendAuth.secretName),
    };
  }
  if (endpoint.backendAudience === undefined) {
    throw new Error(
      `MCP server ${server.name} authenticates the gateway by managed identity but no backendAudience was given for it`,
    );
  }
  return { kind: "managedIdentity", audience: endpoint.backendAudience };
}

/** The policy input for one server; routed through its Backend entity (`backendId`). */
export function mcpApiPolicyInput(
  server: McpServerConfig,
  endpoint: ResolvedServerEndpoint,
  context: PolicyContext,
): McpApiPolicyInput {
  const policy = context.gatewayPolicy;
  const { dailyQuotaPerUser, ...windows } = policy.rateLimits;
  const contentSafety = server.contentSafety.enabled ? contentSafetyInput(server, context) : undefined;
  return {
    serverName: server.name,
    gatewayHostname: context.gatewayHostname,
    tenantId: context.tenantId,
    scopeValue: context.scopeValue,
    resourceName: server.displayName,
    gatewayTier: gatewayTier(context.sku),
    apiClientId: endpoint.apiClientId,
    allowedClientAppIds: context.allowedClientAppIds,
    tools: server.tools.map((tool) => ({ name: tool.name, roles: [...tool.roles] })),
    methods: server.methods.map((method) => ({ name: method.name, roles: [...method.roles] })),
    allowedOrigins: policy.allowedOrigins,
    supportedProtocolVersions: server.protocolVersions ?? policy.supportedProtocolVersions,
    maxRequestBodyBytes: policy.maxRequestBodyBytes,
    sessionTtlSeconds: policy.sessionTtlSeconds,
    rateLimits: { ...windows, ...(dailyQuotaPerUser === undefined ? {} : { dailyQuotaPerUser }) },
    backend: backendAuth(server, endpoint),
    backendId: backendId(server.name),
    managedIdentityClientId: context.managedIdentityClientId,
    ...(contentSafety === undefined ? {} : { contentSafety }),
  };
}

function contentSafetyInput(
  server: McpServerConfig,
  context: PolicyContext,
): NonNullable<McpApiPolicyInput["contentSafety"]> {
  if (context.contentSafetyEndpoint === undefined) {
    // Fail closed at preview: silently dropping the screening would weaken the server's protection.
    throw new Error(
      `MCP server ${server.name} enables contentSafety but the gateway got no contentSafetyEndpoint (wire the content-safety component)`,
    );
  }
  return { endpoint: context.contentSafetyEndpoint, failMode: server.contentSafety.failMode };
}

/**
 * `credentials` of a server's Backend entity. An `apiKey` backend sends its key header with the value
 * of a Key Vault named value; a managed-identity backend has none here: the policy adds the gateway's
 * token with `authentication-managed-identity` on the route to this Backend.
 */
export function backendCredentials(
  server: McpServerConfig,
): { readonly header: Readonly<Record<string, string[]>> } | undefined {
  if (server.backendAuth.type !== "apiKey") return undefined;
  return {
    header: { [server.backendAuth.headerName]: [`{{${namedValueName(server.backendAuth.secretName)}}}`] },
  };
}

/** Key Vault secrets the gateway needs as named values (one per secret, however many servers use it). */
export function apiKeySecretNames(servers: readonly McpServerConfig[]): string[] {
  const names = servers.flatMap((server) =>
    server.backendAuth.type === "apiKey" ? [server.backendAuth.secretName] : [],
  );
  return [...new Set(names)].sort();
}

/** Header names that carry backend keys: never to be logged. */
export function apiKeyHeaderNames(servers: readonly McpServerConfig[]): string[] {
  return [
    ...new Set(servers.flatMap((s) => (s.backendAuth.type === "apiKey" ? [s.backendAuth.headerName] : []))),
  ];
}
