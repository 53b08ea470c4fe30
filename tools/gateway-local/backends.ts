import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { closeServer, type LocalIssuer, verifyManagedIdentityToken } from "./issuer";
import { createModernHandler, isModernRequest, MODERN_REVISION } from "./modern-backend";

/**
 * The local MCP servers behind the local gateway (one per configured server) and the Content Safety
 * stand-in. They are what a real backend would be, plus what tests need to see: every tool echoes its
 * arguments and the gateway-asserted headers it received, and every request is recorded with the kind of
 * credential it carried, so a test can prove that the gateway's managed-identity token arrived and the
 * client's own token did not.
 */

export interface BackendTool {
  readonly name: string;
}

export interface BackendSpec {
  /** The MCP server's name (`docs`). */
  readonly name: string;
  readonly tools: readonly BackendTool[];
  /**
   * How the gateway authenticates to it: the managed-identity token's resource, or an API key header
   * (checked only when the runtime sends it: the contract carries no Backend credentials).
   */
  readonly auth:
    | { readonly kind: "managedIdentity"; readonly audience: string }
    | { readonly kind: "apiKey"; readonly headerName: string; readonly value: string };
  /**
   * Offer the optional standalone GET stream (server-initiated messages), as real MCP servers do (default).
   * `false` answers that GET with 405, which MCP allows.
   */
  readonly serverStream?: boolean;
  /**
   * The MCP revisions it speaks (default: 2026-07-28, 2025-11-25, 2025-06-18): the modern one with the
   * spec-following handler of modern-backend.ts, the legacy ones with the SDK.
   */
  readonly protocolVersions?: readonly string[];
  /** Time between the progress events of a tool called with `count` (SSE streaming). */
  readonly streamIntervalMs?: number;
}

/** What reached a backend, per request (never the token itself). */
export interface BackendRequestRecord {
  readonly server: string;
  readonly method: string;
  /** `managed-identity` (accepted), `client-token` (a user's token: refused), `none`, `invalid`. */
  readonly credential: "managed-identity" | "client-token" | "none" | "invalid";
  readonly detail: string;
}

/** Headers the gateway sets towards the backend, echoed by every tool (the token never is). */
const ECHOED_HEADERS = [
  "x-correlation-id",
  "mcp-protocol-version",
  "mcp-session-id",
  "content-type",
  // Backend hygiene (docs/gateway.md, step 8): what must never arrive, and what the gateway asserts.
  "cookie",
  "x-mcp-caller-oid",
  "x-mcp-caller-app",
  "x-mcp-caller-roles",
  "x-mcp-tool",
  // 2026-07-28 routing headers (what the gateway forwarded after checking them).
  "mcp-method",
  "mcp-name",
];

/** The argument that makes a tool stream: that many `notifications/message` events before its result. */
export const STREAM_COUNT_ARGUMENT = "count";
/** Tool arguments holding this text make the Content Safety stand-in report an attack. */
export const ATTACK_MARKER = "IGNORE ALL PREVIOUS INSTRUCTIONS";

export function classify(
  spec: BackendSpec,
  req: http.IncomingMessage,
  issuer: LocalIssuer,
): Omit<BackendRequestRecord, "server" | "method"> {
  const authorization = req.headers["authorization"];
  const bearer = typeof authorization === "string" ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  if (spec.auth.kind === "apiKey") {
    if (bearer !== undefined)
      return { credential: "client-token", detail: "an Authorization header reached an API-key backend" };
    const key = req.headers[spec.auth.headerName.toLowerCase()];
    if (key !== undefined && key !== spec.auth.value)
      return { credential: "invalid", detail: `wrong ${spec.auth.headerName}` };
    return { credential: "none", detail: key === undefined ? "no API key header" : "API key" };
  }
  if (bearer === undefined) return { credential: "none", detail: "no bearer token" };
  const verdict = verifyManagedIdentityToken(bearer, issuer, spec.auth.audience);
  if (verdict.ok) return { credential: "managed-identity", detail: "the gateway's managed identity" };
  return {
    credential: verdict.reason.includes("passthrough") ? "client-token" : "invalid",
    detail: verdict.reason,
  };
}

