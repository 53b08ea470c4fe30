import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, inList, isReferenceSet } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

/** Subnets Azure reserves for a service that manages its own traffic rules. */
const NO_NSG_SUBNETS = [
  "GatewaySubnet",
  "AzureFirewallSubnet",
  "AzureFirewallManagementSubnet",
  "RouteServerSubnet",
];

export const subnetNsg = resourceRule({
  name: "network-subnet-nsg",
  area: "network",
  description:
    "Every subnet has a network security group, except the platform subnets that must not have one (GatewaySubnet, the Azure " +
    "Firewall and Route Server subnets).",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Attach an NSG (`networkSecurityGroup: { id }`) to each subnet; remove it from GatewaySubnet.",
  seedControls: [SEED.toolExecution],
  azureBuiltins: builtins(
    "Security Center/ASC_NetworkSecurityGroupsOnSubnets_Audit",
    "Network/NetworkSecurityGroupOnGatewaySubnet_Deny",
  ),
  resourceTypes: [T.subnet, T.virtualNetwork],
  validate: (props, args, report) => {
    const isSubnet = canonicalType(args.type) === T.subnet;
    const subnets = isSubnet ? [props] : asArray(get(props, "subnets"));
    subnets.forEach((subnet, index) => {
      const name = get(subnet, "name") ?? get(subnet, "subnetName") ?? (isSubnet ? args.name : String(index));
      const hasNsg = isReferenceSet(subnet, "networkSecurityGroup.id");
      if (inList(name, NO_NSG_SUBNETS)) {
        if (hasNsg) report(`subnet ${String(name)} must not have a network security group.`);
      } else if (!hasNsg) {
        report(`subnet ${String(name)} has no network security group (networkSecurityGroup.id is missing).`);
      }
    });
  },
});
