import { randomUUID } from "node:crypto";
import type * as http from "node:http";

/**
 * The 2026-07-28 side of the local MCP backends: a minimal stateless handler that follows the revision's
 * text (https://modelcontextprotocol.io/specification/2026-07-28), because the SDK in use (1.x) speaks only
 * the legacy revisions. Section names below are the spec's. It serves `server/discover`, `tools/list`,
 * `tools/call` (echoing, like the legacy tools) and the Tasks extension (`tasks/get`, `tasks/update`,
 * `tasks/cancel`), and validates the routing headers itself as a server must ("Server Validation"), so a
 * gateway that forwarded a disagreeing request would be caught by the backend too.
 */

export const MODERN_REVISION = "2026-07-28";
export const META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
export const META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
export const META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";
/** A tool called with this argument `true` by a client that declared the Tasks extension answers with a task. */
export const TASK_ARGUMENT = "asTask";

export interface ModernBackendOptions {
  readonly name: string;
  readonly tools: readonly { readonly name: string }[];
  /** The revisions this backend supports (for `server/discover` and -32022). */
  readonly supportedVersions: readonly string[];
  /** Request headers each tool result echoes (what reached the backend). */
  readonly echoedHeaders: readonly string[];
}

interface Task {
  readonly taskId: string;
  readonly result: unknown;
  status: "working" | "completed" | "cancelled";
}

type Json = Record<string, unknown>;

const NAME_MEMBERS: Readonly<Record<string, string>> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
  "tasks/get": "taskId",
  "tasks/update": "taskId",
  "tasks/cancel": "taskId",
};

/** `Mcp-Name` after "Value Encoding" (`=?base64?...?=`), or undefined when the encoding is broken. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith("=?base64?") && value.endsWith("?=") && value.length >= 11)) return value;
  const bytes = Buffer.from(value.slice(9, -2), "base64");
  const text = bytes.toString("utf8");
  return Buffer.from(text, "utf8").equals(bytes) ? text : undefined;
}

/** True when a request declares a modern revision in its header (the legacy SDK path handles the rest). */
export function isModernRequest(req: http.IncomingMessage): boolean {
  return req.headers["mcp-protocol-version"] === MODERN_REVISION;
}

