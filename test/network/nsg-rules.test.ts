import { addressPlan, type AddressPlan, type SubnetPurpose } from "../../infra/network/address-plan";
import {
  FINAL_DENY_PRIORITY,
  MANAGEMENT_PORTS,
  nsgRulesFor,
  portsOverlap,
  ruleSetProblems,
  type NsgRule,
} from "../../infra/network/nsg-rules";

const network = {
  addressSpace: "10.40.0.0/20",
  subnets: {
    edge: "10.40.0.0/24",
    gateway: "10.40.1.0/27",
    privateEndpoints: "10.40.2.0/26",
    workloads: "10.40.4.0/23",
    gatewayIntegration: "10.40.1.64/27",
  },
  ddosProtection: false,
  flowLogs: false,
};
const classic = addressPlan(network, "Premium");
const v2 = addressPlan(network, "StandardV2");
const options = { gatewaySku: "Premium" as const, workloadInternetEgress: false };

const inbound = (rules: readonly NsgRule[]) => rules.filter((rule) => rule.direction === "Inbound");
const outbound = (rules: readonly NsgRule[]) => rules.filter((rule) => rule.direction === "Outbound");
const allowsInbound = (rules: readonly NsgRule[], source: string, port: string, protocol = "Tcp") =>
  inbound(rules).some(
    (rule) =>
      rule.access === "Allow" &&
      rule.source === source &&
      rule.protocol === protocol &&
      rule.destinationPorts.includes(port),
  );

describe.each<[string, AddressPlan, "Premium" | "StandardV2"]>([
  ["classic (Premium)", classic, "Premium"],
  ["StandardV2", v2, "StandardV2"],
])("every NSG rule set, %s", (_label, plan, gatewaySku) => {
  test.each(plan.subnets.map((subnet) => subnet.purpose))(
    "%s: unique priorities, explicit final deny, no management port open to * or Internet",
    (purpose) => {
      const rules = nsgRulesFor(purpose, plan, { gatewaySku, workloadInternetEgress: true });
      expect(ruleSetProblems(rules)).toEqual([]);
      const last = [...inbound(rules)].sort((a, b) => b.priority - a.priority)[0]!;
      expect(last).toEqual(
        expect.objectContaining({
          access: "Deny",
          source: "*",
          destination: "*",
          priority: FINAL_DENY_PRIORITY,
        }),
      );
      for (const rule of inbound(rules)) {
        if (rule.access === "Allow" && (rule.source === "*" || rule.source === "Internet")) {
          for (const port of MANAGEMENT_PORTS) expect(portsOverlap(rule.destinationPorts, port)).toBe(false);
        }
        expect(rule.description.length).toBeGreaterThan(10);
      }
    },
  );
});

describe("API Management subnet (internal VNet mode)", () => {
  const rules = nsgRulesFor("gateway", classic, options);

  test("allows exactly the documented inbound: 443 from the edge, 3443 from ApiManagement, 6390 from AzureLoadBalancer, 4290/udp in-subnet", () => {
    expect(allowsInbound(rules, "ApiManagement", "3443")).toBe(true);
    expect(allowsInbound(rules, "AzureLoadBalancer", "6390")).toBe(true);
    expect(allowsInbound(rules, "10.40.0.0/24", "443")).toBe(true);
    expect(allowsInbound(rules, "10.40.1.0/27", "4290", "Udp")).toBe(true);
    expect(inbound(rules).filter((rule) => rule.access === "Allow")).toHaveLength(4);
    expect(allowsInbound(rules, "Internet", "443")).toBe(false);
  });

  test("allows its outbound dependencies (Storage, Sql, Key Vault, Azure Monitor, Entra ID) and ends outbound with a deny", () => {
    const destinations = outbound(rules)
      .filter((rule) => rule.access === "Allow")
      .map((rule) => `${rule.destination}:${rule.destinationPorts.join(",")}`);
    expect(destinations).toEqual(
      expect.arrayContaining([
        "Storage:443",
        "Sql:1433",
        "AzureKeyVault:443",
        "AzureMonitor:1886,443",
        "AzureActiveDirectory:443",
        "10.40.4.0/23:443",
        "10.40.2.0/26:443",
      ]),
    );
    expect([...outbound(rules)].sort((a, b) => b.priority - a.priority)[0]).toEqual(
      expect.objectContaining({ access: "Deny", priority: FINAL_DENY_PRIORITY }),
    );
  });

  test("is closed entirely for StandardV2 (reached through its private endpoint)", () => {
    const closed = nsgRulesFor("gateway", v2, { gatewaySku: "StandardV2", workloadInternetEgress: false });
    expect(closed.every((rule) => rule.access === "Deny")).toBe(true);
  });
});

