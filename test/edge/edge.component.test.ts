/**
 * The Edge component under Pulumi's mock runtime, through a test-only program (fixture-program.ts)
 * run in its own process: literal arguments, and each stack's config with the other components'
 * outputs stood in for. Asserts what Azure would be asked to create, and runs the project's policy
 * pack over it.
 */
import type { PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { parseStackConfig } from "../../infra/config";
import { resourceName } from "../../infra/conventions/naming";
import { standardTags } from "../../infra/conventions/tags";
import { namingContextFor } from "../../infra/config/placement";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";
import { STACKS, inputAt, type StackName } from "../support/plans";
import { onlyOfType, record, records, type FixtureRun } from "../support/fixture";
import {
  LITERAL_APIM_IP,
  LITERAL_CERT_URI,
  LITERAL_DDOS_PLAN_ID,
  LITERAL_HOSTNAME,
  LITERAL_IDENTITY_ID,
  LITERAL_SUBNET_ID,
  LITERAL_TAGS,
  LITERAL_TRUSTED_ROOT_SECRET,
  type EdgeScenario,
  fixtureOutputs,
  planOf,
  runEdgeFixture,
  TYPES,
} from "./scenario";

const SCENARIOS = {
  full: { kind: "literal", overrides: { ddos: true, trustedRoot: true } },
  plain: { kind: "literal" },
  regional: {
    kind: "literal",
    overrides: {
      zones: [],
      capacity: { min: 0, max: 2 },
      backendAddresses: ["apim.internal.contoso.com"],
      maxRequestBodyBytes: 4 * 1024 * 1024,
    },
  },
  versionedCertificate: {
    kind: "literal",
    overrides: { certificateSecretUri: `${LITERAL_CERT_URI}/0123456789abcdef0123456789abcdef` },
  },
  inverted: { kind: "literal", overrides: { capacity: { min: 5, max: 3 } } },
  dev: { kind: "stack", stack: "dev" },
  staging: { kind: "stack", stack: "staging" },
  prod: { kind: "stack", stack: "prod" },
} satisfies Record<string, EdgeScenario>;

type ScenarioName = keyof typeof SCENARIOS;
const runs = new Map<ScenarioName, FixtureRun>();

beforeAll(async () => {
  const names = Object.keys(SCENARIOS) as ScenarioName[];
  const results = await Promise.all(names.map((name) => runEdgeFixture(SCENARIOS[name])));
  names.forEach((name, index) => runs.set(name, results[index]!));
}, 180_000);

function plan(name: ScenarioName): PreviewPlan {
  return planOf(runs.get(name)!);
}
const gatewayOf = (name: ScenarioName) => onlyOfType(plan(name), TYPES.applicationGateway);
const wafOf = (name: ScenarioName) => onlyOfType(plan(name), TYPES.wafPolicy);
const publicIpOf = (name: ScenarioName) => onlyOfType(plan(name), TYPES.publicIp);

describe("edge component", () => {
  test("declares one gateway, one WAF policy and one public IP, all children of the component", () => {
    const resources = planResources(plan("full"));
    const edge = onlyOfType(plan("full"), TYPES.edge);
    const children = resources.filter((resource) => resource.parent === edge.urn);
    expect(children.map((child) => child.type).sort()).toEqual(
      [TYPES.applicationGateway, TYPES.publicIp, TYPES.wafPolicy].sort(),
    );
    expect(resources.filter((resource) => resource.custom)).toHaveLength(3);
  });

  test("every resource carries exactly the standard tags and an explicit name", () => {
    for (const type of [TYPES.applicationGateway, TYPES.wafPolicy, TYPES.publicIp]) {
      expect(onlyOfType(plan("full"), type).inputs["tags"]).toEqual(LITERAL_TAGS);
    }
    expect(gatewayOf("full").inputs["applicationGatewayName"]).toBe("agw-mcpgw-test-weu-edge");
    expect(wafOf("full").inputs["policyName"]).toBe("wafmcpgwtestweuedge");
    expect(publicIpOf("full").inputs["publicIpAddressName"]).toBe("pip-mcpgw-test-weu-edge");
  });
});

describe("TLS", () => {
  test("the gateway's SSL policy is CustomV2 with TLS 1.3 minimum and no cipher list", () => {
    expect(gatewayOf("full").inputs["sslPolicy"]).toEqual({
      policyType: "CustomV2",
      minProtocolVersion: "TLSv1_3",
    });
    expect(gatewayOf("full").inputs["sslProfiles"]).toBeUndefined();
  });

  test("there is no listener on port 80, no Http listener and no redirect", () => {
    const inputs = gatewayOf("full").inputs;
    expect(records(inputs["frontendPorts"]).map((port) => port["port"])).toEqual([443]);
    const listeners = records(inputs["httpListeners"]);
    expect(listeners).toHaveLength(1);
    for (const listener of listeners) expect(listener["protocol"]).toBe("Https");
    expect(inputs["redirectConfigurations"]).toBeUndefined();
    expect(inputs["listeners"]).toBeUndefined();
  });

  test("the listener answers only the configured hostname, with SNI, on the public frontend", () => {
    const inputs = gatewayOf("full").inputs;
    const [listener] = records(inputs["httpListeners"]);
    expect(listener).toMatchObject({
      hostName: LITERAL_HOSTNAME,
      requireServerNameIndication: true,
      protocol: "Https",
    });
    const gatewayId = fixtureOutputs(plan("full")).applicationGatewayId;
    expect(inputAt(gatewayOf("full"), "frontendIPConfigurations")).toEqual([
      { name: "public-frontend", publicIPAddress: { id: fixtureOutputs(plan("full")).publicIpId } },
    ]);
    expect(record(listener!["frontendIPConfiguration"])["id"]).toBe(
      `${gatewayId}/frontendIPConfigurations/public-frontend`,
    );
    expect(record(listener!["frontendPort"])["id"]).toBe(`${gatewayId}/frontendPorts/https-443`);
    expect(record(listener!["sslCertificate"])["id"]).toBe(`${gatewayId}/sslCertificates/gateway-tls`);
  });

  test("the certificate comes from Key Vault (versionless) through the user-assigned identity", () => {
    const inputs = gatewayOf("full").inputs;
    expect(inputs["identity"]).toEqual({
      type: "UserAssigned",
      userAssignedIdentities: [LITERAL_IDENTITY_ID],
    });
    expect(inputs["sslCertificates"]).toEqual([{ name: "gateway-tls", keyVaultSecretId: LITERAL_CERT_URI }]);
  });

  test("a versioned certificate reference is refused (it would never rotate)", () => {
    const run = runs.get("versionedCertificate")!;
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/versionless Key Vault secret URI/);
  });
});

