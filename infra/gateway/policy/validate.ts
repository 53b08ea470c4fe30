import type { ContentSafetyInput, McpApiPolicyInput, McpServerIdentity, RateLimit } from "./types";

/**
 * Structural checks on renderer input. The stack config schema already enforces the product rules;
 * these guard the renderer's own invariants: values that land in XML-only positions (attributes, header
 * values) must have the expected shape, and nothing may smuggle in API Management syntax (`{{...}}`
 * named values, `@` expressions) that escaping cannot neutralise. Free-form values such as tool names,
 * roles and origins are allowed any characters: they are escaped, never trusted.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SERVER_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const SCOPE_VALUE = /^[A-Za-z][A-Za-z0-9._-]{0,119}$/;
const PROTOCOL_VERSION = /^\d{4}-\d{2}-\d{2}$/;
const ORIGIN = /^https?:\/\/[^\s/]+$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
const NAMED_VALUE = /^[A-Za-z0-9._-]{1,256}$/;
/** API Management entity IDs (backends): letters, digits and '-', at most 80 characters. */
const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,79}$/;
const AUDIENCE = /^[^\s"'<>&{}@][^\s"'<>&{}]*$/;
const HTTPS_ENDPOINT = /^https:\/\/[a-z0-9.-]+(:\d{1,5})?\/?$/;
const MAX_RENEWAL_PERIOD_SECONDS = 300;
const MAX_BACKEND_TIMEOUT_SECONDS = 240;

export function validateServerIdentity(input: McpServerIdentity): void {
  expectMatch("serverName", input.serverName, SERVER_NAME);
  expectMatch("gatewayHostname", input.gatewayHostname, HOSTNAME);
  expectMatch("tenantId", input.tenantId, GUID);
  expectMatch("scopeValue", input.scopeValue, SCOPE_VALUE);
}

export function validateMcpApiPolicyInput(input: McpApiPolicyInput): void {
  validateServerIdentity(input);
  expectMatch("apiClientId", input.apiClientId, GUID);
  expectNonEmpty("allowedClientAppIds", input.allowedClientAppIds);
  input.allowedClientAppIds.forEach((id, i) => expectMatch(`allowedClientAppIds[${i}]`, id, GUID));
  (input.backendApplicationIds ?? []).forEach((id, i) =>
    expectMatch(`backendApplicationIds[${i}]`, id, GUID),
  );
  validateTools(input);
  input.allowedOrigins.forEach((origin, i) => validateOrigin(`allowedOrigins[${i}]`, origin));
  expectNonEmpty("supportedProtocolVersions", input.supportedProtocolVersions);
  input.supportedProtocolVersions.forEach((v, i) =>
    expectMatch(`supportedProtocolVersions[${i}]`, v, PROTOCOL_VERSION),
  );
  expectPositiveInteger("maxRequestBodyBytes", input.maxRequestBodyBytes);
  expectPositiveInteger("sessionTtlSeconds", input.sessionTtlSeconds);
  validateRateLimits(input);
  validateBackend(input);
  if (input.backendId !== undefined) expectMatch("backendId", input.backendId, ENTITY_ID);
  if (input.resourceName !== undefined) expectFreeText("resourceName", input.resourceName, 200);
  if (input.managedIdentityClientId !== undefined) {
    expectMatch("managedIdentityClientId", input.managedIdentityClientId, GUID);
  }
  if (input.backendTimeoutSeconds !== undefined) {
    expectIntegerInRange(
      "backendTimeoutSeconds",
      input.backendTimeoutSeconds,
      1,
      MAX_BACKEND_TIMEOUT_SECONDS,
    );
  }
  if (input.contentSafety !== undefined) validateContentSafety(input.contentSafety);
}

export function validateContentSafety(input: ContentSafetyInput): void {
  expectMatch("contentSafety.endpoint", input.endpoint, HTTPS_ENDPOINT);
  if (input.failMode !== "closed" && input.failMode !== "open") {
    throw new Error(
      `contentSafety.failMode must be "closed" or "open", got ${JSON.stringify(input.failMode)}`,
    );
  }
  if (input.timeoutSeconds !== undefined)
    expectIntegerInRange("contentSafety.timeoutSeconds", input.timeoutSeconds, 1, 60);
}

function validateTools(input: McpApiPolicyInput): void {
  expectNonEmpty("tools", input.tools);
  const seen = new Set<string>();
  input.tools.forEach((tool, i) => {
    expectFreeText(`tools[${i}].name`, tool.name, 128);
    if (seen.has(tool.name)) throw new Error(`tools[${i}].name ${JSON.stringify(tool.name)} is listed twice`);
    seen.add(tool.name);
    expectNonEmpty(`tools[${i}].roles`, tool.roles);
    tool.roles.forEach((role, j) => expectFreeText(`tools[${i}].roles[${j}]`, role, 120));
  });
}

function validateOrigin(field: string, origin: string): void {
  expectFreeText(field, origin, 2048);
  if (!ORIGIN.test(origin)) {
    throw new Error(
      `${field} must be an origin such as https://app.contoso.com (no path, no wildcard), got ${JSON.stringify(origin)}`,
    );
  }
}

function validateRateLimits(input: McpApiPolicyInput): void {
  const { perUser, perUserSession, perUserTool, dailyQuotaPerUser } = input.rateLimits;
  validateRateLimit("rateLimits.perUser", perUser);
  validateRateLimit("rateLimits.perUserSession", perUserSession);
  validateRateLimit("rateLimits.perUserTool", perUserTool);
  if (dailyQuotaPerUser === undefined) return;
  expectPositiveInteger("rateLimits.dailyQuotaPerUser", dailyQuotaPerUser);
  if (input.gatewayTier === "v2") {
    throw new Error(
      "rateLimits.dailyQuotaPerUser needs quota-by-key, which the v2 tiers do not offer; omit it for a v2 gateway (or use a classic tier)",
    );
  }
}

function validateRateLimit(field: string, limit: RateLimit): void {
  expectPositiveInteger(`${field}.calls`, limit.calls);
  expectIntegerInRange(
    `${field}.renewalPeriodSeconds`,
    limit.renewalPeriodSeconds,
    1,
    MAX_RENEWAL_PERIOD_SECONDS,
  );
}

function validateBackend(input: McpApiPolicyInput): void {
  const backend = input.backend;
  if (backend.kind === "managedIdentity") {
    expectMatch("backend.audience", backend.audience, AUDIENCE);
    return;
  }
  expectMatch("backend.headerName", backend.headerName, HEADER_NAME);
  expectMatch("backend.namedValueName", backend.namedValueName, NAMED_VALUE);
}

function expectMatch(field: string, value: string, pattern: RegExp): void {
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new Error(`${field} has an unexpected form: ${JSON.stringify(value)} (expected ${pattern.source})`);
  }
}

/** Any characters (they are escaped), but no API Management named-value braces, and bounded. */
export function expectFreeText(field: string, value: string, maxLength: number): void {
  if (typeof value !== "string" || value.length === 0 || value.length > maxLength) {
    throw new Error(`${field} must be 1-${maxLength} characters, got ${JSON.stringify(value)}`);
  }
  if (value.includes("{{") || value.includes("}}")) {
    throw new Error(
      `${field} must not contain "{{" or "}}" (API Management named-value syntax): ${JSON.stringify(value)}`,
    );
  }
}

function expectNonEmpty(field: string, values: readonly unknown[]): void {
  if (!Array.isArray(values) || values.length === 0) throw new Error(`${field} must not be empty`);
}

function expectPositiveInteger(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${field} must be a positive whole number, got ${value}`);
}

function expectIntegerInRange(field: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${field} must be a whole number from ${min} to ${max}, got ${value}`);
  }
}