export function createModernHandler(options: ModernBackendOptions) {
  const tasks = new Map<string, Task>();
  const serverInfo = { name: `local-${options.name}`, version: "1.0.0" };

  function send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }
  const error = (id: unknown, code: number, message: string, data?: unknown) => ({
    jsonrpc: "2.0",
    id: id ?? null,
    error: { code, message, ...(data === undefined ? {} : { data }) },
  });
  const complete = (id: unknown, result: Json) => ({
    jsonrpc: "2.0",
    id,
    result: { resultType: "complete", ...result, _meta: { [META_SERVER_INFO]: serverInfo } },
  });

  function echo(req: http.IncomingMessage, tool: string, args: Json): Json {
    const headers = Object.fromEntries(
      options.echoedHeaders.flatMap((h) => {
        const value = req.headers[h];
        return typeof value === "string" ? [[h, value]] : [];
      }),
    );
    const text = JSON.stringify({ server: options.name, tool, arguments: args, headers });
    return { content: [{ type: "text", text }], isError: false };
  }

  /** "Server Validation": -32020 for a missing or disagreeing header, after decoding `Mcp-Name`. */
  function headerProblem(req: http.IncomingMessage, message: Json): string | undefined {
    const method = message["method"] as string;
    const params = (message["params"] ?? {}) as Json;
    const meta = (params["_meta"] ?? {}) as Json;
    const methodHeader = req.headers["mcp-method"];
    if (methodHeader !== method) return `Mcp-Method ${String(methodHeader)} does not match ${method}`;
    const version = meta[META_PROTOCOL_VERSION];
    if (version !== undefined && version !== req.headers["mcp-protocol-version"])
      return "MCP-Protocol-Version does not match _meta";
    const member = NAME_MEMBERS[method];
    if (member === undefined) return undefined;
    const nameHeader = req.headers["mcp-name"];
    if (typeof nameHeader !== "string") return "Mcp-Name is missing";
    if (decodeHeaderValue(nameHeader) !== params[member]) return "Mcp-Name does not match the body";
    return undefined;
  }

  return function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    // "Backward Compatibility": no GET stream, no session to DELETE on this revision.
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" });
      res.end();
      return;
    }
    let message: Json;
    try {
      message = JSON.parse(raw) as Json;
    } catch {
      send(res, 400, error(null, -32700, "Parse error"));
      return;
    }
    const id = message["id"];
    const method = message["method"];
    if (typeof method !== "string") {
      send(res, 400, error(id, -32600, "Invalid Request"));
      return;
    }
    if (id === undefined) {
      // "Sending Messages": an accepted notification gets 202 without a body.
      res.writeHead(202);
      res.end();
      return;
    }
    const problem = headerProblem(req, message);
    if (problem !== undefined) {
      send(res, 400, error(id, -32020, `Header mismatch: ${problem}`));
      return;
    }
    const params = (message["params"] ?? {}) as Json;
    const meta = (params["_meta"] ?? {}) as Json;
    const version = meta[META_PROTOCOL_VERSION];
    const capabilities = meta[META_CLIENT_CAPABILITIES] as Json | undefined;
    if (typeof version !== "string" || typeof capabilities !== "object" || capabilities === null) {
      send(res, 400, error(id, -32602, "Invalid params: missing _meta protocol fields"));
      return;
    }
    if (!options.supportedVersions.includes(version)) {
      send(
        res,
        400,
        error(id, -32022, "Unsupported protocol version", {
          supported: options.supportedVersions,
          requested: version,
        }),
      );
      return;
    }
    const declaresTasks =
      typeof capabilities["extensions"] === "object" &&
      capabilities["extensions"] !== null &&
      TASKS_EXTENSION in (capabilities["extensions"] as Json);
    switch (method) {
      case "server/discover":
        send(
          res,
          200,
          complete(id, {
            supportedVersions: options.supportedVersions,
            capabilities: { tools: {}, extensions: { [TASKS_EXTENSION]: {} } },
            // Utilities > Caching, "Cacheable Results": server/discover carries the caching hints too.
            ttlMs: 0,
            cacheScope: "private",
          }),
        );
        return;
      case "tools/list":
        send(
          res,
          200,
          complete(id, {
            tools: options.tools.map((tool) => ({
              name: tool.name,
              description: `Local stand-in for ${options.name}/${tool.name}: echoes its arguments and the gateway's headers.`,
              inputSchema: { type: "object" },
            })),
            ttlMs: 0,
            cacheScope: "private",
          }),
        );
        return;
      case "tools/call": {
        const name = params["name"];
        const args = (params["arguments"] ?? {}) as Json;
        if (!options.tools.some((tool) => tool.name === name)) {
          send(res, 200, error(id, -32602, `Unknown tool: ${String(name)}`));
          return;
        }
        const result = echo(req, name as string, args);
        if (declaresTasks && args[TASK_ARGUMENT] === true) {
          // SEP-2663 "Task Creation": durably created before the answer (here: in memory, completed at once).
          const task: Task = { taskId: randomUUID(), result, status: "completed" };
          tasks.set(task.taskId, task);
          const now = new Date().toISOString();
          send(res, 200, {
            jsonrpc: "2.0",
            id,
            result: {
              resultType: "task",
              task: {
                taskId: task.taskId,
                status: "working",
                createdAt: now,
                lastUpdatedAt: now,
                ttlMs: 60_000,
                pollIntervalMs: 100,
              },
            },
          });
          return;
        }
        send(res, 200, complete(id, result));
        return;
      }
      case "tasks/get":
      case "tasks/update":
      case "tasks/cancel": {
        // SEP-2663 "Error Handling": -32602 for an unknown task; -32021 for a client without the extension.
        if (!declaresTasks) {
          send(
            res,
            400,
            error(id, -32021, "Missing required client capability", {
              requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
            }),
          );
          return;
        }
        const task = tasks.get(String(params["taskId"]));
        if (task === undefined) {
          send(res, 200, error(id, -32602, "Invalid params: unknown task"));
          return;
        }
        if (method === "tasks/cancel" && task.status === "working") task.status = "cancelled";
        if (method !== "tasks/get") {
          send(res, 200, complete(id, {}));
          return;
        }
        send(
          res,
          200,
          complete(id, {
            taskId: task.taskId,
            status: task.status,
            ...(task.status === "completed" ? { result: task.result } : {}),
          }),
        );
        return;
      }
      default:
        // "Protocol Version Header": an unimplemented method is 404 with -32601.
        send(res, 404, error(id, -32601, "Method not found"));
    }
  };
}