describe("WAF", () => {
  test("the policy is enabled in prevention mode with body inspection", () => {
    expect(wafOf("full").inputs["policySettings"]).toMatchObject({
      state: "Enabled",
      mode: "Prevention",
      requestBodyCheck: true,
      requestBodyEnforcement: true,
      maxRequestBodySizeInKb: 1024,
      requestBodyInspectLimitInKB: 1024,
    });
  });

  test("runs the Default Rule Set and the bot manager", () => {
    const sets = records(inputAt(wafOf("full"), "managedRules.managedRuleSets"));
    expect(sets.map((set) => set["ruleSetType"])).toEqual([
      "Microsoft_DefaultRuleSet",
      "Microsoft_BotManagerRuleSet",
    ]);
    expect(sets.map((set) => set["ruleSetVersion"])).toEqual(["2.2", "1.1"]);
    expect(inputAt(wafOf("full"), "managedRules.exclusions")).toBeUndefined();
  });

  test("is associated with the gateway (forced) and with the listener", () => {
    const wafId = fixtureOutputs(plan("full")).wafPolicyId;
    const inputs = gatewayOf("full").inputs;
    expect(inputs["firewallPolicy"]).toEqual({ id: wafId });
    expect(inputs["forceFirewallPolicyAssociation"]).toBe(true);
    expect(records(inputs["httpListeners"])[0]!["firewallPolicy"]).toEqual({ id: wafId });
    expect(inputs["webApplicationFirewallConfiguration"]).toBeUndefined();
    expect(inputs["sku"]).toEqual({ name: "WAF_v2", tier: "WAF_v2" });
  });

  test("an API Management body limit above the WAF's range is clamped, with a warning", () => {
    expect(wafOf("regional").inputs["policySettings"]).toMatchObject({
      maxRequestBodySizeInKb: 2000,
      requestBodyInspectLimitInKB: 2000,
    });
    const run = runs.get("regional")!;
    expect(`${run.stdout}\n${run.stderr}`).toMatch(/the edge is the tighter limit/);
  });
});

