import type { ComponentControls } from "../../tools/controls/types";

/** The controls the Sentinel component implements; see docs/operations.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:sentinel:Sentinel",
  folder: "infra/sentinel",
  controls: {
    "P5.2": {
      how: "Microsoft Sentinel on the workspace with MCP-specific scheduled analytics rules",
      resources: [
        "azure-native:securityinsights:SentinelOnboardingState",
        "azure-native:securityinsights:ScheduledAlertRule",
      ],
      tests: ["test/sentinel/analytics-rules.test.ts"],
      docs: ["docs/operations.md#microsoft-sentinel-analytics-rules"],
    },
    "P5.4": {
      how: "automation rules label, assign and (once the playbook exists) contain High-severity incidents",
      resources: ["azure-native:securityinsights:AutomationRule"],
      tests: ["test/sentinel/automation-rule.test.ts"],
    },
    "P8.2": {
      how: "the session-hijack rule alerts on one session hash used by several users",
      resources: ["azure-native:securityinsights:ScheduledAlertRule"],
      tests: ["test/sentinel/analytics-rules.test.ts"],
    },
    "P9.2": {
      how: "the tool-abuse rule alerts on bursts of refused or privileged tool calls",
      resources: ["azure-native:securityinsights:ScheduledAlertRule"],
      tests: ["test/sentinel/analytics-rules.test.ts"],
    },
    "IR.1": {
      how: "one analytics rule per MCP threat with a responder procedure kept in step with docs/operations.md",
      resources: ["azure-native:securityinsights:ScheduledAlertRule"],
      tests: ["test/sentinel/analytics-rules.test.ts", "test/monitoring/operations-doc.test.ts"],
    },
    "IR.2": {
      how: "automation rules triage incidents and hook the containment playbook",
      resources: ["azure-native:securityinsights:AutomationRule"],
      tests: ["test/sentinel/automation-rule.test.ts"],
    },
    "ZT.4": {
      how: "analytics rules re-assess callers continuously (audience failures, session sprawl, config changes outside CI)",
      resources: ["azure-native:securityinsights:ScheduledAlertRule"],
      tests: ["test/sentinel/analytics-rules.test.ts"],
    },
  },
};
