import { type Denial, deniedTraceMarkup, TOKEN_ERROR_FROM_LAST_ERROR } from "./audit";
import {
  csString,
  csStringArray,
  expr,
  joinMarkup,
  markup,
  type Markup,
  NO_MARKUP,
  xmlEscape,
} from "./escape";
import { header, VARIABLES } from "./expressions";
import { readingPart } from "./message-reading";
import { fillTemplate, loadTemplate } from "./template";
import type { McpServerUrls } from "./types";

/** A response header set on a refusal; `value` is a literal or a policy expression (`@(...)`). */
export interface HeaderSpec {
  readonly name: string;
  readonly value: string;
}

/** A refusal the gateway answers itself: HTTP status plus a generic JSON-RPC error body. */
export interface RefusalSpec {
  readonly status: number;
  readonly reason: string;
  /** JSON-RPC error code (-32700 parse error, -32600 invalid request, -32602 invalid params, -320xx server). */
  readonly rpcCode: number;
  /** Generic, client-facing text: never internal detail. */
  readonly message: string;
  readonly headers?: readonly HeaderSpec[];
  /** Extra members of the error's `data`, as C# `JProperty` expressions (besides `correlationId`). */
  readonly data?: readonly string[];
  /**
   * The `mcp.denied` audit event written just before the answer (nothing after `return-response` runs).
   * `null` only for answers that are not refusals: backend and internal errors (the request was already
   * recorded as `mcp.request`, or failed inside the gateway).
   */
  readonly denial: Denial | null;
}

export function setHeaderMarkup(header: HeaderSpec, existsAction: "override" | "skip" = "override"): Markup {
  return markup(
    [
      `<set-header name="${xmlEscape(header.name)}" exists-action="${existsAction}">`,
      `  <value>${xmlEscape(header.value)}</value>`,
      `</set-header>`,
    ].join("\n"),
  );
}

export function deleteHeaderMarkup(name: string): Markup {
  return markup(`<set-header name="${xmlEscape(name)}" exists-action="delete" />`);
}

/**
 * The `id` of the gateway's own error answers: the request's id when the single reading established one,
 * else `null` (JSON-RPC 2.0 section 5: the body could not be read, was not a valid request, or was a
 * notification; the refusals before the reading see no reading at all). 2026-07-28 SEP-2575: an error
 * answer carries the id of the request it answers, so the client can match it.
 */
export function requestIdToken(): string {
  const id = readingPart(VARIABLES.reading, 8);
  return `(${id}.Length > 0 ? JToken.Parse(${id}) : JValue.CreateNull())`;
}

/**
 * `{"jsonrpc":"2.0","id":..,"error":{"code":..,"message":..,"data":{"correlationId":..}}}` built in the
 * gateway.
 */
export function jsonRpcErrorBody(
  rpcCode: number,
  message: string,
  extraData: readonly string[] = [],
): string {
  const data = `new JObject(${['new JProperty("correlationId", context.RequestId.ToString())', ...extraData].join(", ")})`;
  const error = `new JObject(new JProperty("code", ${rpcCode}), new JProperty("message", ${csString(message)}), new JProperty("data", ${data}))`;
  return expr(
    `new JObject(new JProperty("jsonrpc", "2.0"), new JProperty("id", ${requestIdToken()}), new JProperty("error", ${error})).ToString(Newtonsoft.Json.Formatting.None)`,
  );
}

/** Headers a browser client needs to read the gateway's own answers (exposed the same way as `cors.xml`). */
export const CORS_EXPOSED_HEADERS = ["WWW-Authenticate", "Mcp-Session-Id", "Retry-After", "x-correlation-id"];

/** The variable holding the `Access-Control-Allow-Origin` value of the gateway's own answers. */
export const CORS_ORIGIN_VARIABLE = "mcp-cors-origin";

/**
 * The `Access-Control-Allow-Origin` value of the gateway's own answers, computed once per request (so the
 * origin list is in the document once, not in every refusal): the request's origin when it is allowed,
 * otherwise the first allowed origin, which no other browser origin matches.
 */
export function corsOriginValue(allowedOrigins: readonly string[]): string {
  const origin = header("Origin");
  return expr(
    `new HashSet<string>(${csStringArray(allowedOrigins)}, StringComparer.OrdinalIgnoreCase).Contains(${origin}) ? ${origin} : ${csString(allowedOrigins[0] ?? "")}`,
  );
}

/**
 * CORS headers on an answer the gateway builds itself (401, 403, 404, 429, 5xx): whether API Management's
 * `cors` policy decorates `return-response` answers is not documented (MicrosoftDocs/azure-docs#31889), and a
 * browser client must be able to read the 401 challenge. None without allowed origins.
 */