function buildServer(spec: BackendSpec): McpServer {
  const server = new McpServer(
    { name: `local-${spec.name}`, version: "1.0.0" },
    { capabilities: { tools: {}, logging: {} } },
  );
  const interval = spec.streamIntervalMs ?? 60;
  for (const tool of spec.tools) {
    server.registerTool(
      tool.name,
      {
        description: `Local stand-in for ${spec.name}/${tool.name}: echoes its arguments and the gateway's headers.`,
        // Open schema: the echo must show whatever arguments the gateway let through.
        inputSchema: z
          .object({ [STREAM_COUNT_ARGUMENT]: z.number().int().min(1).max(20).optional() })
          .loose(),
      },
      async (args, extra) => {
        const count = args[STREAM_COUNT_ARGUMENT];
        for (let i = 1; count !== undefined && i <= count; i++) {
          await extra.sendNotification({
            method: "notifications/message",
            params: { level: "info", data: `${tool.name} progress ${i}/${count}` },
          });
          await new Promise((resolve) => setTimeout(resolve, interval));
        }
        const received = extra.requestInfo?.headers ?? {};
        const headers = Object.fromEntries(
          ECHOED_HEADERS.flatMap((h) => (typeof received[h] === "string" ? [[h, received[h]]] : [])),
        );
        const echo = { server: spec.name, tool: tool.name, arguments: args, headers };
        return { content: [{ type: "text", text: JSON.stringify(echo) }] };
      },
    );
  }
  return server;
}

export interface RunningBackend {
  readonly spec: BackendSpec;
  /** `http://127.0.0.1:<port>`; the MCP endpoint is any path on it (the gateway forwards `<url>/mcp`). */
  readonly url: string;
  readonly requests: readonly BackendRequestRecord[];
  stop(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => resolve(raw));
    req.on("error", reject);
  });
}

function jsonError(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message } }));
}

/**
 * One MCP server (Streamable HTTP, stateful sessions with cryptographically random `Mcp-Session-Id`s,
 * SSE responses as the SDK's transport gives them) that refuses any request without the credential the
 * gateway must add.
 */
export async function startBackend(spec: BackendSpec, issuer: LocalIssuer): Promise<RunningBackend> {
  const requests: BackendRequestRecord[] = [];
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = http.createServer((req, res) => {
    // What a typical Node.js MCP server discloses: the gateway's outbound must strip it.
    res.setHeader("X-Powered-By", "Express");
    // A backend cookie the gateway must not hand to clients (headers.no-leak).
    res.setHeader("Set-Cookie", "backend-affinity=local; Path=/; HttpOnly");
    const record = { server: spec.name, method: req.method ?? "", ...classify(spec, req, issuer) };
    requests.push(record);
    const accepted =
      spec.auth.kind === "managedIdentity"
        ? record.credential === "managed-identity"
        : record.credential === "none";
    if (!accepted) {
      res.writeHead(401, {
        "content-type": "application/json",
        "www-authenticate": 'Bearer error="invalid_token"',
      });
      res.end(JSON.stringify({ error: "invalid_token", detail: record.detail }));
      return;
    }
    void handleMcp(req, res).catch((error: unknown) => {
      if (!res.headersSent) jsonError(res, 500, error instanceof Error ? error.message : String(error));
    });
  });
  const versions = spec.protocolVersions ?? [MODERN_REVISION, "2025-11-25", "2025-06-18"];
  const modern = createModernHandler({
    name: spec.name,
    tools: spec.tools,
    supportedVersions: versions,
    echoedHeaders: ECHOED_HEADERS,
  });
  async function handleMcp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = req.method === "POST" ? await readBody(req) : "";
    if (isModernRequest(req) && versions.includes(MODERN_REVISION)) {
      modern(req, res, raw);
      return;
    }
    let parsedBody: unknown = undefined;
    if (req.method === "POST") {
      try {
        parsedBody = JSON.parse(raw);
      } catch {
        return jsonError(res, 400, "Parse error");
      }
    }
    if (req.method === "GET" && spec.serverStream === false) {
      res.writeHead(405, { allow: "POST, DELETE" });
      res.end();
      return;
    }
    // Lenient on MCP-Protocol-Version, as an external MCP server may be: the gateway must refuse unsupported
    // versions itself (transport.protocol-version), so the SDK's own check must not do it for the gateway.
    const version = req.headers["mcp-protocol-version"];
    if (typeof version === "string" && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      delete req.headers["mcp-protocol-version"];
      // The SDK's Node transport builds its Request from rawHeaders (name, value, name, value, ...).
      const raw = req.rawHeaders;
      for (let i = raw.length - 2; i >= 0; i -= 2) {
        if (raw[i]?.toLowerCase() === "mcp-protocol-version") raw.splice(i, 2);
      }
    }
    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const transport = sessions.get(sessionId);
      if (transport === undefined) return jsonError(res, 404, "Session not found");
      return transport.handleRequest(req, res, parsedBody);
    }
    if ((parsedBody as { method?: unknown } | undefined)?.method === "server/discover") {
      // A dual-era client's probe on the legacy path: the SDK (1.x, legacy only) answers it as any legacy
      // server does, "Method not found", from a stateless transport (no session is created for a probe).
      const probe = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await buildServer(spec).connect(probe);
      await probe.handleRequest(req, res, parsedBody);
      return;
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await buildServer(spec).connect(transport);
    await transport.handleRequest(req, res, parsedBody);
  }
  const url = await listen(server);
  return {
    spec,
    url,
    requests,
    async stop() {
      await Promise.all([...sessions.values()].map((t) => t.close()));
      await closeServer(server);
    },
  };
}

