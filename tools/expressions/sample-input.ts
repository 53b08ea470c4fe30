/**
 * A representative MCP API policy input: the dev stack's `docs` server, resolved as the gateway
 * component would pass it. Shipped here because the expression check renders the renderer's own
 * variants from it; the gateway tests build their variants from the same input, so a branch the
 * tests cover is a branch the expression check compiles.
 */
import { VS_CODE_CLIENT_ID } from "../../infra/config/primitives";
import type { McpApiPolicyInput } from "../../infra/gateway/policy";

export { VS_CODE_CLIENT_ID };

/** Obviously fake tenant and app IDs (GUID-shaped so the renderer's validation accepts them). */
export const SAMPLE_TENANT_ID = "3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13";
export const SAMPLE_API_CLIENT_ID = "11111111-2222-4333-8444-555555555555";

/** The dev stack's `docs` server; `overrides` replace whole top-level fields. */
export function docsInput(overrides: Partial<McpApiPolicyInput> = {}): McpApiPolicyInput {
  return {
    serverName: "docs",
    gatewayHostname: "mcp.dev.contoso.com",
    tenantId: SAMPLE_TENANT_ID,
    scopeValue: "user_impersonation",
    gatewayTier: "classic",
    apiClientId: SAMPLE_API_CLIENT_ID,
    allowedClientAppIds: [VS_CODE_CLIENT_ID],
    tools: [
      { name: "search_docs", roles: ["MCP.Tools.Read"] },
      { name: "get_page", roles: ["MCP.Tools.Read", "MCP.Admin"] },
    ],
    allowedOrigins: ["https://vscode.dev"],
    supportedProtocolVersions: ["2026-07-28", "2025-11-25", "2025-06-18"],
    maxRequestBodyBytes: 1_048_576,
    sessionTtlSeconds: 3600,
    rateLimits: {
      perUser: { calls: 120, renewalPeriodSeconds: 60 },
      perUserSession: { calls: 60, renewalPeriodSeconds: 30 },
      perUserTool: { calls: 30, renewalPeriodSeconds: 90 },
      dailyQuotaPerUser: 5000,
    },
    backend: { kind: "managedIdentity", audience: "api://mcp-docs-backend" },
    ...overrides,
  };
}