describe("backend", () => {
  test("API Management over HTTPS with the custom hostname as Host/SNI, a probe and a streaming-friendly timeout", () => {
    const gatewayId = fixtureOutputs(plan("full")).applicationGatewayId;
    const [settings, ...others] = records(gatewayOf("full").inputs["backendHttpSettingsCollection"]);
    expect(others).toEqual([]);
    expect(settings).toMatchObject({
      protocol: "Https",
      port: 443,
      hostName: LITERAL_HOSTNAME,
      pickHostNameFromBackendAddress: false,
      requestTimeout: 300,
      cookieBasedAffinity: "Disabled",
      probe: { id: `${gatewayId}/probes/apim-status` },
    });
  });

  test("the probe hits API Management's status endpoint over HTTPS with the settings' hostname", () => {
    expect(gatewayOf("full").inputs["probes"]).toEqual([
      {
        name: "apim-status",
        protocol: "Https",
        path: "/status-0123456789abcdef",
        pickHostNameFromBackendHttpSettings: true,
        interval: 30,
        timeout: 30,
        unhealthyThreshold: 3,
        match: { statusCodes: ["200-399"] },
      },
    ]);
  });

  test("a private root CA is trusted only when given; a public CA needs none", () => {
    const gatewayId = fixtureOutputs(plan("full")).applicationGatewayId;
    expect(gatewayOf("full").inputs["trustedRootCertificates"]).toEqual([
      { name: "backend-root-ca", keyVaultSecretId: LITERAL_TRUSTED_ROOT_SECRET },
    ]);
    expect(
      records(gatewayOf("full").inputs["backendHttpSettingsCollection"])[0]!["trustedRootCertificates"],
    ).toEqual([{ id: `${gatewayId}/trustedRootCertificates/backend-root-ca` }]);
    expect(gatewayOf("plain").inputs["trustedRootCertificates"]).toBeUndefined();
    expect(records(gatewayOf("plain").inputs["backendHttpSettingsCollection"])[0]).not.toHaveProperty(
      "trustedRootCertificates",
    );
  });

  test("the pool holds API Management's private address (IP or FQDN)", () => {
    expect(records(gatewayOf("full").inputs["backendAddressPools"])).toEqual([
      { name: "apim", backendAddresses: [{ ipAddress: LITERAL_APIM_IP }] },
    ]);
    expect(records(gatewayOf("regional").inputs["backendAddressPools"])).toEqual([
      { name: "apim", backendAddresses: [{ fqdn: "apim.internal.contoso.com" }] },
    ]);
  });

  test("one basic rule ties listener, pool, settings and header rewrites together", () => {
    const gatewayId = fixtureOutputs(plan("full")).applicationGatewayId;
    expect(gatewayOf("full").inputs["requestRoutingRules"]).toEqual([
      {
        name: "mcp-to-apim",
        ruleType: "Basic",
        priority: 100,
        httpListener: { id: `${gatewayId}/httpListeners/https-mcp` },
        backendAddressPool: { id: `${gatewayId}/backendAddressPools/apim` },
        backendHttpSettings: { id: `${gatewayId}/backendHttpSettingsCollection/apim-https` },
        rewriteRuleSet: { id: `${gatewayId}/rewriteRuleSets/edge-headers` },
      },
    ]);
    expect(records(gatewayOf("full").inputs["rewriteRuleSets"]).map((set) => set["name"])).toEqual([
      "edge-headers",
    ]);
  });

  test("responses stream (no response buffering); HTTP/2 to clients", () => {
    expect(gatewayOf("full").inputs["globalConfiguration"]).toEqual({
      enableRequestBuffering: true,
      enableResponseBuffering: false,
    });
    expect(gatewayOf("full").inputs["enableHttp2"]).toBe(true);
  });

  test("every sub-resource reference is a full ARM ID under the gateway's own ID", () => {
    const gatewayId = fixtureOutputs(plan("full")).applicationGatewayId;
    expect(gatewayId).toBe(String(gatewayOf("full").outputs["id"]));
    const ids = JSON.stringify(gatewayOf("full").inputs).match(/"id":"[^"]+"/g) ?? [];
    const internal = ids
      .map((entry) => entry.slice(6, -1))
      .filter((id) => id.includes("/applicationGateways/"));
    expect(internal.length).toBeGreaterThanOrEqual(9);
    for (const id of internal) expect(id.startsWith(`${gatewayId}/`)).toBe(true);
  });
});

