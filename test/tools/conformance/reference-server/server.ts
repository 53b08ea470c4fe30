import type { IncomingMessage, ServerResponse } from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { type BackendReply, MockMcpBackend } from "./backend";
import type { BreakSwitch } from "./breaks";
import type { TestCertificate } from "./certificate";
import { type TestIssuer, validateToken } from "./tokens";

/**
 * A loopback double of the API Management gateway in front of one MCP server, following the gateway
 * policy (infra/gateway/policy/mcp-api.policy.xml, docs/gateway.md) step by step:
 *   1. metadata (RFC 9728) at both paths, public;
 *   2. Origin allowlist (403), MCP-Protocol-Version (400), Content-Type (415), body size (413), JSON
 *      (400, -32700), a single JSON-RPC 2.0 message (400, -32600);
 *   3. token: signature, issuer, audience, lifetime (401 + challenge, generic body), `scp` (403);
 *   4. tools/call: allowlist (403, -32602), app roles (403 with a JSON-RPC error, no challenge);
 *   5. session binding <oid>:<session>: malformed 400, unknown 404, another user's 404 too;
 *   6. rate limits per user, session and tool, keyed on oid (429 + Retry-After);
 *   8. the MCP server, SSE streamed as it comes; HSTS, nosniff, no-store on every answer, no Server
 *      or X-Powered-By. TLS 1.3 only.
 * Each `breaks` switch gets one of these wrong.
 */

export interface ToolRule {
  readonly name: string;
  /** App roles (`roles` claim) of which the caller needs one. */
  readonly roles: readonly string[];
}

export interface ReferenceServerOptions {
  readonly certificate: TestCertificate;
  readonly issuer: TestIssuer;
  readonly breaks?: readonly BreakSwitch[];
  /** URL path segment of the MCP server: the endpoint is /<serverName>/mcp. */
  readonly serverName?: string;
  /** Client ID of the API app, the other audience Entra v2 tokens carry. */
  readonly apiClientId?: string;
  readonly scopeValue?: string;
  readonly tools?: readonly ToolRule[];
  readonly allowedOrigins?: readonly string[];
  readonly supportedProtocolVersions?: readonly string[];
  readonly maxRequestBodyBytes?: number;
  readonly rateLimit?: { readonly calls: number; readonly windowMs: number };
  readonly sessionTtlMs?: number;
  readonly sseIntervalMs?: number;
}

export interface ReferenceServer {
  /** The MCP endpoint, https://127.0.0.1:<port>/<server>/mcp: also the resource and token audience. */
  readonly url: URL;
  readonly apiClientId: string;
  /** The RFC 9728 metadata URL the 401 challenge names (path-suffixed form). */
  readonly metadataUrl: string;
  readonly scope: string;
  close(): Promise<void>;
}

export const DEFAULT_TOOLS: readonly ToolRule[] = [
  { name: "echo", roles: ["MCP.Tools.Read"] },
  { name: "slow_count", roles: ["MCP.Tools.Read"] },
  { name: "admin_reset", roles: ["MCP.Admin"] },
];

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

/** Public, credential-free metadata: cacheable and readable by browser clients (prm-response.xml). */
const METADATA_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "public, max-age=3600",
  "access-control-allow-origin": "*",
};

const LEAKY_HEADERS: Readonly<Record<string, string>> = {
  server: "Microsoft-IIS/10.0",
  "x-powered-by": "ASP.NET",
  "x-aspnet-version": "4.0.30319",
};

const LEAKY_DIAGNOSTIC =
  "\n   at Microsoft.IdentityModel.Tokens.Validators.ValidateToken(String token)" +
  "\n   at Gateway.Policies.ValidateAzureAdToken.Execute() in /src/gateway/Policies.cs:line 212";

type Message = Record<string, unknown>;

interface Binding {
  readonly oid: string;
  expiresAt: number;
}

