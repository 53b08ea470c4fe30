/**
 * The Log Analytics tables the alert, analytics and workbook queries read, as the database that
 * `npm run check:kql` hands to Microsoft's Kusto analyzer (`@kusto/language-service-next`).
 *
 * Reviewed file: every table links Microsoft's Azure Monitor Logs table reference, and its columns and
 * types are copied from that page (nothing invented; a column the reference does not list would make the
 * analyzer accept a query that Log Analytics rejects). Add a table here before a query reads it.
 *
 * `forbidden` columns exist but must never be read by our queries: they can hold request content (bodies,
 * matched payload fragments, query strings) that the privacy rules keep out of alerts and incidents. The
 * diagnostic settings already leave bodies unlogged; this is the second fence, enforced by the check on
 * the analyzer's resolved symbols (a column read through `extend`/`project` renames is still caught).
 */

/** Scalar types as the Azure Monitor table reference and KQL spell them. */
export type KqlScalarType =
  "string" | "int" | "long" | "real" | "bool" | "datetime" | "dynamic" | "guid" | "timespan";

export interface LogTable {
  /** Microsoft's Azure Monitor Logs reference page for the table. */
  readonly reference: string;
  /** What feeds it: diagnostic category (and destination type) or connector. */
  readonly source: string;
  /** Column name -> type, from `reference`. */
  readonly columns: Readonly<Record<string, KqlScalarType>>;
  /** Columns our queries must never read (see the module comment); each must be in `columns`. */
  readonly forbidden: readonly string[];
}

/** Columns every Azure Monitor table carries (the reference lists them on every table page). */
const STANDARD_COLUMNS = {
  _BilledSize: "real",
  _IsBillable: "string",
  _ResourceId: "string",
  _SubscriptionId: "string",
  SourceSystem: "string",
  TenantId: "string",
  TimeGenerated: "datetime",
  Type: "string",
} as const satisfies Record<string, KqlScalarType>;

