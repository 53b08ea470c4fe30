/**
 * Pulumi type tokens the rules inspect (azure-native 3.28, azuread 6.9). Checked against the SDKs'
 * `__pulumiType` in `policies/test/types.test.ts`.
 */
export const T = {
  // Key Vault
  vault: "azure-native:keyvault:Vault",
  key: "azure-native:keyvault:Key",
  secret: "azure-native:keyvault:Secret",
  managedHsm: "azure-native:keyvault:ManagedHsm",
  // Network
  virtualNetwork: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  networkSecurityGroup: "azure-native:network:NetworkSecurityGroup",
  securityRule: "azure-native:network:SecurityRule",
  applicationGateway: "azure-native:network:ApplicationGateway",
  webApplicationFirewallPolicy: "azure-native:network:WebApplicationFirewallPolicy",
  publicIpAddress: "azure-native:network:PublicIPAddress",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  privateDnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  flowLog: "azure-native:network:FlowLog",
  natGateway: "azure-native:network:NatGateway",
  azureFirewall: "azure-native:network:AzureFirewall",
  bastionHost: "azure-native:network:BastionHost",
  // API Management
  apimService: "azure-native:apimanagement:ApiManagementService",
  apimApi: "azure-native:apimanagement:Api",
  apimApiPolicy: "azure-native:apimanagement:ApiPolicy",
  apimApiOperationPolicy: "azure-native:apimanagement:ApiOperationPolicy",
  apimProductPolicy: "azure-native:apimanagement:ProductPolicy",
  apimGlobalPolicy: "azure-native:apimanagement:Policy",
  apimWorkspaceApiPolicy: "azure-native:apimanagement:WorkspaceApiPolicy",
  apimWorkspaceApiOperationPolicy: "azure-native:apimanagement:WorkspaceApiOperationPolicy",
  apimWorkspacePolicy: "azure-native:apimanagement:WorkspacePolicy",
  apimWorkspaceProductPolicy: "azure-native:apimanagement:WorkspaceProductPolicy",
  apimNamedValue: "azure-native:apimanagement:NamedValue",
  apimWorkspaceNamedValue: "azure-native:apimanagement:WorkspaceNamedValue",
  apimSubscription: "azure-native:apimanagement:Subscription",
  apimWorkspaceSubscription: "azure-native:apimanagement:WorkspaceSubscription",
  apimBackend: "azure-native:apimanagement:Backend",
  apimWorkspaceBackend: "azure-native:apimanagement:WorkspaceBackend",
  // Monitoring
  logAnalyticsWorkspace: "azure-native:operationalinsights:Workspace",
  appInsights: "azure-native:applicationinsights:Component",
  diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
  actionGroup: "azure-native:monitor:ActionGroup",
  privateLinkScope: "azure-native:monitor:PrivateLinkScope",
  scheduledQueryRule: "azure-native:monitor:ScheduledQueryRule",
  workbook: "azure-native:applicationinsights:Workbook",
  // Workloads and data
  containerApp: "azure-native:app:ContainerApp",
  managedEnvironment: "azure-native:app:ManagedEnvironment",
  containerAppAuthConfig: "azure-native:app:ContainerAppsAuthConfig",
  containerRegistry: "azure-native:containerregistry:Registry",
  cognitiveServicesAccount: "azure-native:cognitiveservices:Account",
  storageAccount: "azure-native:storage:StorageAccount",
  webApp: "azure-native:web:WebApp",
  webAppSlot: "azure-native:web:WebAppSlot",
  webAppFtpAllowed: "azure-native:web:WebAppFtpAllowed",
  webAppScmAllowed: "azure-native:web:WebAppScmAllowed",
  sqlServer: "azure-native:sql:Server",
  serviceBusNamespace: "azure-native:servicebus:Namespace",
  redis: "azure-native:redis:Redis",
  eventHubNamespace: "azure-native:eventhub:Namespace",
  cosmosDbAccount: "azure-native:cosmosdb:DatabaseAccount",
  frontDoorCustomDomain: "azure-native:cdn:AFDCustomDomain",
  frontDoorOrigin: "azure-native:cdn:AFDOrigin",
  frontDoorRoute: "azure-native:cdn:Route",
  armDeployment: "azure-native:resources:Deployment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  managedIdentityFederatedCredential: "azure-native:managedidentity:FederatedIdentityCredential",
  // Entra ID (azuread)
  entraApplication: "azuread:index/application:Application",
  entraApplicationRegistration: "azuread:index/applicationRegistration:ApplicationRegistration",
  entraServicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
  entraApplicationPassword: "azuread:index/applicationPassword:ApplicationPassword",
  entraServicePrincipalPassword: "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
  entraFederatedCredential:
    "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
} as const;

export type TypeToken = (typeof T)[keyof typeof T];

/** azure-native v2 tokens of types v3 renamed, matched too so a plan from an older program is checked. */
export const LEGACY_ALIASES: Readonly<Record<string, string>> = {
  "azure-native:cache:Redis": T.redis,
  "azure-native:documentdb:DatabaseAccount": T.cosmosDbAccount,
  "azure-native:insights:Component": T.appInsights,
  "azure-native:insights:DiagnosticSetting": T.diagnosticSetting,
};