export interface RunningContentSafety {
  readonly url: string;
  /** Prompts screened, with the verdict given. */
  readonly screened: readonly { readonly attack: boolean }[];
  stop(): Promise<void>;
}

export const SHIELD_PROMPT_PATH = "/contentsafety/text:shieldPrompt";
export const SHIELD_PROMPT_API_VERSION = "2024-09-01";
export const COGNITIVE_SERVICES_RESOURCE = "https://cognitiveservices.azure.com";

/**
 * Azure AI Content Safety's Prompt Shields, reduced to what the gateway calls:
 * `POST /contentsafety/text:shieldPrompt?api-version=2024-09-01` with `{ userPrompt }`, answering
 * `{ userPromptAnalysis: { attackDetected }, documentsAnalysis: [] }`; it requires the gateway's managed
 * identity token for Cognitive Services, as the real account (local auth disabled) does.
 */
export async function startContentSafety(issuer: LocalIssuer): Promise<RunningContentSafety> {
  const screened: { attack: boolean }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || url.pathname !== SHIELD_PROMPT_PATH) {
      send(404, { error: { code: "NotFound", message: `${req.method ?? ""} ${url.pathname}` } });
      return;
    }
    if (url.searchParams.get("api-version") !== SHIELD_PROMPT_API_VERSION) {
      send(400, {
        error: { code: "InvalidRequest", message: `api-version must be ${SHIELD_PROMPT_API_VERSION}` },
      });
      return;
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers["authorization"] ?? "")?.[1];
    const verdict =
      bearer === undefined
        ? undefined
        : verifyManagedIdentityToken(bearer, issuer, COGNITIVE_SERVICES_RESOURCE);
    if (verdict === undefined || !verdict.ok) {
      send(401, { error: { code: "PermissionDenied", message: verdict?.reason ?? "no bearer token" } });
      return;
    }
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (raw += d));
    req.on("end", () => {
      let prompt: unknown;
      try {
        prompt = (JSON.parse(raw) as { userPrompt?: unknown }).userPrompt;
      } catch {
        prompt = undefined;
      }
      if (typeof prompt !== "string") {
        send(400, { error: { code: "InvalidRequest", message: "userPrompt must be a string" } });
        return;
      }
      const attack = prompt.includes(ATTACK_MARKER);
      screened.push({ attack });
      send(200, { userPromptAnalysis: { attackDetected: attack }, documentsAnalysis: [] });
    });
  });
  const url = await listen(server);
  return { url, screened, stop: () => closeServer(server) };
}
