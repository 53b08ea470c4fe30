/**
 * Every rule of the pack, grouped by area. Side-effect free: the pack entry (`policies/index.ts`), the
 * offline check and the docs generator import this list.
 */
import { apimProtocolsCiphers } from "./tls/apim-protocols-ciphers";
import { backendCertificateValidation } from "./tls/backend-certificate-validation";
import { highestAvailableTls } from "./tls/highest-available-tls";
import { httpsOnly } from "./tls/https-only";
import { minimumTls13 } from "./tls/minimum-tls-1-3";
import { apimNamedValuesKeyVault } from "./secrets/apim-named-values-key-vault";
import { tlsCertificateKeyVault } from "./secrets/tls-certificate-key-vault";
import { armSecureParameters } from "./secrets/arm-secure-parameters";
import { containerAppSecretsKeyVault } from "./secrets/container-app-secrets-key-vault";
import { keyVaultSecretExpiry } from "./secrets/key-vault-secret-expiry";
import { localAuthDisabled } from "./secrets/local-auth-disabled";
import { noEntraPasswordCredentials } from "./secrets/no-entra-password-credentials";
import { noLiteralSecrets } from "./secrets/no-literal-secrets";
import { storageSharedKeyDisabled } from "./secrets/storage-shared-key-disabled";
import { keyVaultDeletionProtection } from "./keyvault/deletion-protection";
import { keyVaultKeyExpiry } from "./keyvault/key-expiry";
import { keyVaultKeyHsmType } from "./keyvault/key-hsm-type";
import { keyVaultKeyRotation } from "./keyvault/key-rotation";
import { managedHsmProtection } from "./keyvault/managed-hsm-protection";
import { keyVaultNoPublicAccess } from "./keyvault/no-public-access";
import { keyVaultPremiumSku } from "./keyvault/premium-sku";
import { keyVaultRbacAuthorization } from "./keyvault/rbac-authorization";
import { containerAppsInternal } from "./network/container-apps-internal";
import { ddosProtection } from "./network/ddos-protection";
import { edgeWaf } from "./network/edge-waf";
import { flowLogs } from "./network/flow-logs";
import { nsgManagementPorts } from "./network/nsg-management-ports";
import { paasPublicAccess } from "./network/paas-public-access";
import { privateEndpoints } from "./network/private-endpoints";
import { publicIpEdgeOnly } from "./network/public-ip-edge-only";
import { subnetNsg } from "./network/subnet-nsg";
import { subnetPrivate } from "./network/subnet-private";
import { apiHttpsOnly } from "./apim/api-https-only";
import { backendAuthenticated } from "./apim/backend-authenticated";
import { managementEndpointsDisabled } from "./apim/management-endpoints-disabled";
import { mcpNoTokenPassthrough } from "./apim/mcp-no-token-passthrough";
import { mcpRateLimit } from "./apim/mcp-rate-limit";
import { mcpTokenValidation } from "./apim/mcp-token-validation";
import { policyBaseInheritance } from "./apim/policy-base-inheritance";
import { subscriptionScope } from "./apim/subscription-scope";
import { vnetSku } from "./apim/vnet-sku";
import { accessTokenV2 } from "./entra/access-token-v2";
import { assignmentRequired } from "./entra/assignment-required";
import { federatedCredentialIssuers } from "./entra/federated-credential-issuers";
import { noCustomRbacRoles } from "./entra/no-custom-rbac-roles";
import { noImplicitGrant } from "./entra/no-implicit-grant";
import { appInsightsWorkspace } from "./monitoring/app-insights-workspace";
import { customerManagedMonitoringStorage } from "./monitoring/customer-managed-storage";
import { diagnosticSettings } from "./monitoring/diagnostic-settings";
import { monitoringLocalAuthDisabled } from "./monitoring/local-auth-disabled";
import { privateLinkScopeAccess } from "./monitoring/private-link-scope";
import { appServiceBasicAuth } from "./workloads/app-service-basic-auth";
import { appServiceHardening } from "./workloads/app-service-hardening";
import { containerAppAuthentication } from "./workloads/container-app-authentication";
import { managedIdentity } from "./workloads/managed-identity";
import { storageEncryption } from "./storage/encryption";
import { noAnonymousBlobAccess } from "./storage/no-anonymous-blob-access";
import { zoneRedundancy } from "./resilience/zone-redundancy";
import type { PackPolicy } from "./lib/metadata";

export const allPolicies: readonly PackPolicy[] = [
  // tls
  apimProtocolsCiphers,
  backendCertificateValidation,
  highestAvailableTls,
  httpsOnly,
  minimumTls13,
  // secrets
  apimNamedValuesKeyVault,
  tlsCertificateKeyVault,
  armSecureParameters,
  containerAppSecretsKeyVault,
  keyVaultSecretExpiry,
  localAuthDisabled,
  noEntraPasswordCredentials,
  noLiteralSecrets,
  storageSharedKeyDisabled,
  // keyvault
  keyVaultDeletionProtection,
  keyVaultKeyExpiry,
  keyVaultKeyHsmType,
  keyVaultKeyRotation,
  managedHsmProtection,
  keyVaultNoPublicAccess,
  keyVaultPremiumSku,
  keyVaultRbacAuthorization,
  // network
  containerAppsInternal,
  ddosProtection,
  edgeWaf,
  flowLogs,
  nsgManagementPorts,
  paasPublicAccess,
  privateEndpoints,
  publicIpEdgeOnly,
  subnetNsg,
  subnetPrivate,
  // apim
  apiHttpsOnly,
  backendAuthenticated,
  managementEndpointsDisabled,
  mcpNoTokenPassthrough,
  mcpRateLimit,
  mcpTokenValidation,
  policyBaseInheritance,
  subscriptionScope,
  vnetSku,
  // entra
  accessTokenV2,
  assignmentRequired,
  federatedCredentialIssuers,
  noCustomRbacRoles,
  noImplicitGrant,
  // monitoring
  appInsightsWorkspace,
  customerManagedMonitoringStorage,
  diagnosticSettings,
  monitoringLocalAuthDisabled,
  privateLinkScopeAccess,
  // workloads
  appServiceBasicAuth,
  appServiceHardening,
  containerAppAuthentication,
  managedIdentity,
  // storage
  storageEncryption,
  noAnonymousBlobAccess,
  // resilience
  zoneRedundancy,
];
