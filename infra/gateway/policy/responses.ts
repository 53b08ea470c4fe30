import { csString, expr, joinMarkup, markup, type Markup, NO_MARKUP, xmlEscape } from "./escape";
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

/** `{"jsonrpc":"2.0","error":{"code":..,"message":..,"data":{"correlationId":..}}}` built in the gateway. */
export function jsonRpcErrorBody(rpcCode: number, message: string): string {
  const data = `new JObject(new JProperty("correlationId", context.RequestId.ToString()))`;
  const error = `new JObject(new JProperty("code", ${rpcCode}), new JProperty("message", ${csString(message)}), new JProperty("data", ${data}))`;
  return expr(
    `new JObject(new JProperty("jsonrpc", "2.0"), new JProperty("error", ${error})).ToString(Newtonsoft.Json.Formatting.None)`,
  );
}

export function refusalMarkup(spec: RefusalSpec): Markup {
  if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
    throw new Error(`refusal status must be 4xx or 5xx, got ${spec.status}`);
  }
  const headers = spec.headers ?? [];
  return markup(
    fillTemplate(loadTemplate("error-response.xml"), {
      status: spec.status,
      reason: spec.reason,
      challengeHeaders: headers.length === 0 ? NO_MARKUP : joinMarkup(headers.map((h) => setHeaderMarkup(h))),
      body: jsonRpcErrorBody(spec.rpcCode, spec.message),
    }).trimEnd(),
  );
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

/** The refusals the MCP API policy can answer with, by name, so template and docs share one list. */
export function mcpRefusals(urls: McpServerUrls) {
  return {
    forbiddenOrigin: { status: 403, reason: "Forbidden", rpcCode: -32000, message: "Origin not allowed" },
    unsupportedProtocolVersion: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32600,
      message: "Unsupported MCP-Protocol-Version",
    },
    payloadTooLarge: {
      status: 413,
      reason: "Payload Too Large",
      rpcCode: -32600,
      message: "Request body too large",
    },
    unsupportedMediaType: {
      status: 415,
      reason: "Unsupported Media Type",
      rpcCode: -32600,
      message: "Content-Type must be application/json",
    },
    parseError: { status: 400, reason: "Bad Request", rpcCode: -32700, message: "Parse error" },
    invalidRequest: { status: 400, reason: "Bad Request", rpcCode: -32600, message: "Invalid Request" },
    unauthorized: {
      status: 401,
      reason: "Unauthorized",
      rpcCode: -32001,
      message: "Unauthorized",
      headers: [bearerChallenge(urls, false)],
    },
    invalidToken: {
      status: 401,
      reason: "Unauthorized",
      rpcCode: -32001,
      message: "Unauthorized",
      headers: [bearerChallenge(urls, true)],
    },
    insufficientScope: {
      status: 403,
      reason: "Forbidden",
      rpcCode: -32003,
      message: "Forbidden",
      headers: [insufficientScopeChallenge(urls)],
    },
    unknownTool: { status: 403, reason: "Forbidden", rpcCode: -32602, message: "Unknown tool" },
    malformedSession: {
      status: 400,
      reason: "Bad Request",
      rpcCode: -32600,
      message: "Invalid Mcp-Session-Id",
    },
    unknownSession: { status: 404, reason: "Not Found", rpcCode: -32001, message: "Session not found" },
    foreignSession: { status: 403, reason: "Forbidden", rpcCode: -32003, message: "Forbidden" },
    badGateway: { status: 502, reason: "Bad Gateway", rpcCode: -32603, message: "Bad gateway" },
    gatewayTimeout: { status: 504, reason: "Gateway Timeout", rpcCode: -32603, message: "Gateway timeout" },
    internalError: {
      status: 500,
      reason: "Internal Server Error",
      rpcCode: -32603,
      message: "Internal error",
    },
  } satisfies Record<string, RefusalSpec>;
}

export type McpRefusalName = keyof ReturnType<typeof mcpRefusals>;
