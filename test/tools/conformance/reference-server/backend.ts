import { randomBytes } from "node:crypto";

/**
 * The MCP server behind the reference gateway: just enough of MCP for the suite. It trusts the
 * gateway entirely (no auth, no allowlist, no session checks), like a backend on a private network.
 */

export type BackendReply =
  | { readonly kind: "json"; readonly body: unknown; readonly sessionId?: string }
  | { readonly kind: "accepted" }
  | { readonly kind: "sse"; readonly events: readonly unknown[]; readonly intervalMs: number };

export interface BackendOptions {
  readonly supportedProtocolVersions: readonly string[];
  readonly predictableSessionIds: boolean;
  /** Time between the events of the slow tool. */
  readonly sseIntervalMs: number;
}

/** The tools the MCP server has; the gateway's allowlist may name fewer. */
export const BACKEND_TOOLS = [
  { name: "echo", description: "Returns its arguments.", inputSchema: { type: "object" } },
  {
    name: "slow_count",
    description: "Counts to `count` (default 5), one event per interval, streamed as SSE.",
    inputSchema: { type: "object", properties: { count: { type: "integer", minimum: 1, maximum: 20 } } },
  },
  { name: "admin_reset", description: "An administrative tool.", inputSchema: { type: "object" } },
  { name: "internal_debug", description: "Never meant to be exposed.", inputSchema: { type: "object" } },
] as const;

type Message = Record<string, unknown>;

const result = (id: unknown, value: unknown): Message => ({ jsonrpc: "2.0", id, result: value });
const error = (id: unknown, code: number, message: string): Message => ({
  jsonrpc: "2.0",
  id,
  error: { code, message },
});

export class MockMcpBackend {
  private counter = 0;

  constructor(private readonly options: BackendOptions) {}

  /** Handles a parsed body; lenient about anything malformed, as the gateway is meant to catch it. */
  handle(body: unknown): BackendReply {
    if (Array.isArray(body)) {
      const replies = body.map((m) => this.handle(m)).filter((r) => r.kind === "json");
      return { kind: "json", body: replies.map((r) => (r.kind === "json" ? r.body : null)) };
    }
    if (typeof body !== "object" || body === null) {
      return { kind: "json", body: error(null, -32700, "Parse error") };
    }
    const message = body as Message;
    const id = message["id"];
    const method = message["method"];
    if (typeof method !== "string") return { kind: "accepted" };
    if (id === undefined) return { kind: "accepted" };
    const params = (message["params"] ?? {}) as Message;
    switch (method) {
      case "initialize": {
        const requested = params["protocolVersion"];
        const version =
          typeof requested === "string" && this.options.supportedProtocolVersions.includes(requested)
            ? requested
            : this.options.supportedProtocolVersions[0];
        const sessionId = this.options.predictableSessionIds
          ? `session-${++this.counter}`
          : randomBytes(16).toString("hex");
        return {
          kind: "json",
          sessionId,
          body: result(id, {
            protocolVersion: version,
            capabilities: { tools: {} },
            serverInfo: { name: "reference-mcp-server", version: "1.0.0" },
          }),
        };
      }
      case "ping":
        return { kind: "json", body: result(id, {}) };
      case "tools/list":
        return { kind: "json", body: result(id, { tools: BACKEND_TOOLS }) };
      case "tools/call":
        return this.callTool(id, params);
      default:
        return { kind: "json", body: error(id, -32601, `Method not found: ${method}`) };
    }
  }

  private callTool(id: unknown, params: Message): BackendReply {
    const name = params["name"];
    const args = (params["arguments"] ?? {}) as Message;
    const text = (t: string): unknown => ({ content: [{ type: "text", text: t }] });
    switch (name) {
      case "echo":
        return { kind: "json", body: result(id, text(JSON.stringify(args))) };
      case "admin_reset":
        return { kind: "json", body: result(id, text("reset done")) };
      case "internal_debug":
        return { kind: "json", body: result(id, text("debug state")) };
      case "slow_count": {
        const count = typeof args["count"] === "number" ? Math.min(20, Math.max(1, args["count"])) : 5;
        const events: unknown[] = Array.from({ length: count }, (_, i) => ({
          jsonrpc: "2.0",
          method: "notifications/message",
          params: { level: "info", data: `count ${i + 1}` },
        }));
        events.push(result(id, text(`counted to ${count}`)));
        return { kind: "sse", events, intervalMs: this.options.sseIntervalMs };
      }
      default:
        return { kind: "json", body: error(id, -32602, `Unknown tool: ${String(name)}`) };
    }
  }
}