describe("edge subnet (Application Gateway v2)", () => {
  const rules = nsgRulesFor("edge", classic, options);

  test("takes 443 from Internet, the v2 infrastructure ports only from GatewayManager, probes from AzureLoadBalancer", () => {
    expect(allowsInbound(rules, "Internet", "443")).toBe(true);
    expect(allowsInbound(rules, "GatewayManager", "65200-65535")).toBe(true);
    expect(
      inbound(rules).some((rule) => rule.access === "Allow" && rule.source === "AzureLoadBalancer"),
    ).toBe(true);
    expect(allowsInbound(rules, "Internet", "80")).toBe(false);
    expect(inbound(rules).filter((rule) => rule.access === "Allow")).toHaveLength(3);
  });
});

describe("workloads subnet (Container Apps)", () => {
  test("is reachable only from the gateway subnet (plus its own platform traffic)", () => {
    for (const [plan, gatewaySku, caller] of [
      [classic, "Premium", "10.40.1.0/27"],
      [v2, "StandardV2", "10.40.1.64/27"],
    ] as const) {
      const rules = nsgRulesFor("workloads", plan, { gatewaySku, workloadInternetEgress: false });
      const sources = inbound(rules)
        .filter((rule) => rule.access === "Allow")
        .map((rule) => rule.source);
      expect(sources.sort()).toEqual([caller, "10.40.4.0/23", "AzureLoadBalancer"].sort());
      const https = inbound(rules).find(
        (rule) => rule.destinationPorts.includes("443") && rule.access === "Allow",
      );
      expect(https?.source).toBe(caller);
    }
  });

  test("has internet egress only when a container declares allowedEgressHosts", () => {
    const internet = (egress: boolean) =>
      outbound(
        nsgRulesFor("workloads", classic, { gatewaySku: "Premium", workloadInternetEgress: egress }),
      ).some((rule) => rule.access === "Allow" && rule.destination === "Internet");
    expect(internet(false)).toBe(false);
    expect(internet(true)).toBe(true);
  });
});

describe("private endpoint subnet", () => {
  test("accepts 443 from the subnets that use private endpoints and opens nothing outbound", () => {
    const rules = nsgRulesFor("privateEndpoints", classic, options);
    const sources = inbound(rules)
      .filter((rule) => rule.access === "Allow")
      .map((rule) => rule.source);
    expect(sources.sort()).toEqual(["10.40.0.0/24", "10.40.1.0/27", "10.40.4.0/23"].sort());
    expect(
      inbound(rules)
        .filter((rule) => rule.access === "Allow")
        .every((rule) => rule.destinationPorts.join() === "443"),
    ).toBe(true);
    expect(outbound(rules).every((rule) => rule.access === "Deny")).toBe(true);
  });
});

describe("ruleSetProblems", () => {
  const deny: NsgRule = {
    name: "Deny-All-Inbound",
    priority: 4096,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    source: "*",
    destination: "*",
    destinationPorts: ["*"],
    description: "x",
  };
  const ssh: NsgRule = {
    ...deny,
    name: "Allow-Ssh",
    priority: 100,
    access: "Allow",
    protocol: "Tcp",
    source: "Internet",
    destinationPorts: ["22"],
  };

  test("catches management ports open to the internet, missing final deny and duplicate priorities", () => {
    expect(ruleSetProblems([ssh, deny])).toEqual(["Allow-Ssh allows Internet to management port(s) 22"]);
    expect(ruleSetProblems([{ ...ssh, source: "*", destinationPorts: ["3000-4000"] }, deny])).toEqual([
      "Allow-Ssh allows * to management port(s) 3389, 3443",
    ]);
    expect(ruleSetProblems([{ ...ssh, source: "10.0.0.0/24" }])).toEqual([
      "the inbound rules do not end with an explicit deny-all at priority 4096",
    ]);
    expect(
      ruleSetProblems([
        { ...ssh, source: "10.0.0.0/24" },
        { ...ssh, name: "Other", source: "10.0.0.0/24" },
        deny,
      ]),
    ).toContain("Inbound priority 100 is used twice");
  });

  test.each<SubnetPurpose>(["edge", "gateway", "privateEndpoints", "workloads"])(
    "%s rules never allow SSH or RDP",
    (purpose) => {
      const rules = nsgRulesFor(purpose, classic, { ...options, workloadInternetEgress: true });
      for (const rule of inbound(rules).filter((r) => r.access === "Allow")) {
        expect(
          portsOverlap(rule.destinationPorts, "22") &&
            rule.source !== "AzureLoadBalancer" &&
            !rule.source.includes("/"),
        ).toBe(false);
      }
    },
  );
});
