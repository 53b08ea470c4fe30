import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { isReferenceSet } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const appInsightsWorkspace = resourceRule({
  name: "monitoring-app-insights-workspace",
  area: "monitoring",
  description:
    "Application Insights is workspace-based: its data lands in the Log Analytics workspace that Sentinel watches.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `workspaceResourceId` to the Log Analytics workspace ID.",
  seedControls: [SEED.logging],
  azureBuiltins: builtins("Monitoring/ApplicationInsightsComponent_WorkspaceAssociation_Deny"),
  rulesets: ["Azure.AppInsights.Workspace"],
  resourceTypes: [T.appInsights],
  validate: (props, _args, report) => {
    if (!isReferenceSet(props, "workspaceResourceId")) report("workspaceResourceId must be set.");
  },
});
