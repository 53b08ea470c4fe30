import { parseStackConfig } from "../../infra/config";
import {
  ALLOWED_METHODS,
  BOT_MANAGER_RULE_SET,
  DEFAULT_RULE_SET,
  edgeSslPolicy,
  WAF_BODY_LIMIT_KB,
  wafBodyLimits,
  wafCustomRules,
  wafLogScrubbing,
  wafManagedRuleSets,
  wafPolicySettings,
} from "../../infra/edge/policy";
import {
  CLIENT_IP_VARIABLE,
  REMOVED_RESPONSE_HEADERS,
  rewriteRuleSet,
  STRICT_TRANSPORT_SECURITY,
} from "../../infra/edge/rewrite";
import {
  APIM_HEALTH_PATH,
  assertVersionlessSecretUri,
  BACKEND_REQUEST_TIMEOUT_SECONDS,
  backendAddress,
  backendAddresses,
  edgeCapacity,
  edgeSettingsFromConfig,
  GATEWAY_CHILD_NAMES,
} from "../../infra/edge/settings";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";
import { STACKS } from "../support/plans";

describe("TLS policy", () => {
  test("is CustomV2 with TLS 1.3 as the minimum", () => {
    expect(edgeSslPolicy()).toEqual({ policyType: "CustomV2", minProtocolVersion: "TLSv1_3" });
  });

  test("lists no cipher suites and no disabled protocols (implied by CustomV2 + TLSv1_3)", () => {
    const policy = edgeSslPolicy() as unknown as Record<string, unknown>;
    expect(policy).not.toHaveProperty("cipherSuites");
    expect(policy).not.toHaveProperty("disabledSslProtocols");
    expect(policy).not.toHaveProperty("policyName");
  });
});

describe("WAF managed rule sets", () => {
  test("are the Default Rule Set and the bot manager, at supported versions", () => {
    expect(wafManagedRuleSets()).toEqual([DEFAULT_RULE_SET, BOT_MANAGER_RULE_SET]);
    expect(DEFAULT_RULE_SET.ruleSetType).toBe("Microsoft_DefaultRuleSet");
    expect(BOT_MANAGER_RULE_SET.ruleSetType).toBe("Microsoft_BotManagerRuleSet");
  });

  test("meet the floor of PSRule Azure.AppGwWAF.RuleGroups (DRS >= 2.1, bot manager >= 1.0)", () => {
    const version = (text: string): number[] => text.split(".").map(Number);
    const atLeast = (actual: string, floor: string): boolean => {
      const [a = 0, b = 0] = version(actual);
      const [c = 0, d = 0] = version(floor);
      return a > c || (a === c && b >= d);
    };
    expect(atLeast(DEFAULT_RULE_SET.ruleSetVersion, "2.1")).toBe(true);
    expect(atLeast(BOT_MANAGER_RULE_SET.ruleSetVersion, "1.0")).toBe(true);
  });

  test("each call returns fresh objects (the shared constants cannot be mutated through them)", () => {
    const sets = wafManagedRuleSets();
    sets[0]!.ruleSetVersion = "0.0";
    expect(wafManagedRuleSets()[0]!.ruleSetVersion).toBe(DEFAULT_RULE_SET.ruleSetVersion);
  });
});

