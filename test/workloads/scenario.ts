/**
 * Scenarios for the workloads / content-safety fixture program: a stack's real config (optionally
 * changed), with the outputs of the components these two depend on (network, identity) stood in for
 * by literal, ARM-shaped values derived from the server names.
 */
import { parseStackConfig, type McpServerConfig, type StackConfig } from "../../infra/config";
import { OFFLINE_SUBSCRIPTION_ID, deterministicGuid } from "../../tools/offline/ids";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";
import type { PreviewPlan } from "../../policies/check/plan";
import { fixturePlan, type FixtureRun, runFixtureProgram, stackOutputs } from "../support/fixture";

export type StackName = "dev" | "staging" | "prod";

export interface WorkloadsScenario {
  readonly stack: StackName;
  /** Adds a second container server (`tickets`) with its own limits and egress hosts. */
  readonly addTicketsServer?: boolean;
  /** Gives `docs` a Key Vault secret reference. */
  readonly docsSecret?: boolean;
  /** Hands `tickets` the same identity as `docs` (must be refused). */
  readonly shareIdentity?: boolean;
}

/** The outputs the fixture program exports (stack outputs in the plan). */
export interface WorkloadsFixtureOutputs {
  readonly backendUrls?: Record<string, string>;
  readonly environmentDefaultDomain?: string;
  readonly environmentStaticIp?: string;
  readonly registryLoginServer?: string;
  readonly registryName?: string;
  readonly imagePromotions?: Record<string, { source: string; targetRepository: string; digest: string }>;
  readonly contentSafetyEndpoint?: string;
  readonly shieldPromptUrl?: string;
  readonly diagnosticTargets?: { name: string; type: string; resourceId: string }[];
}

const RG = `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/resourceGroups/rg-fixture-network`;
export const VNET_ID = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet-fixture`;
export const WORKLOAD_SUBNET_ID = `${VNET_ID}/subnets/snet-workloads`;
export const PRIVATE_ENDPOINT_SUBNET_ID = `${VNET_ID}/subnets/snet-private-endpoints`;
export const REGISTRY_ZONE = {
  zoneName: "privatelink.azurecr.io",
  zoneId: `${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io`,
};
export const COGNITIVE_ZONE = {
  zoneName: "privatelink.cognitiveservices.azure.com",
  zoneId: `${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com`,
};
export const KEY_VAULT_SECRET_URI = "https://kv-fixture.vault.azure.net/secrets/docs-index-token";

export const GATEWAY_IDENTITY = {
  clientId: deterministicGuid("fixture/gateway/client"),
  principalId: deterministicGuid("fixture/gateway/principal"),
};

export function workloadIdentity(server: string): { id: string; principalId: string; clientId: string } {
  return {
    id: `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-workload-${server}`,
    principalId: deterministicGuid(`fixture/workload/${server}/principal`),
    clientId: deterministicGuid(`fixture/workload/${server}/client`),
  };
}

export function backendApp(
  tenantId: string,
  environment: string,
  server: string,
): { backendClientId: string; audiences: string[] } {
  return {
    backendClientId: deterministicGuid(`fixture/backend/${server}/client`),
    audiences: [`api://${tenantId}/mcpgw-${environment}-${server}`],
  };
}

export const TICKETS_SERVER = {
  name: "tickets",
  displayName: "Ticket triage",
  container: {
    image: `crmcpgwshared.azurecr.io/mcp/tickets-server@sha256:${"ab12".repeat(16)}`,
    targetPort: 3000,
    cpu: 1,
    memoryGi: 2,
    minReplicas: 1,
    maxReplicas: 4,
    allowedEgressHosts: ["api.github.com", "contoso.vault.azure.net"],
  },
  tools: [{ name: "create_ticket", roles: ["MCP.Tools.Write"] }],
};

/** The stack's config, changed as the scenario says, validated like the real program validates it. */
export function scenarioConfig(scenario: WorkloadsScenario): StackConfig {
  const engine = loadEngineConfig(stackFilePath(scenario.stack));
  const values: Record<string, unknown> = { ...engine.values };
  if (scenario.addTicketsServer) {
    const key = "mcp-azure-gateway:mcpServers";
    values[key] = JSON.stringify([...(JSON.parse(engine.values[key]!) as unknown[]), TICKETS_SERVER]);
  }
  const parsed = parseStackConfig({ values, secretKeys: new Set(engine.secretKeys) });
  if (!parsed.ok) throw new Error(`scenario config is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.config;
}

export function containerServerNames(servers: readonly McpServerConfig[]): string[] {
  return servers.filter((server) => server.container !== undefined).map((server) => server.name);
}

/** The workloads / content-safety fixture program, run by the shared runner (test/support/fixture.ts). */
export const WORKLOADS_FIXTURE = "test/workloads/fixture-program.ts";

export function runWorkloadsFixture(scenario: WorkloadsScenario): Promise<FixtureRun> {
  return runFixtureProgram(WORKLOADS_FIXTURE, scenario);
}

/** The plan of a run that must have succeeded. */
export function planOf(run: FixtureRun | undefined): PreviewPlan {
  return fixturePlan("workloads", run);
}

export function fixtureOutputs(plan: PreviewPlan): WorkloadsFixtureOutputs {
  return stackOutputs<WorkloadsFixtureOutputs>(plan);
}

export const TYPES = {
  workloads: "mcpgw:workloads:Workloads",
  contentSafety: "mcpgw:content-safety:ContentSafety",
  environment: "azure-native:app:ManagedEnvironment",
  containerApp: "azure-native:app:ContainerApp",
  authConfig: "azure-native:app:ContainerAppsAuthConfig",
  registry: "azure-native:containerregistry:Registry",
  account: "azure-native:cognitiveservices:Account",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  dnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  privateZone: "azure-native:privatedns:PrivateZone",
  recordSet: "azure-native:privatedns:PrivateRecordSet",
  vnetLink: "azure-native:privatedns:VirtualNetworkLink",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  lock: "azure-native:authorization:ManagementLockByScope",
} as const;