export function startReferenceServer(options: ReferenceServerOptions): Promise<ReferenceServer> {
  const broken = new Set<BreakSwitch>(options.breaks ?? []);
  const serverName = options.serverName ?? "docs";
  const apiClientId = options.apiClientId ?? "6f0c2c39-3a59-4e5b-9d25-0b6a3c8f1e42";
  const tools = options.tools ?? DEFAULT_TOOLS;
  const allowedOrigins = options.allowedOrigins ?? ["https://vscode.dev"];
  const versions = options.supportedProtocolVersions ?? ["2025-11-25", "2025-06-18", "2025-03-26"];
  const maxBody = options.maxRequestBodyBytes ?? 65_536;
  const rateLimit = options.rateLimit ?? { calls: 90, windowMs: 60_000 };
  const sessionTtlMs = options.sessionTtlMs ?? 3_600_000;
  const scopeValue = options.scopeValue ?? "user_impersonation";
  const backend = new MockMcpBackend({
    supportedProtocolVersions: versions,
    predictableSessionIds: broken.has("predictableSessionIds"),
    sseIntervalMs: options.sseIntervalMs ?? 150,
  });
  /** Session ID → binding; the gateway's cache key is `<oid>:<session>`. */
  const sessions = new Map<string, Binding>();
  const counters = new Map<string, { count: number; resetAt: number }>();

  // Filled in once the port is known.
  let origin = "";
  let endpointPath = "";
  let resource = "";
  let metadataUrl = "";
  let scope = "";

  const metadataDocument = (forResource: string): Message => ({
    resource: forResource,
    authorization_servers: [options.issuer.issuer],
    scopes_supported: [scope],
    bearer_methods_supported: ["header"],
    resource_name: serverName,
  });

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
    });
    res.end(text);
  };

  const rpcError = (id: unknown, code: number, message: string): Message => ({
    jsonrpc: "2.0",
    ...(id === undefined ? {} : { id }),
    error: { code, message },
  });

  const challenge = (params: Record<string, string>): string =>
    "Bearer " +
    Object.entries(params)
      .map(([k, v]) => `${k}="${v.replace(/["\\]/g, "\\$&")}"`)
      .join(", ");

  const unauthorized = (res: ServerResponse, error: string | undefined, diagnostic: string): void => {
    const params: Record<string, string> = {};
    if (error !== undefined) params["error"] = error;
    params["resource_metadata"] = metadataUrl;
    if (!broken.has("challengeWithoutScope")) params["scope"] = scope;
    const body = broken.has("leakErrorDetail")
      ? { statusCode: 401, message: `${diagnostic}${LEAKY_DIAGNOSTIC}` }
      : { statusCode: 401, message: "Unauthorized. Access token is missing or invalid." };
    sendJson(res, 401, body, { "www-authenticate": challenge(params) });
  };

  const readBody = (req: IncomingMessage): Promise<Buffer | "too large"> =>
    new Promise((resolve, reject) => {
      const limit = broken.has("noBodyLimit") ? Number.POSITIVE_INFINITY : maxBody;
      if (Number(req.headers["content-length"] ?? 0) > limit) {
        // Drain rather than reset: the client gets to read the 413.
        req.resume();
        resolve("too large");
        return;
      }
      const parts: Buffer[] = [];
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limit) parts.push(chunk);
      });
      req.on("end", () => resolve(size > limit ? "too large" : Buffer.concat(parts)));
      req.on("error", reject);
    });

  const isSingleMessage = (value: unknown): value is Message => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const m = value as Message;
    if (m["jsonrpc"] !== "2.0") return false;
    if (typeof m["method"] === "string")
      return m["id"] === undefined || ["string", "number"].includes(typeof m["id"]);
    return m["id"] !== undefined && ("result" in m || "error" in m);
  };

  const reply = async (res: ServerResponse, answer: BackendReply): Promise<void> => {
    if (answer.kind === "accepted") {
      res.writeHead(202);
      res.end();
      return;
    }
    if (answer.kind === "json") {
      sendJson(
        res,
        200,
        answer.body,
        answer.sessionId === undefined ? {} : { "mcp-session-id": answer.sessionId },
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.socket?.setNoDelay(true);
    const frames = answer.events.map(
      (e, i) => `id: ${i + 1}\nevent: message\ndata: ${JSON.stringify(e)}\n\n`,
    );
    const buffered: string[] = [];
    for (const [i, frame] of frames.entries()) {
      if (i > 0) await new Promise((r) => setTimeout(r, answer.intervalMs));
      if (res.destroyed) return;
      if (broken.has("bufferSse")) buffered.push(frame);
      else res.write(frame);
    }
    res.end(buffered.join(""));
  };

  const insufficientScope = (res: ServerResponse, description: string): void =>
    sendJson(res, 403, rpcError(undefined, -32001, "Forbidden"), {
      "www-authenticate": challenge({
        error: "insufficient_scope",
        scope,
        resource_metadata: metadataUrl,
        error_description: description,
      }),
    });

  const handleMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? "";
    if (!["GET", "POST", "DELETE"].includes(method)) {
      sendJson(res, 405, rpcError(undefined, -32000, "Method not allowed"), { allow: "GET, POST, DELETE" });
      return;
    }

    // Step 2: transport checks, before any token work.
    const requestOrigin = req.headers.origin;
    if (
      requestOrigin !== undefined &&
      !broken.has("allowAnyOrigin") &&
      !allowedOrigins.includes(requestOrigin)
    ) {
      sendJson(res, 403, rpcError(undefined, -32000, "Forbidden: origin not allowed"));
      return;
    }
    const version = req.headers["mcp-protocol-version"];
    if (
      version !== undefined &&
      !broken.has("ignoreProtocolVersion") &&
      !versions.includes(String(version))
    ) {
      // 2026-07-28's UnsupportedProtocolVersionError: -32022 naming the supported revisions.
      sendJson(res, 400, {
        ...rpcError(undefined, -32022, "Unsupported protocol version"),
        error: {
          code: -32022,
          message: "Unsupported protocol version",
          data: { supported: versions, requested: String(version) },
        },
      });
      return;
    }
    let message: Message | undefined;
    let parsed: unknown;
    if (method === "POST") {
      const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
      if (contentType !== "application/json" && !broken.has("noEnvelopeCheck")) {
        req.resume();
        sendJson(res, 415, rpcError(undefined, -32600, "Content-Type must be application/json"));
        return;
      }
      const body = await readBody(req);
      if (body === "too large") {
        sendJson(res, 413, rpcError(undefined, -32600, "Request body too large"), { connection: "close" });
        return;
      }
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        parsed = undefined;
        if (!broken.has("noEnvelopeCheck")) {
          sendJson(res, 400, rpcError(undefined, -32700, "Parse error"));
          return;
        }
      }
      if (isSingleMessage(parsed)) message = parsed;
      else if (!broken.has("noEnvelopeCheck")) {
        sendJson(res, 400, rpcError(undefined, -32600, "Invalid Request"));
        return;
      }
    }

    // Step 3: the token, for this resource, with the delegated scope.
    const authorization = req.headers.authorization ?? "";
    const match = /^Bearer ([^\s]+)$/i.exec(authorization);
    if (match?.[1] === undefined) {
      unauthorized(res, undefined, "IDX10000: The parameter 'token' cannot be a 'null' or an empty object.");
      return;
    }
    const validation = validateToken(match[1], {
      jwks: options.issuer.jwks,
      issuer: options.issuer.issuer,
      audiences: [resource, apiClientId],
      checkSignature: !broken.has("skipSignatureCheck"),
      checkAudience: !broken.has("acceptAnyAudience"),
      checkLifetime: !broken.has("ignoreExpiry"),
    });
    if (!validation.ok || broken.has("rejectValidTokens")) {
      unauthorized(
        res,
        "invalid_token",
        validation.ok ? "IDX10500: Signature validation failed." : validation.diagnostic,
      );
      return;
    }
    if (!broken.has("ignoreTenantClaim") && validation.claims["tid"] !== options.issuer.tenantId) {
      unauthorized(res, "invalid_token", "IDX10000: The claim 'tid' does not match.");
      return;
    }
    const oid = String(validation.claims["oid"]);
    const scp = String(validation.claims["scp"] ?? "").split(" ");
    if (!scp.includes(scopeValue) && !broken.has("ignoreScope")) {
      insufficientScope(res, `The token lacks the scope ${scopeValue}`);
      return;
    }
    const roles = Array.isArray(validation.claims["roles"]) ? validation.claims["roles"].map(String) : [];

    // Step 4: tools/call only for allowlisted tools, and only with one of the tool's roles.
    let toolName: string | undefined;
    if (message?.["method"] === "tools/call") {
      const params = (message["params"] ?? {}) as Message;
      toolName = String(params["name"]);
      const rule = tools.find((t) => t.name === toolName);
      if (rule === undefined && !broken.has("noToolAllowlist")) {
        sendJson(res, 403, rpcError(undefined, -32602, "Unknown tool"));
        return;
      }
      if (
        rule !== undefined &&
        !broken.has("ignoreToolRoles") &&
        !rule.roles.some((r) => roles.includes(r))
      ) {
        // Roles are not scopes: no step-up challenge (a re-authorization cannot grant an app role).
        sendJson(res, 403, rpcError(undefined, -32003, "Forbidden"));
        return;
      }
    }

    // Step 5: a session ID is honoured only for the user it was issued to.
    const sessionHeader = req.headers["mcp-session-id"];
    const sessionId = typeof sessionHeader === "string" ? sessionHeader : undefined;
    if (sessionId !== undefined) {
      if (!/^[\x21-\x7e]{1,1024}$/.test(sessionId)) {
        sendJson(res, 400, rpcError(undefined, -32600, "Malformed Mcp-Session-Id"));
        return;
      }
      const binding = sessions.get(sessionId);
      const live = binding !== undefined && binding.expiresAt > Date.now();
      if (!live && !broken.has("acceptUnknownSession")) {
        sendJson(res, 404, rpcError(undefined, -32001, "Session not found"));
        return;
      }
      if (live && binding.oid !== oid && !broken.has("ignoreSessionOwner")) {
        // The same answer as an unknown session, so session IDs cannot be probed.
        sendJson(res, 404, rpcError(undefined, -32001, "Session not found"));
        return;
      }
    }

    // Step 6: limits keyed on the validated oid (per user; per session and per tool likewise).
    if (!broken.has("noRateLimit")) {
      const keys = [`user:${oid}`];
      if (sessionId !== undefined) keys.push(`session:${oid}:${sessionId}`);
      if (toolName !== undefined) keys.push(`tool:${oid}:${toolName}`);
      const now = Date.now();
      for (const key of keys) {
        let counter = counters.get(key);
        if (counter === undefined || counter.resetAt <= now) {
          counter = { count: 0, resetAt: now + rateLimit.windowMs };
          counters.set(key, counter);
        }
        counter.count++;
        if (counter.count > rateLimit.calls) {
          const retryAfter = String(Math.max(1, Math.ceil((counter.resetAt - now) / 1000)));
          sendJson(
            res,
            429,
            rpcError(undefined, -32000, "Too many requests"),
            broken.has("noRetryAfter") ? {} : { "retry-after": retryAfter },
          );
          return;
        }
      }
    }

    // Steps 7-8: the MCP server, then the session binding from the response's headers only.
    if (method === "GET") {
      // This MCP server offers no server-initiated stream; MCP allows 405 here.
      sendJson(res, 405, rpcError(undefined, -32000, "Method not allowed"), { allow: "POST, DELETE" });
      return;
    }
    if (method === "DELETE") {
      if (sessionId !== undefined) sessions.delete(sessionId);
      res.writeHead(204);
      res.end();
      return;
    }
    const answer = backend.handle(message ?? parsed);
    const bind = answer.kind === "json" && answer.sessionId !== undefined ? answer.sessionId : sessionId;
    if (bind !== undefined) sessions.set(bind, { oid, expiresAt: Date.now() + sessionTtlMs });
    await reply(res, answer);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!broken.has("noSecurityHeaders")) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    }
    if (broken.has("leakServerHeaders")) {
      for (const [name, value] of Object.entries(LEAKY_HEADERS)) res.setHeader(name, value);
    }
    const path = new URL(req.url ?? "/", origin).pathname;
    if (path === `/.well-known/oauth-protected-resource${endpointPath}` && req.method === "GET") {
      sendJson(res, 200, metadataDocument(resource), METADATA_HEADERS);
    } else if (path === `${endpointPath}/.well-known/oauth-protected-resource` && req.method === "GET") {
      const forResource = broken.has("prmInconsistent") ? `${origin}/weather/mcp` : resource;
      sendJson(res, 200, metadataDocument(forResource), METADATA_HEADERS);
    } else if (path === endpointPath) {
      await handleMcp(req, res);
    } else {
      req.resume();
      sendJson(res, 404, { statusCode: 404, message: "Resource not found" });
    }
  };

  const server = https.createServer(
    {
      key: options.certificate.key,
      cert: options.certificate.cert,
      minVersion: broken.has("allowTls12") ? "TLSv1.2" : "TLSv1.3",
    },
    (req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { statusCode: 500, message: "Internal server error" });
        else res.destroy();
      });
    },
  );

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      origin = `https://127.0.0.1:${port}`;
      endpointPath = `/${serverName}/mcp`;
      resource = `${origin}${endpointPath}`;
      metadataUrl = `${origin}/.well-known/oauth-protected-resource${endpointPath}`;
      scope = `${resource}/${scopeValue}`;
      resolve({
        url: new URL(resource),
        apiClientId,
        metadataUrl,
        scope,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
