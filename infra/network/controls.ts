import type { ComponentControls } from "../../tools/controls/types";

/** The controls the network component implements; see docs/network.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:network:Network",
  folder: "infra/network",
  controls: {
    "P4.4": {
      how: "DDoS Network Protection plan on the VNet in prod",
      resources: ["azure-native:network:DdosProtectionPlan"],
      tests: ["test/network/network-plan.test.ts"],
    },
    "P5.1": {
      how: "VNet flow logs to storage and traffic analytics in prod",
      resources: ["azure-native:network:FlowLog", "azure-native:storage:StorageAccount"],
      tests: ["test/network/network-plan.test.ts"],
    },
    "P10.3": {
      how: "dedicated private subnets (edge, gateway, private endpoints, workloads) each with a least-privilege NSG ending in deny; private DNS for every private endpoint",
      resources: [
        "azure-native:network:VirtualNetwork",
        "azure-native:network:NetworkSecurityGroup",
        "azure-native:privatedns:PrivateZone",
        "azure-native:privatedns:VirtualNetworkLink",
      ],
      tests: [
        "test/network/nsg-rules.test.ts",
        "test/network/network-plan.test.ts",
        "test/network/dns-zones.test.ts",
      ],
    },
    "ZT.2": {
      how: "subnet per tier with explicit allow rules between tiers only, everything else denied",
      resources: ["azure-native:network:NetworkSecurityGroup"],
      tests: ["test/network/nsg-rules.test.ts", "test/network/address-plan.test.ts"],
    },
  },
};