describe("network placement", () => {
  test("the gateway sits in the edge subnet behind a static Standard public IP", () => {
    expect(gatewayOf("full").inputs["gatewayIPConfigurations"]).toEqual([
      { name: "edge-subnet", subnet: { id: LITERAL_SUBNET_ID } },
    ]);
    expect(publicIpOf("full").inputs).toMatchObject({
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
    });
  });

  test("DDoS: the plan protects the address when given, the VNet's protection is inherited otherwise", () => {
    expect(publicIpOf("full").inputs["ddosSettings"]).toEqual({
      protectionMode: "Enabled",
      ddosProtectionPlan: { id: LITERAL_DDOS_PLAN_ID },
    });
    expect(publicIpOf("plain").inputs["ddosSettings"]).toEqual({ protectionMode: "VirtualNetworkInherited" });
  });

  test("zones apply to gateway and public IP alike; none for a regional deployment", () => {
    expect(gatewayOf("full").inputs["zones"]).toEqual(["1", "2", "3"]);
    expect(publicIpOf("full").inputs["zones"]).toEqual(["1", "2", "3"]);
    expect(gatewayOf("regional").inputs["zones"]).toBeUndefined();
    expect(publicIpOf("regional").inputs["zones"]).toBeUndefined();
    expect(gatewayOf("regional").inputs["autoscaleConfiguration"]).toEqual({
      minCapacity: 0,
      maxCapacity: 2,
    });
  });

  test("inverted autoscale bounds fail before anything is declared", () => {
    const run = runs.get("inverted")!;
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/must not exceed the maximum/);
  });
});