export function corsHeaders(allowedOrigins: readonly string[]): HeaderSpec[] {
  if (allowedOrigins.length === 0) return [];
  return [
    {
      name: "Access-Control-Allow-Origin",
      value: expr(
        `context.Variables.GetValueOrDefault<string>(${csString(CORS_ORIGIN_VARIABLE)}, ${csString(allowedOrigins[0]!)})`,
      ),
    },
    { name: "Access-Control-Expose-Headers", value: CORS_EXPOSED_HEADERS.join(", ") },
    { name: "Vary", value: "Origin" },
  ];
}

/** The audit trace (for refusals) followed by the `return-response`, as sibling elements of one branch. */
export function refusalMarkup(spec: RefusalSpec, allowedOrigins: readonly string[] = []): Markup {
  if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
    throw new Error(`refusal status must be 4xx or 5xx, got ${spec.status}`);
  }
  if (spec.status < 500 && spec.denial === null) {
    throw new Error(`a ${spec.status} refusal must name its audit denial reason`);
  }
  const headers = [...(spec.headers ?? []), ...corsHeaders(allowedOrigins)];
  const response = markup(
    fillTemplate(loadTemplate("error-response.xml"), {
      status: spec.status,
      reason: spec.reason,
      challengeHeaders: headers.length === 0 ? NO_MARKUP : joinMarkup(headers.map((h) => setHeaderMarkup(h))),
      body: jsonRpcErrorBody(spec.rpcCode, spec.message, spec.data),
    }).trimEnd(),
  );
  return spec.denial === null ? response : joinMarkup([deniedTraceMarkup(spec.denial), response]);
}

/** RFC 6750 / RFC 9728 challenge for a missing or rejected token (401). */
export function bearerChallenge(urls: McpServerUrls, invalidToken: boolean): HeaderSpec {
  const error = invalidToken ? 'error="invalid_token", ' : "";
  return {
    name: "WWW-Authenticate",
    value: `Bearer ${error}resource_metadata="${urls.metadataUrl}", scope="${urls.scope}"`,
  };
}

/** RFC 6750 section 3.1 challenge for a valid token that lacks the scope or role (403). */
export function insufficientScopeChallenge(urls: McpServerUrls): HeaderSpec {
  return {
    name: "WWW-Authenticate",
    value: `Bearer error="insufficient_scope", scope="${urls.scope}", resource_metadata="${urls.metadataUrl}"`,
  };
}

/**
 * The refusals the MCP API policy can answer with, by name, so template and docs share one list. Each
 * names its audit reason (docs/operations.md); where the status differs from the reason's usual one, the
 * comment says why.
 */
