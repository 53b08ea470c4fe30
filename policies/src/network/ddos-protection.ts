import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, isReferenceSet, isTrue, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const ddosProtection = resourceRule({
  name: "network-ddos-protection",
  area: "network",
  description: "Virtual networks are covered by an Azure DDoS Protection plan.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `enableDdosProtection: true` and `ddosProtectionPlan: { id }` (one plan per tenant region can cover many networks).",
  seedControls: [SEED.rateLimiting],
  azureBuiltins: builtins(
    "Network/VirtualNetworkDdosStandard_Audit",
    "Security Center/ASC_EnableDDoSProtection_Audit",
  ),
  resourceTypes: [T.virtualNetwork],
  validate: (props, _args, report) => {
    const enabled = get(props, "enableDdosProtection");
    if (!isTrue(enabled)) report(`enableDdosProtection must be true (got ${show(enabled)}).`);
    if (!isReferenceSet(props, "ddosProtectionPlan.id"))
      report("ddosProtectionPlan.id must reference a DDoS protection plan.");
  },
});
