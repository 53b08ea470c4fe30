import { parseStackConfig, type ConfigProblem, type RawStackConfig } from "../../infra/config";
import { MCP_PROTOCOL_REVISIONS, MODERN_MCP_PROTOCOL_REVISIONS } from "../../infra/config/primitives";
import { MODERN_PROTOCOL_REVISIONS } from "../../infra/gateway/policy/expressions";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";

const P = "mcp-azure-gateway:";

function rawFor(stack: string): { values: Record<string, unknown>; secretKeys: Set<string> } {
  const engine = loadEngineConfig(stackFilePath(stack));
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(engine.values)) {
    values[key] = value.trim().startsWith("{") || value.trim().startsWith("[") ? JSON.parse(value) : value;
  }
  return { values, secretKeys: new Set(engine.secretKeys) };
}

/** Applies a mutation to the dev config (as parsed objects) and returns the problems. */
function problemsAfter(mutate: (values: Record<string, unknown>) => void, stack = "dev"): ConfigProblem[] {
  const raw = rawFor(stack);
  mutate(raw.values);
  const result = parseStackConfig(raw as RawStackConfig);
  if (result.ok) throw new Error("expected the config to be rejected");
  return result.problems;
}

function section<T = Record<string, unknown>>(values: Record<string, unknown>, key: string): T {
  return values[`${P}${key}`] as T;
}

describe("stack configuration: MCP protocol revisions", () => {
  it("names the same modern revisions as the gateway policy, each one a revision config knows", () => {
    expect(MODERN_PROTOCOL_REVISIONS).toEqual(MODERN_MCP_PROTOCOL_REVISIONS);
    for (const revision of MODERN_MCP_PROTOCOL_REVISIONS) expect(MCP_PROTOCOL_REVISIONS).toContain(revision);
  });

  it("refuses a revision the gateway has no rules for, naming the ones it knows", () => {
    const problems = problemsAfter((values) => {
      section(values, "gatewayPolicy")["supportedProtocolVersions"] = ["2026-07-28", "2024-11-05"];
    });
    expect(problems).toContainEqual(
      expect.objectContaining({
        key: "mcp-azure-gateway:gatewayPolicy.supportedProtocolVersions[1]",
        value: '"2024-11-05"',
        message: expect.stringContaining("2026-07-28, 2025-11-25, 2025-06-18"),
      }),
    );
  });

  it("lets a server narrow the stack's list, never widen it", () => {
    const problems = problemsAfter((values) => {
      section(values, "gatewayPolicy")["supportedProtocolVersions"] = ["2025-11-25"];
      const servers = section<Record<string, unknown>[]>(values, "mcpServers");
      servers[0]!["protocolVersions"] = ["2026-07-28"];
      servers[1]!["protocolVersions"] = ["2025-11-25"];
    });
    expect(problems.filter((p) => p.key.includes("protocolVersions"))).toEqual([
      expect.objectContaining({
        key: "mcp-azure-gateway:mcpServers[0].protocolVersions[0]",
        message: expect.stringContaining(
          "must be one of gatewayPolicy.supportedProtocolVersions (2025-11-25)",
        ),
      }),
    ]);
  });
});

