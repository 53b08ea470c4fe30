import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { header, type HttpResponse } from "./http";
import type { CheckContext } from "./types";

export { LATEST_PROTOCOL_VERSION };

export const CLIENT_INFO = { name: "mcp-conformance", version: "1.0.0" } as const;

/** A session opened with the official SDK client: the happy path every negative probe builds on. */
export interface McpSession {
  readonly client: Client;
  readonly sessionId: string | undefined;
  readonly protocolVersion: string;
  /** Terminates the session (DELETE) and closes the client; never throws. */
  close(): Promise<void>;
}

/** Adds the bearer token to each request, so the token lives nowhere in the SDK's state. */
function withBearer(fetch: FetchLike, token: string): FetchLike {
  return (url, init) => {
    const headers = new Headers(init?.headers);
    headers.set("authorization", `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
}

export async function openSession(ctx: CheckContext, token: string): Promise<McpSession> {
  const transport = new StreamableHTTPClientTransport(ctx.options.url, {
    fetch: withBearer(ctx.http.fetch, token),
    // A gateway that refuses the optional GET stream must not make the client retry in the background.
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
    },
  });
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  client.onerror = () => undefined;
  await client.connect(transport, { timeout: ctx.options.timeoutMs });
  return {
    client,
    sessionId: transport.sessionId,
    protocolVersion: transport.protocolVersion ?? LATEST_PROTOCOL_VERSION,
    async close() {
      try {
        if (transport.sessionId !== undefined) await transport.terminateSession();
      } catch {
        // Best effort: the session expires on its own.
      }
      await client.close().catch(() => undefined);
    },
  };
}

/** Opens a session, runs `body`, and closes the session whatever happens. */
export async function withSession<T>(
  ctx: CheckContext,
  token: string,
  body: (session: McpSession) => Promise<T>,
): Promise<T> {
  const session = await openSession(ctx, token);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

let nextId = 1;
export function requestId(): string {
  return `conformance-${nextId++}`;
}

export function initializeMessage(): Record<string, unknown> {
  return {
    jsonrpc: "2.0",
    id: requestId(),
    method: "initialize",
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
  };
}

export function toolCallMessage(
  name: string,
  args: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return { jsonrpc: "2.0", id: requestId(), method: "tools/call", params: { name, arguments: args } };
}

export function pingMessage(params?: Record<string, unknown>): Record<string, unknown> {
  return { jsonrpc: "2.0", id: requestId(), method: "ping", ...(params ? { params } : {}) };
}

export interface RawPost {
  readonly token?: string;
  readonly sessionId?: string;
  readonly protocolVersion?: string;
  /** A message to serialise, or a raw body sent as is. */
  readonly message?: unknown;
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** One Streamable HTTP POST, built by hand so that the probe controls every header and byte. */
export function rawPost(ctx: CheckContext, post: RawPost): Promise<HttpResponse> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  if (post.token !== undefined) headers["authorization"] = `Bearer ${post.token}`;
  if (post.sessionId !== undefined) headers["mcp-session-id"] = post.sessionId;
  if (post.protocolVersion !== undefined) headers["mcp-protocol-version"] = post.protocolVersion;
  Object.assign(headers, post.headers);
  return ctx.http.request({
    method: "POST",
    url: ctx.options.url,
    headers,
    body: post.rawBody ?? JSON.stringify(post.message),
    timeoutMs: post.timeoutMs,
  });
}

/** A POST within `session`: its session ID and negotiated protocol version. */
export function postInSession(
  ctx: CheckContext,
  token: string,
  session: McpSession,
  post: Omit<RawPost, "token" | "sessionId" | "protocolVersion"> & { protocolVersion?: string },
): Promise<HttpResponse> {
  return rawPost(ctx, {
    ...post,
    token,
    sessionId: session.sessionId,
    protocolVersion: post.protocolVersion ?? session.protocolVersion,
  });
}

/** Ends a session opened by a raw initialize; errors are irrelevant to the checks. */
export async function deleteSession(ctx: CheckContext, token: string, res: HttpResponse): Promise<void> {
  const sessionId = header(res, "mcp-session-id");
  if (sessionId === undefined) return;
  await ctx.http
    .request({
      method: "DELETE",
      url: ctx.options.url,
      headers: { authorization: `Bearer ${token}`, "mcp-session-id": sessionId },
    })
    .catch(() => undefined);
}

export interface SseEvent {
  readonly at: number;
  readonly event?: string;
  readonly id?: string;
  readonly data: string;
}

/**
 * Splits a streamed body into SSE events, stamping each with the arrival time of the chunk that
 * completed it: buffered responses complete every event in the same chunk.
 */
export function sseEvents(res: HttpResponse): SseEvent[] {
  const events: SseEvent[] = [];
  let buffer = "";
  for (const chunk of res.chunks) {
    buffer += chunk.text.replace(/\r\n?/g, "\n");
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields: { event?: string; id?: string; data: string[] } = { data: [] };
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (name === "data") fields.data.push(value);
        else if (name === "event") fields.event = value;
        else if (name === "id") fields.id = value;
      }
      if (fields.data.length > 0 || fields.event !== undefined || fields.id !== undefined) {
        events.push({ at: chunk.at, event: fields.event, id: fields.id, data: fields.data.join("\n") });
      }
      end = buffer.indexOf("\n\n");
    }
  }
  return events;
}

/** The JSON-RPC messages of a response, whether it came as JSON or as an SSE stream. */
export function jsonRpcMessages(res: HttpResponse): unknown[] {
  const type = header(res, "content-type") ?? "";
  const parse = (text: string): unknown[] => {
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? value : [value];
    } catch {
      return [];
    }
  };
  if (type.startsWith("text/event-stream")) {
    return sseEvents(res).flatMap((e) => (e.data.length > 0 ? parse(e.data) : []));
  }
  return parse(res.body);
}

/** A fresh session ID nobody was issued: 128 random bits. */
export function randomSessionId(): string {
  return randomBytes(16).toString("hex");
}

/** `status` plus the start of the body, for failure details. */
export function summarize(res: HttpResponse): string {
  const body = res.body.replace(/\s+/g, " ").trim();
  return body.length === 0
    ? `${res.status}`
    : `${res.status} ${body.slice(0, 160)}${body.length > 160 ? "…" : ""}`;
}
