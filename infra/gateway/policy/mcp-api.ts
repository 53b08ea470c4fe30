import { auditTraceMarkup } from "./audit";
import {
  headerAllowlistMarkup,
  headersRemain,
  identityHeadersMarkup,
  responseHeaderCleanupMarkup,
} from "./backend-hygiene";
import { contentSafetyMarkup, managedIdentityMarkup } from "./content-safety";
import {
  assertOnlyExpectedNamedValues,
  joinMarkup,
  markup,
  type Markup,
  NO_MARKUP,
  xmlEscape,
} from "./escape";
import * as x from "./expressions";
import { DECISIONS, HEADER_CHECKS, VARIABLES } from "./expressions";
import { messageReading } from "./message-reading";
import { PRM_OPERATION_NAME } from "./operations";
import { prmResponseMarkup } from "./prm";
import {
  CORS_ORIGIN_VARIABLE,
  corsOriginValue,
  type McpRefusalName,
  mcpRefusals,
  refusalMarkup,
  setHeaderMarkup,
} from "./responses";
import { fillTemplate, loadTemplate, type TemplateValues } from "./template";
import type {
  BackendAuth,
  McpApiPolicyInput,
  McpServerUrls,
  MethodPolicy,
  RateLimit,
  RateLimitsInput,
} from "./types";
import { mcpServerUrls } from "./urls";
import { validateMcpApiPolicyInput } from "./validate";

/** API Management's cache: the external (Redis) one if configured, else the built-in one. */
export const SESSION_CACHING_TYPE = "prefer-external";
export const DEFAULT_BACKEND_TIMEOUT_SECONDS = 120;
/** Seconds in a daily quota period (quota-by-key `renewal-period`). */
export const DAILY_QUOTA_PERIOD_SECONDS = 86_400;
/** The named value holding the session-binding key (a generated Key Vault secret; docs/gateway.md, step 6). */
export const SESSION_KEY_NAMED_VALUE = "mcp-session-key";
/** Methods a server allows besides `tools/call` and the lifecycle, when its config names none. */
export const DEFAULT_METHODS: readonly MethodPolicy[] = [{ name: "tools/list", roles: [] }];
/** Per client address, before authentication, when the config sets no limit of its own. */
export const DEFAULT_PER_CLIENT_ADDRESS_LIMIT: RateLimit = { calls: 600, renewalPeriodSeconds: 60 };
/** API Management's limit on one policy document. */
export const MAX_POLICY_DOCUMENT_BYTES = 256 * 1024;

/**
 * Renders the API-scope policy of one MCP server's API (upload with format `xml`). Pure: the same
 * input always gives the same document. Throws on input that cannot be rendered safely.
 */
export function renderMcpApiPolicy(input: McpApiPolicyInput): string {
  validateMcpApiPolicyInput(input);
  const urls = mcpServerUrls(input);
  const r = refusals(urls, input.allowedOrigins, input.supportedProtocolVersions);
  const xml = fillTemplate(loadTemplate("mcp-api.policy.xml"), {
    isMetadataOperation: x.isOperation(PRM_OPERATION_NAME),
    metadataResponse: prmResponseMarkup(input),
    ...auditContextValues(input.serverName),
    cors: corsMarkup(input.allowedOrigins),
    corsOrigin:
      input.allowedOrigins.length === 0
        ? NO_MARKUP
        : markup(
            `<set-variable name="${CORS_ORIGIN_VARIABLE}" value="${xmlEscape(corsOriginValue(input.allowedOrigins))}" />`,
          ),
    ...transportValues(input, r),
    ...tokenValues(input, urls, r),
    ...decisionValues(input, r),
    ...sessionValues(input, r),
    ...rateLimitValues(input.serverName, input.rateLimits),
    contentSafety: contentSafetyMarkup(
      input.contentSafety,
      input.managedIdentityClientId,
      input.allowedOrigins,
    ),
    headerAllowlist: headerAllowlistMarkup(),
    headersRemain: headersRemain(),
    tooManyHeaders: r.tooManyHeaders,
    identityHeaders: identityHeadersMarkup(),
    toolListFilter: toolListFilterMarkup(),
    responseHeaderCleanup: responseHeaderCleanupMarkup(),
    backendRoute: backendRouteMarkup(input.backendId),
    backendCredential: credentialFromBackendEntity(input)
      ? NO_MARKUP
      : backendCredentialMarkup(input.backend, input.managedIdentityClientId),
    forwardedEvent: auditTraceMarkup({ event: "mcp.request" }),
    backendTimeoutSeconds: input.backendTimeoutSeconds ?? DEFAULT_BACKEND_TIMEOUT_SECONDS,
    backendRejectedGateway: x.backendRejectedGateway(),
    badGateway: r.badGateway,
    ...onErrorValues(input.rateLimits, r, input.allowedOrigins),
  });
  assertOnlyExpectedNamedValues(xml, referencedNamedValues(input));
  const bytes = Buffer.byteLength(xml, "utf8");
  if (bytes > MAX_POLICY_DOCUMENT_BYTES) {
    throw new Error(
      `the policy for ${input.serverName} is ${bytes} bytes, over API Management's 256 KiB limit (too many tools?)`,
    );
  }
  return xml;
}

