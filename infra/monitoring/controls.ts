import type { ComponentControls } from "../../tools/controls/types";

/** The controls the monitoring component implements; see docs/operations.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:monitoring:Monitoring",
  folder: "infra/monitoring",
  controls: {
    "P5.1": {
      how: "a Log Analytics workspace and a diagnostic setting per resource type into resource-specific tables",
      resources: ["azure-native:operationalinsights:Workspace", "azure-native:monitor:DiagnosticSetting"],
      tests: ["test/monitoring/diagnostics.test.ts"],
      docs: ["docs/operations.md#what-is-logged-where"],
    },
    "P5.2": {
      how: "scheduled query alerts on refusal spikes, 429 floods, WAF blocks, session refusals, unknown tools and Key Vault denials",
      resources: ["azure-native:monitor:ScheduledQueryRule", "azure-native:monitor:ActionGroup"],
      tests: ["test/monitoring/alerts.test.ts"],
    },
    "P5.3": {
      how: "0 bytes of bodies, forbidden headers never logged, hashed session IDs, retention per data class",
      resources: ["azure-native:monitor:DiagnosticSetting"],
      tests: ["test/monitoring/diagnostics.test.ts", "test/monitoring/operations-doc.test.ts"],
      docs: ["docs/operations.md#privacy-rules-for-every-log"],
    },
    "P5.4": {
      how: "alerts go to an action group (e-mail on-call); Sentinel takes the incidents",
      resources: ["azure-native:monitor:ActionGroup"],
      tests: ["test/monitoring/alerts.test.ts"],
    },
    "P10.4": {
      how: "Container Apps console and system logs and the unknown-tool alert watch tool execution",
      resources: ["azure-native:monitor:DiagnosticSetting", "azure-native:monitor:ScheduledQueryRule"],
      tests: ["test/monitoring/alerts.test.ts"],
    },
    "IR.3": {
      how: "security audit tables kept 365 days in total, the workspace locked; activity log exported",
      resources: [
        "azure-native:operationalinsights:Workspace",
        "azure-native:authorization:ManagementLockByScope",
      ],
      tests: ["test/monitoring/diagnostics.test.ts"],
      docs: ["docs/operations.md#retention-per-data-class"],
    },
    "PRIV.1": {
      how: "users appear in logs as their token's object ID only; no request or response payloads are logged",
      resources: ["azure-native:monitor:DiagnosticSetting"],
      tests: ["test/monitoring/diagnostics.test.ts"],
    },
  },
};
