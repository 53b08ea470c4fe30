/**
 * Literal stand-ins for what the network, identity, key vault, workloads and monitoring components
 * would pass the Gateway, and the config variants the fixture runs with. No Pulumi imports: pure tests
 * use these too.
 */
import * as path from "node:path";
import type { McpServerConfig, StackConfig } from "../../../infra/config/schema";
import { parseStackConfig } from "../../../infra/config/parse";
import type { GatewayServerEndpoint } from "../../../infra/gateway";
import { loadEngineConfig } from "../../../tools/offline/stack-files";

export const FIXTURE_VARIANTS = ["dev", "v2", "fifty"] as const;
export type FixtureVariant = (typeof FIXTURE_VARIANTS)[number];

const SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000";
export const RESOURCE_GROUP = "rg-mcpgw-dev-weu";
export const RG_ID = `${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}`;
export const VNET_ID = `${RG_ID}/providers/Microsoft.Network/virtualNetworks/vnet-mcpgw-dev-weu`;
export const GATEWAY_SUBNET_ID = `${VNET_ID}/subnets/snet-mcpgw-dev-weu-gateway`;
export const INTEGRATION_SUBNET_ID = `${VNET_ID}/subnets/snet-mcpgw-dev-weu-gateway-integration`;
export const PE_SUBNET_ID = `${VNET_ID}/subnets/snet-mcpgw-dev-weu-private-endpoints`;
export const IDENTITY = {
  id: `${RG_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-mcpgw-dev-weu-gateway`,
  principalId: "5b0c1d2e-3f40-4a51-8b62-7c8d9e0f1a2b",
  clientId: "6c1d2e3f-4051-4b62-9c73-8d9e0f1a2b3c",
};
export const VAULT = "https://kv-mcpgw-dev-abcde.vault.azure.net";
export const CERTIFICATE_SECRET_URI = `${VAULT}/secrets/mcp-gateway-tls`;
export const APP_INSIGHTS = {
  id: `${RG_ID}/providers/Microsoft.Insights/components/appi-mcpgw-dev-weu`,
  connectionString:
    "InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
};
export const CONTENT_SAFETY_ENDPOINT = "https://cs-mcpgw-dev-abcde.cognitiveservices.azure.com/";
export const FIRST_PARTY_CLIENT_ID = "7d2e3f40-5162-4c73-8d84-9e0f1a2b3c4d";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The dev stack's validated config, as the program would see it. */
export function devConfig(): StackConfig {
  const engine = loadEngineConfig(path.join(REPO_ROOT, "stacks", "Pulumi.dev.yaml"));
  const parsed = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
  if (!parsed.ok) throw new Error(`dev config does not validate: ${JSON.stringify(parsed.problems)}`);
  return structuredClone(parsed.config);
}

/** A deterministic GUID per label, so plans are stable. */
export function guidFor(label: string): string {
  let hash = 2166136261;
  for (const ch of label) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  const hex = (hash.toString(16).padStart(8, "0") + "0123456789abcdef0123456789abcdef").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** 50 servers alternating between the dev stack's two shapes (container + managed identity, SaaS + API key). */
function fiftyServers(config: StackConfig): McpServerConfig[] {
  const [container, saas] = config.mcpServers;
  if (!container || !saas) throw new Error("the dev config should list a container server and a SaaS server");
  return Array.from({ length: 50 }, (_, i) => {
    const template = i % 2 === 0 ? container : saas;
    const name = `server-${String(i).padStart(2, "0")}`;
    return {
      ...structuredClone(template),
      name,
      displayName: `MCP server ${i}`,
      tools: [{ name: `tool_${i}`, roles: ["MCP.Tools.Read"] }],
      contentSafety: { enabled: i % 5 === 0, failMode: "closed" },
    };
  });
}

export function fixtureConfig(variant: FixtureVariant): StackConfig {
  const config = devConfig();
  if (variant === "v2") {
    config.gateway.sku = "StandardV2";
    delete config.gatewayPolicy.rateLimits.dailyQuotaPerUser;
  }
  if (variant === "fifty") config.mcpServers = fiftyServers(config);
  return config;
}

/** What the identity and workloads components would resolve for one server (resolved strings). */
export interface FixtureEndpoint extends GatewayServerEndpoint {
  readonly apiClientId: string;
  readonly backendAudience?: string;
  readonly backendUrl: string;
}

export function serverEndpoint(config: StackConfig, server: McpServerConfig): FixtureEndpoint {
  return {
    apiClientId: guidFor(`api-app/${server.name}`),
    ...(server.backendAuth.type === "managedIdentity"
      ? {
          backendAudience: `api://${config.tenantId}/${config.namePrefix}-${config.environment}-${server.name}`,
        }
      : {}),
    backendUrl:
      server.backendUrl ??
      `https://ca-mcpgw-dev-${server.name}.internal.cae-mcpgw-dev-weu.westeurope.azurecontainerapps.io/mcp`,
  };
}
