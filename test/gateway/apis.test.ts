import type { McpServerConfig } from "../../infra/config/schema";
import {
  allowedClientAppIds,
  apiKeyHeaderNames,
  apiKeySecretNames,
  backendCredentials,
  mcpApiPolicyInput,
  type PolicyContext,
} from "../../infra/gateway/apis";
import {
  referencedNamedValues,
  renderMcpApiPolicy,
  renderPrmOperationPolicy,
} from "../../infra/gateway/policy";
import { devConfig, fixtureConfig, guidFor, serverEndpoint } from "./component/fixture-data";
import { child, findAll, parseXml, section, VS_CODE_CLIENT_ID } from "./support";

const config = devConfig();
const [docs, weather] = config.mcpServers as [McpServerConfig, McpServerConfig];
const context: PolicyContext = {
  sku: config.gateway.sku,
  gatewayHostname: config.gateway.hostname,
  tenantId: config.tenantId,
  scopeValue: config.identity.scopeValue,
  allowedClientAppIds: allowedClientAppIds(config.identity.preAuthorizedClientIds),
  gatewayPolicy: config.gatewayPolicy,
  managedIdentityClientId: "6c1d2e3f-4051-4b62-9c73-8d9e0f1a2b3c",
};
const resolved = (server: McpServerConfig) => serverEndpoint(config, server);

describe("policy input from config", () => {
  it("maps a managed-identity server: its own API app, its backend audience, the gateway identity", () => {
    const input = mcpApiPolicyInput(docs, resolved(docs), context);
    expect(input).toMatchObject({
      serverName: "docs",
      gatewayHostname: "mcp.dev.contoso.com",
      scopeValue: "user_impersonation",
      resourceName: docs.displayName,
      gatewayTier: "classic",
      apiClientId: guidFor("api-app/docs"),
      allowedClientAppIds: [VS_CODE_CLIENT_ID],
      backend: { kind: "managedIdentity", audience: `api://${config.tenantId}/mcpgw-dev-docs` },
      backendId: "mcp-docs",
      managedIdentityClientId: context.managedIdentityClientId,
      rateLimits: { dailyQuotaPerUser: 5000 },
    });
    expect(input.tools).toEqual([
      { name: "search_docs", roles: ["MCP.Tools.Read"] },
      { name: "get_page", roles: ["MCP.Tools.Read"] },
    ]);
    expect("contentSafety" in input).toBe(false);
  });

  it("maps an API-key server to its Key Vault named value, carried by the Backend entity", () => {
    const input = mcpApiPolicyInput(weather, resolved(weather), context);
    expect(input.backend).toEqual({
      kind: "apiKey",
      headerName: "X-Api-Key",
      namedValueName: "weather-api-key",
    });
    // The session key only: the API key is the Backend entity's credential, not the policy's.
    expect(referencedNamedValues(input)).toEqual(["mcp-session-key"]);
    expect(backendCredentials(weather)).toEqual({ header: { "X-Api-Key": ["{{weather-api-key}}"] } });
    expect(backendCredentials(docs)).toBeUndefined();
    expect(apiKeySecretNames(config.mcpServers)).toEqual(["weather-api-key"]);
    expect(apiKeyHeaderNames(config.mcpServers)).toEqual(["X-Api-Key"]);
  });

  it("refuses a managed-identity server without a backend audience", () => {
    expect(() => mcpApiPolicyInput(docs, { apiClientId: guidFor("x") }, context)).toThrow(/backendAudience/);
  });

  it("screens with Content Safety only when the server asks, and fails closed without an endpoint", () => {
    const screened = { ...docs, contentSafety: { enabled: true, failMode: "open" as const } };
    expect(() => mcpApiPolicyInput(screened, resolved(docs), context)).toThrow(/contentSafetyEndpoint/);
    const endpoint = "https://cs-mcpgw-dev.cognitiveservices.azure.com/";
    expect(
      mcpApiPolicyInput(screened, resolved(docs), { ...context, contentSafetyEndpoint: endpoint })
        .contentSafety,
    ).toEqual({ endpoint, failMode: "open" });
  });

  it("allows the pre-authorized clients and the first-party client once each", () => {
    expect(allowedClientAppIds([VS_CODE_CLIENT_ID], VS_CODE_CLIENT_ID)).toEqual([VS_CODE_CLIENT_ID]);
    expect(allowedClientAppIds([VS_CODE_CLIENT_ID], guidFor("first-party"))).toEqual([
      VS_CODE_CLIENT_ID,
      guidFor("first-party"),
    ]);
  });

  it("omits the daily quota on StandardV2 (the config already refuses it there)", () => {
    const v2 = fixtureConfig("v2");
    const input = mcpApiPolicyInput(docs, resolved(docs), {
      ...context,
      sku: "StandardV2",
      gatewayPolicy: v2.gatewayPolicy,
    });
    expect(input.gatewayTier).toBe("v2");
    expect("dailyQuotaPerUser" in input.rateLimits).toBe(false);
    expect(findAll(parseXml(renderMcpApiPolicy(input)), "quota-by-key")).toHaveLength(0);
  });
});

describe("a 50-server config", () => {
  const fifty = fixtureConfig("fifty");
  const fiftyContext = {
    ...context,
    contentSafetyEndpoint: "https://cs-mcpgw-dev.cognitiveservices.azure.com/",
  };

  it("renders 50 correct, distinct policies and metadata documents quickly", () => {
    const started = performance.now();
    const rendered = fifty.mcpServers.map((server) => {
      const input = mcpApiPolicyInput(server, serverEndpoint(fifty, server), fiftyContext);
      return { server, input, policy: renderMcpApiPolicy(input), prm: renderPrmOperationPolicy(input) };
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(3000);
    expect(new Set(rendered.map((r) => r.policy)).size).toBe(50);
    expect(new Set(rendered.map((r) => r.prm)).size).toBe(50);
    for (const { server, input, policy } of rendered) {
      const document = parseXml(policy);
      const token = findAll(document, "validate-azure-ad-token")[0];
      expect(token && child(token, "audiences").children.map((a) => a.text)).toEqual([
        input.apiClientId,
        `https://mcp.dev.contoso.com/${server.name}/mcp`,
      ]);
      expect(findAll(section(document, "inbound"), "set-backend-service")[0]?.attributes["backend-id"]).toBe(
        `mcp-${server.name}`,
      );
      expect(findAll(document, "send-request").length > 0).toBe(server.contentSafety.enabled);
      expect(policy).toContain(`mcp-rl:${server.name}:user`);
    }
  });
});
