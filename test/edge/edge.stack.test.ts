/**
 * The Edge in the real stack plans (the program in infra/index.ts, as `preview:offline` builds it).
 *
 * infra/index.ts declares the Edge in every stack: a plan without it, or a plan that cannot be built,
 * fails here (it no longer skips). test/edge/edge.component.test.ts covers the component's variants
 * through its own fixture program.
 */
import { parseStackConfig } from "../../infra/config";
import { standardTags } from "../../infra/conventions/tags";
import type { PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";
import { inputAt, STACKS, stackPlan, type StackName } from "../support/plans";
import { record, records } from "../support/fixture";
import { TYPES } from "./scenario";

/** The stack's plan; throws, naming what is missing, when it has no Edge component. */
function planWithEdge(stack: StackName): PreviewPlan {
  const plan = stackPlan(stack);
  if (!planResources(plan).some((resource) => resource.type === TYPES.edge))
    throw new Error(`the ${stack} plan has no ${TYPES.edge}: infra/index.ts must declare the Edge`);
  return plan;
}

describe.each(STACKS)("edge in the %s stack plan", (stack) => {
  const plan = planWithEdge(stack);
  const resources = planResources(plan);
  const edge = resources.find((resource) => resource.type === TYPES.edge)!;
  const child = (type: string) => {
    const matches = resources.filter((resource) => resource.type === type && resource.parent === edge.urn);
    if (matches.length !== 1) throw new Error(`expected one ${type} under the edge, found ${matches.length}`);
    return matches[0]!;
  };
  const config = (() => {
    const engine = loadEngineConfig(stackFilePath(stack));
    const parsed = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
    if (!parsed.ok) throw new Error(`stack ${stack} config is invalid`);
    return parsed.config;
  })();

  test("there is exactly one edge, and it is the only Application Gateway and WAF policy", () => {
    expect(resources.filter((resource) => resource.type === TYPES.edge)).toHaveLength(1);
    expect(resources.filter((resource) => resource.type === TYPES.applicationGateway)).toHaveLength(1);
    expect(resources.filter((resource) => resource.type === TYPES.wafPolicy)).toHaveLength(1);
  });

  test("TLS 1.3 only, HTTPS only, on config.gateway.hostname with SNI", () => {
    const gateway = child(TYPES.applicationGateway);
    expect(gateway.inputs["sslPolicy"]).toEqual({ policyType: "CustomV2", minProtocolVersion: "TLSv1_3" });
    expect(records(gateway.inputs["frontendPorts"]).map((port) => port["port"])).toEqual([443]);
    for (const listener of records(gateway.inputs["httpListeners"])) {
      expect(listener).toMatchObject({
        protocol: "Https",
        hostName: config.gateway.hostname,
        requireServerNameIndication: true,
      });
    }
  });

  test("WAF in prevention with the Default Rule Set and bot manager, associated with the gateway", () => {
    const waf = child(TYPES.wafPolicy);
    const gateway = child(TYPES.applicationGateway);
    expect(inputAt(waf, "policySettings.mode")).toBe("Prevention");
    expect(inputAt(waf, "policySettings.state")).toBe("Enabled");
    expect(records(inputAt(waf, "managedRules.managedRuleSets")).map((set) => set["ruleSetType"])).toEqual([
      "Microsoft_DefaultRuleSet",
      "Microsoft_BotManagerRuleSet",
    ]);
    expect(record(gateway.inputs["firewallPolicy"])["id"]).toBe(waf.outputs["id"]);
  });

  test("autoscale and zones from config.edge", () => {
    const gateway = child(TYPES.applicationGateway);
    expect(gateway.inputs["autoscaleConfiguration"]).toEqual({
      minCapacity: config.edge.minCapacity,
      maxCapacity: config.edge.maxCapacity,
    });
    expect(gateway.inputs["zones"]).toEqual(config.edge.zones.length > 0 ? config.edge.zones : undefined);
  });

  test("the certificate is a versionless Key Vault reference read through a user-assigned identity", () => {
    const gateway = child(TYPES.applicationGateway);
    expect(inputAt(gateway, "identity.type")).toBe("UserAssigned");
    for (const certificate of records(gateway.inputs["sslCertificates"])) {
      expect(String(certificate["keyVaultSecretId"])).toMatch(
        /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/secrets\/[A-Za-z0-9-]+\/?$/,
      );
      expect(certificate).not.toHaveProperty("data");
    }
  });

  test("the backend is API Management over HTTPS with its custom hostname and a probe", () => {
    const [settings] = records(child(TYPES.applicationGateway).inputs["backendHttpSettingsCollection"]);
    expect(settings).toMatchObject({
      protocol: "Https",
      port: 443,
      hostName: config.gateway.hostname,
      pickHostNameFromBackendAddress: false,
    });
    expect(record(settings!["probe"])["id"]).toMatch(/\/probes\/apim-status$/);
  });

  test("standard tags on every edge resource", () => {
    for (const type of [TYPES.applicationGateway, TYPES.wafPolicy, TYPES.publicIp]) {
      expect(child(type).inputs["tags"]).toEqual(standardTags(config));
    }
  });
});
