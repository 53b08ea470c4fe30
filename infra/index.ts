/**
 * The Pulumi program: reads and validates the stack config, then wires the components together.
 * Components never import each other; they meet here through typed args and outputs.
 */
import { loadStackConfig, readVaultSecretValues } from "./config";
import { createFoundation } from "./foundation";
import { KeyVault } from "./keyvault";
import { Network } from "./network";
import { Identity } from "./identity";
import { ContentSafety, serversWithPromptShields } from "./content-safety";
import { containerServers, Workloads, type WorkloadBackendAuth } from "./workloads";
import { readAlertWebhookUrl } from "./config";
import { Monitoring } from "./monitoring";
import { Sentinel } from "./sentinel";

const config = loadStackConfig();
const foundation = createFoundation(config);

// --- components (wired in dependency order) ---
const network = new Network("network", {
  resourceGroupName: foundation.resourceGroupName,
  location: foundation.location,
  naming: foundation.naming,
  tags: foundation.tags,
  network: config.network,
  gatewaySku: config.gateway.sku,
  managedHsm: config.keyVault.managedHsm,
  workloadInternetEgress: config.mcpServers.some(
    (server) => (server.container?.allowedEgressHosts.length ?? 0) > 0,
  ),
  flowLogRetentionDays: Math.min(config.monitoring.retentionDays, 365),
});

const identity = new Identity("identity", {
  tenantId: config.tenantId,
  environment: config.environment,
  namePrefix: config.namePrefix,
  gatewayHostname: config.gateway.hostname,
  identity: config.identity,
  mcpServers: config.mcpServers,
  foundation,
  protect: config.features.protectStatefulResources,
});

const keyVault = new KeyVault("key-vault", {
  resourceGroupName: foundation.resourceGroupName,
  location: foundation.location,
  naming: foundation.naming,
  tags: foundation.tags,
  keyVault: config.keyVault,
  tenantId: config.tenantId,
  privateEndpointSubnetId: network.subnetIds.privateEndpoints,
  vaultDnsZone: network.privateDnsZones.keyVault,
  ...(network.privateDnsZones.managedHsm ? { managedHsmDnsZone: network.privateDnsZones.managedHsm } : {}),
  secretValues: readVaultSecretValues(config),
  certificateName: config.gateway.tlsCertificateName,
  // Principals arrive from the identity, gateway, edge and monitoring components as they are wired.
  grants: { secretsUsers: [], cryptoUsers: [], signingUsers: [], certificateUsers: [], operators: [] },
  protect: config.features.protectStatefulResources,
  lock: config.features.resourceLocks,
});

// --- workloads + content safety (issue 8): sandboxed MCP servers, Prompt Shields ---
// Each is declared only when config asks for it (diagnostic targets go to monitoring below). Still to wire:
// `workloads.backendUrls` and `contentSafety.shieldPromptUrl` -> gateway; `workloadSubnetRules(...)`
// (infra/workloads/egress.ts) -> the network component's workload NSG.
const sandboxedServers = containerServers(config.mcpServers);
const workloads =
  sandboxedServers.length === 0
    ? undefined
    : new Workloads("workloads", {
        foundation,
        environment: config.environment,
        tenantId: config.tenantId,
        mcpServers: config.mcpServers,
        workloadSubnetId: network.subnetIds.workloads,
        privateEndpointSubnetId: network.subnetIds.privateEndpoints,
        registryDnsZone: network.privateDnsZones.containerRegistry,
        gatewayCallerCidrs: [
          config.gateway.sku === "StandardV2"
            ? (config.network.subnets.gatewayIntegration ?? config.network.subnets.gateway)
            : config.network.subnets.gateway,
        ],
        workloadIdentities: identity.managedIdentities.workloads,
        backendAuth: Object.fromEntries(
          sandboxedServers.flatMap((server): [string, WorkloadBackendAuth][] => {
            const backendClientId = identity.backendClientIds[server.name];
            const audience = identity.backendAudiences[server.name];
            return backendClientId && audience
              ? [[server.name, { backendClientId, audiences: [audience] }]]
              : [];
          }),
        ),
        gatewayIdentity: identity.managedIdentities.gateway,
        protectStatefulResources: config.features.protectStatefulResources,
        resourceLocks: config.features.resourceLocks,
      });
