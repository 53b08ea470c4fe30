import { T } from "../src/lib/types";
import { check, type Fixture, violations } from "./harness";

describe("network-subnet-no-default-outbound and network-subnet-nsg", () => {
  const nsg = { id: "/subscriptions/x/networkSecurityGroups/nsg" };
  test("compliant subnets (resource and inline); GatewaySubnet without NSG", async () => {
    expect(
      await check("network-subnet-no-default-outbound", T.subnet, {
        defaultOutboundAccess: false,
        networkSecurityGroup: nsg,
      }),
    ).toEqual([]);
    expect(
      await check("network-subnet-nsg", T.subnet, { subnetName: "workloads", networkSecurityGroup: nsg }),
    ).toEqual([]);
    const vnet = {
      subnets: [
        { name: "a", defaultOutboundAccess: false, networkSecurityGroup: nsg },
        { name: "GatewaySubnet", defaultOutboundAccess: false },
      ],
    };
    expect(await check("network-subnet-no-default-outbound", T.virtualNetwork, vnet)).toEqual([]);
    expect(await check("network-subnet-nsg", T.virtualNetwork, vnet)).toEqual([]);
    // An NSG created in the same update is unknown at preview.
    expect(
      await check("network-subnet-nsg", T.subnet, {
        subnetName: "a",
        networkSecurityGroup: { id: "[unknown]" },
      }),
    ).toEqual([]);
  });
  test("missing vs explicit default outbound; one bad inline subnet among good ones", async () => {
    expect((await check("network-subnet-no-default-outbound", T.subnet, {}))[0]?.message).toMatch(
      /got missing/,
    );
    expect(
      (await check("network-subnet-no-default-outbound", T.subnet, { defaultOutboundAccess: true }))[0]
        ?.message,
    ).toMatch(/got true/);
    const vnet = {
      subnets: [
        { name: "a", defaultOutboundAccess: false },
        { name: "b", defaultOutboundAccess: "True" },
      ],
    };
    expect(
      (await check("network-subnet-no-default-outbound", T.virtualNetwork, vnet)).map((v) => v.message),
    ).toEqual([expect.stringContaining("subnet b")]);
  });
  test("missing NSG; NSG on GatewaySubnet (any case)", async () => {
    expect(await check("network-subnet-nsg", T.subnet, { subnetName: "workloads" })).toHaveLength(1);
    expect(
      (
        await check("network-subnet-nsg", T.subnet, {
          subnetName: "gatewaysubnet",
          networkSecurityGroup: nsg,
        })
      )[0]?.message,
    ).toMatch(/must not have/);
  });
});

