import { cidrContains, cidrsOverlap, parseCidr, type Ipv4Cidr } from "../config/cidr";
import type { StackConfig } from "../config/schema";

/**
 * The address plan as the network component builds it: one subnet per purpose, each with its own
 * NSG, its delegation and its private-endpoint policy. Pure, so the plan is unit-tested without mocks.
 */

export type SubnetPurpose = "edge" | "gateway" | "privateEndpoints" | "workloads" | "gatewayIntegration";

/** Purposes in the order the subnets are declared (and documented). */
export const SUBNET_PURPOSES: readonly SubnetPurpose[] = [
  "edge",
  "gateway",
  "privateEndpoints",
  "workloads",
  "gatewayIntegration",
];

/** Name fragment used in `resourceName("subnet", naming, <fragment>)`. */
export const SUBNET_NAME_FRAGMENT: Readonly<Record<SubnetPurpose, string>> = {
  edge: "edge",
  gateway: "gateway",
  privateEndpoints: "private-endpoints",
  workloads: "workloads",
  gatewayIntegration: "gateway-integration",
};

/** Azure keeps five addresses of every subnet (network, broadcast, gateway, two for DNS). */
export const AZURE_RESERVED_ADDRESSES_PER_SUBNET = 5;

export interface SubnetSpec {
  readonly purpose: SubnetPurpose;
  readonly cidr: string;
  /** Service the subnet is delegated to (Container Apps, API Management v2 VNet integration). */
  readonly delegation?: "Microsoft.App/environments" | "Microsoft.Web/serverFarms";
  /** `Enabled` on the private-endpoint subnet so that its NSG (and UDRs) apply to private endpoints. */
  readonly privateEndpointNetworkPolicies: "Enabled" | "Disabled";
  readonly usableAddresses: number;
  readonly why: string;
}

export interface AddressPlan {
  readonly addressSpace: string;
  readonly subnets: readonly SubnetSpec[];
}

export type NetworkConfig = StackConfig["network"];
export type GatewaySku = StackConfig["gateway"]["sku"];

const WHY: Readonly<Record<SubnetPurpose, string>> = {
  edge: "Application Gateway v2 (WAF) instances; dedicated, no other resource types allowed",
  gateway: "API Management (classic tier, internal VNet mode); dedicated",
  privateEndpoints: "private endpoints of every PaaS resource (Key Vault, Monitor, Content Safety, ACR, ...)",
  workloads: "Container Apps environment (workload profiles) running the MCP servers; delegated",
  gatewayIntegration: "API Management v2 outbound VNet integration; delegated",
};

/** Builds the subnet list from config. Throws if the plan does not fit or overlaps (config validation reports it first). */
export function addressPlan(network: NetworkConfig, gatewaySku: GatewaySku): AddressPlan {
  const subnets: SubnetSpec[] = [];
  for (const purpose of SUBNET_PURPOSES) {
    const cidr = network.subnets[purpose];
    if (cidr === undefined) continue;
    // gatewayIntegration only exists for StandardV2; a classic tier never uses it.
    if (purpose === "gatewayIntegration" && gatewaySku !== "StandardV2") continue;
    const parsed = parseCidr(cidr);
    if (!parsed) throw new Error(`network.subnets.${purpose} = ${cidr} is not an IPv4 network in CIDR form`);
    subnets.push({
      purpose,
      cidr,
      ...(purpose === "workloads" ? { delegation: "Microsoft.App/environments" as const } : {}),
      ...(purpose === "gatewayIntegration" ? { delegation: "Microsoft.Web/serverFarms" as const } : {}),
      privateEndpointNetworkPolicies: purpose === "privateEndpoints" ? "Enabled" : "Disabled",
      usableAddresses: parsed.size - AZURE_RESERVED_ADDRESSES_PER_SUBNET,
      why: WHY[purpose],
    });
  }
  const plan = { addressSpace: network.addressSpace, subnets };
  const problems = addressPlanProblems(plan);
  if (problems.length > 0) throw new Error(`invalid address plan:\n  - ${problems.join("\n  - ")}`);
  return plan;
}

/** Every subnet inside the address space, no two overlapping. Empty when the plan is sound. */
export function addressPlanProblems(plan: AddressPlan): string[] {
  const problems: string[] = [];
  const space = parseCidr(plan.addressSpace);
  if (!space) return [`address space ${plan.addressSpace} is not an IPv4 network in CIDR form`];
  const parsed: Array<{ purpose: SubnetPurpose; cidr: Ipv4Cidr }> = [];
  for (const subnet of plan.subnets) {
    const cidr = parseCidr(subnet.cidr);
    if (!cidr) {
      problems.push(`${subnet.purpose} ${subnet.cidr} is not an IPv4 network in CIDR form`);
      continue;
    }
    if (!cidrContains(space, cidr))
      problems.push(`${subnet.purpose} ${subnet.cidr} lies outside ${plan.addressSpace}`);
    for (const other of parsed) {
      if (cidrsOverlap(other.cidr, cidr))
        problems.push(`${subnet.purpose} ${subnet.cidr} overlaps ${other.purpose} ${other.cidr.text}`);
    }
    parsed.push({ purpose: subnet.purpose, cidr });
  }
  return problems;
}

export function subnetOf(plan: AddressPlan, purpose: SubnetPurpose): SubnetSpec | undefined {
  return plan.subnets.find((subnet) => subnet.purpose === purpose);
}
