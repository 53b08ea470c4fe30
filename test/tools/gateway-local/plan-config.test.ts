import { planPolicyDocuments } from "../../../tools/expressions/documents";
import { DEFAULT_SWITCHES } from "../../../tools/gateway-local/contract";
import { ENTRA_ORIGIN } from "../../../tools/gateway-local/issuer";
import {
  gatewayPlan,
  type LocalEndpoints,
  localSecretValue,
  PlanConfigError,
  runtimeConfig,
} from "../../../tools/gateway-local/plan-config";
import type { PreviewPlan } from "../../../policies/check/plan";
import { STACKS, stackPlan } from "../../support/plans";

const local = (backends: Record<string, string>, contentSafety?: string): LocalEndpoints => ({
  port: 0,
  issuer: "http://127.0.0.1:40001",
  managedIdentityEndpoint: "http://127.0.0.1:40001/metadata/identity/oauth2/token",
  backends,
  ...(contentSafety ? { contentSafety } : {}),
  switches: DEFAULT_SWITCHES,
});

describe.each(STACKS)("plan -> RuntimeConfig for %s", (stack) => {
  const plan = stackPlan(stack);
  const gateway = gatewayPlan(plan);
  const backends = Object.fromEntries(
    Object.keys(gateway.backends).map((id, i) => [id, `http://127.0.0.1:${41000 + i}`]),
  );
  const config = runtimeConfig(gateway, local(backends, "http://127.0.0.1:42000"));

  test("every policy document of the plan reaches the runtime byte for byte, at its API and operation", () => {
    const planned = planPolicyDocuments(stack, plan).documents;
    const passed = [
      { kind: "Policy", xml: config.globalPolicy },
      ...config.apis.flatMap((api) => [
        ...(api.policy === undefined ? [] : [{ kind: "ApiPolicy", api: api.id, xml: api.policy }]),
        ...api.operations.flatMap((op) =>
          op.policy === undefined
            ? []
            : [{ kind: "ApiOperationPolicy", api: api.id, operation: op.id, xml: op.policy }],
        ),
      ]),
    ];
    const key = (d: { kind: string; api?: string; operation?: string; xml: string }): string =>
      `${d.kind}|${d.api ?? ""}|${d.operation ?? ""}|${d.xml}`;
    expect(passed.map(key).sort()).toEqual(planned.map(key).sort());
  });

  test("APIs, operations and backends as declared; every MCP server's API serves POST, GET, DELETE and metadata", () => {
    expect(config.apis.map((a) => a.path)).toContain(".well-known/oauth-protected-resource");
    const mcpApis = config.apis.filter((a) => a.path.endsWith("/mcp"));
    expect(mcpApis.length).toBeGreaterThanOrEqual(2);
    for (const api of mcpApis) {
      expect(api.operations.map((o) => `${o.method} ${o.urlTemplate}`).sort()).toEqual(
        ["DELETE /", "GET /", "GET /.well-known/oauth-protected-resource", "POST /"].sort(),
      );
      expect(api.serviceUrl).toMatch(/^https:\/\//);
    }
    expect(Object.keys(config.backends).sort()).toEqual(mcpApis.map((a) => a.id).sort());
    expect(gateway.mcpServers.map((s) => s.backendId).sort()).toEqual(Object.keys(config.backends).sort());
  });

  test("secret and Key Vault named values get local test values; nothing of the plan's secrets", () => {
    expect(config.namedValues["weather-api-key"]).toBe(localSecretValue("weather-api-key"));
    expect(gateway.namedValues.every((nv) => nv.secret)).toBe(true);
  });

  test("every outbound origin is routed to loopback: Entra ID, each backend, and Content Safety where used", () => {
    expect(config.hostOverrides[ENTRA_ORIGIN]).toBe("http://127.0.0.1:40001");
    for (const [id, url] of Object.entries(config.backends)) {
      expect(config.hostOverrides[new URL(url).origin]).toBe(backends[id]);
    }
    for (const target of Object.values(config.hostOverrides))
      expect(target).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const screens = config.apis.some((a) => a.policy?.includes("text:shieldPrompt") ?? false);
    expect(gateway.sendRequestOrigins.length > 0).toBe(screens);
    for (const origin of gateway.sendRequestOrigins) {
      expect(origin).toMatch(/^https:\/\/[a-z0-9-]+\.cognitiveservices\.azure\.com$/);
      expect(config.hostOverrides[origin]).toBe("http://127.0.0.1:42000");
    }
    expect(config.listen).toEqual({ host: "127.0.0.1", port: 0 });
    expect(config.managedIdentityEndpoint).toBe("http://127.0.0.1:40001/metadata/identity/oauth2/token");
  });

  test("what the MCP APIs' policies say: tenant, audiences, client applications, backend credential", () => {
    const docs = gateway.mcpServers.find((s) => s.apiId === "mcp-docs");
    expect(docs?.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(docs?.audiences).toContainEqual(
      expect.stringMatching(/^https:\/\/mcp\..*contoso\.com\/docs\/mcp$/),
    );
    expect(docs?.clientApplicationIds).toContain("aebc6443-996d-45c2-90f0-388ff96faa56");
    expect(docs?.backendCredential?.resource).toMatch(/^api:\/\//);
    expect(gateway.mcpServers.find((s) => s.apiId === "mcp-weather")?.backendCredential).toBeUndefined();
  });
});

describe("plan -> RuntimeConfig refuses what it cannot route", () => {
  const plan = stackPlan("dev");
  const gateway = gatewayPlan(plan);

  test("a backend without a local stand-in", () => {
    expect(() => runtimeConfig(gateway, local({ "mcp-docs": "http://127.0.0.1:41000" }))).toThrow(
      /backend mcp-weather \(https:\/\/mcp\.weather\.example-partner\.com\/mcp\) has no local stand-in/,
    );
  });

  test("a send-request origin without the Content Safety stand-in", () => {
    const prod = gatewayPlan(stackPlan("prod"));
    const backends = Object.fromEntries(
      Object.keys(prod.backends).map((id) => [id, "http://127.0.0.1:41000"]),
    );
    expect(() => runtimeConfig(prod, local(backends))).toThrow(PlanConfigError);
  });

  test("a policy in another format, and an ApiPolicy of an undeclared API", () => {
    const withSteps = (edit: (inputs: Record<string, unknown>, type: string) => void): PreviewPlan => {
      const copy = JSON.parse(JSON.stringify(plan)) as PreviewPlan;
      for (const step of copy.steps) if (step.newState) edit(step.newState.inputs, step.newState.type);
      return copy;
    };
    const rawxml = withSteps((inputs, type) => {
      if (type.endsWith(":Policy")) inputs["format"] = "rawxml";
    });
    expect(() => gatewayPlan(rawxml)).toThrow(/policy format "rawxml"; the runtime executes "xml"/);
    const orphan = withSteps((inputs, type) => {
      if (type.endsWith(":ApiPolicy") && inputs["apiId"] === "mcp-docs") inputs["apiId"] = "mcp-nowhere";
    });
    expect(() => gatewayPlan(orphan)).toThrow(/unknown API mcp-nowhere/);
  });
});
