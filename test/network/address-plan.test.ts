import {
  addressPlan,
  addressPlanProblems,
  AZURE_RESERVED_ADDRESSES_PER_SUBNET,
  subnetOf,
} from "../../infra/network/address-plan";
import { cidrContains, cidrsOverlap, parseCidr } from "../../infra/config/cidr";
import { STACKS } from "../support/plans";
import { parseStackVariant } from "./offline-plans";

function stackConfig(stack: (typeof STACKS)[number]) {
  const result = parseStackVariant(stack, () => undefined);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

describe.each(STACKS)("address plan of %s", (stack) => {
  const config = stackConfig(stack);
  const plan = addressPlan(config.network, config.gateway.sku);

  test("every subnet lies inside the address space and none overlap", () => {
    const space = parseCidr(plan.addressSpace)!;
    const cidrs = plan.subnets.map((subnet) => parseCidr(subnet.cidr)!);
    for (const cidr of cidrs) expect(cidrContains(space, cidr)).toBe(true);
    for (let i = 0; i < cidrs.length; i++)
      for (let j = i + 1; j < cidrs.length; j++) expect(cidrsOverlap(cidrs[i]!, cidrs[j]!)).toBe(false);
    expect(addressPlanProblems(plan)).toEqual([]);
  });

  test("has the dedicated subnets with their delegations and policies", () => {
    expect(plan.subnets.map((subnet) => subnet.purpose)).toEqual([
      "edge",
      "gateway",
      "privateEndpoints",
      "workloads",
    ]);
    expect(subnetOf(plan, "workloads")?.delegation).toBe("Microsoft.App/environments");
    expect(subnetOf(plan, "privateEndpoints")?.privateEndpointNetworkPolicies).toBe("Enabled");
    expect(subnetOf(plan, "gateway")?.delegation).toBeUndefined();
    expect(subnetOf(plan, "edge")?.delegation).toBeUndefined();
  });

  test("leaves room: edge >= /26, gateway and workloads >= /27 after Azure's 5 reserved addresses", () => {
    expect(subnetOf(plan, "edge")!.usableAddresses).toBeGreaterThanOrEqual(
      64 - AZURE_RESERVED_ADDRESSES_PER_SUBNET,
    );
    expect(subnetOf(plan, "gateway")!.usableAddresses).toBeGreaterThanOrEqual(
      32 - AZURE_RESERVED_ADDRESSES_PER_SUBNET,
    );
    expect(subnetOf(plan, "workloads")!.usableAddresses).toBeGreaterThanOrEqual(
      32 - AZURE_RESERVED_ADDRESSES_PER_SUBNET,
    );
  });
});

describe("address plan edge cases", () => {
  const base = {
    addressSpace: "10.70.0.0/20",
    subnets: {
      edge: "10.70.0.0/24",
      gateway: "10.70.1.0/27",
      privateEndpoints: "10.70.2.0/26",
      workloads: "10.70.4.0/23",
      gatewayIntegration: "10.70.1.64/27",
    },
    ddosProtection: false,
    flowLogs: false,
  };

  test("StandardV2 adds the integration subnet delegated to Microsoft.Web/serverFarms; classic tiers leave it out", () => {
    expect(subnetOf(addressPlan(base, "StandardV2"), "gatewayIntegration")?.delegation).toBe(
      "Microsoft.Web/serverFarms",
    );
    expect(subnetOf(addressPlan(base, "Premium"), "gatewayIntegration")).toBeUndefined();
  });

  test("overlapping or escaping subnets are refused with the subnets named", () => {
    expect(() =>
      addressPlan({ ...base, subnets: { ...base.subnets, gateway: "10.70.0.0/27" } }, "Premium"),
    ).toThrow(/gateway 10\.70\.0\.0\/27 overlaps edge/);
    expect(() =>
      addressPlan({ ...base, subnets: { ...base.subnets, workloads: "10.80.0.0/23" } }, "Premium"),
    ).toThrow(/outside 10\.70\.0\.0\/20/);
  });
});
