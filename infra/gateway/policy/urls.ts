import type { McpServerIdentity, McpServerUrls } from "./types";
import { validateServerIdentity } from "./validate";

/** RFC 9728 section 3: the well-known suffix inserted between host and path. */
export const PRM_WELL_KNOWN_PATH = ".well-known/oauth-protected-resource";

export function mcpApiPath(serverName: string): string {
  return `${serverName}/mcp`;
}

/** The MCP endpoint, which is also the RFC 8707 resource and the Entra identifier URI. */
export function mcpResourceUrl(gatewayHostname: string, serverName: string): string {
  return `https://${gatewayHostname}/${mcpApiPath(serverName)}`;
}

/** Every URL an MCP server is known by, derived in one place so identity, PRM and policy agree. */
export function mcpServerUrls(identity: McpServerIdentity): McpServerUrls {
  validateServerIdentity(identity);
  const { gatewayHostname, serverName, tenantId, scopeValue } = identity;
  const resourceUrl = mcpResourceUrl(gatewayHostname, serverName);
  return {
    apiPath: mcpApiPath(serverName),
    resourceUrl,
    metadataUrl: `https://${gatewayHostname}/${PRM_WELL_KNOWN_PATH}/${mcpApiPath(serverName)}`,
    endpointMetadataUrl: `${resourceUrl}/${PRM_WELL_KNOWN_PATH}`,
    scope: `${resourceUrl}/${scopeValue}`,
    authorizationServer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
  };
}
