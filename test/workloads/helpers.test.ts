/**
 * The pure parts of the workloads component: image references, per-server plans, Easy Auth settings,
 * workload subnet rules, resource IDs. No Pulumi runtime. (Role assignment names: test/conventions/rbac.test.ts.)
 */
import { toSecurityRules, type NsgRule as NetworkNsgRule } from "../../infra/network";
import type { McpServerConfig } from "../../infra/config";
import type { NamingContext } from "../../infra/conventions/naming";
import {
  allowedEgressHosts,
  consumptionResourceProblem,
  deployedImageReference,
  easyAuthConfig,
  entraIssuer,
  importCommand,
  imagePromotion,
  parsePinnedImage,
  serviceTagFor,
  UnpinnedImageError,
  virtualNetworkIdOf,
  WorkloadPlanError,
  workloadPlans,
  workloadSubnetRules,
} from "../../infra/workloads";

const DIGEST = `sha256:${"4f1c".repeat(16)}`;
const naming: NamingContext = {
  prefix: "mcpgw",
  environment: "prod",
  regionCode: "weu",
  uniquenessSeed: "tenant/prod",
};

function server(
  name: string,
  container?: Partial<NonNullable<McpServerConfig["container"]>>,
): McpServerConfig {
  return {
    name,
    displayName: name,
    backendAuth: { type: "managedIdentity" },
    tools: [{ name: "t", roles: ["MCP.Tools.Read"] }],
    contentSafety: { enabled: false, failMode: "closed" },
    ...(container
      ? {
          container: {
            image: `crmcpgwshared.azurecr.io/mcp/${name}@${DIGEST}`,
            targetPort: 8080,
            cpu: 0.5,
            memoryGi: 1,
            minReplicas: 1,
            maxReplicas: 3,
            allowedEgressHosts: [],
            ...container,
          },
        }
      : { backendUrl: `https://${name}.example.com/mcp` }),
  } as McpServerConfig;
}

describe("image references", () => {
  test("a digest-pinned reference splits into registry, repository and digest", () => {
    expect(parsePinnedImage(`crmcpgwshared.azurecr.io/mcp/docs-server@${DIGEST}`)).toEqual({
      sourceRegistry: "crmcpgwshared.azurecr.io",
      repository: "mcp/docs-server",
      digest: DIGEST,
    });
    expect(parsePinnedImage(`registry.local:5000/a@${DIGEST}`).sourceRegistry).toBe("registry.local:5000");
  });

  test.each([
    ["a tag", "crmcpgwshared.azurecr.io/mcp/docs-server:1.2.3"],
    ["latest", "crmcpgwshared.azurecr.io/mcp/docs-server:latest"],
    ["tag and digest", `crmcpgwshared.azurecr.io/mcp/docs-server:1.2.3@${DIGEST}`],
    ["no registry", `docs-server@${DIGEST}`],
    ["a short digest", "crmcpgwshared.azurecr.io/mcp/docs-server@sha256:abc"],
    ["a relative path", `crmcpgwshared.azurecr.io/mcp/../docs@${DIGEST}`],
  ])("%s is refused with a message that says why", (_label, image) => {
    expect(() => parsePinnedImage(image)).toThrow(UnpinnedImageError);
    expect(() => parsePinnedImage(image)).toThrow(/pinned by digest|relative/);
  });

  test("the deployment pulls the same digest from its own registry", () => {
    const image = parsePinnedImage(`crmcpgwshared.azurecr.io/mcp/docs-server@${DIGEST}`);
    expect(deployedImageReference("crmcpgwprodweuabcde.azurecr.io", image)).toBe(
      `crmcpgwprodweuabcde.azurecr.io/mcp/docs-server@${DIGEST}`,
    );
    const promotion = imagePromotion(image);
    expect(promotion).toEqual({
      source: `crmcpgwshared.azurecr.io/mcp/docs-server@${DIGEST}`,
      targetRepository: "mcp/docs-server",
      digest: DIGEST,
    });
    expect(importCommand("crmcpgwprodweuabcde", promotion)).toBe(
      `az acr import --name crmcpgwprodweuabcde --source crmcpgwshared.azurecr.io/mcp/docs-server@${DIGEST} --repository mcp/docs-server`,
    );
  });
});

