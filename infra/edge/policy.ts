/**
 * The edge's TLS and WAF policy as pure data (docs/edge.md explains each choice and its source).
 * Shapes match azure-native 3.28 (`network` API 2024-05-01) input types.
 */

/**
 * TLS 1.3 only, gateway-wide. `cipherSuites` is left out on purpose: with CustomV2 the two TLS 1.3
 * suites (TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384) are mandatory and implied, the 2024-05-01
 * cipher enum does not even list them, and every suite the API does accept is a TLS 1.2 suite that a
 * TLSv1_3 minimum would never negotiate. `disabledSslProtocols` belongs to the legacy policy types.
 */
export interface EdgeSslPolicy {
  policyType: "CustomV2";
  minProtocolVersion: "TLSv1_3";
}

export function edgeSslPolicy(): EdgeSslPolicy {
  return { policyType: "CustomV2", minProtocolVersion: "TLSv1_3" };
}

export interface ManagedRuleSet {
  ruleSetType: string;
  ruleSetVersion: string;
}

/**
 * Microsoft's Default Rule Set (OWASP CRS lineage plus Microsoft Threat Intelligence rules) and the
 * bot manager rule set, at the newest versions Azure WAF on Application Gateway supports (managed
 * rule set support policy, Feb 2026: DRS 2.2 is "N", DRS 2.1 "N-1"; Bot Manager 1.1 is current).
 * Changing a version resets any per-rule overrides, so upgrades are deliberate edits here.
 */
export const DEFAULT_RULE_SET: Readonly<ManagedRuleSet> = Object.freeze({
  ruleSetType: "Microsoft_DefaultRuleSet",
  ruleSetVersion: "2.2",
});
export const BOT_MANAGER_RULE_SET: Readonly<ManagedRuleSet> = Object.freeze({
  ruleSetType: "Microsoft_BotManagerRuleSet",
  ruleSetVersion: "1.1",
});

export function wafManagedRuleSets(): ManagedRuleSet[] {
  return [{ ...DEFAULT_RULE_SET }, { ...BOT_MANAGER_RULE_SET }];
}

/** WAF request body limits on Application Gateway v2 with DRS (Azure Application Gateway limits: 8 KB to 2 MB). */
export const WAF_BODY_LIMIT_KB = Object.freeze({ min: 8, max: 2000 });

export interface WafBodyLimits {
  readonly maxRequestBodySizeInKb: number;
  readonly requestBodyInspectLimitInKB: number;
  /** The gateway's own limit did not fit the WAF's range and was clamped (the edge is then the tighter limit). */
  readonly clamped: boolean;
}

/**
 * The WAF's body limits from API Management's (`gatewayPolicy.maxRequestBodyBytes`): the WAF rejects
 * what API Management would reject anyway, one hop earlier, and inspects the whole body it lets through.
 */
export function wafBodyLimits(maxRequestBodyBytes: number): WafBodyLimits {
  if (!Number.isInteger(maxRequestBodyBytes) || maxRequestBodyBytes <= 0) {
    throw new RangeError(
      `maxRequestBodyBytes must be a positive whole number of bytes (got ${maxRequestBodyBytes})`,
    );
  }
  const wanted = Math.ceil(maxRequestBodyBytes / 1024);
  const kb = Math.min(WAF_BODY_LIMIT_KB.max, Math.max(WAF_BODY_LIMIT_KB.min, wanted));
  return { maxRequestBodySizeInKb: kb, requestBodyInspectLimitInKB: kb, clamped: kb !== wanted };
}

/** Request headers whose values never appear in WAF logs: credentials, cookies and session IDs. */
export const WAF_SCRUBBED_REQUEST_HEADERS: readonly string[] = Object.freeze([
  "Authorization",
  "Proxy-Authorization",
  "Cookie",
  "Mcp-Session-Id",
  "Ocp-Apim-Subscription-Key",
]);

export type ScrubbingRule =
  | {
      matchVariable: "RequestHeaderNames";
      selectorMatchOperator: "Equals";
      selector: string;
      state: "Enabled";
    }
  | {
      matchVariable: "RequestCookieNames" | "RequestArgNames" | "RequestPostArgNames" | "RequestJSONArgNames";
      selectorMatchOperator: "EqualsAny";
      state: "Enabled";
    };

/**
 * `policySettings.logScrubbing`: a WAF log record carries the request data a rule matched
 * (AGWFirewallLogs.DetailedData), which can be a token or a tool argument. Named headers are masked,
 * and every cookie, query, form and JSON argument value (`EqualsAny`, which takes no selector). The
 * monitoring component's privacy rules (docs/operations.md) require exactly this set.
 */
