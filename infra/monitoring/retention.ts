/**
 * Retention per data class. The workspace default (`monitoring.retentionDays`) covers every table not
 * listed here; these classes set per-table retention (`operationalinsights:Table` retentionInDays /
 * totalRetentionInDays) where the data's purpose calls for shorter or longer keeping.
 * docs/operations.md explains each class; change both together.
 *
 * interactiveDays: queryable by alerts, analytics rules and workbooks (Analytics plan: 4-730 days).
 * totalDays: interactive plus long-term retention (searchable through search jobs, not alerts).
 */

export interface DataClass {
  readonly description: string;
  /** Personal data the class holds, which drives how long it may be kept. */
  readonly personalData: string;
  readonly interactiveDays: number;
  readonly totalDays: number;
  readonly tables: readonly string[];
}

export const DATA_CLASSES = {
  securityAudit: {
    description:
      "Who did what to the control plane and to secrets: needed for incident investigations that start months after the fact.",
    personalData: "Entra object IDs and UPNs of administrators and callers, caller IP addresses.",
    interactiveDays: 90,
    totalDays: 365,
    tables: [
      "AZKVAuditLogs",
      "AzureActivity",
      "LAQueryLogs",
      "ContainerRegistryLoginEvents",
      "ContainerRegistryRepositoryEvents",
      // Reads and writes of the VNet flow-log blobs (who looked at network evidence).
      "StorageBlobLogs",
      "SigninLogs",
      "AuditLogs",
      "AADServicePrincipalSignInLogs",
      "AADManagedIdentitySignInLogs",
      "AADNonInteractiveUserSignInLogs",
      // Content Safety audit and NSG events both land here; the security half sets the retention.
      "AzureDiagnostics",
    ],
  },
  gatewayAccess: {
    description:
      "One record per MCP request: status, timings, refusal reason, tool name, the validated oid and a hash of the session ID. No tokens, no bodies.",
    personalData: "Pseudonymous user object IDs (oid), client IP addresses, session ID hashes.",
    interactiveDays: 90,
    totalDays: 180,
    tables: ["ApiManagementGatewayLogs", "ApiManagementGatewayMCPLog", "AGWAccessLogs", "AGWFirewallLogs"],
  },
  operational: {
    description: "Performance and platform health: latency, scaling, restarts, rule counters.",
    personalData: "None expected.",
    interactiveDays: 30,
    totalDays: 30,
    tables: ["AGWPerformanceLogs", "ContainerAppSystemLogs"],
  },
  workloadOutput: {
    description:
      "MCP server stdout/stderr. Servers must not print tool arguments, results or tokens, but this is the class most likely to hold user content by mistake, so it is kept shortest.",
    personalData: "Whatever a server prints; treat as confidential.",
    interactiveDays: 30,
    totalDays: 30,
    tables: ["ContainerAppConsoleLogs"],
  },
} as const satisfies Record<string, DataClass>;

export type DataClassName = keyof typeof DATA_CLASSES;

/** Per-table retention inputs, one entry per table in the classes above. */
export function tableRetention(): {
  tableName: string;
  dataClass: DataClassName;
  retentionInDays: number;
  totalRetentionInDays: number;
}[] {
  return (Object.entries(DATA_CLASSES) as [DataClassName, DataClass][]).flatMap(([dataClass, cls]) =>
    cls.tables.map((tableName) => ({
      tableName,
      dataClass,
      retentionInDays: cls.interactiveDays,
      totalRetentionInDays: cls.totalDays,
    })),
  );
}

/** ARM API version of `Microsoft.OperationalInsights/workspaces/tables` used for retention updates (GA, has totalRetentionInDays). */
export const TABLES_API_VERSION = "2022-10-01";

export interface TableRetentionTemplate {
  readonly $schema: string;
  readonly contentVersion: "1.0.0.0";
  readonly resources: readonly {
    readonly type: "Microsoft.OperationalInsights/workspaces/tables";
    readonly apiVersion: string;
    readonly name: string;
    readonly properties: { readonly retentionInDays: number; readonly totalRetentionInDays: number };
  }[];
}

/**
 * An ARM template that sets the class retention of `tables` (those with a data class; others are skipped)
 * in workspace `workspaceName`. Applied as a template deployment rather than `operationalinsights:Table`
 * resources: Azure tables are built into every workspace and cannot be created or deleted, only updated,
 * which an incremental deployment does idempotently (a PUT of just the retention properties), while a
 * Pulumi resource would try to create, and on destroy delete, a table it does not own.
 */
export function tableRetentionTemplate(
  workspaceName: string,
  tables: readonly string[],
): TableRetentionTemplate {
  const byTable = new Map(tableRetention().map((row) => [row.tableName, row]));
  const selected = [...new Set(tables)].filter((table) => byTable.has(table)).sort();
  return {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources: selected.map((table) => {
      const row = byTable.get(table)!;
      return {
        type: "Microsoft.OperationalInsights/workspaces/tables",
        apiVersion: TABLES_API_VERSION,
        name: `${workspaceName}/${table}`,
        properties: { retentionInDays: row.retentionInDays, totalRetentionInDays: row.totalRetentionInDays },
      };
    }),
  };
}
