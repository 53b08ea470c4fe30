/**
 * Azure built-in policy definitions this pack is measured against: file (category/name), GUID and
 * display name from `shared/reference/azure-policy/INDEX.tsv` (Azure/azure-policy f4a50bac). Rules name
 * the definitions they mirror by file; `policies/test/coverage.test.ts` checks this table against the index.
 */
import type { AzureBuiltin } from "./metadata";

export const AZURE_BUILTINS = {
  "API Management/AllApiSubscription_AuditDeny": {
    guid: "3aa03346-d8c5-4994-a5bc-7652c2a2aef1",
    displayName: "API Management subscriptions should not be scoped to all APIs",
  },
  "API Management/AllowedVNETSkus_AuditDeny": {
    guid: "73ef9241-5d81-4cd4-b483-8443d1730fe5",
    displayName: "API Management service should use a SKU that supports virtual networks",
  },
  "API Management/BackendAuth_AuditDeny": {
    guid: "c15dcc82-b93c-4dcb-9332-fbf121685b54",
    displayName: "API Management calls to API backends should be authenticated",
  },
  "API Management/BackendCertificateChecks_AuditDeny": {
    guid: "92bb331d-ac71-416a-8c91-02f2cb734ce4",
    displayName:
      "API Management calls to API backends should not bypass certificate thumbprint or name validation",
  },
  "API Management/BasePolicy_Audit": {
    guid: "d5448c98-e503-4fdd-bcd2-784960c00d04",
    displayName: "API Management policies should inherit parent scope policies using <base />",
  },
  "API Management/BasicAuthDisabled_Modify": {
    guid: "1b0d74ac-4b43-4c39-a15f-594385adc38d",
    displayName: "Modify API Management to disable username and password authentication",
  },
  "API Management/BasicAuth_Audit": {
    guid: "ffe25541-3853-4f4e-b71d-064422294b11",
    displayName: "API Management should have username and password authentication disabled",
  },
  "API Management/DirectManagementAPIEnabled_AuditDeny": {
    guid: "b741306c-968e-4b67-b916-5675e5c709f4",
    displayName: "API Management direct management endpoint should not be enabled",
  },
  "API Management/HTTPEnabled_AuditDeny": {
    guid: "ee7495e7-3ba7-40b6-bfee-c29e22cc75d4",
    displayName: "API Management APIs should use only encrypted protocols",
  },
  "API Management/MinimumApiVersion_AuditDeny": {
    guid: "549814b6-3212-4203-bdc8-1548d342fb67",
    displayName: "[Deprecated]: API Management minimum API version should be set to 2019-12-01 or higher",
  },
  "API Management/NamedValueSecretsInKV_AuditDeny": {
    guid: "f1cc7827-022c-473e-836e-5a51cae0b249",
    displayName: "API Management secret named values should be stored in Azure Key Vault",
  },
  "API Management/PlatformVersion_AuditDeny": {
    guid: "1dc2fc00-2245-4143-99f4-874c937f13ef",
    displayName: "Azure API Management platform version should be stv2",
  },
  "API Management/PublicEndpoint_AINE": {
    guid: "df73bd95-24da-4a4f-96b9-4e8b94b402bd",
    displayName: "API Management should disable public network access to the service configuration endpoints",
  },
  "API Management/PublicEndpoint_DINE": {
    guid: "7ca8c8ac-3a6e-493d-99ba-c5fa35347ff2",
    displayName:
      "Configure API Management services to disable access to API Management public service configuration endpoints",
  },
  "API Management/VNETEnabled_Audit": {
    guid: "ef619a2c-cc4d-4d03-b2ba-8c94a834d85b",
    displayName: "API Management services should use a virtual network",
  },
  "Key Vault/AuditDiagnosticLog_Audit": {
    guid: "cf820ca0-f99e-4f3e-84fb-66e913812d21",
    displayName: "Resource logs in Key Vault should be enabled",
  },
  "Key Vault/AutoConfigure_PrivateDNSZone_DINE": {
    guid: "ac673a9a-f77d-4846-b2d8-a57f8e1c01d4",
    displayName: "Configure Azure Key Vaults to use private DNS zones",
  },
  "Key Vault/Certificates_AllowedKeyTypes": {
    guid: "1151cede-290b-4ba0-8b38-0ad145ac888f",
    displayName: "Certificates should use allowed key types",
  },
  "Key Vault/Certificates_EC_AllowedCurveNames": {
    guid: "bd78111f-4953-4367-9fd5-7e08808b54bf",
    displayName: "Certificates using elliptic curve cryptography should have allowed curve names",
  },
  "Key Vault/Certificates_Expiry_ByDays": {
    guid: "f772fb64-8e40-40ad-87bc-7706e1949427",
    displayName: "Certificates should not expire within the specified number of days",
  },
  "Key Vault/Certificates_Issuers_AllowedCustomCAs": {
    guid: "d3e82b87-6673-410b-8501-1896b688b9a3",
    displayName:
      "Certificates should be issued by one of the specified non-integrated certificate authorities",
  },
  "Key Vault/Certificates_Issuers_CustomCAs": {
    guid: "a22f4a40-01d3-4c7d-8071-da157eeff341",
    displayName: "Certificates should be issued by the specified non-integrated certificate authority",
  },
  "Key Vault/Certificates_Issuers_SupportedCAs": {
    guid: "8e826246-c976-48f6-b03e-619bb92b3d82",
    displayName: "Certificates should be issued by the specified integrated certificate authority",
  },
  "Key Vault/Certificates_LifetimeAction": {
    guid: "12ef42cb-9903-4e39-9c26-422d29570417",
    displayName: "Certificates should have the specified lifetime action triggers",
  },
  "Key Vault/Certificates_RSA_MinimumKeySize": {
    guid: "cee51871-e572-4576-855c-047c820360f0",
    displayName: "Certificates using RSA cryptography should have the specified minimum key size",
  },
  "Key Vault/Certificates_ValidityPeriod": {
    guid: "0a075868-4c26-42ef-914c-5bc007359560",
    displayName: "Certificates should have the specified maximum validity period",
  },
  "Key Vault/DataConnectorsAzureKeyVault": {
    guid: "951af2fa-529b-416e-ab6e-066fd85ac459",
    displayName: "Deploy - Configure diagnostic settings for Azure Key Vault to Log Analytics workspace",
  },
  "Key Vault/DiagnosticLog_DINE": {
    guid: "ed7c8c13-51e7-49d1-8a43-8490431a0da2",
    displayName: "Deploy Diagnostic Settings for Key Vault to Event Hub",
  },
  "Key Vault/FirewallEnabled_Audit": {
    guid: "55615ac9-af46-4a59-874e-391cc3dfb490",
    displayName: "Azure Key Vault should have firewall enabled or public network access disabled",
  },
  "Key Vault/FirewallEnabled_Modify": {
    guid: "ac673a9a-f77d-4846-b2d8-a57f8e1c01dc",
    displayName: "Configure key vaults to enable firewall",
  },
  "Key Vault/Keys_ActivePeriod": {
    guid: "c26e4b24-cf98-4c67-b48b-5a25c4c69eb9",
    displayName: "Keys should not be active for longer than the specified number of days",
  },
  "Key Vault/Keys_AllowedKeyTypes": {
    guid: "75c4f823-d65c-4f29-a733-01d0077fdbcb",
    displayName: "Keys should be the specified cryptographic type RSA or EC",
  },
  "Key Vault/Keys_EC_AllowedCurveNames": {
    guid: "ff25f3c8-b739-4538-9d07-3d6d25cfb255",
    displayName: "Keys using elliptic curve cryptography should have the specified curve names",
  },
  "Key Vault/Keys_ExpirationSet": {
    guid: "152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0",
    displayName: "Key Vault keys should have an expiration date",
  },
  "Key Vault/Keys_Expiry_ByDays": {
    guid: "5ff38825-c5d8-47c5-b70e-069a21955146",
    displayName: "Keys should have more than the specified number of days before expiration",
  },
  "Key Vault/Keys_HSMBacked": {
    guid: "587c79fe-dd04-4a5e-9d0b-f89598c7261b",
    displayName: "Keys should be backed by a hardware security module (HSM)",
  },
  "Key Vault/Keys_KeyRotationPolicy_MaximumDaysToRotate": {
    guid: "d8cf8476-a2ec-4916-896e-992351803c44",
    displayName:
      "Keys should have a rotation policy ensuring that their rotation is scheduled within the specified number of days after creation.",
  },
  "Key Vault/Keys_RSA_MinimumKeySize": {
    guid: "82067dbb-e53b-4e06-b631-546d197452d9",
    displayName: "Keys using RSA cryptography should have a specified minimum key size",
  },
  "Key Vault/Keys_ValidityPeriod": {
    guid: "49a22571-d204-4c91-a7b6-09b1a586fbc9",
    displayName: "Keys should have the specified maximum validity period",
  },
  "Key Vault/ManagedHsm_AuditDiagnosticLog_Audit": {
    guid: "a2a5b911-5617-447e-a49e-59dbe0e0434b",
    displayName: "Resource logs in Azure Key Vault Managed HSM should be enabled",
  },
  "Key Vault/ManagedHsm_DiagnosticLog_DINE": {
    guid: "a6d2c800-5230-4a40-bff3-8268b4987d42",
    displayName:
      "Deploy - Configure diagnostic settings to an Event Hub to be enabled on Azure Key Vault Managed HSM",
  },
  "Key Vault/ManagedHsm_FirewallEnabled_Audit": {
    guid: "19ea9d63-adee-4431-a95e-1913c6c1c75f",
    displayName: "[Preview]: Azure Key Vault Managed HSM should disable public network access",
  },
  "Key Vault/ManagedHsm_FirewallEnabled_Modify": {
    guid: "84d327c3-164a-4685-b453-900478614456",
    displayName: "[Preview]: Configure Azure Key Vault Managed HSM to disable public network access",
  },
  "Key Vault/ManagedHsm_Keys_AllowedKeyTypes": {
    guid: "1fd3b2cc-9904-40fa-b8da-050c02612da9",
    displayName: "Azure Key Vault Managed HSM keys should be the specified cryptographic type",
  },
  "Key Vault/ManagedHsm_Keys_EC_AllowedCurveNames": {
    guid: "e58fd0c1-feac-4d12-92db-0a7e9421f53e",
    displayName:
      "[Preview]: Azure Key Vault Managed HSM keys using elliptic curve cryptography should have the specified curve names",
  },
  "Key Vault/ManagedHsm_Keys_ExpirationSet": {
    guid: "1d478a74-21ba-4b9f-9d8f-8e6fced0eec5",
    displayName: "[Preview]: Azure Key Vault Managed HSM keys should have an expiration date",
  },
  "Key Vault/ManagedHsm_Keys_Expiry_ByDays": {
    guid: "ad27588c-0198-4c84-81ef-08efd0274653",
    displayName:
      "[Preview]: Azure Key Vault Managed HSM Keys should have more than the specified number of days before expiration",
  },
  "Key Vault/ManagedHsm_Keys_OCT_MinimumKeySize": {
    guid: "fa85a975-a142-46dc-a9ab-8cc69ecb358c",
    displayName:
      "Azure Key Vault Managed HSM keys using AES cryptography should have a specified minimum key size",
  },
  "Key Vault/ManagedHsm_Keys_RSA_MinimumKeySize": {
    guid: "86810a98-8e91-4a44-8386-ec66d0de5d57",
    displayName:
      "[Preview]: Azure Key Vault Managed HSM keys using RSA cryptography should have a specified minimum key size",
  },
  "Key Vault/ManagedHsm_PrivateEndpointEnabled_Audit": {
    guid: "59fee2f4-d439-4f1b-9b9a-982e1474bfd8",
    displayName: "[Preview]: Azure Key Vault Managed HSM should use private link",
  },
  "Key Vault/ManagedHsm_Recoverable_Audit": {
    guid: "c39ba22d-4428-4149-b981-70acb31fc383",
    displayName: "Azure Key Vault Managed HSM should have purge protection enabled",
  },
  "Key Vault/ManagedHsm_Should_Use_PrivateEndpoint_DINE": {
    guid: "d1d6d8bb-cc7c-420f-8c7d-6f6f5279a844",
    displayName: "[Preview]: Configure Azure Key Vault Managed HSM with private endpoints",
  },
  "Key Vault/PrivateEndpointEnabled_Audit": {
    guid: "5f0bc445-3935-4915-9981-011aa2b46147",
    displayName: "[Deprecated]: Private endpoint should be configured for Key Vault",
  },
  "Key Vault/PublicNetworkAccess_Audit": {
    guid: "405c5871-3e91-4644-8a63-58e19d68ff5b",
    displayName: "Azure Key Vault should disable public network access",
  },
  "Key Vault/Recoverable_Audit": {
    guid: "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53",
    displayName: "Key vaults should have deletion protection enabled",
  },
  "Key Vault/Secrets_ActivePeriod": {
    guid: "e8d99835-8a06-45ae-a8e0-87a91941ccfe",
    displayName: "Secrets should not be active for longer than the specified number of days",
  },
  "Key Vault/Secrets_ContentTypeSet": {
    guid: "75262d3e-ba4a-4f43-85f8-9f72c090e5e3",
    displayName: "Secrets should have content type set",
  },
  "Key Vault/Secrets_ExpirationSet": {
    guid: "98728c90-32c7-4049-8429-847dc0f4fe37",
    displayName: "Key Vault secrets should have an expiration date",
  },
  "Key Vault/Secrets_Expiry_ByDays": {
    guid: "b0eb591a-5e70-4534-a8bf-04b9c489584a",
    displayName: "Secrets should have more than the specified number of days before expiration",
  },
  "Key Vault/Secrets_ValidityPeriod": {
    guid: "342e8053-e12e-4c44-be01-c3c2f318400f",
    displayName: "Secrets should have the specified maximum validity period",
  },
  "Key Vault/Should_Use_PrivateEndpoint_Audit": {
    guid: "a6abeaec-4d90-4a02-805f-6b26c4d3fbe9",
    displayName: "Azure Key Vaults should use private link",
  },
  "Key Vault/Should_Use_PrivateEndpoint_DINE": {
    guid: "9d4fad1f-5189-4a42-b29e-cf7929c6b6df",
    displayName: "Configure Azure Key Vaults with private endpoints",
  },
  "Key Vault/Should_Use_RBAC": {
    guid: "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5",
    displayName: "Azure Key Vault should use RBAC permission model",
  },
  "Key Vault/SoftDeleteMustBeEnabled_Audit": {
    guid: "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d",
    displayName: "Key vaults should have soft delete enabled",
  },
  "Container Apps/ContainerAppInternal_Audit": {
    guid: "783ea2a8-b8fd-46be-896a-9ae79643a0b1",
    displayName: "Container Apps should disable external network access",
  },
  "Container Apps/ContainerAppMountStorage_Audit": {
    guid: "7c9f3fbb-739d-4844-8e42-97e3be6450e0",
    displayName: "Container App should configure with volume mount",
  },
  "Container Apps/EnableAuth_AINE": {
    guid: "2b585559-a78e-4cc4-b1aa-fb169d2f6b96",
    displayName: "Authentication should be enabled on Container Apps",
  },
  "Container Apps/EnableHTTPS_Audit": {
    guid: "0e80e269-43a4-4ae9-b5bc-178126b8a5cb",
    displayName: "Container Apps should only be accessible over HTTPS",
  },
  "Container Apps/EnvironmentInternal_Audit": {
    guid: "d074ddf8-01a5-4b5e-a2b8-964aed452c0a",
    displayName: "Container Apps environment should disable public network access",
  },
  "Container Apps/InjectVNet_Audit": {
    guid: "8b346db6-85af-419b-8557-92cee2c0f9bb",
    displayName: "Container App environments should use network injection",
  },
  "Container Apps/ManagedIdentity_Audit": {
    guid: "b874ab2d-72dd-47f1-8cb5-4a306478a4e7",
    displayName: "Managed Identity should be enabled for Container Apps",
  },
  "Security Center/ASC_APIMApiEndpointsShouldbeAuthenticated_AINE": {
    guid: "8ac833bd-f505-48d5-887e-c993a1d3eea0",
    displayName: "API endpoints in Azure API Management should be authenticated",
  },
  "Security Center/ASC_APIMUnusedApiEndpointsShouldbeRemoved_AINE": {
    guid: "c8acafaf-3d23-44d1-9624-978ef0f8652c",
    displayName:
      "API endpoints that are unused should be disabled and removed from the Azure API Management service",
  },
  "Security Center/ASC_EnableDefenderForAPIS_Audit": {
    guid: "7926a6d1-b268-4586-8197-e8ae90c877d7",
    displayName: "Microsoft Defender for APIs should be enabled",
  },
  "Security Center/ASC_EnableAdvancedThreatProtectionOnKeyVaults_Audit": {
    guid: "0e6763cc-5078-4e64-889d-ff4d9a839047",
    displayName: "Azure Defender for Key Vault should be enabled",
  },
  "Security Center/ASC_EnableAdvancedThreatProtectionOnAppServices_Audit": {
    guid: "2913021d-f2fd-4f3d-b958-22354e2bdbcb",
    displayName: "Azure Defender for App Service should be enabled",
  },
  "Security Center/ASC_EnableAdvancedThreatProtectionOnContainers_Audit": {
    guid: "1c988dd6-ade4-430f-a608-2a3e5b0a6d38",
    displayName: "Microsoft Defender for Containers should be enabled",
  },
  "Security Center/MDC_Microsoft_Defender_For_Storage_Full_Audit": {
    guid: "640d2586-54d2-465f-877f-9ffc1d2109f4",
    displayName: "Microsoft Defender for Storage should be enabled",
  },
  "Security Center/ASC_Azure_Defender_CSPM_Audit": {
    guid: "1f90fc71-a595-4066-8974-d4d0802e8ef0",
    displayName: "Microsoft Defender CSPM should be enabled",
  },
  "Security Center/ASC_EnableAzureDefenderOnResourceManager_Audit": {
    guid: "c3d20c29-b36d-48fe-808b-99a87530ad99",
    displayName: "Azure Defender for Resource Manager should be enabled",
  },
  "Security Center/ASC_NetworkSecurityGroupsOnSubnets_Audit": {
    guid: "e71308d3-144b-4262-b144-efdc3cc90517",
    displayName: "Subnets should be associated with a Network Security Group",
  },
  "Security Center/ASC_EnableDDoSProtection_Audit": {
    guid: "a7aca53f-2ed4-4466-a25e-0b45ade68efd",
    displayName: "Azure DDoS Protection should be enabled",
  },
  "Network/ASC_All_Internet_traffic_should_be_routed_via_Azure_Firewall": {
    guid: "fc5e4038-4584-4632-8c85-c0448d374b2c",
    displayName: "[Preview]: All Internet traffic should be routed via your deployed Azure Firewall",
  },
  "Network/NetworkWatcher_Enabled_Audit": {
    guid: "b6e2945c-0b7b-40f5-9233-7a5323b5cdc6",
    displayName: "Network Watcher should be enabled",
  },
  "Network/NetworkSecurityGroup_FlowLog_Audit": {
    guid: "c251913d-7d24-4958-af87-478ed3b9ba41",
    displayName: "Flow logs should be configured for every network security group",
  },
  "Network/VirtualNetwork_FlowLog_Audit": {
    guid: "4c3c6c5f-0d47-4402-99b8-aa543dd8bcee",
    displayName: "Audit flow logs configuration for every virtual network",
  },
  "Network/VirtualNetworkDdosStandard_Audit": {
    guid: "94de2ad3-e0c1-4caf-ad78-5d47bbc83d3d",
    displayName: "Virtual networks should be protected by Azure DDoS Protection",
  },
  "Network/PrivateSubnetOnly_Audit": {
    guid: "7bca8353-aa3b-429b-904a-9229c4385837",
    displayName: "Subnets should be private",
  },
  "Network/NetworkSecurityGroupOnGatewaySubnet_Deny": {
    guid: "35f9c03a-cc27-418e-9c0c-539ff999d010",
    displayName: "Gateway subnets should not be configured with a network security group",
  },
  "Network/VirtualNetworkServiceEndpoint_KeyVault_Audit": {
    guid: "ea4d6841-2173-4317-9747-ff522a45120f",
    displayName: "Key Vault should use a virtual network service endpoint",
  },
  "Network/VirtualNetworkServiceEndpoint_StorageAccount_Audit": {
    guid: "60d21c4f-21a3-4d94-85f4-b924e6aeeda4",
    displayName: "Storage Accounts should use a virtual network service endpoint",
  },
  "Network/VirtualNetworkServiceEndpoint_AppService_AINE": {
    guid: "2d21331d-a4c2-4def-a9ad-ee4e1e023beb",
    displayName: "App Service apps should use a virtual network service endpoint",
  },
  "Network/DataConnectorsAzureNSG_DINE": {
    guid: "98a2e215-5382-489e-bd29-32e7190a39ba",
    displayName: "Configure diagnostic settings for Azure Network Security Groups to Log Analytics workspace",
  },
  "Monitoring/DiagnosticSettingsForNSG_DINE": {
    guid: "c9c29499-c1d1-4195-99bd-2ec9e3a9dc89",
    displayName: "Deploy Diagnostic Settings for Network Security Groups",
  },
  "Monitoring/DS_LA_apimanagement-service_DINE": {
    guid: "567c93f7-3661-494f-a30f-0a94d9bfebf8",
    displayName:
      "Enable logging by category group for API Management services (microsoft.apimanagement/service) to Log Analytics",
  },
  "Monitoring/DS_LA_keyvault-vaults_DINE": {
    guid: "6b359d8f-f88d-4052-aa7c-32015963ecc1",
    displayName:
      "Enable logging by category group for Key vaults (microsoft.keyvault/vaults) to Log Analytics",
  },
  "Monitoring/DS_LA_keyvault-managedhsms_DINE": {
    guid: "b88bfd90-4da5-43eb-936f-ae1481924291",
    displayName:
      "Enable logging by category group for Managed HSMs (microsoft.keyvault/managedhsms) to Log Analytics",
  },
  "Monitoring/DS_LA_operationalinsights-workspaces_DINE": {
    guid: "818719e5-1338-4776-9a9d-3c31e4df5986",
    displayName:
      "Enable logging by category group for Log Analytics workspaces (microsoft.operationalinsights/workspaces) to Log Analytics",
  },
  "Monitoring/DS_LA_insights-components_DINE": {
    guid: "79494980-ea12-4ca1-8cca-317e942b6da2",
    displayName:
      "Enable logging by category group for Application Insights (microsoft.insights/components) to Log Analytics",
  },
  "Monitoring/DS_LA_app-managedenvironments_DINE": {
    guid: "6a664864-e2b5-413e-b930-f11caa132f16",
    displayName:
      "Enable logging by category group for Container Apps Environments (microsoft.app/managedenvironments) to Log Analytics",
  },
  "Monitoring/DS_LA_network-networksecuritygroups_DINE": {
    guid: "baa4c6de-b7cf-4b12-b436-6e40ef44c8cb",
    displayName:
      "Enable logging by category group for Network security groups (microsoft.network/networksecuritygroups) to Log Analytics",
  },
  "Monitoring/DS_LA_network-virtualnetworks_DINE": {
    guid: "3234ff41-8bec-40a3-b5cb-109c95f1c8ce",
    displayName:
      "Enable logging by category group for Virtual networks (microsoft.network/virtualnetworks) to Log Analytics",
  },
  "Monitoring/KeyVault_DeployDiagnosticLog_Deploy_LogAnalytics": {
    guid: "bef3f64c-5290-43b7-85b0-9b254eef4c47",
    displayName: "Deploy Diagnostic Settings for Key Vault to Log Analytics workspace",
  },
  "Monitoring/ManagedHsm_DeployDiagnosticLog_Deploy_LogAnalytics": {
    guid: "b3884c81-31aa-473d-a9bb-9466fe0ec2a0",
    displayName:
      "Deploy - Configure diagnostic settings to a Log Analytics workspace to be enabled on Azure Key Vault Managed HSM",
  },
  "Monitoring/ApplicationInsightsComponent_WorkspaceAssociation_Deny": {
    guid: "d550e854-df1a-4de9-bf44-cd894b39a95e",
    displayName: "Azure Monitor Logs for Application Insights should be linked to a Log Analytics workspace",
  },
  "Monitoring/ApplicationInsightsComponents_DisableLocalAuth_Deny": {
    guid: "199d5677-e4d9-4264-9465-efe1839c06bd",
    displayName: "Application Insights components should block non-Azure Active Directory based ingestion.",
  },
  "Monitoring/ApplicationInsightsComponents_NetworkAccessEnabled_Deny": {
    guid: "1bc02227-0cb6-4e11-8f53-eb0b22eab7e8",
    displayName:
      "Application Insights components should block log ingestion and querying from public networks",
  },
  "Monitoring/AppInsightsComponents_ForceCustomerStorageForProfiler_Deny": {
    guid: "0c4bd2e8-8872-4f37-a654-03f6f38ddc76",
    displayName:
      "Application Insights components with Private Link enabled should use Bring Your Own Storage accounts for profiler and debugger.",
  },
  "Monitoring/LogAnalyticsWorkspaces_DisableLocalAuth_Deny": {
    guid: "e15effd4-2278-4c65-a0da-4d6f6d1890e2",
    displayName: "Log Analytics Workspaces should block non-Azure Active Directory based ingestion.",
  },
  "Monitoring/LogAnalyticsWorkspaces_NetworkAccessEnabled_Deny": {
    guid: "6c53d030-cc64-46f0-906d-2bc061cd1334",
    displayName: "Log Analytics workspaces should block log ingestion and querying from public networks",
  },
  "Monitoring/LogAnalyticsWorkspaces_CMKBYOSQueryEnabled_Deny": {
    guid: "fa298e57-9444-42ba-bf04-86e8470e32c7",
    displayName:
      "Saved-queries in Azure Monitor should be saved in customer storage account for logs encryption",
  },
  "Monitoring/LogAnalyticsClusters_CMKEnabled_Deny": {
    guid: "1f68a601-6e6d-4e42-babf-3f643a047ea2",
    displayName: "Azure Monitor Logs clusters should be encrypted with customer-managed key",
  },
  "Monitoring/AzureMonitorPrivateLinkScopes_AccessModeSettings_Audit": {
    guid: "a499fed8-bcc8-4195-b154-641f14743757",
    displayName: "Azure Monitor Private Link Scope should block access to non private link resources",
  },
  "Monitoring/AzureMonitorPrivateLinkScopes_PrivateEndpoints_AINE": {
    guid: "0fc55270-f8bf-4feb-b7b8-5e7e7eacc6a6",
    displayName: "Azure Monitor Private Link Scope should use private link",
  },
  "Monitoring/AzureMonitorPrivateLinkScopes_PrivateDNSZones_DINE": {
    guid: "437914ee-c176-4fff-8986-7e05eb971365",
    displayName: "Configure Azure Monitor Private Link Scope to use private DNS zones",
  },
  "Monitoring/Workbooks_BYOSEnabled_Audit": {
    guid: "6fc8115b-2008-441f-8c61-9b722c1e537f",
    displayName: "Workbooks should be saved to storage accounts that you control",
  },
  "Monitoring/ScheduledQueryRules_CMKEnabled_Deny": {
    guid: "94c1f94d-33b0-4062-bd04-1cdc3e7eece2",
    displayName: "Azure Log Search Alerts over Log Analytics workspaces should use customer-managed keys",
  },
  "App Service/RequireLatestTls_WebApp_Audit": {
    guid: "f0e6e85b-9b9f-4a4b-b67b-f730d42f1b0b",
    displayName: "App Service apps should use the latest TLS version",
  },
  "App Service/RequireLatestTls_FunctionApp_Audit": {
    guid: "f9d614c5-c173-4d56-95a7-b4437057d193",
    displayName: "Function apps should use the latest TLS version",
  },
  "App Service/RequireLatestTls_WebApp_DINE": {
    guid: "ae44c1d1-0df2-4ca9-98fa-a3d3ae5b409d",
    displayName: "Configure App Service apps to use the latest TLS version",
  },
  "App Service/RequireLatestTls_FunctionApp_DINE": {
    guid: "1f01f1c7-539c-49b5-9ef4-d4ffa37d22e0",
    displayName: "Configure Function apps to use the latest TLS version",
  },
  "App Service/Webapp_AuditHTTP_Audit": {
    guid: "a4af4a39-4135-47fb-b175-47fbdf85311d",
    displayName: "App Service apps should only be accessible over HTTPS",
  },
  "App Service/FunctionApp_AuditHTTP_Audit": {
    guid: "6d555dd1-86f2-4f1c-8ed7-5abae7c6cbab",
    displayName: "Function apps should only be accessible over HTTPS",
  },
  "App Service/AuditFTPS_WebApp_Audit": {
    guid: "4d24b6d4-5e53-4a4f-a7f4-618fa573ee4b",
    displayName: "App Service apps should require FTPS only",
  },
  "App Service/AuditFTPS_FunctionApp_Audit": {
    guid: "399b2637-a50f-4f95-96f8-3a145476eb15",
    displayName: "Function apps should require FTPS only",
  },
  "App Service/DisableRemoteDebugging_WebApp_Audit": {
    guid: "cb510bfd-1cba-4d9f-a230-cb0976f4bb71",
    displayName: "App Service apps should have remote debugging turned off",
  },
  "App Service/DisableRemoteDebugging_FunctionApp_Audit": {
    guid: "0e60b895-3786-45da-8377-9c6b4b6ac5f9",
    displayName: "Function apps should have remote debugging turned off",
  },
  "App Service/UseManagedIdentity_WebApp_Audit": {
    guid: "2b9ad585-36bc-4615-b300-fd4435808332",
    displayName: "App Service apps should use managed identity",
  },
  "App Service/UseManagedIdentity_FunctionApp_Audit": {
    guid: "0da106f2-4ca3-48e8-bc85-c638fe6aea8f",
    displayName: "Function apps should use managed identity",
  },
  "App Service/WebApp_PublicNetworkAccess_Audit": {
    guid: "1b5ef780-c53c-4a64-87f3-bb9c8c8094ba",
    displayName: "App Service apps should disable public network access",
  },
  "App Service/FunctionApp_PublicNetworkAccess_Audit": {
    guid: "969ac98b-88a8-449f-883c-2e9adb123127",
    displayName: "Function apps should disable public network access",
  },
  "App Service/RestrictCORSAccess_WebApp_Audit": {
    guid: "5744710e-cc2f-4ee8-8809-3b11e89f4bc9",
    displayName:
      "App Service apps should not have CORS configured to allow every resource to access your apps",
  },
  "App Service/RestrictCORSAccess_FuntionApp_Audit": {
    guid: "0820b7b9-23aa-4725-a1ce-ae4558f718e5",
    displayName: "Function apps should not have CORS configured to allow every resource to access your apps",
  },
  "App Service/PrivateEndpoint_AINE": {
    guid: "687aa49d-0982-40f8-bf6b-66d1da97a04b",
    displayName: "App Service apps should use private link",
  },
  "App Service/ResourceLoggingMonitoring_Audit": {
    guid: "91a78b24-f231-4a8a-8da9-02c35b2b6510",
    displayName: "App Service apps should have resource logs enabled",
  },
  "App Service/SCM_BasicAuthEnabled_AINE": {
    guid: "aede300b-d67f-480a-ae26-4b3dfb1a1fdc",
    displayName:
      "App Service apps should have local authentication methods disabled for SCM site deployments",
  },
  "App Service/FTP_BasicAuthEnabled_AINE": {
    guid: "871b205b-57cf-4e1e-a234-492616998bf7",
    displayName: "App Service apps should have local authentication methods disabled for FTP deployments",
  },
  "App Service/WebApp_EndToEndEncryption_Audit": {
    guid: "af1d7e88-c1c8-4ea8-be1f-87bff0df9101",
    displayName: "App Service apps should enable end to end encryption",
  },
  "App Service/FunctionApp_EndToEndEncryption_Audit": {
    guid: "387140f1-6da9-4741-bcee-3b5edcdfd9ec",
    displayName: "Function apps should enable end to end encryption",
  },
  "App Service/PrivateZoneGroup_DINE": {
    guid: "b318f84a-b872-429b-ac6d-a01b96814452",
    displayName: "Configure App Service apps to use private DNS zones",
  },
  "Storage/StorageAccountMinimumTLSVersion_Audit": {
    guid: "fe83a0eb-a853-422d-aac2-1bffd182c5d0",
    displayName: "Storage accounts should have the specified minimum TLS version",
  },
  "Storage/Storage_AuditForHTTPSEnabled_Audit": {
    guid: "404c3081-a854-4457-ae30-26a93ef643f9",
    displayName: "Secure transfer to storage accounts should be enabled",
  },
  "Storage/ASC_Storage_DisallowPublicBlobAccess_Audit": {
    guid: "4fa4b6c0-31ca-4c0d-b10d-24b96f62a751",
    displayName: "Storage account public access should be disallowed",
  },
  "Storage/StorageAccountAllowSharedKeyAccess_Audit": {
    guid: "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54",
    displayName: "Storage accounts should prevent shared key access",
  },
  "Storage/StoragePublicNetworkAccess_AuditDeny": {
    guid: "b2982f36-99f2-4db5-8eff-283140c09693",
    displayName: "Storage accounts should disable public network access",
  },
  "Storage/Storage_NetworkAcls_Audit": {
    guid: "34c877ad-507e-4c82-993e-3452a6e0ad3c",
    displayName: "Storage accounts should restrict network access",
  },
  "Storage/StorageAccountOnlyVnetRulesEnabled_Audit": {
    guid: "2a1a9cdf-e04d-429a-8416-3bfb72a1b26f",
    displayName: "Storage accounts should restrict network access using virtual network rules",
  },
  "Storage/StorageAccountPrivateEndpointEnabled_Audit": {
    guid: "6edd7eda-6dd8-40f7-810d-67160c639cd9",
    displayName: "Storage accounts should use private link",
  },
  "Storage/StorageAccountCustomerManagedKeyEnabled_Audit": {
    guid: "6fac406b-40ca-413b-bf8e-0bf964659c25",
    displayName: "Storage accounts should use customer-managed key for encryption",
  },
  "Storage/StorageAccountInfrastructureEncryptionEnabled_Audit": {
    guid: "4733ea7b-a883-42fe-8cac-97454c2a9e4a",
    displayName: "Storage accounts should have infrastructure encryption",
  },
  "Storage/StoragePrivateDnsZoneGroup_Blob": {
    guid: "75973700-529f-4de2-b794-fb9b6781b6b0",
    displayName: "Configure a private DNS Zone ID for blob groupID",
  },
  "Managed Identity/FIC_LimitToWellknownIssuers": {
    guid: "2571b7c3-3056-4a61-b00a-9bc5232234f5",
    displayName:
      "[Preview]: [Preview]: Managed Identity Federated Credentials should be from allowed issuer types",
  },
  "Managed Identity/FIC_LimitToGitHubIssuer": {
    guid: "fd1a8e20-2c4f-4a6c-9354-b58d786d9a1f",
    displayName:
      "[Preview]: [Preview]: Managed Identity Federated Credentials from GitHub should be from trusted repository owners",
  },
  "General/Subscription_AuditCustomRBACRoles_Audit": {
    guid: "a451c1ef-c6ca-483d-87ed-f49761e3ffb5",
    displayName: "Audit usage of custom RBAC roles",
  },
  "Resilience/Apimanagement_Service_ZoneRedundant_Audit": {
    guid: "42daa904-5969-47ef-92cb-b75df946195a",
    displayName: "[Preview]: API Management Service should be Zone Redundant",
  },
  "Resilience/App_managedEnvironments_ZoneRedundant_Audit": {
    guid: "42daa904-5969-47ef-92fb-b75df946195a",
    displayName: "[Preview]: Container App should be Zone Redundant",
  },
  "Resilience/Storage_storageAccounts_ZoneRedundant_Audit": {
    guid: "85b005b2-95fc-4953-b9cb-f9ee6427c754",
    displayName: "[Preview]: Storage Accounts should be Zone Redundant",
  },
} as const satisfies Record<string, AzureBuiltin>;

export type BuiltinFile = keyof typeof AZURE_BUILTINS;

/** The definitions for the given files, in order. */
export function builtins(...files: readonly BuiltinFile[]): AzureBuiltin[] {
  return files.map((file) => AZURE_BUILTINS[file]);
}
