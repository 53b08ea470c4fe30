/**
 * The Pulumi program: reads and validates the stack config, then wires the components together.
 * Components never import each other; they meet here through typed args and outputs, and data
 * flows one way: config -> components -> stack outputs.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  loadStackConfig,
  placementFor,
  readAlertWebhookUrl,
  readTlsCertificatePfx,
  readVaultSecretValues,
} from "./config";
import { ContentSafety, serversWithPromptShields } from "./content-safety";
import { Edge, edgeSettingsFromConfig } from "./edge";
import { createFoundation } from "./foundation";
import { Gateway, GatewayLogging, type GatewayServerEndpoint } from "./gateway";
import { exemptionsFor, Governance, type GovernedResource } from "./governance";
import { Identity } from "./identity";
import { KeyVault, type VaultCertificateSource } from "./keyvault";
import { Monitoring } from "./monitoring";
import { Network } from "./network";
import { Sentinel } from "./sentinel";
import { containerServers, Workloads, type WorkloadBackendAuth } from "./workloads";

// Validates every key before anything is declared; a bad config stops here with all its problems.
const config = loadStackConfig();
const foundation = createFoundation(placementFor(config));
const placement = {
  resourceGroupName: foundation.resourceGroupName,
  location: foundation.location,
  naming: foundation.naming,
  tags: foundation.tags,
};

const network = new Network("network", {
  ...placement,
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
const gatewayIdentity = identity.managedIdentities.gateway;
const edgeIdentity = identity.managedIdentities.edge;

// The gateway reads exactly the secrets its API-key backends use, and both TLS endpoints read the certificate.
// The certificate reaches the vault through ARM on the first `up` (a PFX from secret config) or is named by
// its existing secret: nothing is imported by hand between bootstrap and a working `up` (docs/keyvault.md).
const tlsCertificate = config.gateway.tlsCertificate;
const certificateSource: VaultCertificateSource =
  tlsCertificate.source === "pfxConfig"
    ? {
        kind: "pfx",
        secretName: tlsCertificate.secretName,
        value: readTlsCertificatePfx(tlsCertificate),
        expiresOn: tlsCertificate.expiresOn,
      }
    : {
        kind: "existing",
        secretUri: tlsCertificate.secretUri,
        vaultResourceId: tlsCertificate.vaultResourceId,
      };
// Two servers may share one backend key: one grant per secret (a repeated grant is a duplicate resource).
const apiKeySecretNames = [
  ...new Set(
    config.mcpServers.flatMap((server) =>
      server.backendAuth.type === "apiKey" ? [server.backendAuth.secretName] : [],
    ),
  ),
];
// The gateway signs the session IDs it hands out with a key nobody sees (docs/gateway.md, step 6).
const SESSION_KEY_SECRET = "mcp-session-key";
const keyVault = new KeyVault("key-vault", {
  ...placement,
  keyVault: config.keyVault,
  tenantId: config.tenantId,
  privateEndpointSubnetId: network.subnetIds.privateEndpoints,
  vaultDnsZone: network.privateDnsZones.keyVault,
  ...(network.privateDnsZones.managedHsm ? { managedHsmDnsZone: network.privateDnsZones.managedHsm } : {}),
  secretValues: readVaultSecretValues(config),
  secretExpiresOn: Object.fromEntries(
    config.keyVault.secrets.flatMap((secret) => (secret.expiresOn ? [[secret.name, secret.expiresOn]] : [])),
  ),
  certificate: {
    source: certificateSource,
    readers: [
      { name: "gateway-tls", principalId: gatewayIdentity.principalId, principalType: "ServicePrincipal" },
      { name: "edge-tls", principalId: edgeIdentity.principalId, principalType: "ServicePrincipal" },
    ],
  },
  // Letters and digits (safe inside a policy expression); a year's expiry, rotated by replacing the generator.
  generatedSecrets: [{ name: SESSION_KEY_SECRET, length: 64, expiryDays: 365 }],
  grants: {
    secretsUsers: [
      {
        name: "gateway",
        principalId: gatewayIdentity.principalId,
        principalType: "ServicePrincipal",
        secretNames: [SESSION_KEY_SECRET, ...apiKeySecretNames],
      },
    ],
  },
  protect: config.features.protectStatefulResources,
  lock: config.features.resourceLocks,
  ...(config.keyVault.managedHsm
    ? { managedHsmAdministrators: config.keyVault.managedHsmAdministrators }
    : {}),
});

// Sandboxed MCP servers (only when some server gives a container image).
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
        gatewayIdentity,
        protectStatefulResources: config.features.protectStatefulResources,
        resourceLocks: config.features.resourceLocks,
      });

// Prompt Shields (only when some server enables it).
const contentSafety =
  serversWithPromptShields(config.mcpServers).length === 0
    ? undefined
    : new ContentSafety("content-safety", {
        foundation,
        privateEndpointSubnetId: network.subnetIds.privateEndpoints,
        dnsZone: network.privateDnsZones.cognitiveServices,
        gatewayPrincipalId: gatewayIdentity.principalId,
      });

const gatewayServers = Object.fromEntries(
  config.mcpServers.map((server): [string, GatewayServerEndpoint] => {
    const api = identity.servers[server.name];
    const backendUrl: pulumi.Input<string> | undefined =
      server.backendUrl ?? workloads?.backendUrls[server.name];
    if (!api || backendUrl === undefined)
      throw new Error(`MCP server ${server.name} has no API app or backend URL`);
    const backendAudience = identity.backendAudiences[server.name];
    return [
      server.name,
      { apiClientId: api.apiClientId, backendUrl, ...(backendAudience ? { backendAudience } : {}) },
    ];
  }),
);
const gateway = new Gateway("gateway", {
  ...placement,
  environment: config.environment,
  tenantId: config.tenantId,
  gateway: config.gateway,
  gatewayPolicy: config.gatewayPolicy,
  mcpServers: config.mcpServers,
  scopeValue: identity.scopeValue,
  preAuthorizedClientIds: config.identity.preAuthorizedClientIds,
  ...(identity.firstPartyClientId ? { firstPartyClientId: identity.firstPartyClientId } : {}),
  subnetId: network.subnetIds.gateway,
  ...(network.subnetIds.gatewayIntegration
    ? { integrationSubnetId: network.subnetIds.gatewayIntegration }
    : {}),
  privateEndpointSubnetId: network.subnetIds.privateEndpoints,
  apimDnsZone: network.privateDnsZones.apim,
  vnetId: network.vnetId,
  identity: gatewayIdentity,
  servers: gatewayServers,
  namedValueSecrets: keyVault.secretUris,
  sessionKeySecretUri: keyVault.secretUris[SESSION_KEY_SECRET]!,
  tlsCertificateSecretUri: keyVault.certificateSecretUri,
  certificateAccess: keyVault.certificateReady,
  ...(contentSafety ? { contentSafetyEndpoint: contentSafety.endpoint } : {}),
  protect: config.features.protectStatefulResources,
});

// The only public entry point: TLS 1.3-only Application Gateway with WAF in front of the internal gateway.
const edge = new Edge("edge", {
  ...placement,
  ...edgeSettingsFromConfig(config),
  backendHostname: gateway.gatewayHostname,
  subnetId: network.subnetIds.edge,
  identityId: edgeIdentity.id,
  certificateSecretUri: keyVault.certificateSecretUri,
  backendAddresses: [gateway.privateIpAddress],
  ...(network.ddosProtectionPlanId ? { ddosProtectionPlanId: network.ddosProtectionPlanId } : {}),
  certificateAccess: keyVault.certificateReady,
});

// Declared after every component whose diagnostic targets it takes.
const alertWebhookUrl = readAlertWebhookUrl(config);
const monitoring = new Monitoring("monitoring", {
  ...placement,
  environment: config.environment,
  monitoring: config.monitoring,
  protect: config.features.protectStatefulResources,
  lock: config.features.resourceLocks,
  privateEndpointSubnetId: network.subnetIds.privateEndpoints,
  privateDnsZones: network.privateDnsZones,
  ...(alertWebhookUrl ? { alertWebhookUrl } : {}),
  telemetryPublishers: [
    { name: "gateway", principalId: gatewayIdentity.principalId, principalType: "ServicePrincipal" },
  ],
  diagnosticTargets: [
    ...network.diagnosticTargets,
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
    ...gateway.diagnosticTargets,
    ...edge.diagnosticTargets,
  ],
});
// The gateway's logger needs App Insights, and monitoring needs the gateway's diagnostic targets first.
new GatewayLogging("gateway-logging", {
  resourceGroupName: foundation.resourceGroupName,
  serviceName: gateway.serviceName,
  identityClientId: gatewayIdentity.clientId,
  mcpServers: config.mcpServers,
  appInsights: { id: monitoring.appInsightsId, connectionString: monitoring.appInsightsConnectionString },
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
          gatewayIdentity.principalId,
          edgeIdentity.principalId,
          ...Object.values(identity.managedIdentities.workloads).map((workload) => workload.principalId),
        ],
        privilegedTools: config.mcpServers.flatMap((server) =>
          server.tools
            .filter((tool) => tool.roles.some((role) => /admin/i.test(role)))
            .map((tool) => tool.name),
        ),
      },
      ...(config.monitoring.incidentOwnerObjectId
        ? { incidentOwnerObjectId: config.monitoring.incidentOwnerObjectId }
        : {}),
      ...(config.monitoring.containmentPlaybookId
        ? { containmentPlaybookId: config.monitoring.containmentPlaybookId }
        : {}),
    })
  : undefined;

// --- stack outputs ---
// The benchmark in audit mode plus one exemption per declared deviation (policies/src/lib/exemption-declarations.ts):
// the resources a declaration may name, by azure-native type and logical name (the same as in the plan).
const governedResources: GovernedResource[] = [
  { type: "azure-native:network:VirtualNetwork", name: "vnet", id: network.vnetId },
  ...Object.entries(network.networkSecurityGroupIds).flatMap(([purpose, id]) =>
    id ? [{ type: "azure-native:network:NetworkSecurityGroup", name: `nsg-${purpose}`, id }] : [],
  ),
  ...(network.flowLogStorageAccountId
    ? [
        {
          type: "azure-native:storage:StorageAccount",
          name: "flow-log-storage",
          id: network.flowLogStorageAccountId,
        },
      ]
    : []),
  {
    type: "azure-native:storage:StorageAccount",
    name: "query-storage",
    id: monitoring.queryStorageAccountId,
  },
  { type: "azure-native:apimanagement:ApiManagementService", name: "gateway-service", id: gateway.serviceId },
  ...Object.entries(gateway.backendIds).map(([server, id]) => ({
    type: "azure-native:apimanagement:Backend",
    name: `gateway-backend-${server}`,
    id,
  })),
  ...(workloads
    ? [
        {
          type: "azure-native:app:ManagedEnvironment",
          name: "workloads-environment",
          id: workloads.environmentId,
        },
      ]
    : []),
];
new Governance("governance", {
  resourceGroupId: foundation.resourceGroupId,
  location: foundation.location,
  environment: config.environment,
  exemptions: exemptionsFor(config.environment),
  resources: governedResources,
});

export const environment = config.environment;
export const resourceGroupName = foundation.resourceGroupName;
export const vnetId = network.vnetId;
export const keyVaultUri = keyVault.vaultUri;
export const vaultSecretUris = keyVault.secretUris;
/** One Entra API app per MCP server: the URL clients send as `resource`, and the client ID in `aud`. */
export const mcpServerUrls = Object.fromEntries(
  Object.entries(identity.servers).map(([name, api]) => [name, api.resourceUrl]),
);
export const apiClientIds = Object.fromEntries(
  Object.entries(identity.servers).map(([name, api]) => [name, api.apiClientId]),
);
export const deployerClientId = identity.ciClientId;
export const deployerPrincipalId = identity.ciPrincipalId;
/** Point the gateway host name's public DNS record at this address. */
export const edgePublicIpAddress = edge.publicIpAddress;
export const gatewayPrivateIpAddress = gateway.privateIpAddress;
export const workloadBackendUrls = workloads?.backendUrls ?? {};
export const workloadRegistryName = workloads?.registryName ?? null;
/** The `az acr import` each server's image needs before `pulumi up` (docs/workloads.md). */
export const workloadImagePromotions = workloads?.imagePromotions ?? {};
export const promptShieldsUrl = contentSafety?.shieldPromptUrl ?? null;
export const logAnalyticsWorkspaceId = monitoring.workspaceId;
export const appInsightsConnectionString = monitoring.appInsightsConnectionString;
export const sentinelAnalyticsRuleIds = sentinel?.analyticsRuleIds ?? {};