export function wafLogScrubbing(): { state: "Enabled"; scrubbingRules: ScrubbingRule[] } {
  return {
    state: "Enabled",
    scrubbingRules: [
      ...WAF_SCRUBBED_REQUEST_HEADERS.map((selector): ScrubbingRule => ({
        matchVariable: "RequestHeaderNames",
        selectorMatchOperator: "Equals",
        selector,
        state: "Enabled",
      })),
      ...(
        ["RequestCookieNames", "RequestArgNames", "RequestPostArgNames", "RequestJSONArgNames"] as const
      ).map((matchVariable): ScrubbingRule => ({
        matchVariable,
        selectorMatchOperator: "EqualsAny",
        state: "Enabled",
      })),
    ],
  };
}

export interface WafPolicySettings {
  state: "Enabled";
  mode: "Prevention";
  requestBodyCheck: true;
  requestBodyEnforcement: true;
  maxRequestBodySizeInKb: number;
  requestBodyInspectLimitInKB: number;
  fileUploadEnforcement: true;
  fileUploadLimitInMb: number;
  logScrubbing: { state: "Enabled"; scrubbingRules: ScrubbingRule[] };
}

/**
 * Prevention mode with body inspection. MCP is JSON-RPC over HTTP: there is no legitimate multipart
 * upload, so the file upload limit is the smallest Azure accepts (1 MB).
 */
export function wafPolicySettings(maxRequestBodyBytes: number): WafPolicySettings {
  const limits = wafBodyLimits(maxRequestBodyBytes);
  return {
    state: "Enabled",
    mode: "Prevention",
    requestBodyCheck: true,
    requestBodyEnforcement: true,
    maxRequestBodySizeInKb: limits.maxRequestBodySizeInKb,
    requestBodyInspectLimitInKB: limits.requestBodyInspectLimitInKB,
    fileUploadEnforcement: true,
    fileUploadLimitInMb: 1,
    logScrubbing: wafLogScrubbing(),
  };
}

/** The HTTP methods of MCP's Streamable HTTP transport (POST/GET/DELETE) plus CORS preflight. */
export const ALLOWED_METHODS: readonly string[] = Object.freeze(["GET", "POST", "DELETE", "OPTIONS"]);

export interface WafMatchCondition {
  matchVariables: { variableName: "RequestMethod" | "RemoteAddr" }[];
  operator: "Equal" | "IPMatch";
  negationConditon: boolean;
  matchValues: string[];
}

export type WafCustomRule =
  | {
      name: string;
      priority: number;
      ruleType: "MatchRule";
      action: "Block";
      state: "Enabled";
      matchConditions: WafMatchCondition[];
    }
  | {
      name: string;
      priority: number;
      ruleType: "RateLimitRule";
      action: "Block";
      state: "Enabled";
      rateLimitDuration: "OneMin";
      rateLimitThreshold: number;
      groupByUserSession: { groupByVariables: { variableName: "ClientAddr" }[] }[];
      matchConditions: WafMatchCondition[];
    };

/**
 * Custom rules run before the managed rule sets: anything but the transport's methods never reaches them,
 * and no client address sends more than `requestsPerMinute` (a flood of bad tokens or session guesses is
 * stopped here, before API Management spends work on it). The rate-limit rule matches every request the way
 * Microsoft's example does (RemoteAddr not in 255.255.255.255/32) and groups by client address:
 * https://learn.microsoft.com/azure/web-application-firewall/ag/rate-limiting-configure
 */
export function wafCustomRules(requestsPerMinute: number): WafCustomRule[] {
  if (!Number.isInteger(requestsPerMinute) || requestsPerMinute < 1) {
    throw new RangeError(`the WAF rate limit must be a positive whole number (got ${requestsPerMinute})`);
  }
  return [
    {
      name: "BlockNonMcpMethods",
      priority: 10,
      ruleType: "MatchRule",
      action: "Block",
      state: "Enabled",
      matchConditions: [
        {
          matchVariables: [{ variableName: "RequestMethod" }],
          operator: "Equal",
          // Sic: the ARM property is spelled `negationConditon`.
          negationConditon: true,
          matchValues: [...ALLOWED_METHODS],
        },
      ],
    },
    {
      name: "RateLimitPerClientAddress",
      priority: 20,
      ruleType: "RateLimitRule",
      action: "Block",
      state: "Enabled",
      rateLimitDuration: "OneMin",
      rateLimitThreshold: requestsPerMinute,
      groupByUserSession: [{ groupByVariables: [{ variableName: "ClientAddr" }] }],
      matchConditions: [
        {
          matchVariables: [{ variableName: "RemoteAddr" }],
          operator: "IPMatch",
          negationConditon: true,
          matchValues: ["255.255.255.255/32"],
        },
      ],
    },
  ];
}
