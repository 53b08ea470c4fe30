/**
 * The Workloads component under Pulumi's mock runtime, through a test-only program
 * (fixture-program.ts) run in its own process per scenario: each stack's real config, with the
 * network and identity components' outputs stood in for by literal values. Asserts what Azure would
 * be asked to create.
 */
import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { REQUIRED_TAG_KEYS } from "../../infra/conventions/tags";
import { ACR_PULL_ROLE_ID } from "../../infra/workloads/rbac";
import { at, named, ofType, onlyOfType, record, records, type FixtureRun } from "../support/fixture";
import {
  backendApp,
  containerServerNames,
  GATEWAY_IDENTITY,
  KEY_VAULT_SECRET_URI,
  PRIVATE_ENDPOINT_SUBNET_ID,
  REGISTRY_ZONE,
  scenarioConfig,
  TICKETS_SERVER,
  VNET_ID,
  WORKLOAD_SUBNET_ID,
  workloadIdentity,
  type WorkloadsScenario,
  fixtureOutputs,
  planOf,
  runWorkloadsFixture,
  TYPES,
} from "./scenario";

const SCENARIOS = {
  prod: { stack: "prod", addTicketsServer: true, docsSecret: true },
  staging: { stack: "staging" },
  dev: { stack: "dev" },
  sharedIdentity: { stack: "prod", addTicketsServer: true, shareIdentity: true },
} satisfies Record<string, WorkloadsScenario>;
type ScenarioName = keyof typeof SCENARIOS;
const DEPLOYED: ScenarioName[] = ["prod", "staging", "dev"];

const runs = new Map<ScenarioName, FixtureRun>();
beforeAll(async () => {
  const names = Object.keys(SCENARIOS) as ScenarioName[];
  const results = await Promise.all(names.map((name) => runWorkloadsFixture(SCENARIOS[name])));
  names.forEach((name, index) => runs.set(name, results[index]!));
}, 180_000);

const plan = (name: ScenarioName): PreviewPlan => planOf(runs.get(name));
const config = (name: ScenarioName) => scenarioConfig(SCENARIOS[name]);
const apps = (name: ScenarioName) => ofType(plan(name), TYPES.containerApp);
const appFor = (name: ScenarioName, server: string) =>
  named(plan(name), TYPES.containerApp, `workloads-${server}`);
/** The MCP server a container app runs (its `mcp-server` tag). */
const serverOf = (app: PlanResourceState): string => String(record(app.inputs["tags"])["mcp-server"]);

