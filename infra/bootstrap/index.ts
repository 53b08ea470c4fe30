/**
 * The bootstrap stack: a self-managed Pulumi state backend in Azure Blob Storage and an HSM-backed Key Vault
 * key as the secrets provider, for the environment stacks (`pulumi login azblob://<container>` with
 * `AZURE_STORAGE_ACCOUNT`, `--secrets-provider azurekeyvault://<vault>.vault.azure.net/keys/<key>`).
 * Its own project (infra/bootstrap/Pulumi.yaml) with its own small state: run once by an administrator with a
 * local backend, then keep its state in the container it created (docs/delivery.md). Offline preview:
 * `npm run preview:bootstrap`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import { REGION_SHORT_CODES } from "../config/regions";
import { resourceName, type NamingContext } from "../conventions/naming";
import { PROJECT_UUID_NAMESPACE, uuidV5 } from "../conventions/uuid";
import { BOOTSTRAP_PROJECT, parseBootstrapConfig, type BootstrapConfig } from "./config";
import {
  GITHUB_OIDC,
  MICROSOFT_GRAPH_APP_ID,
  READER_GRAPH_APP_ROLES,
  readerEnvironment,
  STATE_LOCKS_ONLY_CONDITION,
} from "./readers";

/** Built-in role definition IDs (Azure RBAC). */
const ROLES = {
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
} as const;

/** The key that wraps each stack's data key (`encryptedkey` in the stack file). */
export const SECRETS_KEY_NAME = "pulumi-secrets";

function loadConfig(): BootstrapConfig {
  const values = Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig()).filter(([key]) => key.startsWith(`${BOOTSTRAP_PROJECT}:`)),
  );
  const parsed = parseBootstrapConfig(values);
  if (!parsed.ok)
    throw new Error(`invalid bootstrap config:\n${parsed.problems.map((p) => `  - ${p}`).join("\n")}`);
  return parsed.config;
}

const config = loadConfig();
const naming: NamingContext = {
  prefix: config.namePrefix,
  environment: "shared",
  regionCode: REGION_SHORT_CODES[config.location],
  uniquenessSeed: `${config.tenantId}/bootstrap`,
};
const tags = { ...config.tags, purpose: "pulumi-state", managedBy: "pulumi" };
const stateful: pulumi.CustomResourceOptions = { protect: config.protect };
const publicAccess = config.networkAccess === "private" ? "Disabled" : "Enabled";
const defaultAction = config.networkAccess === "public" ? "Allow" : "Deny";
const subscriptionId = authorization.getClientConfigOutput().subscriptionId;

const group = new resources.ResourceGroup("state-resource-group", {
  resourceGroupName: resourceName("resourceGroup", naming, "state"),
  location: config.location,
  tags,
});

// --- state: a blob container, Entra ID only, every version and deletion recoverable ---
const account = new storage.StorageAccount(
  "state-storage",
  {
    resourceGroupName: group.name,
    location: config.location,
    accountName: resourceName("storageAccount", naming, "state"),
    kind: storage.Kind.StorageV2,
    sku: { name: config.storageSku },
    // No account keys or SAS: every read and write of state is an Entra principal with a data role.
    allowSharedKeyAccess: false,
    defaultToOAuthAuthentication: true,
    allowBlobPublicAccess: false,
    allowCrossTenantReplication: false,
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
    publicNetworkAccess: publicAccess,
    networkRuleSet: {
      defaultAction,
      bypass: storage.Bypass.None,
      ipRules: config.allowedIpRanges.map((range) => ({
        iPAddressOrRange: range,
        action: storage.Action.Allow,
      })),
      virtualNetworkRules: [],
    },
    encryption: {
      keySource: storage.KeySource.Microsoft_Storage,
      requireInfrastructureEncryption: true,
      services: { blob: { enabled: true, keyType: storage.KeyType.Account } },
    },
    tags,
  },
  stateful,
);

const blobService = new storage.BlobServiceProperties(
  "state-blob-service",
  {
    resourceGroupName: group.name,
    accountName: account.name,
    blobServicesName: "default",
    // Every overwrite of a checkpoint keeps the previous version; deleted blobs and containers stay recoverable.
    isVersioningEnabled: true,
    deleteRetentionPolicy: { enabled: true, days: config.blobRetentionDays },
    containerDeleteRetentionPolicy: { enabled: true, days: config.blobRetentionDays },
    changeFeed: { enabled: true, retentionInDays: config.blobRetentionDays },
  },
  stateful,
);

const container = new storage.BlobContainer(
  "state-container",
  {
    resourceGroupName: group.name,
    accountName: account.name,
    containerName: config.stateContainerName,
    publicAccess: storage.PublicAccess.None,
  },
  { ...stateful, dependsOn: [blobService] },
);

