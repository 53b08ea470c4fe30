import type { ComponentControls } from "../../tools/controls/types";

/** The controls the gateway (API Management and its MCP policies) implements; see docs/gateway.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:gateway:Gateway",
  folder: "infra/gateway",
  controls: {
    "MUST-1": {
      how: "validate-azure-ad-token on the API the client calls: tenant issuer, the API app's client ID and identifier URI as audiences, on every request",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts", "test/gateway/component/gateway.component.test.ts"],
      docs: ["docs/gateway.md#3-token-validation"],
    },
    "MUST-2": {
      how: "every request is authenticated before routing; the session ID is only looked up after the token, never instead of it; 401/403 with RFC 9728 challenges",
      resources: ["azure-native:apimanagement:ApiPolicy", "azure-native:apimanagement:Policy"],
      tests: ["test/gateway/mcp-api-policy.test.ts", "test/gateway/prm.test.ts"],
      docs: ["docs/gateway.md#6-session-binding"],
    },
    "MUST-4": {
      how: "session IDs are refused unless visible ASCII of bounded length and bound to the caller; the gateway never mints them",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P1.1": {
      how: "transport checks before any token work: Origin allow-list, Content-Type, body size cap, one JSON-RPC 2.0 message, tool allow-list",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts", "test/gateway/escaping.test.ts"],
    },
    "P1.2": {
      how: "the JSON-RPC envelope is validated (jsonrpc, method, id/result/error) and tools/call names must be on the server's allow-list",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P1.3": {
      how: "tools/call arguments are screened by Prompt Shields (shieldPrompt) with the gateway's managed identity, fail-closed by default",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/content-safety.test.ts"],
    },
    "P2.2": {
      how: "per-tool app roles: a tools/call whose tool's roles are not in the token's roles claim gets 403 insufficient_scope",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P3.1": {
      how: "HTTPS-only APIs, TLS 1.0/1.1/SSL 3.0 and 3DES disabled on frontend and backend (API Management cannot be limited to 1.3)",
      resources: ["azure-native:apimanagement:ApiManagementService", "azure-native:apimanagement:Api"],
      tests: ["test/gateway/component/gateway.component.test.ts"],
    },
    "P3.4": {
      how: "an unsupported MCP-Protocol-Version header is refused with 400 before the token is checked",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P4.1": {
      how: "rate-limit-by-key per user, per user and session, per user and tool (keyed on the validated oid) and a daily quota per user",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P4.3": {
      how: "request body cap (413), backend timeout, and the quota bound the work one caller can cause",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P5.1": {
      how: "one mcp-gateway trace per forwarded (mcp.request) and per refused (mcp.denied, with its reason) request: validated oid, client app, tool, hashed session, client IP; through the gateway logger",
      resources: [
        "azure-native:apimanagement:ApiPolicy",
        "azure-native:apimanagement:Logger",
        "azure-native:apimanagement:Diagnostic",
      ],
      tests: ["test/gateway/audit-trace.test.ts"],
      docs: ["docs/gateway.md#10-audit-trace-every-step"],
    },
    "P6.3": {
      how: "backend API keys are named values that reference Key Vault secrets (versionless), never literals",
      resources: ["azure-native:apimanagement:NamedValue"],
      tests: ["test/gateway/component/gateway.component.test.ts"],
    },
    "P7.1": {
      how: "the client's Authorization header is deleted before forwarding; the gateway authenticates with its own managed identity or a Key Vault-held key",
      resources: ["azure-native:apimanagement:ApiPolicy", "azure-native:apimanagement:Backend"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P7.2": {
      how: "<audiences> lists only this API's client ID and identifier URI; required claim tid = the tenant",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P7.3": {
      how: "scp must hold the delegated scope, roles decide each tool, tokens without oid are refused",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P8.2": {
      how: "mcp-session:<server>:<session id> is stored with the owner's oid; a different oid gets 403",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P8.3": {
      how: "bindings slide with use for sessionTtlSeconds, DELETE removes them, an unknown session gets 404 (client re-initializes)",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P8.4": {
      how: "outbound adds HSTS, nosniff, no-store and strips X-Powered-By, X-AspNet-Version and backend WWW-Authenticate",
      resources: ["azure-native:apimanagement:ApiPolicy", "azure-native:apimanagement:Policy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "P9.1": {
      how: "Prompt Shields screening of tool arguments (user prompt and document attacks), 403 on detection",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/content-safety.test.ts"],
    },
    "P9.2": {
      how: "only the tools config lists can be called (unknown tools get -32602), each with the roles config names",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts", "test/gateway/scale.test.ts"],
    },
    "P10.3": {
      how: "API Management is VNet-injected (Internal) or reached through a private endpoint, never public",
      resources: ["azure-native:apimanagement:ApiManagementService"],
      tests: ["test/gateway/component/gateway.component.test.ts"],
    },
    "ZT.1": {
      how: "no request is trusted for having been trusted before: token, roles and session owner are re-checked on every call",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
    "PRIV.1": {
      how: "only the headers the backend needs are forwarded; the user's token never leaves the gateway",
      resources: ["azure-native:apimanagement:ApiPolicy"],
      tests: ["test/gateway/mcp-api-policy.test.ts"],
    },
  },
};