describe("network-nsg-no-open-management-ports", () => {
  const rule = "network-nsg-no-open-management-ports";
  const allow = (patch: Record<string, unknown>): Record<string, unknown> => ({
    name: "r",
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    priority: 100,
    ...patch,
  });
  test("compliant: management from a service tag, HTTPS from the internet, deny rules", async () => {
    const rules = [
      allow({ name: "apim-mgmt", sourceAddressPrefix: "ApiManagement", destinationPortRange: "3443" }),
      allow({ name: "https", sourceAddressPrefix: "Internet", destinationPortRange: "443" }),
      {
        name: "deny-ssh",
        direction: "Inbound",
        access: "Deny",
        sourceAddressPrefix: "*",
        destinationPortRange: "22",
      },
    ];
    expect(await check(rule, T.networkSecurityGroup, { securityRules: rules })).toEqual([]);
  });
  test.each([
    [allow({ sourceAddressPrefix: "*", destinationPortRange: "22" }), /port\(s\) 22/],
    [allow({ sourceAddressPrefix: "internet", destinationPortRange: "3000-4000" }), /3389/],
    [
      allow({
        sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"],
        destinationPortRanges: ["443", "5985-5986"],
      }),
      /5985, 5986/,
    ],
    [allow({ sourceAddressPrefix: "Any", destinationPortRange: "*" }), /22, 3389/],
  ])("violating SecurityRule %j", async (inputs, message) => {
    const found = await check(rule, T.securityRule, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
  test("one open rule among good ones in an NSG", async () => {
    const rules = [
      allow({ name: "https", sourceAddressPrefix: "Internet", destinationPortRange: "443" }),
      allow({ name: "rdp", sourceAddressPrefix: "*", destinationPortRange: "3389" }),
    ];
    expect(
      (await check(rule, T.networkSecurityGroup, { securityRules: rules })).map((v) => v.message),
    ).toEqual([expect.stringContaining("rule rdp")]);
  });
});

describe("network-ddos-protection", () => {
  const rule = "network-ddos-protection";
  test("compliant", async () =>
    expect(
      await check(rule, T.virtualNetwork, {
        enableDdosProtection: true,
        ddosProtectionPlan: { id: "/x/ddosProtectionPlans/p" },
      }),
    ).toEqual([]));
  test.each([
    [{}],
    [{ enableDdosProtection: true }],
    [{ enableDdosProtection: false, ddosProtectionPlan: { id: "/x" } }],
  ])("violating %j", async (inputs) => {
    expect((await check(rule, T.virtualNetwork, inputs)).length).toBeGreaterThanOrEqual(1);
  });
  test("the dev and staging configs make it advisory", async () => {
    const packConfig = { policies: { [rule]: { enforcementLevel: "advisory" as const, config: {} } } };
    expect((await check(rule, T.virtualNetwork, {}, { packConfig }))[0]?.enforcementLevel).toBe("advisory");
  });
});

describe("network-no-public-paas-access", () => {
  const rule = "network-no-public-paas-access";
  test.each([
    [T.storageAccount, { publicNetworkAccess: "Disabled", networkRuleSet: { defaultAction: "Deny" } }],
    [
      T.storageAccount,
      {
        publicNetworkAccess: "Enabled",
        networkRuleSet: { defaultAction: "Deny", bypass: "Logging, Metrics, AzureServices" },
      },
    ],
    [T.containerRegistry, { publicNetworkAccess: "disabled" }],
    [T.cognitiveServicesAccount, { properties: { publicNetworkAccess: "Disabled" } }],
    [T.appInsights, { publicNetworkAccessForIngestion: "Disabled", publicNetworkAccessForQuery: "Disabled" }],
    [T.apimService, { virtualNetworkType: "Internal" }],
    [T.apimService, { virtualNetworkType: "None", publicNetworkAccess: "Disabled" }],
  ])("compliant %s %j", async (type, inputs) => expect(await check(rule, type, inputs)).toEqual([]));
  test.each([
    [T.storageAccount, { publicNetworkAccess: "Disabled" }, /defaultAction must be "Deny" \(got missing\)/],
    [
      T.storageAccount,
      { publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Deny", bypass: "None" } },
      /trusted services/,
    ],
    [
      T.storageAccount,
      {
        publicNetworkAccess: "Disabled",
        networkRuleSet: { defaultAction: "Deny", ipRules: [{ iPAddressOrRange: "1.2.3.4" }] },
      },
      /ipRules/,
    ],
    [
      T.logAnalyticsWorkspace,
      { publicNetworkAccessForIngestion: "Disabled", publicNetworkAccessForQuery: "Enabled" },
      /publicNetworkAccessForQuery/,
    ],
    [T.containerRegistry, {}, /got missing/],
    [T.apimService, { virtualNetworkType: "External" }, /must be internal/],
  ])("violating %s %j", async (type, inputs, message) => {
    const found = await check(rule, type, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
});

describe("stack rules over several resources", () => {
  const vnet: Fixture = { type: T.virtualNetwork, name: "vnet", inputs: {} };

  test("network-flow-logs: by property dependency, by ID, disabled, missing", async () => {
    const rule = "network-flow-logs";
    expect(
      await violations(rule, [
        vnet,
        {
          type: T.flowLog,
          name: "fl",
          inputs: { enabled: true, targetResourceId: "[unknown]" },
          dependsOn: { targetResourceId: ["vnet"] },
        },
      ]),
    ).toEqual([]);
    expect(
      await violations(rule, [
        vnet,
        { type: T.flowLog, name: "fl", inputs: { targetResourceId: "/x/VNET" }, id: "/x/fl" },
        { ...vnet, name: "vnet2", id: "/x/vnet" },
      ]),
    ).toHaveLength(1);
    const disabled = await violations(rule, [
      vnet,
      { type: T.flowLog, name: "fl", inputs: { enabled: false }, dependsOn: { targetResourceId: ["vnet"] } },
    ]);
    expect(disabled.map((v) => v.urn)).toEqual([expect.stringContaining("::vnet")]);
    expect(await violations(rule, [vnet])).toHaveLength(1);
  });

  test("network-public-ip-edge-only: gateway-owned vs orphan IP", async () => {
    const rule = "network-public-ip-edge-only";
    const fixtures: Fixture[] = [
      { type: T.publicIpAddress, name: "pip-edge", inputs: { sku: { name: "Standard" } } },
      { type: T.publicIpAddress, name: "pip-orphan", inputs: {} },
      {
        type: T.applicationGateway,
        name: "agw",
        inputs: { frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: "[unknown]" } }] },
        dependsOn: { frontendIPConfigurations: ["pip-edge"] },
      },
    ];
    expect((await violations(rule, fixtures)).map((v) => v.urn)).toEqual([
      expect.stringContaining("::pip-orphan"),
    ]);
  });

  test("network-private-endpoints: endpoint with zone group, wrong group ID, no zone group, none", async () => {
    const rule = "network-private-endpoints";
    const kv: Fixture = { type: T.vault, name: "kv", inputs: {} };
    const pe = (groupIds: string[]): Fixture => ({
      type: T.privateEndpoint,
      name: "pe-kv",
      inputs: {
        privateLinkServiceConnections: [{ name: "kv", groupIds, privateLinkServiceId: "[unknown]" }],
      },
      dependsOn: { privateLinkServiceConnections: ["kv"] },
    });
    const zone: Fixture = {
      type: T.privateDnsZoneGroup,
      name: "zg",
      inputs: { privateEndpointName: "pe-kv" },
      dependsOn: { privateEndpointName: ["pe-kv"] },
    };
    expect(await violations(rule, [kv, pe(["vault"]), zone])).toEqual([]);
    expect((await violations(rule, [kv, pe(["blob"]), zone]))[0]?.message).toMatch(
      /no private endpoint \(group vault\)/,
    );
    expect((await violations(rule, [kv, pe(["vault"])]))[0]?.message).toMatch(/no private DNS zone group/);
    expect(await violations(rule, [kv])).toHaveLength(1);
    const packConfig = { policies: { [rule]: { config: { requiredFor: [T.storageAccount] } } } };
    expect(await violations(rule, [kv], { packConfig })).toEqual([]);
  });

  test("network-container-apps-internal: internal environment allows VNet ingress; external environment does not", async () => {
    const rule = "network-container-apps-internal";
    const env = (internal: unknown): Fixture => ({
      type: T.managedEnvironment,
      name: "cae",
      inputs: { vnetConfiguration: { internal, infrastructureSubnetId: "/x/subnets/workloads" } },
    });
    const app: Fixture = {
      type: T.containerApp,
      name: "docs",
      inputs: { managedEnvironmentId: "[unknown]", configuration: { ingress: { external: true } } },
      dependsOn: { managedEnvironmentId: ["cae"] },
    };
    expect(await violations(rule, [env(true), app])).toEqual([]);
    const found = await violations(rule, [env(false), app]);
    expect(found.map((v) => v.urn)).toEqual([
      expect.stringContaining("::cae"),
      expect.stringContaining("::docs"),
    ]);
    const internalApp: Fixture = { ...app, inputs: { configuration: { ingress: { external: false } } } };
    expect((await violations(rule, [env(undefined), internalApp])).map((v) => v.urn)).toEqual([
      expect.stringContaining("::cae"),
    ]);
  });
});

describe("network-edge-waf-prevention", () => {
  const rule = "network-edge-waf-prevention";
  const waf = {
    policySettings: { state: "Enabled", mode: "Prevention", requestBodyCheck: true },
    managedRules: {
      managedRuleSets: [
        { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.0" },
        { ruleSetType: "OWASP", ruleSetVersion: "3.2" },
      ],
    },
  };
  test("compliant gateway and policy", async () => {
    expect(await check(rule, T.applicationGateway, { firewallPolicy: { id: "[unknown]" } })).toEqual([]);
    expect(await check(rule, T.webApplicationFirewallPolicy, waf)).toEqual([]);
  });
  test.each([
    [
      { ...waf, policySettings: { state: "Enabled", mode: "Detection", requestBodyCheck: true } },
      /mode must be "Prevention" \(got "Detection"\)/,
    ],
    [
      { ...waf, policySettings: { mode: "prevention", requestBodyCheck: true } },
      /state must be "Enabled" \(got missing\)/,
    ],
    [
      {
        ...waf,
        managedRules: {
          managedRuleSets: [{ ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.0" }],
        },
      },
      /must include OWASP/,
    ],
  ])("violating policy %j", async (inputs, message) => {
    const found = await check(rule, T.webApplicationFirewallPolicy, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
  test("a gateway without a WAF policy", async () =>
    expect(await check(rule, T.applicationGateway, {})).toHaveLength(1));
});
