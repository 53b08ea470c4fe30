import { FORBIDDEN_LOG_HEADERS } from "../../../infra/conventions/logging-contract";
/**
 * The Gateway component under the offline mock harness: fixture-program.ts runs in a child process per
 * variant through the shared fixture runner (test/support/fixture.ts; the Pulumi runtime is
 * process-global) and these tests read the plans it wrote.
 */
import { evaluatePlan, loadPackConfig } from "../../../policies/check/engine";
import { planResources, type PlanResourceState, type PreviewPlan } from "../../../policies/check/plan";
import { LEGACY_PROTOCOL_SETTINGS, WEAK_CIPHERS } from "../../../infra/gateway/service-settings";
import { fixturePlan, type FixtureRun, runFixtureProgram } from "../../support/fixture";
import { inputAt, resourcesOfType } from "../../support/plans";
import { child, findAll, parseXml, section, type XmlNode } from "../support";
import {
  APP_INSIGHTS,
  CERTIFICATE_SECRET_URI,
  fixtureConfig,
  type FixtureVariant,
  GATEWAY_SUBNET_ID,
  IDENTITY,
  PE_SUBNET_ID,
  VAULT,
  VNET_ID,
} from "./fixture-data";

const T = {
  component: "mcpgw:gateway:Gateway",
  logging: "mcpgw:gateway:GatewayLogging",
  service: "azure-native:apimanagement:ApiManagementService",
  api: "azure-native:apimanagement:Api",
  operation: "azure-native:apimanagement:ApiOperation",
  apiPolicy: "azure-native:apimanagement:ApiPolicy",
  operationPolicy: "azure-native:apimanagement:ApiOperationPolicy",
  globalPolicy: "azure-native:apimanagement:Policy",
  backend: "azure-native:apimanagement:Backend",
  namedValue: "azure-native:apimanagement:NamedValue",
  logger: "azure-native:apimanagement:Logger",
  diagnostic: "azure-native:apimanagement:Diagnostic",
  deployment: "azure-native:resources:Deployment",
  zone: "azure-native:privatedns:PrivateZone",
  zoneLink: "azure-native:privatedns:VirtualNetworkLink",
  record: "azure-native:privatedns:PrivateRecordSet",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  publicIp: "azure-native:network:PublicIPAddress",
} as const;

/** The gateway fixture program, run by the shared runner. */
const GATEWAY_FIXTURE = "test/gateway/component/fixture-program.ts";

const runs: Partial<Record<FixtureVariant, FixtureRun>> = {};

beforeAll(async () => {
  const variants = ["dev", "v2", "fifty"] as const;
  const results = await Promise.all(
    variants.map((variant) => runFixtureProgram(GATEWAY_FIXTURE, { variant })),
  );
  variants.forEach((variant, i) => (runs[variant] = results[i]));
}, 300_000);

function plan(variant: FixtureVariant): PreviewPlan {
  return fixturePlan(`gateway ${variant}`, runs[variant]);
}