describe("workload plans", () => {
  test("only container servers are planned, each with its own app name and limits", () => {
    const plans = workloadPlans(
      [
        server("docs", {}),
        server("weather"),
        server("tickets", { cpu: 1, memoryGi: 2, minReplicas: 0, maxReplicas: 5 }),
      ],
      naming,
    );
    expect(plans.map((p) => p.server)).toEqual(["docs", "tickets"]);
    expect(plans.map((p) => p.appName)).toEqual(["ca-mcpgw-prod-weu-docs", "ca-mcpgw-prod-weu-tickets"]);
    expect(plans[1]).toEqual(
      expect.objectContaining({ cpu: 1, memory: "2Gi", minReplicas: 0, maxReplicas: 5 }),
    );
  });

  test.each([
    [0.5, 1, undefined],
    [0.25, 0.5, undefined],
    [4, 8, undefined],
    [0.5, 2, /needs 1 GiB/],
    [0.3, 0.6, /not a Consumption size/],
    [5, 10, /not a Consumption size/],
  ])("cpu %s with %s GiB", (cpu, memoryGi, problem) => {
    const result = consumptionResourceProblem(cpu, memoryGi);
    if (problem === undefined) expect(result).toBeUndefined();
    else expect(result).toMatch(problem);
  });

  test("every problem is reported at once", () => {
    const bad = [
      server("docs", { cpu: 0.5, memoryGi: 4 }),
      server("tickets", { image: "crmcpgwshared.azurecr.io/mcp/t:1.0" }),
    ];
    expect(() => workloadPlans(bad, naming)).toThrow(WorkloadPlanError);
    try {
      workloadPlans(bad, naming);
    } catch (error) {
      expect((error as WorkloadPlanError).problems).toEqual([
        expect.stringMatching(/^docs: memoryGi 4/),
        expect.stringMatching(/^tickets: .*pinned by digest/),
      ]);
    }
  });

  test("server names that shorten to the same app name are refused", () => {
    const long = "a".repeat(30);
    expect(() => workloadPlans([server(`${long}x1`, {}), server(`${long}x2`, {})], naming)).toThrow(
      /also used by/,
    );
  });
});

describe("Easy Auth", () => {
  const settings = {
    tenantId: "3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13",
    backendClientId: "11111111-1111-4111-8111-111111111111",
    audiences: ["api://3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13/mcpgw-prod-docs"],
    gatewayClientId: "22222222-2222-4222-8222-222222222222",
    gatewayPrincipalId: "33333333-3333-4333-8333-333333333333",
  };

  test("accepts only the backend app's audiences, from the gateway identity, with a v2 issuer, and answers 401", () => {
    const config = easyAuthConfig(settings);
    expect(config.platform).toEqual({ enabled: true });
    expect(config.globalValidation).toEqual({ unauthenticatedClientAction: "Return401" });
    expect(config.httpSettings).toEqual({ requireHttps: true });
    expect(config.login).toEqual({ tokenStore: { enabled: false } });
    expect(config.identityProviders).toEqual({
      azureActiveDirectory: {
        enabled: true,
        registration: {
          clientId: settings.backendClientId,
          openIdIssuer: `https://login.microsoftonline.com/${settings.tenantId}/v2.0`,
        },
        validation: {
          allowedAudiences: [settings.backendClientId, ...settings.audiences],
          defaultAuthorizationPolicy: {
            allowedApplications: [settings.gatewayClientId],
            allowedPrincipals: { identities: [settings.gatewayPrincipalId] },
          },
          jwtClaimChecks: { allowedClientApplications: [settings.gatewayClientId] },
        },
      },
    });
    expect(entraIssuer(settings.tenantId)).toBe(
      `https://login.microsoftonline.com/${settings.tenantId}/v2.0`,
    );
  });

  test("no audience is a wiring error", () => {
    expect(() => easyAuthConfig({ ...settings, audiences: [] })).toThrow(/at least one audience/);
  });
});