describe("stack configuration", () => {
  test.each(["dev", "staging", "prod"])("the %s stack file is valid and frozen", (stack) => {
    const result = parseStackConfig(rawFor(stack));
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.key}: ${p.message}`).join("\n"));
    expect(result.config.environment).toBe(stack);
    expect(Object.isFrozen(result.config)).toBe(true);
    expect(Object.isFrozen(result.config.network.subnets)).toBe(true);
    expect(result.config.keyVault.keys.every((key) => key.type.endsWith("-HSM"))).toBe(true);
  });

  test("defaults are the secure ones", () => {
    const result = parseStackConfig(rawFor("dev"));
    if (!result.ok) throw new Error("dev must parse");
    expect(result.config.keyVault.softDeleteRetentionDays).toBe(90);
    expect(result.config.identity.preAuthorizedClientIds).toContain("aebc6443-996d-45c2-90f0-388ff96faa56");
    expect(result.config.gatewayPolicy.supportedProtocolVersions).toEqual([
      "2026-07-28",
      "2025-11-25",
      "2025-06-18",
    ]);
    expect(result.config.mcpServers.find((s) => s.name === "docs")?.backendAuth).toEqual({
      type: "managedIdentity",
    });
  });

  // Each case: a mutation of the dev config, the key the message must name, and a phrase of what is allowed.
  const cases: Array<[string, (v: Record<string, unknown>) => void, string, RegExp]> = [
    [
      "environment not in the list",
      (v) => (v[`${P}environment`] = "qa"),
      `${P}environment`,
      /"dev", "staging", "prod"/,
    ],
    ["unknown region", (v) => (v[`${P}location`] = "westeu"), `${P}location`, /westeurope/],
    ["tenant ID not a GUID", (v) => (v[`${P}tenantId`] = "contoso.onmicrosoft.com"), `${P}tenantId`, /GUID/],
    [
      "malformed CIDR",
      (v) => (section<{ subnets: Record<string, string> }>(v, "network").subnets["edge"] = "10.40.300.0/24"),
      `${P}network.subnets.edge`,
      /CIDR/,
    ],
    [
      "host bits set",
      (v) => (section<{ subnets: Record<string, string> }>(v, "network").subnets["edge"] = "10.40.0.1/24"),
      `${P}network.subnets.edge`,
      /no host bits/,
    ],
    [
      "subnet outside the VNet",
      (v) =>
        (section<{ subnets: Record<string, string> }>(v, "network").subnets["workloads"] = "10.99.4.0/23"),
      `${P}network.subnets.workloads`,
      /inside the VNet address space 10\.40\.0\.0\/20/,
    ],
    [
      "overlapping subnets",
      (v) =>
        (section<{ subnets: Record<string, string> }>(v, "network").subnets["gateway"] = "10.40.0.64/27"),
      `${P}network.subnets.gateway`,
      /overlaps subnet edge/,
    ],
    [
      "subnet too small",
      (v) => (section<{ subnets: Record<string, string> }>(v, "network").subnets["edge"] = "10.40.0.0/28"),
      `${P}network.subnets.edge`,
      /\/26 or larger/,
    ],
    [
      "gateway hostname with scheme",
      (v) => (section(v, "gateway")["hostname"] = "https://mcp.dev.contoso.com"),
      `${P}gateway.hostname`,
      /without https/,
    ],
    [
      "gateway hostname on an Azure default domain",
      (v) => (section(v, "gateway")["hostname"] = "mcpgw-dev.azure-api.net"),
      `${P}gateway.hostname`,
      /verified in your Entra tenant/,
    ],
    [
      "publisher e-mail",
      (v) => (section(v, "gateway")["publisherEmail"] = "platform-security"),
      `${P}gateway.publisherEmail`,
      /e-mail/,
    ],
    [
      "gateway tier that cannot be private",
      (v) => (section(v, "gateway")["sku"] = "Consumption"),
      `${P}gateway.sku`,
      /Developer, Premium or StandardV2/,
    ],
    ["capacity out of range", (v) => (section(v, "gateway")["capacity"] = 0), `${P}gateway.capacity`, />=1/],
    [
      "alert e-mail",
      (v) => (section<{ alertEmails: string[] }>(v, "monitoring").alertEmails[0] = "oncall"),
      `${P}monitoring.alertEmails[0]`,
      /e-mail/,
    ],
    [
      "retention too short",
      (v) => (section(v, "monitoring")["retentionDays"] = 7),
      `${P}monitoring.retentionDays`,
      />=30/,
    ],
    [
      "Key Vault standard SKU",
      (v) => (section(v, "keyVault")["sku"] = "standard"),
      `${P}keyVault.sku`,
      /premium/,
    ],
    [
      "RSA 2048 key",
      (v) => (section<{ keys: Array<Record<string, unknown>> }>(v, "keyVault").keys[0]!["size"] = 2048),
      `${P}keyVault.keys[0].size`,
      /3072 or 4096/,
    ],
    [
      "software key type",
      (v) => (section<{ keys: Array<Record<string, unknown>> }>(v, "keyVault").keys[0]!["type"] = "RSA"),
      `${P}keyVault.keys[0].type`,
      /RSA-HSM or EC-HSM/,
    ],
    [
      "rotation after expiry",
      (v) =>
        (section<{ keys: Array<Record<string, unknown>> }>(v, "keyVault").keys[0]!["rotateBeforeExpiryDays"] =
          400),
      `${P}keyVault.keys[0].rotateBeforeExpiryDays`,
      /at most expiryDays - 7/,
    ],
    [
      "MCP server name not DNS-safe",
      (v) => (section<Array<Record<string, unknown>>>(v, "mcpServers")[0]!["name"] = "Docs_Server"),
      `${P}mcpServers[0].name`,
      /lower-case/,
    ],
    [
      "duplicate MCP server names",
      (v) => (section<Array<Record<string, unknown>>>(v, "mcpServers")[1]!["name"] = "docs"),
      `${P}mcpServers[1].name`,
      /unique/,
    ],
    [
      "http backend",
      (v) =>
        (section<Array<Record<string, unknown>>>(v, "mcpServers")[1]!["backendUrl"] =
          "http://mcp.weather.example-partner.com/mcp"),
      `${P}mcpServers[1].backendUrl`,
      /https:\/\//,
    ],
    [
      "image pinned by tag",
      (v) =>
        (section<Array<{ container: Record<string, unknown> }>>(v, "mcpServers")[0]!.container["image"] =
          "crmcpgwshared.azurecr.io/mcp/docs-server:latest"),
      `${P}mcpServers[0].container.image`,
      /pinned by digest/,
    ],
    [
      "tool needs an undefined role",
      (v) =>
        (section<Array<{ tools: Array<{ roles: string[] }> }>>(v, "mcpServers")[0]!.tools[0]!.roles[0] =
          "MCP.Tools.Delete"),
      `${P}mcpServers[0].tools[0].roles[0]`,
      /not a defined app role \(allowed: MCP.Tools.Read/,
    ],
    [
      "duplicate app role",
      (v) =>
        (section<{ appRoles: Array<Record<string, unknown>> }>(v, "identity").appRoles[1]!["value"] =
          "MCP.Tools.Read"),
      `${P}identity.appRoles[1].value`,
      /unique/,
    ],
    [
      "malformed group object ID",
      (v) =>
        (section<{ accessAssignments: Array<Record<string, unknown>> }>(v, "identity").accessAssignments[0]![
          "groupObjectId"
        ] = "platform-admins"),
      `${P}identity.accessAssignments[0].groupObjectId`,
      /GUID/,
    ],
    [
      "rate-limit renewal period over 300 s",
      (v) =>
        (section<{ rateLimits: { perUser: Record<string, unknown> } }>(v, "gatewayPolicy").rateLimits.perUser[
          "renewalPeriodSeconds"
        ] = 3600),
      `${P}gatewayPolicy.rateLimits.perUser.renewalPeriodSeconds`,
      /at most 300/,
    ],
    [
      "non-positive rate limit",
      (v) =>
        (section<{ rateLimits: { perUserTool: Record<string, unknown> } }>(
          v,
          "gatewayPolicy",
        ).rateLimits.perUserTool["calls"] = 0),
      `${P}gatewayPolicy.rateLimits.perUserTool.calls`,
      /positive/,
    ],
    [
      "misspelled setting",
      (v) => (section(v, "network")["ddosProtecton"] = true),
      `${P}network.ddosProtecton`,
      /not a known setting/,
    ],
    ["unknown top-level key", (v) => (v[`${P}gatewy`] = "{}"), `${P}gatewy`, /not a known setting/],
    [
      "secret referenced but stored in plaintext",
      (v) => (v[`${P}weatherApiKey`] = "plain"),
      `${P}weatherApiKey`,
      /must be a secret/,
    ],
    [
      "API key backend names an unlisted secret",
      (v) =>
        (section<Array<{ backendAuth: Record<string, unknown> }>>(v, "mcpServers")[1]!.backendAuth[
          "secretName"
        ] = "nope"),
      `${P}mcpServers[1].backendAuth.secretName`,
      /not listed in keyVault.secrets/,
    ],
  ];

  test.each(cases)("rejects %s, naming the key and what is allowed", (_title, mutate, key, allowed) => {
    const raw = rawFor("dev");
    // The plaintext-secret case needs the key to be non-secret.
    if (_title.startsWith("secret referenced")) raw.secretKeys.delete(`${P}weatherApiKey`);
    mutate(raw.values);
    const result = parseStackConfig(raw as RawStackConfig);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const problem = problems.find((p) => p.key === key);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(allowed);
  });

  test("has at least 15 distinct bad-input cases", () => {
    expect(new Set(cases.map((c) => c[2])).size).toBeGreaterThanOrEqual(15);
  });

  test("reports every problem at once, including cross-field checks next to type errors", () => {
    const problems = problemsAfter((v) => {
      v[`${P}tenantId`] = "x";
      section(v, "keyVault")["sku"] = "standard";
      section<{ subnets: Record<string, string> }>(v, "network").subnets["gateway"] = "10.40.0.64/27";
      section<Array<{ tools: Array<{ roles: string[] }> }>>(v, "mcpServers")[0]!.tools[0]!.roles[0] = "Nope";
    });
    expect(problems.map((p) => p.key)).toEqual(
      expect.arrayContaining([`${P}tenantId`, `${P}keyVault.sku`, `${P}network.subnets.gateway`]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  test("prod must be Premium, zone-redundant, at least 2 units and protected", () => {
    const problems = problemsAfter((v) => {
      Object.assign(section(v, "gateway"), { sku: "Developer", capacity: 1, zones: [] });
      section(v, "features")["protectStatefulResources"] = false;
    }, "prod");
    const keys = problems.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        `${P}gateway.sku`,
        `${P}gateway.capacity`,
        `${P}gateway.zones`,
        `${P}features.protectStatefulResources`,
      ]),
    );
  });

  test("a secret value is never echoed in a problem", () => {
    const raw = rawFor("dev");
    raw.secretKeys.delete(`${P}weatherApiKey`);
    raw.values[`${P}weatherApiKey`] = "sk-live-1234567890";
    const result = parseStackConfig(raw as RawStackConfig);
    expect(JSON.stringify(result)).not.toContain("sk-live-1234567890");
  });
});