// --- secrets provider: an RSA-HSM key in a premium, RBAC-only, purge-protected vault ---
const vault = new keyvault.Vault(
  "state-vault",
  {
    resourceGroupName: group.name,
    location: config.location,
    vaultName: resourceName("keyVault", naming, "state"),
    properties: {
      tenantId: config.tenantId,
      sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Premium },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
      publicNetworkAccess: publicAccess,
      networkAcls: {
        defaultAction,
        bypass: keyvault.NetworkRuleBypassOptions.None,
        ipRules: config.allowedIpRanges.map((value) => ({ value })),
        virtualNetworkRules: [],
      },
    },
    tags,
  },
  stateful,
);

// Not rotated automatically: the azurekeyvault:// provider decrypts with the latest key version, so a rotation
// must go with `pulumi stack change-secrets-provider` on every stack (docs/delivery.md). No expiry for the same
// reason: an expired key would lock every stack's secrets.
const secretsKey = new keyvault.Key(
  "state-secrets-key",
  {
    resourceGroupName: group.name,
    vaultName: vault.name,
    keyName: SECRETS_KEY_NAME,
    properties: {
      kty: keyvault.JsonWebKeyType.RSA_HSM,
      keySize: 3072,
      keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
      attributes: { enabled: true },
    },
    tags,
  },
  stateful,
);

// --- who may use them: the CI deployers and the administrators named in config, nothing broader ---
for (const principal of config.principals) {
  const key = principal.objectId.toLowerCase();
  new authorization.RoleAssignment(`state-blob-${key}`, {
    scope: container.id,
    roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ROLES.storageBlobDataContributor}`,
    principalId: principal.objectId,
    principalType: principal.type,
    roleAssignmentName: uuidV5(`bootstrap/${config.tenantId}/state-blob/${key}`, PROJECT_UUID_NAMESPACE),
    description: `Pulumi state: ${principal.description}`,
  });
  new authorization.RoleAssignment(`state-key-${key}`, {
    scope: secretsKey.id,
    roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ROLES.keyVaultCryptoUser}`,
    principalId: principal.objectId,
    principalType: principal.type,
    roleAssignmentName: uuidV5(`bootstrap/${config.tenantId}/state-key/${key}`, PROJECT_UUID_NAMESPACE),
    description: `Pulumi secrets provider: ${principal.description}`,
  });
}

// --- read-only CI identities (previews and drift), one per environment ---
export const ciReaderClientIds: Record<string, pulumi.Output<string>> = {};
if (config.ciReaders) {
  const readers = config.ciReaders;
  // Microsoft Graph's service principal exists in every tenant: looked up, never managed by this stack.
  const graph = azuread.getServicePrincipalOutput({ clientId: MICROSOFT_GRAPH_APP_ID });
  for (const environment of readers.environments) {
    const githubEnvironment = readerEnvironment(environment);
    const app = new azuread.ApplicationRegistration(`ci-reader-${environment}`, {
      displayName: `${config.namePrefix}-${environment}-ci-reader`,
      description: `Read-only GitHub Actions identity of ${environment}: pull-request previews and nightly drift (docs/delivery.md).`,
      signInAudience: "AzureADMyOrg",
      requestedAccessTokenVersion: 2,
      implicitAccessTokenIssuanceEnabled: false,
      implicitIdTokenIssuanceEnabled: false,
    });
    const sp = new azuread.ServicePrincipal(`ci-reader-${environment}-sp`, {
      clientId: app.clientId,
      appRoleAssignmentRequired: true,
    });
    new azuread.ApplicationFederatedIdentityCredential(`ci-reader-${environment}-github`, {
      applicationId: app.id,
      displayName: `github-${githubEnvironment}`,
      description: `GitHub Actions, environment ${githubEnvironment} of ${readers.repository}`,
      issuer: GITHUB_OIDC.issuer,
      audiences: [GITHUB_OIDC.audience],
      subject: `repo:${readers.repository}:environment:${githubEnvironment}`,
    });
    // Entra drift: refreshing the app registrations, service principals, federated credentials and app role
    // assignments the environment stack owns needs Application.Read.All, and nothing that writes.
    for (const [permission, appRoleId] of Object.entries(READER_GRAPH_APP_ROLES)) {
      new azuread.AppRoleAssignment(`ci-reader-${environment}-graph-${permission}`, {
        appRoleId,
        principalObjectId: sp.objectId,
        resourceObjectId: graph.objectId,
      });
    }
    const subscriptionScope = `/subscriptions/${readers.subscriptionId}`;
    new authorization.RoleAssignment(`ci-reader-${environment}-reader`, {
      scope: subscriptionScope,
      roleDefinitionId: `${subscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/${ROLES.reader}`,
      principalId: sp.objectId,
      principalType: "ServicePrincipal",
      roleAssignmentName: sp.objectId.apply((id) =>
        uuidV5(`bootstrap/${config.tenantId}/ci-reader-arm/${id.toLowerCase()}`, PROJECT_UUID_NAMESPACE),
      ),
      description: `CI reader ${environment}: reads Azure resources for preview and drift`,
    });
    // Reads all state; writes only the backend's lock files (the CLI locks a stack for every operation).
    new authorization.RoleAssignment(`ci-reader-${environment}-state`, {
      scope: container.id,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ROLES.storageBlobDataContributor}`,
      principalId: sp.objectId,
      principalType: "ServicePrincipal",
      roleAssignmentName: sp.objectId.apply((id) =>
        uuidV5(`bootstrap/${config.tenantId}/ci-reader-state/${id.toLowerCase()}`, PROJECT_UUID_NAMESPACE),
      ),
      condition: STATE_LOCKS_ONLY_CONDITION,
      conditionVersion: "2.0",
      description: `CI reader ${environment}: reads Pulumi state, writes only .pulumi/locks/`,
    });
    new authorization.RoleAssignment(`ci-reader-${environment}-key`, {
      scope: secretsKey.id,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ROLES.keyVaultCryptoUser}`,
      principalId: sp.objectId,
      principalType: "ServicePrincipal",
      roleAssignmentName: sp.objectId.apply((id) =>
        uuidV5(`bootstrap/${config.tenantId}/ci-reader-key/${id.toLowerCase()}`, PROJECT_UUID_NAMESPACE),
      ),
      description: `CI reader ${environment}: unwraps the stack's data key to decrypt its secrets`,
    });
    ciReaderClientIds[environment] = app.clientId;
  }
}

