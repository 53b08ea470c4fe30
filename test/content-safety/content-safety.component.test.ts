/**
 * The ContentSafety component under Pulumi's mock runtime (through test/workloads/fixture-program.ts,
 * which declares it exactly when a server in config enables Prompt Shields).
 */
import type { PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { REQUIRED_TAG_KEYS } from "../../infra/conventions/tags";
import { COGNITIVE_SERVICES_USER_ROLE_ID } from "../../infra/content-safety/rbac";
import { serversWithPromptShields } from "../../infra/content-safety";
import { named, ofType, onlyOfType, record, records, type FixtureRun } from "../support/fixture";
import {
  COGNITIVE_ZONE,
  GATEWAY_IDENTITY,
  PRIVATE_ENDPOINT_SUBNET_ID,
  scenarioConfig,
  type StackName,
  fixtureOutputs,
  planOf,
  runWorkloadsFixture,
  TYPES,
} from "../workloads/scenario";

const STACKS: StackName[] = ["dev", "staging", "prod"];
const runs = new Map<StackName, FixtureRun>();
beforeAll(async () => {
  const results = await Promise.all(STACKS.map((stack) => runWorkloadsFixture({ stack })));
  STACKS.forEach((stack, index) => runs.set(stack, results[index]!));
}, 180_000);

const plan = (stack: StackName): PreviewPlan => planOf(runs.get(stack));
const enabled = (stack: StackName): boolean =>
  serversWithPromptShields(scenarioConfig({ stack }).mcpServers).length > 0;

test("the stacks' config decides: prod screens docs with Prompt Shields, dev and staging do not", () => {
  expect(STACKS.filter(enabled)).toEqual(["prod"]);
});

describe.each(STACKS)("content safety in %s", (stack) => {
  test("the account exists exactly when some server enables Prompt Shields", () => {
    expect(ofType(plan(stack), TYPES.contentSafety)).toHaveLength(enabled(stack) ? 1 : 0);
    expect(ofType(plan(stack), TYPES.account)).toHaveLength(enabled(stack) ? 1 : 0);
    expect(fixtureOutputs(plan(stack)).shieldPromptUrl === undefined).toBe(!enabled(stack));
  });
});

describe("the Prompt Shields account (prod)", () => {
  const account = () => onlyOfType(plan("prod"), TYPES.account);

  test("is a Content Safety S0 account with Entra-only auth, no public access and no outbound access", () => {
    const inputs = account().inputs;
    expect(inputs["kind"]).toBe("ContentSafety");
    expect(inputs["sku"]).toEqual({ name: "S0" });
    expect(inputs["properties"]).toEqual(
      expect.objectContaining({
        disableLocalAuth: true,
        publicNetworkAccess: "Disabled",
        restrictOutboundNetworkAccess: true,
        networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [] },
      }),
    );
    // A custom subdomain is what Entra ID tokens and private endpoints need; it is the account's global name.
    expect(record(inputs["properties"])["customSubDomainName"]).toBe(inputs["accountName"]);
    expect(inputs["identity"]).toBeUndefined();
  });

  test("is reached through a private endpoint registered in the cognitive services private DNS zone", () => {
    const endpoint = named(plan("prod"), TYPES.privateEndpoint, "content-safety-account-pe");
    expect(endpoint.inputs["subnet"]).toEqual(expect.objectContaining({ id: PRIVATE_ENDPOINT_SUBNET_ID }));
    expect(records(endpoint.inputs["privateLinkServiceConnections"])).toEqual([
      expect.objectContaining({ groupIds: ["account"], privateLinkServiceId: account().outputs["id"] }),
    ]);
    const dns = named(plan("prod"), TYPES.dnsZoneGroup, "content-safety-account-dns");
    expect(records(dns.inputs["privateDnsZoneConfigs"]).map((config) => config["privateDnsZoneId"])).toEqual([
      COGNITIVE_ZONE.zoneId,
    ]);
  });

  test("only the gateway's identity may call it: Cognitive Services User at the account's scope, nothing else", () => {
    const component = onlyOfType(plan("prod"), TYPES.contentSafety);
    const grants = ofType(plan("prod"), TYPES.roleAssignment).filter(
      (grant) => grant.parent === component.urn,
    );
    expect(grants).toHaveLength(1);
    expect(grants[0]!.inputs).toEqual(
      expect.objectContaining({
        scope: account().outputs["id"],
        principalId: GATEWAY_IDENTITY.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${COGNITIVE_SERVICES_USER_ROLE_ID}`,
      }),
    );
  });

  test("hands the gateway the shieldPrompt URL on the account's own endpoint", () => {
    const outputs = fixtureOutputs(plan("prod"));
    const subdomain = record(account().inputs["properties"])["customSubDomainName"];
    expect(outputs.contentSafetyEndpoint).toBe(`https://${subdomain}.cognitiveservices.azure.com/`);
    expect(outputs.shieldPromptUrl).toBe(
      `https://${subdomain}.cognitiveservices.azure.com/contentsafety/text:shieldPrompt?api-version=2024-09-01`,
    );
  });

  test("carries the standard tags and sits under the component", () => {
    const component = onlyOfType(plan("prod"), TYPES.contentSafety);
    for (const resource of planResources(plan("prod")).filter((r) => r.parent === component.urn)) {
      if (resource.type === TYPES.roleAssignment || resource.type === TYPES.dnsZoneGroup) continue;
      for (const key of REQUIRED_TAG_KEYS)
        expect(record(resource.inputs["tags"])[key]).toEqual(expect.any(String));
    }
  });
});
