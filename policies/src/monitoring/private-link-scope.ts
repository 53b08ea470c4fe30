import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, ieq, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const privateLinkScopeAccess = resourceRule({
  name: "monitoring-private-link-scope-private-only",
  area: "monitoring",
  description:
    "An Azure Monitor Private Link Scope only lets its networks reach private-link resources (PrivateOnly ingestion and query).",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "PrivateOnly" }`.',
  seedControls: [SEED.logging, SEED.toolExecution],
  azureBuiltins: builtins("Monitoring/AzureMonitorPrivateLinkScopes_AccessModeSettings_Audit"),
  resourceTypes: [T.privateLinkScope],
  validate: (props, _args, report) => {
    for (const mode of ["ingestionAccessMode", "queryAccessMode"]) {
      const value = get(props, `accessModeSettings.${mode}`);
      if (!ieq(value, "PrivateOnly"))
        report(`accessModeSettings.${mode} must be "PrivateOnly" (got ${show(value)}).`);
    }
  },
});