// --- private endpoints (networkAccess private) ---
if (config.privateEndpoint) {
  const endpoint = config.privateEndpoint;
  const privateLink = (name: string, target: pulumi.Input<string>, groupId: string, zoneId: string): void => {
    const pe = new network.PrivateEndpoint(`${name}-endpoint`, {
      resourceGroupName: group.name,
      location: config.location,
      privateEndpointName: resourceName("privateEndpoint", naming, name),
      subnet: { id: endpoint.subnetId },
      privateLinkServiceConnections: [{ name, privateLinkServiceId: target, groupIds: [groupId] }],
      tags,
    });
    new network.PrivateDnsZoneGroup(`${name}-dns`, {
      resourceGroupName: group.name,
      privateEndpointName: pe.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [{ name: groupId, privateDnsZoneId: zoneId }],
    });
  };
  privateLink("state-blob", account.id, "blob", endpoint.blobDnsZoneId);
  privateLink("state-vault", vault.id, "vault", endpoint.vaultDnsZoneId);
}

// --- audit: who read or wrote state, who used the key ---
if (config.diagnosticsWorkspaceId) {
  // The account itself only has metrics; the blob service has the data-plane log.
  new monitor.DiagnosticSetting("state-storage-diagnostics", {
    resourceUri: account.id,
    name: "pulumi-state-audit",
    workspaceId: config.diagnosticsWorkspaceId,
    metrics: [{ category: "Transaction", enabled: true }],
  });
  new monitor.DiagnosticSetting("state-blob-diagnostics", {
    resourceUri: pulumi.interpolate`${account.id}/blobServices/default`,
    name: "pulumi-state-audit",
    workspaceId: config.diagnosticsWorkspaceId,
    logAnalyticsDestinationType: "Dedicated",
    logs: ["StorageRead", "StorageWrite", "StorageDelete"].map((category) => ({ category, enabled: true })),
  });
  new monitor.DiagnosticSetting("state-vault-diagnostics", {
    resourceUri: vault.id,
    name: "pulumi-state-audit",
    workspaceId: config.diagnosticsWorkspaceId,
    logAnalyticsDestinationType: "Dedicated",
    logs: [{ categoryGroup: "audit", enabled: true }],
  });
}

// --- locks: the backend outlives every environment ---
if (config.lock) {
  new authorization.ManagementLockByScope("state-storage-lock", {
    scope: account.id,
    lockName: resourceName("managementLock", naming, "state-storage"),
    level: authorization.LockLevel.CanNotDelete,
    notes: "Pulumi state of every environment. Remove only to retire the backend (docs/delivery.md).",
  });
  new authorization.ManagementLockByScope("state-vault-lock", {
    scope: vault.id,
    lockName: resourceName("managementLock", naming, "state-vault"),
    level: authorization.LockLevel.CanNotDelete,
    notes:
      "Secrets provider key of every environment stack. Remove only to retire the backend (docs/delivery.md).",
  });
}

export const resourceGroupName = group.name;
export const storageAccountName = account.name;
export const stateContainerName = container.name;
/** `pulumi login` URL; set `AZURE_STORAGE_ACCOUNT` to `storageAccountName` (CI: repository variable PULUMI_STATE_STORAGE_ACCOUNT). */
export const backendUrl = pulumi.interpolate`azblob://${container.name}`;
/** `pulumi stack init <env> --secrets-provider <this>` / `pulumi stack change-secrets-provider <this>`. */
export const secretsProvider = pulumi.interpolate`azurekeyvault://${vault.name}.vault.azure.net/keys/${secretsKey.name}`;
