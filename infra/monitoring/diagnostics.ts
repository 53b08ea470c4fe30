import type { StackConfig } from "../config";
import { clonePlain, type DeepMutable } from "../conventions/plain";
import { FORBIDDEN_LOG_HEADERS } from "../conventions/logging-contract";

/**
 * What each Azure resource sends to the Log Analytics workspace, keyed by azure-native type token so the
 * components and a stack-level test can look a resource up by its registered type. Pure data: the
 * monitoring component creates one `monitor:DiagnosticSetting` per resource from `diagnosticSettingInputs`.
 *
 * Privacy rules this file enforces (and the tests check):
 * - no setting logs the `Authorization` header, cookies, subscription keys or the raw `Mcp-Session-Id`;
 * - API Management logs 0 bytes of any request or response body (MCP tool arguments and results are
 *   user data; Microsoft also advises 0 bytes of frontend response payload for MCP streaming);
 * - categories are listed explicitly where `allLogs` would pull in payload-bearing logs (LLM logs).
 */

/** One entry of a diagnostic setting's `logs` list: a single category, or a category group. */
export type LogSelection = { readonly category: string } | { readonly categoryGroup: "audit" | "allLogs" };

export interface DiagnosticProfile {
  /** ARM resource type, as in resource IDs. */
  readonly armType: string;
  readonly logs: readonly LogSelection[];
  /** The categories the selections deliver (for a group: the members we rely on). */
  readonly categories: readonly string[];
  /** `Dedicated` sends each category to its resource-specific table; others land in AzureDiagnostics. */
  readonly destination: "Dedicated" | "AzureDiagnostics";
  readonly tables: readonly string[];
  /** Platform metrics stay in Azure Monitor Metrics; copying them to the workspace only adds cost. */
  readonly metrics: false;
  /** Microsoft's supported-logs page for the resource type. */
  readonly reference: string;
  readonly why: string;
  /**
   * Appended to the resource ID when the logs belong to a sub-resource: a storage account's blob logs are
   * emitted by `<account>/blobServices/default`, and a setting on the account itself can only ship metrics.
   */
  readonly resourceUriSuffix?: string;
}

const SUPPORTED_LOGS = "https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs";