describe("outputs", () => {
  test("IDs and address of what was created, and both resources as diagnostic targets", () => {
    const outputs = fixtureOutputs(plan("full"));
    expect(outputs.applicationGatewayId).toBe(gatewayOf("full").outputs["id"]);
    expect(outputs.wafPolicyId).toBe(wafOf("full").outputs["id"]);
    expect(outputs.publicIpId).toBe(publicIpOf("full").outputs["id"]);
    expect(outputs.publicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(outputs.diagnosticTargets).toEqual([
      {
        name: "edge-application-gateway",
        type: TYPES.applicationGateway,
        resourceId: outputs.applicationGatewayId,
      },
      { name: "edge-public-ip", type: TYPES.publicIp, resourceId: outputs.publicIpId },
    ]);
  });
});

describe.each(STACKS)("edge for the %s stack config", (stack: StackName) => {
  const config = (() => {
    const engine = loadEngineConfig(stackFilePath(stack));
    const parsed = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
    if (!parsed.ok) throw new Error(`stack ${stack} config is invalid`);
    return parsed.config;
  })();

  test("autoscale and zones come from config.edge", () => {
    const gateway = gatewayOf(stack);
    expect(gateway.inputs["autoscaleConfiguration"]).toEqual({
      minCapacity: config.edge.minCapacity,
      maxCapacity: config.edge.maxCapacity,
    });
    const zones = config.edge.zones.length > 0 ? config.edge.zones : undefined;
    expect(gateway.inputs["zones"]).toEqual(zones);
    expect(publicIpOf(stack).inputs["zones"]).toEqual(zones);
  });

  test("the listener and backend use config.gateway.hostname; TLS 1.3 only; WAF in prevention", () => {
    const gateway = gatewayOf(stack);
    expect(records(gateway.inputs["httpListeners"])[0]).toMatchObject({
      hostName: config.gateway.hostname,
      protocol: "Https",
    });
    expect(records(gateway.inputs["backendHttpSettingsCollection"])[0]).toMatchObject({
      hostName: config.gateway.hostname,
    });
    expect(gateway.inputs["sslPolicy"]).toEqual({ policyType: "CustomV2", minProtocolVersion: "TLSv1_3" });
    expect(inputAt(wafOf(stack), "policySettings.mode")).toBe("Prevention");
    expect(inputAt(wafOf(stack), "policySettings.maxRequestBodySizeInKb")).toBe(
      Math.ceil(config.gatewayPolicy.maxRequestBodyBytes / 1024),
    );
  });

  test("names and tags follow the stack's conventions; DDoS follows config.network", () => {
    const tags = standardTags(config);
    for (const type of [TYPES.applicationGateway, TYPES.wafPolicy, TYPES.publicIp]) {
      expect(onlyOfType(plan(stack), type).inputs["tags"]).toEqual(tags);
    }
    expect(gatewayOf(stack).inputs["applicationGatewayName"]).toBe(
      resourceName("applicationGateway", namingContextFor(config), "edge"),
    );
    expect(wafOf(stack).inputs["policyName"]).toBe(
      resourceName("wafPolicy", namingContextFor(config), "edge"),
    );
    expect(inputAt(publicIpOf(stack), "ddosSettings.protectionMode")).toBe(
      config.network.ddosProtection ? "Enabled" : "VirtualNetworkInherited",
    );
  });
});

describe("policy pack", () => {
  // Loaded here, not at the top: a pack that does not load fails these tests only.
  const engine = (): typeof import("../../policies/check/engine") =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../policies/check/engine") as typeof import("../../policies/check/engine");

  test.each<[ScenarioName, string]>([
    ["full", "prod"],
    ["dev", "dev"],
    ["prod", "prod"],
  ])(
    "the %s edge passes every policy but the diagnostic setting monitoring attaches (%s)",
    async (name, environment) => {
      const report = await engine().evaluatePlan(plan(name), { environment });
      const diagnostics = report.violations.filter(
        (violation) => violation.policyName === "monitoring-diagnostic-settings",
      );
      const others = report.violations.filter(
        (violation) => violation.policyName !== "monitoring-diagnostic-settings",
      );
      expect(others.map((violation) => `${violation.policyName}: ${violation.message}`)).toEqual([]);
      // Satisfied by the monitoring component from Edge.diagnosticTargets once both are wired.
      expect(diagnostics.map((violation) => violation.resourceType).sort()).toEqual([
        TYPES.applicationGateway,
        TYPES.publicIp,
      ]);
    },
  );
});