describe("workload subnet rules", () => {
  const subnets = { workloads: "10.60.4.0/23", privateEndpoints: "10.60.2.0/26" };
  const servers = [
    server("docs", { allowedEgressHosts: ["contoso.vault.azure.net", "api.github.com"] }),
    server("tickets", {
      allowedEgressHosts: ["API.GitHub.com", "tickets.blob.core.windows.net", "login.microsoftonline.com"],
    }),
    server("weather"),
  ];

  test("hosts are the union over container servers, lower-cased and de-duplicated", () => {
    expect(allowedEgressHosts(servers)).toEqual([
      "api.github.com",
      "contoso.vault.azure.net",
      "login.microsoftonline.com",
      "tickets.blob.core.windows.net",
    ]);
  });

  test("service tags match whole labels only", () => {
    expect(serviceTagFor("contoso.vault.azure.net")).toBe("AzureKeyVault");
    expect(serviceTagFor("evilvault.azure.net")).toBeUndefined();
    expect(serviceTagFor("login.microsoftonline.com")).toBe("AzureActiveDirectory");
    expect(serviceTagFor("x.login.microsoftonline.com.evil.com")).toBeUndefined();
    expect(serviceTagFor("api.github.com")).toBeUndefined();
  });

  test("nsg mode: only the gateway gets in; Azure hosts are widened to their tag, others are blocked and reported", () => {
    const rules = workloadSubnetRules({
      servers,
      subnets,
      gatewayCallerCidrs: ["10.60.1.0/27"],
      mode: "nsg",
    });
    expect(rules.inbound.find((r) => r.name === "allow-gateway-https-1")).toEqual(
      expect.objectContaining({
        access: "Allow",
        protocol: "Tcp",
        source: "10.60.1.0/27",
        destination: subnets.workloads,
        destinationPorts: ["443", "31443"],
      }),
    );
    const allowedSources = rules.inbound.filter((r) => r.access === "Allow").map((r) => r.source);
    expect(allowedSources).toEqual(["10.60.1.0/27", "AzureLoadBalancer", subnets.workloads]);
    expect(rules.inbound.at(-1)).toEqual(
      expect.objectContaining({ access: "Deny", source: "*", destination: "*", priority: 4096 }),
    );

    const allowedDestinations = rules.outbound.filter((r) => r.access === "Allow").map((r) => r.destination);
    expect(allowedDestinations).toEqual(
      expect.arrayContaining([
        "AzureActiveDirectory",
        "MicrosoftContainerRegistry",
        "AzureFrontDoor.FirstParty",
        "AzureMonitor",
        "AzureKeyVault",
        "Storage",
      ]),
    );
    expect(allowedDestinations).not.toContain("Internet");
    expect(allowedDestinations).not.toContain("AzureCloud");
    expect(allowedDestinations).not.toContain("*");
    expect(rules.serviceTagHosts).toEqual({
      "contoso.vault.azure.net": "AzureKeyVault",
      "login.microsoftonline.com": "AzureActiveDirectory",
      "tickets.blob.core.windows.net": "Storage",
    });
    expect(rules.blockedWithoutFirewall).toEqual(["api.github.com"]);
    expect(rules.outbound.at(-1)).toEqual(
      expect.objectContaining({ access: "Deny", source: "*", destination: "*", priority: 4096 }),
    );
    expect(rules.firewallApplicationRules).toEqual([]);
  });

  test("firewall mode: HTTPS leaves through the firewall, which allows exactly the platform and config FQDNs", () => {
    const rules = workloadSubnetRules({
      servers,
      subnets,
      gatewayCallerCidrs: ["10.60.1.0/27"],
      mode: "firewall",
    });
    expect(rules.outbound.find((r) => r.name === "allow-https-to-firewall")).toEqual(
      expect.objectContaining({ destination: "Internet", destinationPorts: ["443"], protocol: "Tcp" }),
    );
    const fqdns = rules.firewallApplicationRules.flatMap((r) => r.targetFqdns);
    expect(fqdns).toEqual(
      expect.arrayContaining(["mcr.microsoft.com", "api.github.com", "contoso.vault.azure.net"]),
    );
    expect(rules.firewallApplicationRules.every((r) => r.sourceAddresses.join() === subnets.workloads)).toBe(
      true,
    );
    expect(rules.blockedWithoutFirewall).toEqual([]);
    expect(rules.outbound.at(-1)).toEqual(
      expect.objectContaining({ access: "Deny", destination: "*", priority: 4096 }),
    );
  });

  test("rules are valid NSG rules the network component takes as they are", () => {
    for (const mode of ["nsg", "firewall"] as const) {
      const rules = workloadSubnetRules({
        servers,
        subnets,
        gatewayCallerCidrs: ["10.60.1.0/27", "10.60.3.0/27"],
        mode,
      });
      for (const list of [rules.inbound, rules.outbound]) {
        expect(new Set(list.map((r) => r.name)).size).toBe(list.length);
        expect(new Set(list.map((r) => r.priority)).size).toBe(list.length);
        for (const r of list) {
          expect(r.priority).toBeGreaterThanOrEqual(100);
          expect(r.priority).toBeLessThanOrEqual(4096);
          if (r.destinationPorts.length > 1) expect(r.destinationPorts).not.toContain("*");
        }
        // Same shape as infra/network's NsgRule (checked by `npm run typecheck`), and valid azure-native inputs.
        const asNetworkRules: readonly NetworkNsgRule[] = list;
        for (const args of toSecurityRules(asNetworkRules)) {
          expect(args.destinationPortRanges ?? []).not.toContain("*");
          expect(args.sourceAddressPrefix).toEqual(expect.any(String));
        }
      }
    }
  });

  test("no gateway caller is a wiring error", () => {
    expect(() => workloadSubnetRules({ servers, subnets, gatewayCallerCidrs: [], mode: "nsg" })).toThrow(
      /gateway caller/,
    );
  });
});

describe("IDs", () => {
  test("the VNet of a subnet", () => {
    const vnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-a";
    expect(virtualNetworkIdOf(`${vnet}/subnets/snet-b`)).toBe(vnet);
    expect(() => virtualNetworkIdOf(vnet)).toThrow(/not a subnet/);
  });
});
