import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, isTrue, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const monitoringLocalAuthDisabled = resourceRule({
  name: "monitoring-local-auth-disabled",
  area: "monitoring",
  description:
    "Application Insights and Log Analytics accept only Entra ID-authenticated ingestion (local authentication, i.e. " +
    "instrumentation keys and workspace keys, is off), so telemetry cannot be forged with a leaked key.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `disableLocalAuth: true` on the Application Insights component and `features.disableLocalAuth: true` on the workspace; " +
    "grant Monitoring Metrics Publisher to the identities that send telemetry.",
  seedControls: [SEED.logging],
  azureBuiltins: builtins(
    "Monitoring/ApplicationInsightsComponents_DisableLocalAuth_Deny",
    "Monitoring/LogAnalyticsWorkspaces_DisableLocalAuth_Deny",
  ),
  resourceTypes: [T.appInsights, T.logAnalyticsWorkspace],
  validate: (props, args, report) => {
    const path =
      canonicalType(args.type) === T.appInsights ? "disableLocalAuth" : "features.disableLocalAuth";
    const value = get(props, path);
    if (!isTrue(value)) report(`${path} must be true (got ${show(value)}).`);
  },
});
