/**
 * ARM resource ID templates for the resource types the program declares, so that mock IDs look
 * exactly like Azure's: `/subscriptions/<sub>/resourceGroups/<rg>/providers/<Namespace>/<type>/<name>`.
 * `{input}` placeholders are filled from the resource's inputs; the last segment falls back to the
 * logical name (auto-naming). `{scope}` / `{resourceUri}` templates are extension resources.
 */
export const ARM_ID_TEMPLATES: Readonly<Record<string, string>> = {
  "azure-native:resources:ResourceGroup":
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}",

  "azure-native:network:VirtualNetwork":
    "{rg}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}",
  "azure-native:network:Subnet":
    "{rg}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}",
  "azure-native:network:NetworkSecurityGroup":
    "{rg}/providers/Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}",
  "azure-native:network:SecurityRule":
    "{rg}/providers/Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}/securityRules/{securityRuleName}",
  "azure-native:network:RouteTable": "{rg}/providers/Microsoft.Network/routeTables/{routeTableName}",
  "azure-native:network:Route":
    "{rg}/providers/Microsoft.Network/routeTables/{routeTableName}/routes/{routeName}",
  "azure-native:network:PrivateEndpoint":
    "{rg}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}",
  "azure-native:network:PrivateDnsZoneGroup":
    "{rg}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}",
  "azure-native:network:PublicIPAddress":
    "{rg}/providers/Microsoft.Network/publicIPAddresses/{publicIpAddressName}",
  "azure-native:network:ApplicationGateway":
    "{rg}/providers/Microsoft.Network/applicationGateways/{applicationGatewayName}",
  "azure-native:network:WebApplicationFirewallPolicy":
    "{rg}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/{policyName}",
  "azure-native:network:DdosProtectionPlan":
    "{rg}/providers/Microsoft.Network/ddosProtectionPlans/{ddosProtectionPlanName}",
  "azure-native:network:NetworkWatcher":
    "{rg}/providers/Microsoft.Network/networkWatchers/{networkWatcherName}",
  "azure-native:network:FlowLog":
    "{rg}/providers/Microsoft.Network/networkWatchers/{networkWatcherName}/flowLogs/{flowLogName}",

  "azure-native:privatedns:PrivateZone": "{rg}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}",
  "azure-native:privatedns:VirtualNetworkLink":
    "{rg}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{virtualNetworkLinkName}",
  "azure-native:privatedns:PrivateRecordSet":
    "{rg}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}/{recordType}/{relativeRecordSetName}",

  "azure-native:keyvault:Vault": "{rg}/providers/Microsoft.KeyVault/vaults/{vaultName}",
  "azure-native:keyvault:Key": "{rg}/providers/Microsoft.KeyVault/vaults/{vaultName}/keys/{keyName}",
  "azure-native:keyvault:Secret": "{rg}/providers/Microsoft.KeyVault/vaults/{vaultName}/secrets/{secretName}",
  "azure-native:keyvault:ManagedHsm": "{rg}/providers/Microsoft.KeyVault/managedHSMs/{name}",

  "azure-native:authorization:RoleAssignment":
    "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
  "azure-native:authorization:ManagementLockByScope":
    "{scope}/providers/Microsoft.Authorization/locks/{lockName}",
  "azure-native:authorization:PolicyAssignment":
    "{scope}/providers/Microsoft.Authorization/policyAssignments/{policyAssignmentName}",
  "azure-native:authorization:PolicyExemption":
    "{scope}/providers/Microsoft.Authorization/policyExemptions/{policyExemptionName}",
  "azure-native:authorization:ManagementLockAtResourceGroupLevel":
    "{rg}/providers/Microsoft.Authorization/locks/{lockName}",

  "azure-native:managedidentity:UserAssignedIdentity":
    "{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}",
  "azure-native:managedidentity:FederatedIdentityCredential":
    "{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}/federatedIdentityCredentials/{federatedIdentityCredentialResourceName}",

  "azure-native:apimanagement:ApiManagementService":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}",
  "azure-native:apimanagement:Api":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/apis/{apiId}",
  "azure-native:apimanagement:ApiOperation":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/apis/{apiId}/operations/{operationId}",
  "azure-native:apimanagement:ApiPolicy":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/apis/{apiId}/policies/{policyId}",
  "azure-native:apimanagement:ApiOperationPolicy":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/apis/{apiId}/operations/{operationId}/policies/{policyId}",
  "azure-native:apimanagement:Policy":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/policies/{policyId}",
  "azure-native:apimanagement:PolicyFragment":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/policyFragments/{id}",
  "azure-native:apimanagement:Backend":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/backends/{backendId}",
  "azure-native:apimanagement:NamedValue":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/namedValues/{namedValueId}",
  "azure-native:apimanagement:Logger":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/loggers/{loggerId}",
  "azure-native:apimanagement:Diagnostic":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/diagnostics/{diagnosticId}",
  "azure-native:apimanagement:ApiDiagnostic":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/apis/{apiId}/diagnostics/{diagnosticId}",
  "azure-native:apimanagement:Product":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/products/{productId}",
  "azure-native:apimanagement:ProductApi":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/products/{productId}/apis/{apiId}",
  "azure-native:apimanagement:Subscription":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/subscriptions/{sid}",
  "azure-native:apimanagement:SignInSetting":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/portalsettings/signin",
  "azure-native:apimanagement:SignUpSetting":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/portalsettings/signup",
  "azure-native:apimanagement:TenantAccessGit":
    "{rg}/providers/Microsoft.ApiManagement/service/{serviceName}/tenant/{accessName}",

  "azure-native:operationalinsights:Workspace":
    "{rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}",
  "azure-native:operationalinsights:Table":
    "{rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}/tables/{tableName}",
  "azure-native:operationalinsights:LinkedStorageAccount":
    "{rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}/linkedStorageAccounts/{dataSourceType}",
  "azure-native:applicationinsights:Component": "{rg}/providers/Microsoft.Insights/components/{resourceName}",
  "azure-native:applicationinsights:Workbook": "{rg}/providers/Microsoft.Insights/workbooks/{resourceName}",
  "azure-native:monitor:DiagnosticSetting":
    "{resourceUri}/providers/Microsoft.Insights/diagnosticSettings/{name}",
  "azure-native:monitor:ActionGroup": "{rg}/providers/Microsoft.Insights/actionGroups/{actionGroupName}",
  "azure-native:monitor:ScheduledQueryRule":
    "{rg}/providers/Microsoft.Insights/scheduledQueryRules/{ruleName}",
  "azure-native:monitor:MetricAlert": "{rg}/providers/Microsoft.Insights/metricAlerts/{ruleName}",
  "azure-native:monitor:PrivateLinkScope": "{rg}/providers/Microsoft.Insights/privateLinkScopes/{scopeName}",
  "azure-native:monitor:PrivateLinkScopedResource":
    "{rg}/providers/Microsoft.Insights/privateLinkScopes/{scopeName}/scopedResources/{name}",

  "azure-native:securityinsights:SentinelOnboardingState":
    "{rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}/providers/Microsoft.SecurityInsights/onboardingStates/{sentinelOnboardingStateName}",
  "azure-native:securityinsights:ScheduledAlertRule":
    "{rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}/providers/Microsoft.SecurityInsights/alertRules/{ruleId}",
  "azure-native:securityinsights:AutomationRule":
    "{rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}/providers/Microsoft.SecurityInsights/automationRules/{automationRuleId}",

  "azure-native:app:ManagedEnvironment": "{rg}/providers/Microsoft.App/managedEnvironments/{environmentName}",
  "azure-native:app:ContainerApp": "{rg}/providers/Microsoft.App/containerApps/{containerAppName}",
  "azure-native:app:ContainerAppsAuthConfig":
    "{rg}/providers/Microsoft.App/containerApps/{containerAppName}/authConfigs/{authConfigName}",
  "azure-native:containerregistry:Registry":
    "{rg}/providers/Microsoft.ContainerRegistry/registries/{registryName}",
  "azure-native:cognitiveservices:Account":
    "{rg}/providers/Microsoft.CognitiveServices/accounts/{accountName}",
  "azure-native:storage:StorageAccount": "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}",
  "azure-native:storage:BlobContainer":
    "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}",
  "azure-native:resources:Deployment": "{rg}/providers/Microsoft.Resources/deployments/{deploymentName}",
};
