import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, isReferenceSet, isTrue, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

const CHECKS: Readonly<Record<string, string>> = {
  [T.logAnalyticsWorkspace]: "forceCmkForQuery",
  [T.appInsights]: "forceCustomerStorageForProfiler",
  [T.scheduledQueryRule]: "checkWorkspaceAlertsStorageConfigured",
  [T.workbook]: "storageUri",
};

export const customerManagedMonitoringStorage = resourceRule({
  name: "monitoring-customer-managed-storage",
  area: "monitoring",
  description:
    "Saved queries, profiler/debugger snapshots, log alert queries and workbooks are kept in storage the customer controls (linked storage " +
    "accounts encrypted with a customer-managed key). Advisory by default: it needs linked storage accounts, which this deployment " +
    "creates only where the environment's config turns the rule on.",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps:
    "Link a customer-managed-key storage account to the workspace (`operationalinsights.LinkedStorageAccount` for Query and Alerts) " +
    "and set `forceCmkForQuery: true`, `forceCustomerStorageForProfiler: true`, `checkWorkspaceAlertsStorageConfigured: true`, and a workbook `storageUri`.",
  seedControls: [SEED.logging, SEED.secureStorage],
  azureBuiltins: builtins(
    "Monitoring/LogAnalyticsWorkspaces_CMKBYOSQueryEnabled_Deny",
    "Monitoring/AppInsightsComponents_ForceCustomerStorageForProfiler_Deny",
    "Monitoring/ScheduledQueryRules_CMKEnabled_Deny",
    "Monitoring/Workbooks_BYOSEnabled_Audit",
  ),
  resourceTypes: Object.keys(CHECKS),
  validate: (props, args, report) => {
    const path = CHECKS[canonicalType(args.type)];
    if (!path) return;
    if (path === "storageUri") {
      if (!isReferenceSet(props, path))
        report("storageUri must name a storage account container you control.");
      return;
    }
    const value = get(props, path);
    if (!isTrue(value)) report(`${path} must be true (got ${show(value)}).`);
  },
});