export const DIAGNOSTIC_CATALOGUE = {
  "azure-native:apimanagement:ApiManagementService": {
    armType: "Microsoft.ApiManagement/service",
    // Not allLogs: GatewayLlmLogs can carry prompt and completion text when LLM message logging is on.
    logs: [{ category: "GatewayLogs" }, { category: "GatewayMCPLogs" }],
    categories: ["GatewayLogs", "GatewayMCPLogs"],
    destination: "Dedicated",
    tables: ["ApiManagementGatewayLogs", "ApiManagementGatewayMCPLog"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-apimanagement-service-logs`,
    why: "Every gateway request (status, timings, LastError*, the policy's mcp-gateway trace events) and the native MCP request log. What a request record contains is set by the APIM diagnostic below.",
  },
  "azure-native:network:ApplicationGateway": {
    armType: "Microsoft.Network/applicationGateways",
    logs: [
      { category: "ApplicationGatewayAccessLog" },
      { category: "ApplicationGatewayPerformanceLog" },
      { category: "ApplicationGatewayFirewallLog" },
    ],
    categories: [
      "ApplicationGatewayAccessLog",
      "ApplicationGatewayPerformanceLog",
      "ApplicationGatewayFirewallLog",
    ],
    destination: "Dedicated",
    tables: ["AGWAccessLogs", "AGWPerformanceLogs", "AGWFirewallLogs"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-network-applicationgateways-logs`,
    why: "The public edge: client IPs, TLS versions and WAF decisions. Pair with WAF_LOG_SCRUBBING so matched request data never reaches the workspace.",
  },
  "azure-native:keyvault:Vault": {
    armType: "Microsoft.KeyVault/vaults",
    logs: [{ categoryGroup: "audit" }],
    categories: ["AuditEvent"],
    destination: "Dedicated",
    tables: ["AZKVAuditLogs"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-keyvault-vaults-logs`,
    why: "Every data-plane and management call with the caller's identity (oid/appid claims) and result, including the near-expiry notifications the expiry alert reads.",
  },
  "azure-native:network:NetworkSecurityGroup": {
    armType: "Microsoft.Network/networkSecurityGroups",
    logs: [{ category: "NetworkSecurityGroupEvent" }, { category: "NetworkSecurityGroupRuleCounter" }],
    categories: ["NetworkSecurityGroupEvent", "NetworkSecurityGroupRuleCounter"],
    destination: "AzureDiagnostics",
    tables: ["AzureDiagnostics"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-network-networksecuritygroups-logs`,
    why: "Which NSG rules applied and how often. Per-flow records need VNet flow logs (network.flowLogs), which go through Network Watcher, not diagnostic settings.",
  },
  "azure-native:app:ManagedEnvironment": {
    armType: "Microsoft.App/managedEnvironments",
    logs: [{ category: "ContainerAppConsoleLogs" }, { category: "ContainerAppSystemLogs" }],
    categories: ["ContainerAppConsoleLogs", "ContainerAppSystemLogs"],
    destination: "Dedicated",
    tables: ["ContainerAppConsoleLogs", "ContainerAppSystemLogs"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-app-managedenvironments-logs`,
    why: "MCP server stdout/stderr and platform events (restarts, scaling, image pulls). Needs appLogsConfiguration.destination 'azure-monitor' on the environment; 'log-analytics' writes the _CL tables instead and ignores this setting. MCP servers must not print tool arguments, results or tokens.",
  },
  "azure-native:operationalinsights:Workspace": {
    armType: "Microsoft.OperationalInsights/workspaces",
    logs: [{ category: "Audit" }],
    categories: ["Audit"],
    destination: "Dedicated",
    tables: ["LAQueryLogs"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-operationalinsights-workspaces-logs`,
    why: "Who queried the security logs: the workspace holds oids and client IPs, so reads of it are audited too.",
  },
  "azure-native:containerregistry:Registry": {
    armType: "Microsoft.ContainerRegistry/registries",
    logs: [{ category: "ContainerRegistryLoginEvents" }, { category: "ContainerRegistryRepositoryEvents" }],
    categories: ["ContainerRegistryLoginEvents", "ContainerRegistryRepositoryEvents"],
    destination: "Dedicated",
    tables: ["ContainerRegistryLoginEvents", "ContainerRegistryRepositoryEvents"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-containerregistry-registries-logs`,
    why: "Supply chain: who logged in to the registry and which images were pushed, pulled or deleted.",
  },
  "azure-native:cognitiveservices:Account": {
    armType: "Microsoft.CognitiveServices/accounts",
    // RequestResponse is left out until it is shown to carry no analysed text; Prompt Shields verdicts
    // already reach the workspace through the gateway's prompt_shield events.
    logs: [{ category: "Audit" }],
    categories: ["Audit"],
    destination: "AzureDiagnostics",
    tables: ["AzureDiagnostics"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-cognitiveservices-accounts-logs`,
    why: "Key and management access to the Content Safety account used for Prompt Shields.",
  },
  "azure-native:network:PublicIPAddress": {
    armType: "Microsoft.Network/publicIPAddresses",
    logs: [
      { category: "DDoSProtectionNotifications" },
      { category: "DDoSMitigationFlowLogs" },
      { category: "DDoSMitigationReports" },
    ],
    categories: ["DDoSProtectionNotifications", "DDoSMitigationFlowLogs", "DDoSMitigationReports"],
    destination: "AzureDiagnostics",
    tables: ["AzureDiagnostics"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-network-publicipaddresses-logs`,
    why: "DDoS attack start/stop and mitigation reports for the edge's public IP; only produced when network.ddosProtection is on.",
  },
  "azure-native:network:VirtualNetwork": {
    armType: "Microsoft.Network/virtualNetworks",
    logs: [{ category: "VMProtectionAlerts" }],
    categories: ["VMProtectionAlerts"],
    destination: "AzureDiagnostics",
    tables: ["AzureDiagnostics"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-network-virtualnetworks-logs`,
    why: "The virtual network's only resource log: DDoS-related protection alerts for resources in the VNet.",
  },
  "azure-native:keyvault:ManagedHsm": {
    armType: "Microsoft.KeyVault/managedHSMs",
    logs: [{ category: "AuditEvent" }],
    categories: ["AuditEvent"],
    destination: "Dedicated",
    tables: ["AZKVAuditLogs"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-keyvault-managedhsms-logs`,
    why: "Every key operation on the Managed HSM with the caller's identity; lands in the same table as the vault's audit log, so the Key Vault alerts and analytics rules cover it.",
  },
  "azure-native:storage:StorageAccount": {
    armType: "Microsoft.Storage/storageAccounts",
    logs: [{ category: "StorageRead" }, { category: "StorageWrite" }, { category: "StorageDelete" }],
    categories: ["StorageRead", "StorageWrite", "StorageDelete"],
    destination: "Dedicated",
    tables: ["StorageBlobLogs"],
    metrics: false,
    reference: `${SUPPORTED_LOGS}/microsoft-storage-storageaccounts-blobservices-logs`,
    why: "Who read, wrote or deleted blobs (the VNet flow-log account): caller identity, IP and operation, never blob content.",
    resourceUriSuffix: "/blobServices/default",
  },
} as const satisfies Record<string, DiagnosticProfile>;

export type DiagnosedResourceType = keyof typeof DIAGNOSTIC_CATALOGUE;

/** Resource types that deliberately get no diagnostic setting, and why. */
export const NO_DIAGNOSTIC_SETTING: Readonly<Record<string, string>> = {
  "azure-native:applicationinsights:Component":
    "Workspace-based Application Insights already writes AppRequests, AppTraces and the other App* tables into the workspace; a diagnostic setting would ingest everything twice.",
};

interface DiagnosticSettingSpec {
  readonly logs: readonly ({ readonly enabled: true } & LogSelection)[];
  readonly metrics: readonly [];
  readonly logAnalyticsDestinationType?: "Dedicated";
}

/** Inputs for `monitor.DiagnosticSetting` except name, resourceUri and workspaceId. */
export type DiagnosticSettingInputs = DeepMutable<DiagnosticSettingSpec>;

export function isDiagnosedResourceType(type: string): type is DiagnosedResourceType {
  return Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CATALOGUE, type);
}

/** Diagnostic setting inputs for a resource of azure-native type `type` (throws for an unlisted type). */
export function diagnosticSettingInputs(type: string): DiagnosticSettingInputs {
  if (!isDiagnosedResourceType(type)) {
    const reason = NO_DIAGNOSTIC_SETTING[type];
    throw new Error(
      reason === undefined
        ? `no diagnostic profile for ${type}; add one to DIAGNOSTIC_CATALOGUE in infra/monitoring/diagnostics.ts`
        : `${type} gets no diagnostic setting: ${reason}`,
    );
  }
  const profile: DiagnosticProfile = DIAGNOSTIC_CATALOGUE[type];
  return clonePlain<DiagnosticSettingSpec>({
    logs: profile.logs.map((selection) => ({ ...selection, enabled: true as const })),
    metrics: [],
    ...(profile.destination === "Dedicated" ? { logAnalyticsDestinationType: "Dedicated" as const } : {}),
  });
}

/**
 * The `resourceUri` of the diagnostic setting for a resource of type `type` with ID `resourceId`: the ID
 * itself, or the log-emitting sub-resource (storage: `.../blobServices/default`).
 */
export function diagnosticResourceUri(type: string, resourceId: string): string {
  if (!isDiagnosedResourceType(type)) return resourceId;
  const profile: DiagnosticProfile = DIAGNOSTIC_CATALOGUE[type];
  return `${resourceId}${profile.resourceUriSuffix ?? ""}`;
}

/** Subscription activity log categories (`monitor:SubscriptionDiagnosticSetting`), read into AzureActivity. */
export const ACTIVITY_LOG_CATEGORIES = [
  "Administrative",
  "Security",
  "ServiceHealth",
  "Alert",
  "Recommendation",
  "Policy",
  "Autoscale",
  "ResourceHealth",
] as const;

/**
 * Entra ID logs: a tenant-level diagnostic setting only a tenant administrator can create
 * (Entra admin center > Identity > Monitoring & health > Diagnostic settings). Documented, not deployed.
 */
export const ENTRA_ID_LOG_CATEGORIES = {
  AuditLogs: "AuditLogs",
  SignInLogs: "SigninLogs",
  NonInteractiveUserSignInLogs: "AADNonInteractiveUserSignInLogs",
  ServicePrincipalSignInLogs: "AADServicePrincipalSignInLogs",
  ManagedIdentitySignInLogs: "AADManagedIdentitySignInLogs",
} as const;

// ---------------------------------------------------------------------------------------------
// API Management request logging (apimanagement:Diagnostic "azuremonitor")
// ---------------------------------------------------------------------------------------------

export interface HttpMessageLogging {
  readonly headers: readonly string[];
  readonly body: { readonly bytes: 0 };
  readonly dataMasking: {
    readonly headers: readonly { readonly value: string; readonly mode: "Hide" }[];
    readonly queryParams: readonly { readonly value: string; readonly mode: "Hide" }[];
  };
}

interface ApimDiagnosticSpec {
  /** Must be "azuremonitor" for the resource-log (GatewayLogs) pipeline. */
  readonly diagnosticId: "azuremonitor";
  /** ARM ID of the service's built-in `azuremonitor` logger (`.../service/<name>/loggers/azuremonitor`). */
  readonly loggerId: string;
  readonly alwaysLog: "allErrors";
  readonly logClientIp: boolean;
  /** `information` lets the policy's `<trace severity="information">` events through, not verbose ones. */
  readonly verbosity: "information";
  readonly sampling: { readonly samplingType: "fixed"; readonly percentage: 100 };
  readonly frontend: { readonly request: HttpMessageLogging; readonly response: HttpMessageLogging };
  readonly backend: { readonly request: HttpMessageLogging; readonly response: HttpMessageLogging };
}

/** Inputs for `apimanagement.Diagnostic` except resourceGroupName and serviceName. */
export type ApimDiagnosticInputs = DeepMutable<ApimDiagnosticSpec>;

/** Query parameters hidden in logged URLs, in case a client ever puts a credential in one. */
const MASKED_QUERY_PARAMS = [
  "access_token",
  "id_token",
  "code",
  "token",
  "subscription-key",
  "sig",
  "client_secret",
];

const hidden = (names: readonly string[]) => names.map((value) => ({ value, mode: "Hide" as const }));

function messageLogging(headers: readonly string[]): HttpMessageLogging {
  return {
    headers,
    body: { bytes: 0 },
    dataMasking: { headers: hidden(["Authorization"]), queryParams: hidden(MASKED_QUERY_PARAMS) },
  };
}

/**
 * Request headers worth logging: protocol negotiation and origin checks, and the X-Forwarded-For chain
 * whose last hop (appended by Application Gateway) is the real client IP.
 */
export const APIM_LOGGED_HEADERS = {
  frontendRequest: [
    "MCP-Protocol-Version",
    "Origin",
    "User-Agent",
    "Content-Type",
    "Accept",
    "X-Forwarded-For",
  ],
  frontendResponse: ["WWW-Authenticate", "Retry-After", "Content-Type"],
  backendRequest: ["MCP-Protocol-Version", "Content-Type"],
  backendResponse: ["Content-Type"],
} as const;

/** Header names the stack config adds to the forbidden list: backend API-key headers. */
export function configuredSecretHeaders(config: Pick<StackConfig, "mcpServers">): string[] {
  return config.mcpServers.flatMap((server) =>
    server.backendAuth.type === "apiKey" ? [server.backendAuth.headerName] : [],
  );
}

/**
 * The API Management diagnostic for Azure Monitor. Throws if a logged header is forbidden, so adding
 * `Authorization` (or a configured backend API-key header) to a list fails at preview time.
 */
export function apimDiagnosticInputs(options: {
  readonly loggerId: string;
  readonly extraForbiddenHeaders?: readonly string[];
}): ApimDiagnosticInputs {
  const forbidden = new Set(
    [...FORBIDDEN_LOG_HEADERS, ...(options.extraForbiddenHeaders ?? [])].map((h) => h.toLowerCase()),
  );
  for (const header of Object.values(APIM_LOGGED_HEADERS).flat()) {
    if (forbidden.has(header.toLowerCase())) throw new Error(`the header ${header} must never be logged`);
  }
  return clonePlain<ApimDiagnosticSpec>({
    diagnosticId: "azuremonitor",
    loggerId: options.loggerId,
    alwaysLog: "allErrors",
    logClientIp: true,
    verbosity: "information",
    sampling: { samplingType: "fixed", percentage: 100 },
    frontend: {
      request: messageLogging(APIM_LOGGED_HEADERS.frontendRequest),
      response: messageLogging(APIM_LOGGED_HEADERS.frontendResponse),
    },
    backend: {
      request: messageLogging(APIM_LOGGED_HEADERS.backendRequest),
      response: messageLogging(APIM_LOGGED_HEADERS.backendResponse),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Application Gateway WAF log scrubbing (for the edge component's WAF policy)
// ---------------------------------------------------------------------------------------------

/**
 * `policySettings.logScrubbing` for `network:WebApplicationFirewallPolicy`. WAF log records include the
 * request data a rule matched (AGWFirewallLogs.DetailedData), which can be a header value or a tool
 * argument; scrubbing masks it before it is logged. Header names use `Equals`; the argument and cookie
 * rules use `EqualsAny` (every value) and must not set a selector.
 */
export const WAF_LOG_SCRUBBING = {
  state: "Enabled",
  scrubbingRules: [
    ...["Authorization", "Proxy-Authorization", "Cookie", "Mcp-Session-Id", "Ocp-Apim-Subscription-Key"].map(
      (selector) => ({
        matchVariable: "RequestHeaderNames",
        selectorMatchOperator: "Equals",
        selector,
        state: "Enabled",
      }),
    ),
    { matchVariable: "RequestCookieNames", selectorMatchOperator: "EqualsAny", state: "Enabled" },
    { matchVariable: "RequestArgNames", selectorMatchOperator: "EqualsAny", state: "Enabled" },
    { matchVariable: "RequestPostArgNames", selectorMatchOperator: "EqualsAny", state: "Enabled" },
    { matchVariable: "RequestJSONArgNames", selectorMatchOperator: "EqualsAny", state: "Enabled" },
  ],
} as const;
