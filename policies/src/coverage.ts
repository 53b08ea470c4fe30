/**
 * Azure built-in definitions (shared/reference/azure-policy) that no rule mirrors, each with the
 * reason. Together with the rules' `azureBuiltins` this accounts for every definition in the index;
 * `policies/test/coverage.test.ts` keeps it that way.
 */
import type { BuiltinFile } from "./lib/azure-builtins";

const NO_CERTIFICATES =
  "Key Vault certificates: the deployment creates none (the gateway's TLS certificate is imported out of band and referenced by name; azure-native has no Key Vault certificate resource).";
const NO_MANAGED_HSM_KEYS =
  "Managed HSM keys: data-plane objects with no azure-native resource (the optional Managed HSM itself is covered by keyvault-managed-hsm-protection, network-private-endpoints and monitoring-diagnostic-settings).";
const DEFENDER_PLAN =
  "Microsoft Defender plan: a subscription-level setting (security.Pricing), not a resource this deployment creates; the landing zone enables it.";
const SERVICE_ENDPOINT =
  "Virtual network service endpoints: superseded here by public access disabled plus private endpoints (network-no-public-paas-access, network-private-endpoints), which are stricter.";

export const NOT_MIRRORED: readonly { readonly file: BuiltinFile; readonly reason: string }[] = [
  { file: "API Management/MinimumApiVersion_AuditDeny", reason: "Deprecated by Azure (effect Disabled)." },
  {
    file: "API Management/PlatformVersion_AuditDeny",
    reason:
      "platformVersion is an output, not an input: services created today run stv2; nothing in a plan can set stv1.",
  },
  { file: "Key Vault/Certificates_AllowedKeyTypes", reason: NO_CERTIFICATES },
  { file: "Key Vault/Certificates_EC_AllowedCurveNames", reason: NO_CERTIFICATES },
  { file: "Key Vault/Certificates_Expiry_ByDays", reason: NO_CERTIFICATES },
  { file: "Key Vault/Certificates_Issuers_AllowedCustomCAs", reason: NO_CERTIFICATES },
  { file: "Key Vault/Certificates_Issuers_CustomCAs", reason: NO_CERTIFICATES },
  { file: "Key Vault/Certificates_Issuers_SupportedCAs", reason: NO_CERTIFICATES },
  { file: "Key Vault/Certificates_LifetimeAction", reason: NO_CERTIFICATES },
  { file: "Key Vault/Certificates_RSA_MinimumKeySize", reason: NO_CERTIFICATES },
  { file: "Key Vault/Certificates_ValidityPeriod", reason: NO_CERTIFICATES },
  { file: "Key Vault/ManagedHsm_Keys_AllowedKeyTypes", reason: NO_MANAGED_HSM_KEYS },
  { file: "Key Vault/ManagedHsm_Keys_EC_AllowedCurveNames", reason: NO_MANAGED_HSM_KEYS },
  { file: "Key Vault/ManagedHsm_Keys_ExpirationSet", reason: NO_MANAGED_HSM_KEYS },
  { file: "Key Vault/ManagedHsm_Keys_Expiry_ByDays", reason: NO_MANAGED_HSM_KEYS },
  { file: "Key Vault/ManagedHsm_Keys_OCT_MinimumKeySize", reason: NO_MANAGED_HSM_KEYS },
  { file: "Key Vault/ManagedHsm_Keys_RSA_MinimumKeySize", reason: NO_MANAGED_HSM_KEYS },
  {
    file: "Container Apps/ContainerAppMountStorage_Audit",
    reason: "Not a security control: the MCP servers are stateless and mount no storage.",
  },
  {
    file: "Security Center/ASC_APIMUnusedApiEndpointsShouldbeRemoved_AINE",
    reason: "Needs traffic history (a Defender for APIs runtime assessment); nothing in a plan shows usage.",
  },
  { file: "Security Center/ASC_EnableDefenderForAPIS_Audit", reason: DEFENDER_PLAN },
  { file: "Security Center/ASC_EnableAdvancedThreatProtectionOnKeyVaults_Audit", reason: DEFENDER_PLAN },
  { file: "Security Center/ASC_EnableAdvancedThreatProtectionOnAppServices_Audit", reason: DEFENDER_PLAN },
  { file: "Security Center/ASC_EnableAdvancedThreatProtectionOnContainers_Audit", reason: DEFENDER_PLAN },
  { file: "Security Center/MDC_Microsoft_Defender_For_Storage_Full_Audit", reason: DEFENDER_PLAN },
  { file: "Security Center/ASC_Azure_Defender_CSPM_Audit", reason: DEFENDER_PLAN },
  { file: "Security Center/ASC_EnableAzureDefenderOnResourceManager_Audit", reason: DEFENDER_PLAN },
  {
    file: "Network/ASC_All_Internet_traffic_should_be_routed_via_Azure_Firewall",
    reason:
      "The deployment has no Azure Firewall: outbound internet access is closed by default (network-subnet-no-default-outbound) and by NSGs; forced tunnelling is a landing-zone decision.",
  },
  { file: "Network/VirtualNetworkServiceEndpoint_KeyVault_Audit", reason: SERVICE_ENDPOINT },
  { file: "Network/VirtualNetworkServiceEndpoint_StorageAccount_Audit", reason: SERVICE_ENDPOINT },
  { file: "Network/VirtualNetworkServiceEndpoint_AppService_AINE", reason: SERVICE_ENDPOINT },
  {
    file: "Monitoring/LogAnalyticsClusters_CMKEnabled_Deny",
    reason: "The deployment creates no dedicated Log Analytics cluster (the only place this key applies).",
  },
];
