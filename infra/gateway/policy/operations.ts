import type { ApiSpec, OperationSpec } from "./types";
import { mcpApiPath, PRM_WELL_KNOWN_PATH } from "./urls";

/**
 * The APIs and operations the gateway component declares, so that every URL the MCP spec expects
 * routes to a policy rendered here:
 *
 * - One MCP API per server at `<server>/mcp`: POST/GET/DELETE on `/` (Streamable HTTP on one endpoint)
 *   under the MCP API policy, plus GET `/.well-known/oauth-protected-resource` answered by the PRM
 *   operation policy (`<server>/mcp/.well-known/oauth-protected-resource`).
 * - One shared anonymous API at `.well-known/oauth-protected-resource` with a GET `/<server>/mcp` per
 *   server (the RFC 9728 path-suffixed URL that resource_metadata points at), under the same PRM
 *   operation policy. Neither API needs a subscription key; the PRM operations need no token.
 */

export const WELL_KNOWN_API_NAME = "mcp-well-known";
/** Operation ID of the metadata operation inside each MCP API; the MCP API policy answers it first. */
export const PRM_OPERATION_NAME = "prm";
/** APIM's policy content format for the rendered documents: well-formed XML, expressions entity-escaped. */
export const POLICY_FORMAT = "xml";

export function mcpApiName(serverName: string): string {
  return `mcp-${serverName}`;
}

export function mcpApiSpec(serverName: string, displayName: string = serverName): ApiSpec {
  const operation = (method: OperationSpec["method"], verb: string): OperationSpec => ({
    name: `mcp-${method.toLowerCase()}`,
    displayName: `MCP ${verb}`,
    method,
    urlTemplate: "/",
    policy: "none",
  });
  return {
    name: mcpApiName(serverName),
    displayName: `MCP: ${displayName}`,
    path: mcpApiPath(serverName),
    operations: [
      operation("POST", "messages (JSON-RPC over POST)"),
      operation("GET", "server stream (SSE)"),
      operation("DELETE", "session termination"),
      {
        name: PRM_OPERATION_NAME,
        displayName: "Protected Resource Metadata (RFC 9728)",
        method: "GET",
        urlTemplate: `/${PRM_WELL_KNOWN_PATH}`,
        policy: "protectedResourceMetadata",
      },
    ],
  };
}

export function wellKnownApiSpec(serverNames: readonly string[]): ApiSpec {
  return {
    name: WELL_KNOWN_API_NAME,
    displayName: "OAuth Protected Resource Metadata (RFC 9728)",
    path: PRM_WELL_KNOWN_PATH,
    operations: serverNames.map((serverName) => ({
      name: `prm-${serverName}`,
      displayName: `Protected Resource Metadata: ${serverName}`,
      method: "GET",
      urlTemplate: `/${mcpApiPath(serverName)}`,
      policy: "protectedResourceMetadata",
    })),
  };
}