describe.each(DEPLOYED)("workloads in %s", (scenario) => {
  test("the environment is internal, injected into the workload subnet, without public access or shared keys", () => {
    const environment = onlyOfType(plan(scenario), TYPES.environment);
    expect(environment.inputs["vnetConfiguration"]).toEqual({
      infrastructureSubnetId: WORKLOAD_SUBNET_ID,
      internal: true,
    });
    expect(environment.inputs["publicNetworkAccess"]).toBe("Disabled");
    expect(environment.inputs["workloadProfiles"]).toEqual([
      { name: "Consumption", workloadProfileType: "Consumption" },
    ]);
    expect(environment.inputs["appLogsConfiguration"]).toEqual({ destination: "azure-monitor" });
    expect(JSON.stringify(environment.inputs)).not.toMatch(/sharedKey|customerId/);
    expect(environment.inputs["zoneRedundant"]).toBe(config(scenario).environment === "prod");
  });

  test("exactly the container servers become container apps (URL-only servers stay external backends)", () => {
    const expected = containerServerNames(config(scenario).mcpServers).sort();
    expect(apps(scenario).map(serverOf).sort()).toEqual(expected);
    expect(
      apps(scenario)
        .map((app) => app.urn.split("::").pop())
        .sort(),
    ).toEqual(expected.map((s) => `workloads-${s}`));
    expect(expected).not.toContain("weather");
  });

  test("no workload is reachable from outside the virtual network or over plain HTTP", () => {
    const environment = onlyOfType(plan(scenario), TYPES.environment);
    const gatewayCidr = config(scenario).network.subnets.gateway;
    for (const app of apps(scenario)) {
      const ingress = record(at(app.inputs, "configuration.ingress"));
      expect(ingress["allowInsecure"]).toBe(false);
      expect(ingress["transport"]).not.toBe("tcp");
      // `external` here means "from the VNet through the internal load balancer": only in the internal environment.
      expect(app.inputs["environmentId"]).toBe(environment.outputs["id"]);
      expect(records(ingress["ipSecurityRestrictions"])).toEqual([
        expect.objectContaining({ action: "Allow", ipAddressRange: gatewayCidr }),
      ]);
      expect(ingress["customDomains"]).toBeUndefined();
    }
  });

  test("each app runs as its own user-assigned identity, with the limits from config", () => {
    const servers = config(scenario).mcpServers;
    const seen = new Set<string>();
    for (const app of apps(scenario)) {
      const server = serverOf(app);
      const container = servers.find((s) => s.name === server)!.container!;
      const identity = workloadIdentity(server);
      expect(app.inputs["identity"]).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
      expect(seen.has(identity.id)).toBe(false);
      seen.add(identity.id);
      const [main, ...others] = records(at(app.inputs, "template.containers"));
      expect(others).toEqual([]);
      expect(main!["resources"]).toEqual({ cpu: container.cpu, memory: `${container.memoryGi}Gi` });
      expect(at(app.inputs, "template.scale.minReplicas")).toBe(container.minReplicas);
      expect(at(app.inputs, "template.scale.maxReplicas")).toBe(container.maxReplicas);
      expect(at(app.inputs, "configuration.ingress.targetPort")).toBe(container.targetPort);
      expect(records(main!["env"])).toContainEqual({ name: "AZURE_CLIENT_ID", value: identity.clientId });
      expect(app.inputs["workloadProfileName"]).toBe("Consumption");
      expect(at(app.inputs, "configuration.activeRevisionsMode")).toBe("Single");
      // Azure built-in "Container App should configure with volume mount": a scratch EmptyDir.
      expect(records(at(app.inputs, "template.volumes"))).toEqual([
        { name: "scratch", storageType: "EmptyDir" },
      ]);
    }
  });

  test("images are pulled by digest from the deployment's private registry, with the workload's identity", () => {
    const outputs = fixtureOutputs(plan(scenario));
    const servers = config(scenario).mcpServers;
    for (const app of apps(scenario)) {
      const server = serverOf(app);
      const source = servers.find((s) => s.name === server)!.container!.image;
      const digest = source.split("@")[1]!;
      const repository = source.split("@")[0]!.split("/").slice(1).join("/");
      const image = String(records(at(app.inputs, "template.containers"))[0]!["image"]);
      expect(image).toBe(`${outputs.registryLoginServer}/${repository}@${digest}`);
      expect(image).toMatch(/@sha256:[a-f0-9]{64}$/);
      expect(records(at(app.inputs, "configuration.registries"))).toEqual([
        { server: outputs.registryLoginServer, identity: workloadIdentity(server).id },
      ]);
      expect(JSON.stringify(at(app.inputs, "configuration.registries"))).not.toMatch(
        /username|passwordSecretRef/,
      );
      expect(outputs.imagePromotions?.[server]).toEqual({ source, targetRepository: repository, digest });
    }
  });

  test("Easy Auth on every app accepts only its backend app's audiences, requested by the gateway identity", () => {
    const cfg = config(scenario);
    const authConfigs = ofType(plan(scenario), TYPES.authConfig);
    expect(authConfigs).toHaveLength(apps(scenario).length);
    for (const app of apps(scenario)) {
      const server = serverOf(app);
      const auth = named(plan(scenario), TYPES.authConfig, `workloads-${server}-auth`);
      const backend = backendApp(cfg.tenantId, cfg.environment, server);
      expect(auth.inputs["authConfigName"]).toBe("current");
      expect(auth.inputs["containerAppName"]).toBe(app.inputs["containerAppName"]);
      expect(auth.dependencies).toContain(app.urn);
      expect(at(auth.inputs, "platform.enabled")).toBe(true);
      expect(at(auth.inputs, "globalValidation.unauthenticatedClientAction")).toBe("Return401");
      expect(at(auth.inputs, "httpSettings.requireHttps")).toBe(true);
      const aad = record(at(auth.inputs, "identityProviders.azureActiveDirectory"));
      expect(at(aad, "registration.clientId")).toBe(backend.backendClientId);
      expect(at(aad, "registration.openIdIssuer")).toBe(
        `https://login.microsoftonline.com/${cfg.tenantId}/v2.0`,
      );
      expect(at(aad, "validation.allowedAudiences")).toEqual([backend.backendClientId, ...backend.audiences]);
      expect(at(aad, "validation.defaultAuthorizationPolicy.allowedApplications")).toEqual([
        GATEWAY_IDENTITY.clientId,
      ]);
      expect(at(aad, "validation.defaultAuthorizationPolicy.allowedPrincipals.identities")).toEqual([
        GATEWAY_IDENTITY.principalId,
      ]);
    }
  });

  test("the registry is Premium, private, keyless and keeps its images in", () => {
    const cfg = config(scenario);
    const registry = onlyOfType(plan(scenario), TYPES.registry);
    expect(registry.inputs).toEqual(
      expect.objectContaining({
        sku: { name: "Premium" },
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        publicNetworkAccess: "Disabled",
        networkRuleSet: { defaultAction: "Deny" },
        policies: { exportPolicy: { status: "disabled" } },
      }),
    );
    // The SDK fills "Disabled" when unset; zone redundancy is asked for in prod.
    expect(registry.inputs["zoneRedundancy"]).toBe(cfg.environment === "prod" ? "Enabled" : "Disabled");
    expect(registry.protect).toBe(cfg.features.protectStatefulResources);
    expect(ofType(plan(scenario), TYPES.lock).length).toBe(cfg.features.resourceLocks ? 1 : 0);

    const endpoint = named(plan(scenario), TYPES.privateEndpoint, "workloads-registry-pe");
    expect(endpoint.inputs["subnet"]).toEqual(expect.objectContaining({ id: PRIVATE_ENDPOINT_SUBNET_ID }));
    expect(records(endpoint.inputs["privateLinkServiceConnections"])).toEqual([
      expect.objectContaining({ groupIds: ["registry"], privateLinkServiceId: registry.outputs["id"] }),
    ]);
    const dns = named(plan(scenario), TYPES.dnsZoneGroup, "workloads-registry-dns");
    expect(records(dns.inputs["privateDnsZoneConfigs"]).map((c) => c["privateDnsZoneId"])).toEqual([
      REGISTRY_ZONE.zoneId,
    ]);
  });

  test("the only role each workload identity gets is AcrPull on the registry, and its app waits for it", () => {
    const registry = onlyOfType(plan(scenario), TYPES.registry);
    const grants = ofType(plan(scenario), TYPES.roleAssignment).filter((r) =>
      r.parent?.includes(TYPES.workloads),
    );
    expect(grants).toHaveLength(apps(scenario).length);
    for (const app of apps(scenario)) {
      const server = serverOf(app);
      const grant = named(plan(scenario), TYPES.roleAssignment, `workloads-${server}-acr-pull`);
      expect(grant.inputs).toEqual(
        expect.objectContaining({
          scope: registry.outputs["id"],
          principalId: workloadIdentity(server).principalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE_ID}`,
        }),
      );
      expect(String(grant.inputs["roleAssignmentName"])).toMatch(/^[0-9a-f-]{36}$/);
      expect(app.dependencies).toContain(grant.urn);
    }
  });

  test("the environment's default domain resolves privately to its internal load balancer, and backend URLs live there", () => {
    const outputs = fixtureOutputs(plan(scenario));
    const zone = onlyOfType(plan(scenario), TYPES.privateZone);
    expect(zone.inputs["privateZoneName"]).toBe(outputs.environmentDefaultDomain);
    expect(zone.inputs["location"]).toBe("global");
    const wildcard = onlyOfType(plan(scenario), TYPES.recordSet);
    expect(wildcard.inputs).toEqual(
      expect.objectContaining({
        recordType: "A",
        relativeRecordSetName: "*",
        aRecords: [{ ipv4Address: outputs.environmentStaticIp }],
      }),
    );
    const link = onlyOfType(plan(scenario), TYPES.vnetLink);
    expect(link.inputs).toEqual(
      expect.objectContaining({ virtualNetwork: { id: VNET_ID }, registrationEnabled: false }),
    );
    for (const app of apps(scenario)) {
      const server = serverOf(app);
      expect(outputs.backendUrls?.[server]).toBe(
        `https://${app.inputs["containerAppName"]}.${outputs.environmentDefaultDomain}/mcp`,
      );
    }
  });

  test("the environment and the registry are handed to monitoring as diagnostic targets", () => {
    const outputs = fixtureOutputs(plan(scenario));
    expect(outputs.diagnosticTargets).toEqual([
      {
        name: "workloads-environment",
        type: TYPES.environment,
        resourceId: onlyOfType(plan(scenario), TYPES.environment).outputs["id"],
      },
      {
        name: "workloads-registry",
        type: TYPES.registry,
        resourceId: onlyOfType(plan(scenario), TYPES.registry).outputs["id"],
      },
    ]);
  });

  test("every taggable resource carries the standard tags; everything sits under the component", () => {
    const untaggable = new Set<string>([
      TYPES.roleAssignment,
      TYPES.lock,
      TYPES.dnsZoneGroup,
      TYPES.recordSet,
      TYPES.authConfig,
    ]);
    const component = onlyOfType(plan(scenario), TYPES.workloads);
    for (const resource of planResources(plan(scenario)).filter((r) => r.parent === component.urn)) {
      if (untaggable.has(resource.type)) continue;
      for (const key of REQUIRED_TAG_KEYS)
        expect(record(resource.inputs["tags"])[key]).toEqual(expect.any(String));
    }
    const azure = planResources(plan(scenario)).filter(
      (r) => r.type.startsWith("azure-native:") && r.urn.includes(TYPES.workloads),
    );
    expect(azure.every((r) => r.parent === component.urn)).toBe(true);
  });
});

describe("workloads with two servers and a Key Vault secret (prod)", () => {
  test("servers differ in identity, limits and egress; nothing is shared between them", () => {
    const docs = appFor("prod", "docs");
    const tickets = appFor("prod", "tickets");
    expect(docs.inputs["identity"]).not.toEqual(tickets.inputs["identity"]);
    expect(at(tickets.inputs, "template.scale")).toEqual(
      expect.objectContaining({ minReplicas: 1, maxReplicas: 4 }),
    );
    expect(records(at(tickets.inputs, "template.containers"))[0]!["resources"]).toEqual({
      cpu: TICKETS_SERVER.container.cpu,
      memory: "2Gi",
    });
    expect(at(tickets.inputs, "configuration.ingress.targetPort")).toBe(3000);
  });

  test("secrets are Key Vault references read with the workload's identity, never values", () => {
    const docs = appFor("prod", "docs");
    expect(records(at(docs.inputs, "configuration.secrets"))).toEqual([
      { name: "index-token", keyVaultUrl: KEY_VAULT_SECRET_URI, identity: workloadIdentity("docs").id },
    ]);
    expect(records(records(at(docs.inputs, "template.containers"))[0]!["env"])).toContainEqual({
      name: "DOCS_INDEX_TOKEN",
      secretRef: "index-token",
    });
    for (const app of apps("prod")) {
      for (const secret of records(at(app.inputs, "configuration.secrets")))
        expect(secret["value"]).toBeUndefined();
    }
    expect(records(at(appFor("prod", "tickets").inputs, "configuration.secrets"))).toEqual([]);
  });

  test("a workload identity shared by two servers is refused before anything is declared", () => {
    const run = runs.get("sharedIdentity")!;
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(
      /tickets: shares its workload identity with docs \(each server needs its own\)/,
    );
    expect(run.plan).toBeUndefined();
  });
});
