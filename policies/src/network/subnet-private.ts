import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, isFalse, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const subnetPrivate = resourceRule({
  name: "network-subnet-no-default-outbound",
  area: "network",
  description:
    "Subnets are private: default outbound access is explicitly off, so nothing reaches the internet except through an explicit path " +
    "(NAT gateway, firewall, the edge).",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `defaultOutboundAccess: false` on every subnet (separate Subnet resources and subnets inline in the virtual network).",
  seedControls: [SEED.toolExecution],
  azureBuiltins: builtins("Network/PrivateSubnetOnly_Audit"),
  resourceTypes: [T.subnet, T.virtualNetwork],
  validate: (props, args, report) => {
    const subnets = canonicalType(args.type) === T.subnet ? [props] : asArray(get(props, "subnets"));
    subnets.forEach((subnet, index) => {
      const value = get(subnet, "defaultOutboundAccess");
      const name = get(subnet, "name") ?? get(subnet, "subnetName") ?? String(index);
      if (!isFalse(value))
        report(`subnet ${String(name)}: defaultOutboundAccess must be false (got ${show(value)}).`);
    });
  },
});