/**
 * API Management named values the rendered policy references (`{{name}}`). With a Backend entity, an
 * `apiKey` backend's named value is referenced by the entity's credentials instead (see `backendId`).
 */
export function referencedNamedValues(input: Pick<McpApiPolicyInput, "backend" | "backendId">): string[] {
  const key = [SESSION_KEY_NAMED_VALUE];
  if (input.backend.kind !== "apiKey" || credentialFromBackendEntity(input)) return key;
  return [...key, input.backend.namedValueName];
}

/** An `apiKey` routed to a Backend entity gets its key header from the entity's credentials. */
function credentialFromBackendEntity(input: Pick<McpApiPolicyInput, "backend" | "backendId">): boolean {
  return input.backendId !== undefined && input.backend.kind === "apiKey";
}

/** `set-backend-service` to the server's Backend entity, so its URL and TLS validation apply. */
export function backendRouteMarkup(backendId: string | undefined): Markup {
  if (backendId === undefined) return NO_MARKUP;
  return markup(`<set-backend-service backend-id="${xmlEscape(backendId)}" />`);
}

export function corsMarkup(allowedOrigins: readonly string[]): Markup {
  if (allowedOrigins.length === 0) return NO_MARKUP;
  const origins = markup(allowedOrigins.map((origin) => `<origin>${xmlEscape(origin)}</origin>`).join("\n"));
  return markup(fillTemplate(loadTemplate("cors.xml"), { origins }).trimEnd());
}

/** What the audit events need that no step computes: the server, the hashed session and the client IP. */
function auditContextValues(serverName: string): TemplateValues {
  return {
    auditServer: serverName,
    auditSessionHash: x.auditSessionHash(),
    auditClientIp: x.auditClientIp(),
    auditProtocolVersion: x.auditProtocolVersion(),
    isModern: x.isModernRequest(),
  };
}

type Refusals = Record<McpRefusalName, Markup>;

function refusals(
  urls: McpServerUrls,
  allowedOrigins: readonly string[],
  supportedProtocolVersions: readonly string[],
): Refusals {
  const specs = mcpRefusals(urls, supportedProtocolVersions);
  const entries = Object.entries(specs).map(
    ([name, spec]) => [name, refusalMarkup(spec, allowedOrigins)] as const,
  );
  return Object.fromEntries(entries) as Refusals;
}

function transportValues(input: McpApiPolicyInput, r: Refusals): TemplateValues {
  return {
    originRejected: x.originRejected(input.allowedOrigins),
    forbiddenOrigin: r.forbiddenOrigin,
    protocolVersionRejected: x.protocolVersionRejected(input.supportedProtocolVersions),
    unsupportedProtocolVersion: r.unsupportedProtocolVersion,
    bodylessOnModern: x.bodylessOnModern(),
    bodylessNotAllowed: r.bodylessNotAllowed,
    headerCheck: x.headerCheck(),
    headerCheckMismatch: x.headerCheckIs(HEADER_CHECKS.mismatch),
    headerMismatch: r.headerMismatch,
    headerCheckMetaMissing: x.headerCheckIs(HEADER_CHECKS.metaMissing),
    metaMissing: r.metaMissing,
    headerCheckResponse: x.headerCheckIs(HEADER_CHECKS.response),
    declaredLengthTooLarge: x.declaredLengthTooLarge(input.maxRequestBodyBytes),
    payloadTooLarge: r.payloadTooLarge,
    postWithoutJson: x.postWithoutJson(),
    unsupportedMediaType: r.unsupportedMediaType,
    requestBody: x.requestBody(),
    messageReading: messageReading(VARIABLES.body),
    envelopeKind: x.envelopeKind(),
    bodyTooLarge: x.bodyTooLarge(input.maxRequestBodyBytes),
    envelopeUnparsable: x.envelopeIs("parse-error"),
    parseError: r.parseError,
    envelopeInvalid: `@(${["invalid", "ambiguous"].map((kind) => `(string)context.Variables["${VARIABLES.envelope}"] == "${kind}"`).join(" || ")})`,
    invalidRequest: r.invalidRequest,
    rpcMethod: x.rpcMethod(),
    toolName: x.toolName(),
    auditMethod: x.auditMethod(),
    auditTool: x.auditTool(),
  };
}