export function mcpRefusals(urls: McpServerUrls, supportedProtocolVersions: readonly string[] = []) {
  return {
    forbiddenOrigin: {
      status: 403,
      reason: "Forbidden",
      rpcCode: -32000,
      message: "Origin not allowed",
      denial: { reason: "origin_rejected" },
    },
    /**
     * 400 on every revision (2025-11-25 and 2026-07-28 Streamable HTTP, "Protocol Version Header"); the body is
     * 2026-07-28's UnsupportedProtocolVersionError (-32022) naming the supported revisions ("Versioning").
     */
    unsupportedProtocolVersion: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32022,
      message: "Unsupported protocol version",
      data: [
        `new JProperty("supported", new JArray(${supportedProtocolVersions.map((v) => csString(v)).join(", ")}))`,
        `new JProperty("requested", ${header("MCP-Protocol-Version")})`,
      ],
      denial: { reason: "protocol_version" },
    },
    /** 2026-07-28 Streamable HTTP, "Server Validation": headers missing or disagreeing with the body. */
    headerMismatch: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32020,
      message: "Header mismatch",
      denial: { reason: "header_mismatch" },
    },
    /** 2026-07-28 "Base Protocol", `_meta`: a request without the required per-request fields. */
    metaMissing: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32602,
      message: "Invalid params: missing _meta protocol fields",
      denial: { reason: "invalid_jsonrpc" },
    },
    /** 2026-07-28 has no GET stream and no session to DELETE (Streamable HTTP, "Backward Compatibility"). */
    bodylessNotAllowed: {
      status: 405,
      reason: "Method Not Allowed",
      rpcCode: -32600,
      message: "Method not allowed",
      headers: [{ name: "Allow", value: "POST" }],
      denial: { reason: "method_not_allowed" },
    },
    /** Deny by default on 2026-07-28: 404 with -32601 (Streamable HTTP, "Protocol Version Header"). */
    methodNotFound: {
      status: 404,
      reason: "Not Found",
      rpcCode: -32601,
      message: "Method not found",
      denial: { reason: "method_not_allowed" },
    },
    /**
     * A Tasks-extension request whose task ID is not the caller's (another user's, forged or unknown): one
     * answer for all, the extension's -32602 for an invalid or nonexistent taskId (SEP-2663 "Error Handling").
     */
    taskUnbound: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32602,
      message: "Invalid params: unknown task",
      denial: { reason: "task_unbound" },
    },
    payloadTooLarge: {
      status: 413,
      reason: "Payload Too Large",
      rpcCode: -32600,
      message: "Request body too large",
      denial: { reason: "body_too_large" },
    },
    // invalid_jsonrpc covers the wrong Content-Type too (415).
    unsupportedMediaType: {
      status: 415,
      reason: "Unsupported Media Type",
      rpcCode: -32600,
      message: "Content-Type must be application/json",
      denial: { reason: "invalid_jsonrpc" },
    },
    parseError: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32700,
      message: "Parse error",
      denial: { reason: "invalid_jsonrpc" },
    },
    invalidRequest: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32600,
      message: "Invalid Request",
      denial: { reason: "invalid_jsonrpc" },
    },
    /** on-error: validation failed without a token in the request. */
    unauthorized: {
      status: 401,
      reason: "Unauthorized",
      rpcCode: -32001,
      message: "Unauthorized",
      headers: [bearerChallenge(urls, false)],
      denial: { reason: "token_invalid", tokenError: "missing" },
    },
    /** on-error: validate-azure-ad-token refused the token; `tokenError` from `context.LastError.Reason`. */
    invalidToken: {
      status: 401,
      reason: "Unauthorized",
      rpcCode: -32001,
      message: "Unauthorized",
      headers: [bearerChallenge(urls, true)],
      denial: { reason: "token_invalid", tokenError: TOKEN_ERROR_FROM_LAST_ERROR },
    },
    /** inbound: a validated token without `oid` (no user to bind sessions and limits to). */
    tokenWithoutOid: {
      status: 401,
      reason: "Unauthorized",
      rpcCode: -32001,
      message: "Unauthorized",
      headers: [bearerChallenge(urls, true)],
      denial: { reason: "token_invalid", tokenError: "other" },
    },
    insufficientScope: {
      status: 403,
      reason: "Forbidden",
      rpcCode: -32003,
      message: "Forbidden",
      headers: [insufficientScopeChallenge(urls)],
      denial: { reason: "insufficient_scope" },
    },
    /** Deny by default: a method the server does not allow (2025-11-25 "Method not found" code). */
    methodNotAllowed: {
      status: 403,
      reason: "Forbidden",
      rpcCode: -32601,
      message: "Method not allowed",
      denial: { reason: "method_not_allowed" },
    },
    /** A task-augmented request: the gateway cannot bind tasks to their creator on 2025-11-25. */
    taskNotSupported: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32602,
      message: "Task-augmented requests are not supported",
      denial: { reason: "invalid_jsonrpc" },
    },
    /**
     * The token has the scope but not the app role: no `insufficient_scope` challenge, because a step-up
     * re-authorization can never grant an app role and MCP clients would loop.
     */
    insufficientRole: {
      status: 403,
      reason: "Forbidden",
      rpcCode: -32003,
      message: "Forbidden",
      denial: { reason: "missing_role" },
    },
    /** More non-allowlisted request headers than the gateway deletes one by one. */
    tooManyHeaders: {
      status: 431,
      reason: "Request Header Fields Too Large",
      rpcCode: -32600,
      message: "Too many request headers",
      denial: { reason: "headers_rejected" },
    },
    unknownTool: {
      status: 403,
      reason: "Forbidden",
      rpcCode: -32602,
      message: "Unknown tool",
      denial: { reason: "unknown_tool" },
    },
    // A malformed Mcp-Session-Id can name no bound session: logged as session_unknown (status 400).
    malformedSession: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32600,
      message: "Invalid Mcp-Session-Id",
      denial: { reason: "session_unknown" },
    },
    unknownSession: {
      status: 404,
      reason: "Not Found",
      rpcCode: -32001,
      message: "Session not found",
      denial: { reason: "session_unknown" },
    },
    // The same answer as an unknown session, so a caller cannot tell another user's session from none.
    foreignSession: {
      status: 404,
      reason: "Not Found",
      rpcCode: -32001,
      message: "Session not found",
      denial: { reason: "session_owner_mismatch" },
    },
    badGateway: { status: 502, reason: "Bad Gateway", rpcCode: -32603, message: "Bad gateway", denial: null },
    gatewayTimeout: {
      status: 504,
      reason: "Gateway Timeout",
      rpcCode: -32603,
      message: "Gateway timeout",
      denial: null,
    },
    internalError: {
      status: 500,
      reason: "Internal Server Error",
      rpcCode: -32603,
      message: "Internal error",
      denial: null,
    },
  } satisfies Record<string, RefusalSpec>;
}

export type McpRefusalName = keyof ReturnType<typeof mcpRefusals>;