function one(variant: FixtureVariant, type: string): PlanResourceState {
  const found = resourcesOfType(plan(variant), type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

const byInput = (variant: FixtureVariant, type: string, key: string): Map<string, PlanResourceState> =>
  new Map(resourcesOfType(plan(variant), type).map((r) => [String(r.inputs[key]), r]));

function xml(resource: PlanResourceState): XmlNode {
  expect(resource.inputs["format"]).toBe("xml");
  return parseXml(String(resource.inputs["value"]));
}

describe("Gateway (dev config, classic Developer tier)", () => {
  const config = fixtureConfig("dev");
  const service = () => one("dev", T.service);

  it("puts every resource under the component, and request logging under its own", () => {
    const component = one("dev", T.component);
    const logging = one("dev", T.logging);
    const loggingTypes = new Set<string>([T.logger, T.diagnostic]);
    for (const resource of planResources(plan("dev"))) {
      if ([T.component, T.logging, "pulumi:pulumi:Stack"].includes(resource.type)) continue;
      expect(resource.parent).toBe(loggingTypes.has(resource.type) ? logging.urn : component.urn);
    }
  });

  it("runs API Management in Internal VNet mode in the gateway subnet, without a public IP of its own", () => {
    expect(service().inputs).toMatchObject({
      sku: { name: "Developer", capacity: 1 },
      virtualNetworkType: "Internal",
      virtualNetworkConfiguration: { subnetResourceId: GATEWAY_SUBNET_ID },
    });
    expect(inputAt(service(), "publicIpAddressId")).toBeUndefined();
    expect(inputAt(service(), "publicNetworkAccess")).toBeUndefined();
    expect(resourcesOfType(plan("dev"), T.publicIp)).toHaveLength(0);
  });

  it("switches off SSL 3.0, TLS 1.0/1.1 (client and backend), 3DES and the weak ciphers", () => {
    const custom = inputAt(service(), "customProperties") as Record<string, string>;
    for (const key of LEGACY_PROTOCOL_SETTINGS) expect(custom[key]).toBe("False");
    for (const cipher of WEAK_CIPHERS) {
      expect(custom[`Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.${cipher}`]).toBe("False");
    }
  });

  it("pins the minimum control-plane API version, disables both portals and keeps the gateway on", () => {
    expect(service().inputs).toMatchObject({
      apiVersionConstraint: { minApiVersion: config.gateway.minApiVersion },
      developerPortalStatus: "Disabled",
      legacyPortalStatus: "Disabled",
      disableGateway: false,
    });
  });

  it("uses the gateway's user-assigned identity, also for the custom hostname's Key Vault certificate", () => {
    expect(inputAt(service(), "identity")).toEqual({
      type: "UserAssigned",
      userAssignedIdentities: { [IDENTITY.id]: {} },
    });
    expect(inputAt(service(), "hostnameConfigurations")).toEqual([
      {
        type: "Proxy",
        hostName: "mcp.dev.contoso.com",
        certificateSource: "KeyVault",
        keyVaultId: CERTIFICATE_SECRET_URI,
        identityClientId: IDENTITY.clientId,
        negotiateClientCertificate: false,
        defaultSslBinding: true,
      },
    ]);
  });

  it("closes direct management, Git access and portal sign-up through an ARM template", () => {
    const template = inputAt(one("dev", T.deployment), "properties.template") as {
      resources: { type: string; name: string; properties: Record<string, unknown> }[];
    };
    const serviceName = String(service().inputs["serviceName"]);
    expect(template.resources.map((r) => [r.type.split("/").pop(), r.name, r.properties["enabled"]])).toEqual(
      [
        ["tenant", `${serviceName}/access`, false],
        ["tenant", `${serviceName}/gitAccess`, false],
        ["portalsettings", `${serviceName}/signup`, false],
      ],
    );
    expect(one("dev", T.deployment).dependencies).toContain(service().urn);
  });

  it("resolves the custom hostname to the gateway's private IP inside the VNet", () => {
    const zone = one("dev", T.zone);
    expect(zone.inputs).toMatchObject({ privateZoneName: "mcp.dev.contoso.com", location: "global" });
    expect(one("dev", T.zoneLink).inputs).toMatchObject({
      privateZoneName: "mcp.dev.contoso.com",
      virtualNetwork: { id: VNET_ID },
      registrationEnabled: false,
    });
    const records = byInput("dev", T.record, "privateZoneName");
    expect(records.get("mcp.dev.contoso.com")?.inputs).toMatchObject({
      recordType: "A",
      relativeRecordSetName: "@",
      aRecords: [{ ipv4Address: "10.0.0.4" }],
    });
    expect(records.get("apim-mcpgw-dev-weu-abcde.azure-api.net")?.inputs["aRecords"]).toEqual([
      { ipv4Address: "10.0.0.4" },
    ]);
    const outputs = plan("dev").steps[0]?.newState?.outputs ?? {};
    expect(outputs["privateIpAddress"]).toBe("10.0.0.4");
    expect(outputs["gatewayHostname"]).toBe("mcp.dev.contoso.com");
  });

  it("declares one HTTPS-only API per MCP server, without subscription keys, at /<server>/mcp", () => {
    const apis = byInput("dev", T.api, "apiId");
    expect([...apis.keys()].sort()).toEqual(["mcp-docs", "mcp-weather", "mcp-well-known"]);
    for (const server of config.mcpServers) {
      expect(apis.get(`mcp-${server.name}`)?.inputs).toMatchObject({
        path: `${server.name}/mcp`,
        protocols: ["https"],
        subscriptionRequired: false,
        apiType: "http",
        isCurrent: true,
        serviceUrl: expect.stringMatching(/^https:\/\//),
      });
    }
    expect(apis.get("mcp-well-known")?.inputs).toMatchObject({
      path: ".well-known/oauth-protected-resource",
      protocols: ["https"],
      subscriptionRequired: false,
    });
    expect(plan("dev").steps[0]?.newState?.outputs["mcpServerUrls"]).toEqual({
      docs: "https://mcp.dev.contoso.com/docs/mcp",
      weather: "https://mcp.dev.contoso.com/weather/mcp",
    });
  });

  it("gives each MCP API POST/GET/DELETE on / and the metadata operation, with its policy", () => {
    const operations = resourcesOfType(plan("dev"), T.operation);
    for (const server of config.mcpServers) {
      const ofApi = operations.filter((op) => op.urn.includes(`gateway-api-mcp-${server.name}-op-`));
      expect(
        ofApi.map((op) => [op.inputs["operationId"], op.inputs["method"], op.inputs["urlTemplate"]]),
      ).toEqual(
        expect.arrayContaining([
          ["mcp-post", "POST", "/"],
          ["mcp-get", "GET", "/"],
          ["mcp-delete", "DELETE", "/"],
          ["prm", "GET", "/.well-known/oauth-protected-resource"],
        ]),
      );
      expect(ofApi).toHaveLength(4);
    }
    const wellKnown = operations.filter((op) => op.urn.includes("gateway-api-mcp-well-known-op-"));
    expect(wellKnown.map((op) => [op.inputs["operationId"], op.inputs["urlTemplate"]]).sort()).toEqual([
      ["prm-docs", "/docs/mcp"],
      ["prm-weather", "/weather/mcp"],
    ]);
    const policies = resourcesOfType(plan("dev"), T.operationPolicy);
    expect(policies.map((p) => p.inputs["operationId"]).sort()).toEqual([
      "prm",
      "prm",
      "prm-docs",
      "prm-weather",
    ]);
    for (const policy of policies) {
      const inbound = section(xml(policy), "inbound");
      expect(inbound.children.map((c) => c.name)).toEqual(["base", "return-response"]);
    }
  });

  it("validates the token of this server's own API app and routes to its Backend entity", () => {
    const policies = resourcesOfType(plan("dev"), T.apiPolicy);
    expect(policies).toHaveLength(3);
    for (const server of config.mcpServers) {
      const policy = policies.find((p) => p.urn.endsWith(`gateway-api-mcp-${server.name}-policy`));
      expect(policy).toBeDefined();
      const document = xml(policy!);
      const token = findAll(document, "validate-azure-ad-token")[0];
      expect(token && child(token, "audiences").children.map((a) => a.text)).toContain(
        `https://mcp.dev.contoso.com/${server.name}/mcp`,
      );
      const route = findAll(section(document, "inbound"), "set-backend-service")[0];
      expect(route?.attributes["backend-id"]).toBe(`mcp-${server.name}`);
      expect(findAll(document, "forward-request")[0]?.attributes["buffer-response"]).toBe("false");
    }
  });

  it("uploads the MCP policies only after the global policy (which has no forward-request) and the backends", () => {
    const global = one("dev", T.globalPolicy);
    expect(findAll(xml(global), "forward-request")).toHaveLength(0);
    const backends = byInput("dev", T.backend, "backendId");
    for (const server of config.mcpServers) {
      const policy = resourcesOfType(plan("dev"), T.apiPolicy).find((p) =>
        p.urn.endsWith(`gateway-api-mcp-${server.name}-policy`),
      )!;
      expect(policy.dependencies).toEqual(
        expect.arrayContaining([global.urn, backends.get(`mcp-${server.name}`)!.urn]),
      );
    }
  });

  it("calls backends over https with certificate chain and name validation", () => {
    const backends = byInput("dev", T.backend, "backendId");
    expect([...backends.keys()].sort()).toEqual(["mcp-docs", "mcp-weather"]);
    for (const backend of backends.values()) {
      expect(backend.inputs).toMatchObject({
        protocol: "http",
        url: expect.stringMatching(/^https:\/\//),
        tls: { validateCertificateChain: true, validateCertificateName: true },
      });
    }
    expect(inputAt(backends.get("mcp-docs")!, "credentials")).toBeUndefined();
    expect(inputAt(backends.get("mcp-weather")!, "credentials")).toEqual({
      header: { "X-Api-Key": ["{{weather-api-key}}"] },
    });
    expect(inputAt(backends.get("mcp-weather")!, "url")).toBe("https://mcp.weather.example-partner.com/mcp");
  });

  it("holds secrets only as Key Vault references, read by the gateway identity", () => {
    const namedValues = resourcesOfType(plan("dev"), T.namedValue);
    // The session-binding key and the weather server's API key.
    expect(namedValues.map((nv) => nv.inputs["namedValueId"])).toEqual([
      "mcp-session-key",
      "weather-api-key",
    ]);
    for (const namedValue of namedValues) {
      const id = String(namedValue.inputs["namedValueId"]);
      expect(namedValue.inputs).toEqual(
        expect.objectContaining({
          secret: true,
          keyVault: { secretIdentifier: `${VAULT}/secrets/${id}`, identityClientId: IDENTITY.clientId },
        }),
      );
      expect("value" in namedValue.inputs).toBe(false);
    }
    const backend = byInput("dev", T.backend, "backendId").get("mcp-weather")!;
    expect(backend.dependencies).toContain(namedValues[1]!.urn);
  });

  it("logs to Application Insights with the managed identity, never the Authorization header or a body byte", () => {
    expect(one("dev", T.logger).inputs).toMatchObject({
      loggerType: "applicationInsights",
      resourceId: APP_INSIGHTS.id,
      credentials: { connectionString: APP_INSIGHTS.connectionString, identityClientId: IDENTITY.clientId },
    });
    const diagnostic = one("dev", T.diagnostic);
    expect(diagnostic.inputs).toMatchObject({
      diagnosticId: "applicationinsights",
      logClientIp: true,
      verbosity: "information",
      httpCorrelationProtocol: "W3C",
      sampling: { samplingType: "fixed", percentage: 100 },
    });
    const forbidden = new Set([...FORBIDDEN_LOG_HEADERS, "X-Api-Key"].map((h) => h.toLowerCase()));
    for (const side of ["frontend", "backend"]) {
      for (const direction of ["request", "response"]) {
        const message = inputAt(diagnostic, `${side}.${direction}`) as {
          headers: string[];
          body: { bytes: number };
          dataMasking: { headers: unknown[] };
        };
        expect(message.body.bytes).toBe(0);
        expect(message.headers.filter((h) => forbidden.has(h.toLowerCase()))).toEqual([]);
        expect(message.dataMasking.headers).toContainEqual({ value: "Authorization", mode: "Hide" });
      }
    }
  });

  it("names the service as the monitoring component's diagnostic target", () => {
    expect(plan("dev").steps[0]?.newState?.outputs["diagnosticTargets"]).toEqual([
      { name: "api-management", type: T.service },
    ]);
  });

  it("passes the policy pack's gateway, TLS, secrets and network rules", async () => {
    const report = await evaluatePlan(plan("dev"), { environment: "dev", packConfig: loadPackConfig("dev") });
    const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory");
    // The diagnostic setting comes from the monitoring component, which this fixture does not include.
    expect(mandatory.filter((v) => v.policyName !== "monitoring-diagnostic-settings")).toEqual([]);
  });
});

describe("Gateway (StandardV2 variant)", () => {
  const service = () => one("v2", T.service);

  it("integrates outbound with the VNet and takes inbound traffic through a private endpoint only", () => {
    expect(service().inputs).toMatchObject({
      sku: { name: "StandardV2" },
      virtualNetworkType: "External",
      publicNetworkAccess: "Disabled",
    });
    expect(one("v2", T.privateEndpoint).inputs).toMatchObject({
      subnet: { id: PE_SUBNET_ID },
      privateLinkServiceConnections: [expect.objectContaining({ groupIds: ["Gateway"] })],
    });
    const record = one("v2", T.record);
    expect(record.inputs["aRecords"]).toEqual([{ ipv4Address: expect.stringMatching(/^10\.0\.2\./) }]);
  });

  it("switches off legacy protocols but leaves the (fixed) ciphers alone", () => {
    const custom = inputAt(service(), "customProperties") as Record<string, string>;
    for (const key of LEGACY_PROTOCOL_SETTINGS) expect(custom[key]).toBe("False");
    expect(Object.keys(custom).some((key) => key.includes(".Ciphers."))).toBe(false);
  });

  it("has no direct management or Git endpoint to close, and no daily quota", () => {
    const template = inputAt(one("v2", T.deployment), "properties.template") as {
      resources: { type: string }[];
    };
    expect(template.resources.map((r) => r.type)).toEqual(["Microsoft.ApiManagement/service/portalsettings"]);
    for (const policy of resourcesOfType(plan("v2"), T.apiPolicy))
      expect(findAll(xml(policy), "quota-by-key")).toHaveLength(0);
  });
});

describe("Gateway with 50 MCP servers", () => {
  it("declares 50 APIs, policies, backends and metadata operations", () => {
    const config = fixtureConfig("fifty");
    const apis = byInput("fifty", T.api, "apiId");
    expect(apis.size).toBe(51);
    expect(resourcesOfType(plan("fifty"), T.apiPolicy)).toHaveLength(51);
    expect(resourcesOfType(plan("fifty"), T.backend)).toHaveLength(50);
    expect(resourcesOfType(plan("fifty"), T.operation)).toHaveLength(50 * 4 + 50);
    expect(resourcesOfType(plan("fifty"), T.operationPolicy)).toHaveLength(100);
    expect(resourcesOfType(plan("fifty"), T.namedValue)).toHaveLength(2);
    const policies = resourcesOfType(plan("fifty"), T.apiPolicy);
    for (const server of config.mcpServers) {
      expect(apis.get(`mcp-${server.name}`)?.inputs["path"]).toBe(`${server.name}/mcp`);
      const policy = policies.find((p) => p.urn.endsWith(`gateway-api-mcp-${server.name}-policy`))!;
      const document = xml(policy);
      expect(findAll(document, "set-backend-service")[0]?.attributes["backend-id"]).toBe(
        `mcp-${server.name}`,
      );
      expect(findAll(document, "send-request").length > 0).toBe(server.contentSafety.enabled);
    }
    // Rendering is milliseconds (test/gateway/apis.test.ts); this bounds the whole declaration under mocks.
    expect(runs.fifty?.elapsedMs).toBeLessThan(120_000);
  });
});