export const LOG_TABLES = {
  ApiManagementGatewayLogs: {
    reference: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/apimanagementgatewaylogs",
    source: "API Management diagnostic setting, category GatewayLogs, logAnalyticsDestinationType Dedicated",
    columns: {
      ...STANDARD_COLUMNS,
      ApiId: "string",
      ApimSubscriptionId: "string",
      ApiRevision: "string",
      BackendId: "string",
      BackendMethod: "string",
      BackendProtocol: "string",
      BackendRequestBody: "string",
      BackendRequestHeaders: "dynamic",
      BackendResponseBody: "string",
      BackendResponseCode: "int",
      BackendResponseHeaders: "dynamic",
      BackendTime: "long",
      BackendUrl: "string",
      Cache: "string",
      CacheTime: "long",
      CallerIpAddress: "string",
      Category: "string",
      ClientProtocol: "string",
      ClientTime: "long",
      ClientTlsVersion: "string",
      CorrelationId: "string",
      Errors: "dynamic",
      IsMasterTrace: "bool",
      IsRequestSuccess: "bool",
      IsTraceAllowed: "bool",
      IsTraceExpired: "bool",
      IsTraceRequested: "bool",
      LastErrorElapsed: "long",
      LastErrorMessage: "string",
      LastErrorReason: "string",
      LastErrorScope: "string",
      LastErrorSection: "string",
      LastErrorSource: "string",
      Method: "string",
      OperationId: "string",
      OperationName: "string",
      ProductId: "string",
      Region: "string",
      RequestBody: "string",
      RequestHeaders: "dynamic",
      RequestSize: "int",
      ResponseBody: "string",
      ResponseCode: "int",
      ResponseHeaders: "dynamic",
      ResponseSize: "int",
      Timestamp: "datetime",
      TotalTime: "long",
      // Entries written by <trace> policies; the gateway's audit events are the `mcp-gateway` ones
      // (infra/conventions/logging-contract.ts).
      TraceRecords: "dynamic",
      Url: "string",
      UserId: "string",
      WorkspaceId: "string",
    },
    forbidden: [
      "RequestBody",
      "ResponseBody",
      "BackendRequestBody",
      "BackendResponseBody",
      "BackendRequestHeaders",
    ],
  },
  AGWFirewallLogs: {
    reference: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/agwfirewalllogs",
    source:
      "Application Gateway diagnostic setting, category ApplicationGatewayFirewallLog, logAnalyticsDestinationType Dedicated",
    columns: {
      ...STANDARD_COLUMNS,
      Action: "string",
      ClientIp: "string",
      ClientPort: "int",
      DetailedData: "string",
      DetailedMessage: "string",
      FileDetails: "string",
      Hostname: "string",
      InstanceId: "string",
      LineDetails: "string",
      Message: "string",
      OperationName: "string",
      RequestUri: "string",
      RuleId: "string",
      RuleSetType: "string",
      RuleSetVersion: "string",
      Site: "string",
      TransactionId: "string",
    },
    // DetailedData holds the request fragment a rule matched (it can be a header value); RequestUri can carry query strings.
    forbidden: ["DetailedData", "RequestUri"],
  },
  AZKVAuditLogs: {
    reference: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/azkvauditlogs",
    source:
      "Key Vault diagnostic setting, category group audit (AuditEvent), logAnalyticsDestinationType Dedicated",
    columns: {
      ...STANDARD_COLUMNS,
      AddressAuthorizationType: "string",
      Algorithm: "string",
      AppliedAssignmentId: "string",
      CallerIpAddress: "string",
      CertificateIssuerProperties: "dynamic",
      CertificatePolicyProperties: "dynamic",
      CertificateProperties: "dynamic",
      CertificateRequestProperties: "dynamic",
      ClientInfo: "string",
      CorrelationId: "string",
      DurationMs: "int",
      EnabledForDeployment: "bool",
      EnabledForDiskEncryption: "bool",
      EnabledForTemplateDeployment: "bool",
      EnablePurgeProtection: "bool",
      EnableRbacAuthorization: "bool",
      EnableSoftDelete: "bool",
      HsmPoolResourceId: "string",
      HttpStatusCode: "int",
      Id: "string",
      Identity: "dynamic",
      IsAccessPolicyMatch: "bool",
      IsAddressAuthorized: "bool",
      IsRbacAuthorized: "bool",
      KeyProperties: "dynamic",
      NetworkAcls: "dynamic",
      Nsp: "dynamic",
      OperationName: "string",
      OperationVersion: "string",
      Properties: "dynamic",
      RequestUri: "string",
      ResultDescription: "string",
      ResultSignature: "string",
      ResultType: "string",
      SecretProperties: "dynamic",
      Sku: "dynamic",
      SoftDeleteRetentionInDays: "int",
      StorageAccountProperties: "dynamic",
      StorageSasDefinitionProperties: "dynamic",
      SubnetId: "string",
      Tlsversion: "string",
      TrustedService: "string",
      VaultProperties: "dynamic",
    },
    forbidden: [],
  },
  AzureActivity: {
    reference: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/azureactivity",
    source: "Subscription activity log diagnostic setting (Administrative, Security, Policy, ...)",
    // The reference page lists no _BilledSize/_IsBillable for this table: only what it lists is declared.
    columns: {
      _ResourceId: "string",
      _SubscriptionId: "string",
      SourceSystem: "string",
      TenantId: "string",
      TimeGenerated: "datetime",
      Type: "string",
      ActivityStatus: "string",
      ActivityStatusValue: "string",
      ActivitySubstatus: "string",
      ActivitySubstatusValue: "string",
      Authorization: "string",
      Authorization_d: "dynamic",
      Caller: "string",
      CallerIpAddress: "string",
      Category: "string",
      CategoryValue: "string",
      Claims: "string",
      Claims_d: "dynamic",
      CorrelationId: "string",
      EventDataId: "string",
      EventSubmissionTimestamp: "datetime",
      Hierarchy: "string",
      HTTPRequest: "string",
      Level: "string",
      OperationId: "string",
      OperationName: "string",
      OperationNameValue: "string",
      Properties: "string",
      Properties_d: "dynamic",
      Resource: "string",
      ResourceGroup: "string",
      ResourceId: "string",
      ResourceProvider: "string",
      ResourceProviderValue: "string",
      SubscriptionId: "string",
    },
    forbidden: [],
  },
} as const satisfies Record<string, LogTable>;

export type TableName = keyof typeof LOG_TABLES;

/**
 * Workspace functions (saved functions, parsers) the queries may call, as KQL: `name`, parameter list
 * `(a:string, ...)` and body. None is deployed today; the queries inline their shared parts through
 * partials (`infra/conventions/kql-partials/`). A function a query calls must be declared here with the
 * body the workspace holds, or the analyzer reports it as unknown.
 */
export interface WorkspaceFunction {
  readonly name: string;
  readonly parameters: string;
  readonly body: string;
  readonly reference: string;
}
export const WORKSPACE_FUNCTIONS: readonly WorkspaceFunction[] = [];

export function isKnownTable(name: string): name is TableName {
  return Object.prototype.hasOwnProperty.call(LOG_TABLES, name);
}