const contentSafety =
  serversWithPromptShields(config.mcpServers).length === 0
    ? undefined
    : new ContentSafety("content-safety", {
        foundation,
        privateEndpointSubnetId: network.subnetIds.privateEndpoints,
        dnsZone: network.privateDnsZones.cognitiveServices,
        gatewayPrincipalId: identity.managedIdentities.gateway.principalId,
      });
export const workloadBackendUrls = workloads?.backendUrls ?? {};
export const workloadRegistryName = workloads?.registryName;
/** The `az acr import` each server's image needs before `pulumi up` (docs/workloads.md). */
export const workloadImagePromotions = workloads?.imagePromotions ?? {};
export const promptShieldsUrl = contentSafety?.shieldPromptUrl;
// --- end workloads + content safety ---

// --- monitoring + sentinel (issue 7): workspace, diagnostics, alerts, detections ---
// Declared after every component whose diagnostic targets it takes: add each new component's list here.
const alertWebhookUrl = readAlertWebhookUrl(config);
const monitoring = new Monitoring("monitoring", {
  resourceGroupName: foundation.resourceGroupName,
  location: foundation.location,
  naming: foundation.naming,
  tags: foundation.tags,
  environment: config.environment,
  monitoring: config.monitoring,
  protect: config.features.protectStatefulResources,
  lock: config.features.resourceLocks,
  privateEndpointSubnetId: network.subnetIds.privateEndpoints,
  privateDnsZones: network.privateDnsZones,
  ...(alertWebhookUrl ? { alertWebhookUrl } : {}),
  diagnosticTargets: [
    ...network.diagnosticTargets,
    // The flow-log storage account is not in the network component's own list (yet).
    ...(network.flowLogStorageAccountId
      ? [
          {
            name: "flow-log-storage",
            type: "azure-native:storage:StorageAccount",
            resourceId: network.flowLogStorageAccountId,
          },
        ]
      : []),
    ...keyVault.diagnosticTargets,
    ...(workloads?.diagnosticTargets ?? []),
    ...(contentSafety?.diagnosticTargets ?? []),
  ],
});
const sentinel = config.features.sentinel
  ? new Sentinel("sentinel", {
      resourceGroupName: foundation.resourceGroupName,
      naming: foundation.naming,
      workspaceName: monitoring.workspaceName,
      tenantId: config.tenantId,
      detection: {
        ciPrincipalObjectIds: [identity.ciPrincipalId],
        expectedSecretReaders: [
          identity.managedIdentities.gateway.principalId,
          identity.managedIdentities.edge.principalId,
          ...Object.values(identity.managedIdentities.workloads).map((workload) => workload.principalId),
        ],
        // No config key yet: with none listed the privileged-burst signal stays off; refusals still alert.
        privilegedTools: [],
      },
      ...(config.monitoring.incidentOwnerObjectId
        ? { incidentOwnerObjectId: config.monitoring.incidentOwnerObjectId }
        : {}),
      ...(config.monitoring.containmentPlaybookId
        ? { containmentPlaybookId: config.monitoring.containmentPlaybookId }
        : {}),
    })
  : undefined;
export const logAnalyticsWorkspaceId = monitoring.workspaceId;
export const appInsightsConnectionString = monitoring.appInsightsConnectionString;
export const sentinelAnalyticsRuleIds = sentinel?.analyticsRuleIds ?? {};
// --- end monitoring + sentinel ---

// --- stack outputs ---
export const environment = config.environment;
export const resourceGroupName = foundation.resourceGroupName;
export const vnetId = network.vnetId;
export const keyVaultUri = keyVault.vaultUri;
export const vaultSecretUris = keyVault.secretUris;
// One Entra API app per MCP server: server name -> its URL (the `resource` clients send) and client ID (`aud`).
export const mcpServerUrls = Object.fromEntries(
  Object.entries(identity.servers).map(([server, api]) => [server, api.resourceUrl]),
);
export const apiClientIds = Object.fromEntries(
  Object.entries(identity.servers).map(([server, api]) => [server, api.apiClientId]),
);
export const deployerClientId = identity.ciClientId;
