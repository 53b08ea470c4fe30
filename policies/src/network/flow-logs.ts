import type { PolicyResource } from "@pulumi/policy";
import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { isFalse, tryGet } from "../lib/props";
import { refersTo } from "../lib/references";
import { ofType, stackRule } from "../lib/rule";
import { T } from "../lib/types";

export const flowLogs = stackRule({
  name: "network-flow-logs",
  area: "network",
  description:
    "Every virtual network has an enabled flow log (VNet flow logs, which also cover its NSGs; NSG flow logs are retired), created " +
    "in a Network Watcher.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create a `network.FlowLog` in the region's Network Watcher with `targetResourceId` set to the virtual network's ID, `enabled: true`, " +
    "a storage account and traffic analytics to the Log Analytics workspace.",
  seedControls: [SEED.logging],
  azureBuiltins: builtins(
    "Network/VirtualNetwork_FlowLog_Audit",
    "Network/NetworkSecurityGroup_FlowLog_Audit",
    "Network/NetworkWatcher_Enabled_Audit",
  ),
  resourceTypes: [T.virtualNetwork, T.flowLog],
  appliesTo: [T.virtualNetwork],
  validate: (resources, _args, report) => {
    const logs = ofType(resources, T.flowLog).filter((log) => !isFalse(tryGet(log.props, "enabled")));
    for (const network of ofType(resources, T.virtualNetwork)) {
      if (!logs.some((log: PolicyResource) => refersTo(log, "targetResourceId", network))) {
        report(
          `virtual network ${network.name} has no enabled flow log (a network.FlowLog whose targetResourceId refers to it).`,
          network.urn,
        );
      }
    }
  },
});