function tokenValues(input: McpApiPolicyInput, urls: McpServerUrls, r: Refusals): TemplateValues {
  const backendIds = input.backendApplicationIds ?? [];
  return {
    tenantId: input.tenantId,
    clientApplicationIds: elementList("application-id", input.allowedClientAppIds),
    backendApplicationIds:
      backendIds.length === 0
        ? NO_MARKUP
        : markup(
            [
              "<backend-application-ids>",
              indent(elementList("application-id", backendIds).xml),
              "</backend-application-ids>",
            ].join("\n"),
          ),
    audiences: elementList("audience", audiences(input, urls)),
    oid: x.oid(),
    clientAppId: x.clientAppId(),
    oidMissing: x.oidMissing(),
    tokenWithoutOid: r.tokenWithoutOid,
    scopeMissing: x.scopeMissing(input.scopeValue),
    insufficientScope: r.insufficientScope,
  };
}

/** v2 access tokens carry the API's client ID in `aud`; the identifier URI is accepted too. */
export function audiences(input: Pick<McpApiPolicyInput, "apiClientId">, urls: McpServerUrls): string[] {
  return [input.apiClientId, urls.resourceUrl];
}

function decisionValues(input: McpApiPolicyInput, r: Refusals): TemplateValues {
  return {
    callableTools: x.callableTools(input.tools),
    requestDecision: x.requestDecision(input.tools, input.methods ?? DEFAULT_METHODS),
    methodNotFoundOnModern: x.methodNotFoundOnModern(),
    methodNotFoundResponse: r.methodNotFound,
    methodNotAllowed: x.decisionIs(DECISIONS.methodNotAllowed),
    methodNotAllowedResponse: r.methodNotAllowed,
    taskRefused: x.decisionIs(DECISIONS.taskRefused),
    taskNotSupported: r.taskNotSupported,
    toolUnknown: x.decisionIs(DECISIONS.unknownTool),
    unknownTool: r.unknownTool,
    roleMissing: x.decisionIs(DECISIONS.roleMissing),
    insufficientRole: r.insufficientRole,
    isTaskRequest: x.isVerifiedTask(),
    taskVerified: x.taskVerified(input.serverName, SESSION_KEY_NAMED_VALUE),
    taskUnverified: x.taskUnverified(),
    taskUnbound: r.taskUnbound,
    taskBodyForBackend: x.taskBodyForBackend(),
    taskBackendIdValue: x.taskBackendIdValue(),
    modernRequest: x.modernIs(true),
    isTaskAnswer: x.isTaskAnswer(),
    signedTaskAnswer: x.signedTaskAnswer(input.serverName, SESSION_KEY_NAMED_VALUE),
  };
}

/** Outbound: the `tools/list` answer lists only the tools the caller may call. */
function toolListFilterMarkup(): Markup {
  return markup(
    [
      "<choose>",
      `  <when condition="${xmlEscape(x.isSuccessfulToolList())}">`,
      `    <set-body>${xmlEscape(x.filteredToolList())}</set-body>`,
      "  </when>",
      "</choose>",
    ].join("\n"),
  );
}

function sessionValues(input: McpApiPolicyInput, r: Refusals): TemplateValues {
  return {
    sessionIdHeader: x.sessionIdHeader(),
    sessionIdMalformed: x.sessionIdMalformed(),
    malformedSession: r.malformedSession,
    sessionPresent: x.sessionPresent(),
    sessionClaimed: x.sessionClaimed(),
    sessionVerified: x.sessionVerified(input.serverName, SESSION_KEY_NAMED_VALUE),
    sessionSignatureInvalid: x.sessionSignatureInvalid(),
    sessionClaimedKey: x.sessionCacheKey(input.serverName, VARIABLES.sessionClaimed),
    sessionBackendIdValue: x.sessionBackendIdValue(),
    sessionBackendKey: x.sessionCacheKey(input.serverName, VARIABLES.sessionBackendId),
    sessionSigned: x.sessionSigned(input.serverName, SESSION_KEY_NAMED_VALUE),
    cachingType: SESSION_CACHING_TYPE,
    unknownSession: r.unknownSession,
    sessionForeign: x.sessionForeign(),
    foreignSession: r.foreignSession,
    sessionToBind: x.sessionToBind(),
    sessionEnded: x.sessionEnded(),
    sessionIssued: x.sessionIssued(),
    sessionRebound: x.sessionRebound(),
    sessionBindPresent: x.sessionBindPresent(),
    sessionBindKey: x.sessionCacheKey(input.serverName, VARIABLES.sessionBind),
    oidValue: x.oidValue(),
    sessionTtlSeconds: input.sessionTtlSeconds,
  };
}