describe("WAF policy settings", () => {
  test("prevention mode, enabled, body inspected and enforced, multipart uploads at Azure's minimum", () => {
    const settings = wafPolicySettings(1024 * 1024);
    expect(settings).toMatchObject({
      state: "Enabled",
      mode: "Prevention",
      requestBodyCheck: true,
      requestBodyEnforcement: true,
      maxRequestBodySizeInKb: 1024,
      requestBodyInspectLimitInKB: 1024,
      fileUploadEnforcement: true,
      fileUploadLimitInMb: 1,
    });
  });

  test("scrubs credentials, session IDs and every argument value from WAF logs", () => {
    const scrubbing = wafPolicySettings(1024 * 1024).logScrubbing;
    expect(scrubbing.state).toBe("Enabled");
    const headers = scrubbing.scrubbingRules.filter((rule) => rule.matchVariable === "RequestHeaderNames");
    expect(headers.map((rule) => ("selector" in rule ? rule.selector : undefined))).toEqual(
      expect.arrayContaining(["Authorization", "Mcp-Session-Id", "Cookie"]),
    );
    for (const variable of [
      "RequestCookieNames",
      "RequestArgNames",
      "RequestPostArgNames",
      "RequestJSONArgNames",
    ]) {
      const rule = scrubbing.scrubbingRules.find((candidate) => candidate.matchVariable === variable);
      expect(rule).toEqual({ matchVariable: variable, selectorMatchOperator: "EqualsAny", state: "Enabled" });
    }
  });

  test("scrubbing is exactly what the monitoring component's privacy rules require (WAF_LOG_SCRUBBING)", () => {
    // Components do not import each other; this test holds the two in step.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const monitoring = require("../../infra/monitoring/diagnostics") as { WAF_LOG_SCRUBBING?: unknown };
    expect(monitoring.WAF_LOG_SCRUBBING).toBeDefined();
    expect(wafLogScrubbing()).toEqual(monitoring.WAF_LOG_SCRUBBING);
  });

  test.each([
    [1024, 8, true],
    [8 * 1024, 8, false],
    [1024 * 1024, 1024, false],
    [1024 * 1024 + 1, 1025, false],
    [2000 * 1024, 2000, false],
    [4 * 1024 * 1024, WAF_BODY_LIMIT_KB.max, true],
  ])("body limit of %i bytes becomes %i KB (clamped: %s)", (bytes, kb, clamped) => {
    expect(wafBodyLimits(bytes)).toEqual({
      maxRequestBodySizeInKb: kb,
      requestBodyInspectLimitInKB: kb,
      clamped,
    });
  });

  test("rejects nonsense body limits", () => {
    for (const bytes of [0, -1, 1.5, Number.NaN]) expect(() => wafBodyLimits(bytes)).toThrow(RangeError);
  });

  test("the stacks' API Management limits fit the WAF unclamped", () => {
    for (const stack of STACKS) {
      const engine = loadEngineConfig(stackFilePath(stack));
      const parsed = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
      if (!parsed.ok) throw new Error(`stack ${stack} config is invalid`);
      expect(wafBodyLimits(parsed.config.gatewayPolicy.maxRequestBodyBytes).clamped).toBe(false);
    }
  });
});

describe("WAF custom rules", () => {
  test("block every method but the MCP transport's and CORS preflight, before the managed rules", () => {
    const [rule, ...rest] = wafCustomRules(1200);
    expect(rest.map((r) => r.ruleType)).toEqual(["RateLimitRule"]);
    expect(rule).toMatchObject({ ruleType: "MatchRule", action: "Block", state: "Enabled" });
    expect(rule!.name).toMatch(/^[A-Za-z0-9]{1,128}$/);
    expect(rule!.matchConditions).toEqual([
      {
        matchVariables: [{ variableName: "RequestMethod" }],
        operator: "Equal",
        negationConditon: true,
        matchValues: ["GET", "POST", "DELETE", "OPTIONS"],
      },
    ]);
    expect(ALLOWED_METHODS).not.toContain("PUT");
    expect(ALLOWED_METHODS).not.toContain("TRACE");
  });

  test("limit every client address per minute, matching all traffic, grouped by client address", () => {
    const [, limit] = wafCustomRules(1200);
    expect(limit).toEqual({
      name: "RateLimitPerClientAddress",
      priority: 20,
      ruleType: "RateLimitRule",
      action: "Block",
      state: "Enabled",
      rateLimitDuration: "OneMin",
      rateLimitThreshold: 1200,
      groupByUserSession: [{ groupByVariables: [{ variableName: "ClientAddr" }] }],
      matchConditions: [
        {
          matchVariables: [{ variableName: "RemoteAddr" }],
          operator: "IPMatch",
          negationConditon: true,
          matchValues: ["255.255.255.255/32"],
        },
      ],
    });
    expect(wafCustomRules(50)[1]).toMatchObject({ rateLimitThreshold: 50 });
    expect(() => wafCustomRules(0)).toThrow(/positive whole number/);
  });
});

describe("rewrite rules", () => {
  const set = rewriteRuleSet("edge-headers");
  const responseHeaders = set.rewriteRules.flatMap((rule) => rule.actionSet.responseHeaderConfigurations);
  const requestHeaders = set.rewriteRules.flatMap((rule) => rule.actionSet.requestHeaderConfigurations);

  test("delete backend-identifying response headers (empty value = delete)", () => {
    for (const headerName of ["Server", "X-Powered-By"]) {
      expect(responseHeaders).toContainEqual({ headerName, headerValue: "" });
    }
    expect(REMOVED_RESPONSE_HEADERS).toContain("X-AspNet-Version");
  });

  test("add HSTS for a year", () => {
    expect(responseHeaders).toContainEqual({
      headerName: "Strict-Transport-Security",
      headerValue: STRICT_TRANSPORT_SECURITY,
    });
    expect(STRICT_TRANSPORT_SECURITY).toMatch(/^max-age=31536000; includeSubDomains$/);
  });

  test("replace client-supplied forwarding headers", () => {
    expect(requestHeaders).toContainEqual({ headerName: "X-Forwarded-For", headerValue: CLIENT_IP_VARIABLE });
    expect(CLIENT_IP_VARIABLE).toBe("{var_client_ip}");
    expect(requestHeaders).toContainEqual({ headerName: "X-Forwarded-Host", headerValue: "" });
  });

  test("never touch headers Application Gateway cannot rewrite or the MCP transport needs", () => {
    const names = [...responseHeaders, ...requestHeaders].map((header) => header.headerName.toLowerCase());
    for (const forbidden of [
      "connection",
      "upgrade",
      "host",
      "content-type",
      "mcp-session-id",
      "www-authenticate",
      "authorization",
    ]) {
      expect(names).not.toContain(forbidden);
    }
  });

  test("rule sequences are unique and names are valid child names", () => {
    const sequences = set.rewriteRules.map((rule) => rule.ruleSequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    for (const rule of set.rewriteRules) expect(rule.name).toMatch(/^[A-Za-z0-9][\w.-]*$/);
  });
});

describe("edge settings", () => {
  test("come from stack config: one hostname for the public listener and API Management", () => {
    for (const stack of STACKS) {
      const engine = loadEngineConfig(stackFilePath(stack));
      const parsed = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
      if (!parsed.ok) throw new Error(`stack ${stack} config is invalid`);
      const { config } = parsed;
      expect(edgeSettingsFromConfig(config)).toEqual({
        hostname: config.gateway.hostname,
        backendHostname: config.gateway.hostname,
        capacity: { min: config.edge.minCapacity, max: config.edge.maxCapacity },
        zones: config.edge.zones,
        maxRequestBodyBytes: config.gatewayPolicy.maxRequestBodyBytes,
        clientAddressRequestsPerMinute: config.edge.clientAddressRequestsPerMinute,
      });
    }
  });

  test("capacity bounds follow Application Gateway v2 autoscale", () => {
    expect(edgeCapacity(0, 2)).toEqual({ min: 0, max: 2 });
    expect(edgeCapacity(125, 125)).toEqual({ min: 125, max: 125 });
    expect(() => edgeCapacity(5, 4)).toThrow(/must not exceed/);
    expect(() => edgeCapacity(-1, 4)).toThrow(RangeError);
    expect(() => edgeCapacity(0, 1)).toThrow(RangeError);
    expect(() => edgeCapacity(0, 126)).toThrow(RangeError);
  });

  test("backend addresses are IPs or FQDNs", () => {
    expect(backendAddress("10.40.1.4")).toEqual({ ipAddress: "10.40.1.4" });
    expect(backendAddress("MCP.Contoso.com")).toEqual({ fqdn: "mcp.contoso.com" });
    expect(() => backendAddress("https://mcp.contoso.com")).toThrow(RangeError);
    expect(() => backendAddress("10.40.1.256")).toThrow(RangeError);
    expect(() => backendAddresses([])).toThrow(/at least one/);
  });

  test("the certificate reference must be versionless so renewals are picked up", () => {
    const uri = "https://kv-mcpgw-prod-a1b2c.vault.azure.net/secrets/mcp-gateway-tls";
    expect(assertVersionlessSecretUri(uri)).toBe(uri);
    expect(assertVersionlessSecretUri(`${uri}/`)).toBe(`${uri}/`);
    for (const bad of [
      `${uri}/0123456789abcdef0123456789abcdef`,
      "https://kv-mcpgw-prod-a1b2c.vault.azure.net/certificates/mcp-gateway-tls",
      "http://kv-mcpgw-prod-a1b2c.vault.azure.net/secrets/mcp-gateway-tls",
      "https://evil.example.com/secrets/mcp-gateway-tls",
    ]) {
      expect(() => assertVersionlessSecretUri(bad)).toThrow(/versionless/);
    }
  });

  test("constants the docs rely on", () => {
    expect(APIM_HEALTH_PATH).toBe("/status-0123456789abcdef");
    expect(BACKEND_REQUEST_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(240);
    expect(BACKEND_REQUEST_TIMEOUT_SECONDS).toBeLessThanOrEqual(86400);
    for (const name of Object.values(GATEWAY_CHILD_NAMES))
      expect(name).toMatch(/^[A-Za-z0-9](?:[\w.-]{0,78}[\w])?$/);
  });
});