/** Counter keys name the server so each API keeps its own counters (one counter per key value). */
export function rateLimitKeys(serverName: string) {
  return {
    perAddress: x.counterKey(`mcp-rl:${serverName}:address`, [VARIABLES.auditClientIp]),
    perUser: x.counterKey(`mcp-rl:${serverName}:user`, [VARIABLES.oid]),
    perSession: x.counterKey(`mcp-rl:${serverName}:session`, [VARIABLES.oid, VARIABLES.sessionBackendId]),
    perTool: x.counterKey(`mcp-rl:${serverName}:tool`, [VARIABLES.oid, VARIABLES.toolName]),
    dailyQuota: x.counterKey(`mcp-quota:${serverName}:user`, [VARIABLES.oid]),
  };
}

function rateLimitValues(serverName: string, limits: RateLimitsInput): TemplateValues {
  const keys = rateLimitKeys(serverName);
  const perAddress = limits.perClientAddress ?? DEFAULT_PER_CLIENT_ADDRESS_LIMIT;
  return {
    perAddressCalls: perAddress.calls,
    perAddressPeriod: perAddress.renewalPeriodSeconds,
    perAddressKey: keys.perAddress,
    perUserCalls: limits.perUser.calls,
    perUserPeriod: limits.perUser.renewalPeriodSeconds,
    perUserKey: keys.perUser,
    perSessionCalls: limits.perUserSession.calls,
    perSessionPeriod: limits.perUserSession.renewalPeriodSeconds,
    perSessionKey: keys.perSession,
    isToolCall: x.isToolCall(),
    perToolCalls: limits.perUserTool.calls,
    perToolPeriod: limits.perUserTool.renewalPeriodSeconds,
    perToolKey: keys.perTool,
    dailyQuota: dailyQuotaMarkup(limits.dailyQuotaPerUser, keys.dailyQuota),
  };
}

function dailyQuotaMarkup(calls: number | undefined, counterKey: string): Markup {
  if (calls === undefined) return NO_MARKUP;
  return markup(
    `<quota-by-key calls="${calls}" renewal-period="${DAILY_QUOTA_PERIOD_SECONDS}" counter-key="${xmlEscape(counterKey)}" />`,
  );
}

/** The gateway's own credential for the backend: a managed-identity token, or a key from a named value. */
export function backendCredentialMarkup(backend: BackendAuth, managedIdentityClientId?: string): Markup {
  if (backend.kind === "managedIdentity")
    return managedIdentityMarkup(backend.audience, managedIdentityClientId);
  return setHeaderMarkup({ name: backend.headerName, value: `{{${backend.namedValueName}}}` });
}

function onErrorValues(
  limits: RateLimitsInput,
  r: Refusals,
  allowedOrigins: readonly string[],
): TemplateValues {
  const longestWindow = Math.max(
    (limits.perClientAddress ?? DEFAULT_PER_CLIENT_ADDRESS_LIMIT).renewalPeriodSeconds,
    limits.perUser.renewalPeriodSeconds,
    limits.perUserSession.renewalPeriodSeconds,
    limits.perUserTool.renewalPeriodSeconds,
  );
  const tooManyRequests = {
    status: 429,
    reason: "Too Many Requests",
    rpcCode: -32029,
    message: "Too many requests",
  };
  const rateLimitedDenial = { reason: "rate_limited" } as const;
  const quotaDenial = { reason: "quota_exceeded" } as const;
  return {
    authenticationFailedWithToken: x.authenticationFailedWithToken(),
    invalidTokenChallenge: r.invalidToken,
    authenticationFailed: x.authenticationFailed(),
    unauthorized: r.unauthorized,
    rateLimited: x.rateLimited(),
    tooManyRequests: refusalMarkup(
      {
        ...tooManyRequests,
        headers: [{ name: "Retry-After", value: x.retryAfterFromResponse(longestWindow) }],
        denial: rateLimitedDenial,
      },
      allowedOrigins,
    ),
    quotaExceeded: x.lastErrorReasonIs("QuotaExceeded"),
    quotaExhausted: refusalMarkup(
      {
        ...tooManyRequests,
        message: "Daily quota exceeded",
        headers: [{ name: "Retry-After", value: x.retryAfterUntilUtcMidnight() }],
        denial: quotaDenial,
      },
      allowedOrigins,
    ),
    backendTimedOut: x.lastErrorReasonIs("Timeout"),
    gatewayTimeout: r.gatewayTimeout,
    backendUnreachable: x.lastErrorReasonIs("BackendConnectionFailure"),
    backendUnavailable: r.badGateway,
    internalError: r.internalError,
  };
}

function elementList(element: string, values: readonly string[]): Markup {
  return joinMarkup(values.map((value) => markup(`<${element}>${xmlEscape(value)}</${element}>`)));
}

function indent(xml: string): string {
  return xml
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
