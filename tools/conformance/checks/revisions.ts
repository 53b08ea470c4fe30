import { header, type HttpResponse } from "../http";
import { CLIENT_INFO, jsonRpcMessages, randomSessionId, rawPost, requestId, summarize } from "../mcp";
import { type Check, type CheckContext, fail, skip, verdict } from "../types";
import { echoedHeaders, rpcErrorCode } from "./hardening";

/**
 * Checks of MCP revision 2026-07-28 at the gateway (docs/gateway.md, "Protocol revisions"), each citing the
 * section it holds the gateway to (https://modelcontextprotocol.io/specification/2026-07-28/...), and the
 * legacy probe of a dual-era client. A refusal counts only when it is the gateway's own (its error `data`
 * carries the correlation ID): a backend that validates the headers too must not hide a gateway that does not.
 */

export const MODERN_REVISION = "2026-07-28";
export const LEGACY_REVISION = "2025-11-25";
const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";
/** The local backends answer a tool called with this argument (and the Tasks extension declared) with a task. */
export const TASK_ARGUMENT = "asTask";

interface ModernMessage {
  readonly id: string | number;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** A 2026-07-28 request: the required `_meta` fields ("Base Protocol", "Per-request protocol fields"). */
export function modernMessage(
  method: string,
  params: Record<string, unknown> = {},
  options: { tasks?: boolean; meta?: Record<string, unknown> } = {},
): ModernMessage {
  const capabilities = options.tasks === true ? { extensions: { [TASKS_EXTENSION]: {} } } : {};
  return {
    id: requestId(),
    method,
    params: {
      ...params,
      _meta: options.meta ?? {
        "io.modelcontextprotocol/protocolVersion": MODERN_REVISION,
        "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
        "io.modelcontextprotocol/clientCapabilities": capabilities,
      },
    },
  };
}

/** The routing headers a conforming client sends ("Standard Request Headers"); `null` leaves one out. */
function routingHeaders(
  message: ModernMessage,
  overrides: Readonly<Record<string, string | null>>,
): Record<string, string> {
  const named = message.params["name"] ?? message.params["uri"] ?? message.params["taskId"];
  const headers: Record<string, string | null> = {
    "mcp-protocol-version": MODERN_REVISION,
    "mcp-method": message.method,
    ...(typeof named === "string" ? { "mcp-name": named } : {}),
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

export function modernPost(
  ctx: CheckContext,
  token: string,
  message: ModernMessage,
  overrides: Readonly<Record<string, string | null>> = {},
): Promise<HttpResponse> {
  return rawPost(ctx, {
    token,
    message: { jsonrpc: "2.0", ...message },
    headers: routingHeaders(message, overrides),
  });
}

function firstMessage(res: HttpResponse): Record<string, unknown> | undefined {
  return jsonRpcMessages(res)[0] as Record<string, unknown> | undefined;
}

function result(res: HttpResponse): Record<string, unknown> | undefined {
  return firstMessage(res)?.["result"] as Record<string, unknown> | undefined;
}

/** The gateway's own refusal: its JSON-RPC error carries the correlation ID in `data`. */
function gatewayRefusal(res: HttpResponse, status: number, code: number): boolean {
  const error = firstMessage(res)?.["error"] as { data?: { correlationId?: unknown } } | undefined;
  return (
    res.status === status && rpcErrorCode(res) === code && typeof error?.data?.correlationId === "string"
  );
}

/** A tool the caller may call, from a 2026-07-28 tools/list (undefined when it lists none). */
async function callableTool(ctx: CheckContext, token: string): Promise<string | undefined> {
  const res = await modernPost(ctx, token, modernMessage("tools/list"));
  const tools = (result(res)?.["tools"] ?? []) as { name?: unknown }[];
  const name = tools.map((tool) => tool.name).find((n) => typeof n === "string");
  return ctx.options.echoTool ?? (typeof name === "string" ? name : undefined);
}

export const modernLifecycleCheck: Check = {
  id: "modern.lifecycle",
  title: "2026-07-28: server/discover, tools/list and tools/call succeed without initialize or session",
  seedControls: ["2"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const problems: string[] = [];
    const discover = await modernPost(ctx, token, modernMessage("server/discover"));
    const versions = result(discover)?.["supportedVersions"];
    if (discover.status !== 200 || !Array.isArray(versions) || !versions.includes(MODERN_REVISION))
      problems.push(`server/discover: expected 200 listing ${MODERN_REVISION}, got ${summarize(discover)}`);
    const list = await modernPost(ctx, token, modernMessage("tools/list"));
    const tools = (result(list)?.["tools"] ?? []) as { name?: unknown }[];
    if (list.status !== 200 || tools.length === 0)
      problems.push(`tools/list: expected 200 with tools, got ${summarize(list)}`);
    const tool = ctx.options.echoTool ?? (tools[0]?.name as string | undefined);
    if (tool === undefined) return fail(problems.join("; ") || "no tool to call");
    const call = await modernPost(ctx, token, modernMessage("tools/call", { name: tool, arguments: {} }));
    if (call.status !== 200 || result(call)?.["content"] === undefined)
      problems.push(`tools/call ${tool}: expected 200 with content, got ${summarize(call)}`);
    for (const res of [discover, list, call]) {
      if (header(res, "mcp-session-id") !== undefined)
        problems.push("a 2026-07-28 answer carries Mcp-Session-Id (the revision has no sessions)");
    }
    return verdict(
      problems,
      `server/discover, tools/list (${tools.length}), tools/call ${tool}: 200, no session`,
    );
  },
};

export const modernHeaderMismatchCheck: Check = {
  id: "modern.header-mismatch",
  title: "2026-07-28: routing headers that disagree with the body: 400 -32020 from the gateway",
  seedControls: ["10"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const tool = await callableTool(ctx, token);
    if (tool === undefined) return skip("the caller may call no tool");
    const without = ctx.options.toolWithoutRole?.name;
    const other = without !== undefined && without !== tool ? without : ctx.options.unknownTool;
    const call = () => modernMessage("tools/call", { name: tool, arguments: {} });
    const hidden = () => modernMessage("tools/call", { name: other, arguments: {} });
    const probes: [string, ModernMessage, Record<string, string | null>][] = [
      ["Mcp-Method tools/list on a tools/call", hidden(), { "mcp-method": "tools/list" }],
      [`Mcp-Name ${tool} on a call of ${other}`, hidden(), { "mcp-name": tool }],
      [
        "MCP-Protocol-Version 2026-07-28 with _meta 2025-11-25",
        modernMessage(
          "tools/call",
          { name: tool, arguments: {} },
          {
            meta: {
              "io.modelcontextprotocol/protocolVersion": LEGACY_REVISION,
              "io.modelcontextprotocol/clientCapabilities": {},
            },
          },
        ),
        {},
      ],
      [
        "base64 Mcp-Name of another tool",
        call(),
        { "mcp-name": `=?base64?${Buffer.from(other).toString("base64")}?=` },
      ],
    ];
    const problems: string[] = [];
    for (const [label, message, overrides] of probes) {
      const res = await modernPost(ctx, token, message, overrides);
      if (!gatewayRefusal(res, 400, -32020))
        problems.push(`${label}: expected the gateway's 400 -32020, got ${summarize(res)}`);
    }
    const control = await modernPost(ctx, token, call(), {
      "mcp-name": `=?base64?${Buffer.from(tool).toString("base64")}?=`,
    });
    if (control.status !== 200) problems.push(`control (base64 Mcp-Name ${tool}): ${summarize(control)}`);
    return verdict(
      problems,
      `${probes.length} disagreements refused with 400 -32020; base64 Mcp-Name served`,
    );
  },
};

export const modernHeaderMissingCheck: Check = {
  id: "modern.header-missing",
  title: "2026-07-28: a missing routing header (-32020) or _meta field (-32602): 400 from the gateway",
  seedControls: ["10"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const tool = (await callableTool(ctx, token)) ?? ctx.options.unknownTool;
    const call = () => modernMessage("tools/call", { name: tool, arguments: {} });
    const problems: string[] = [];
    const missingMethod = await modernPost(ctx, token, call(), { "mcp-method": null });
    if (!gatewayRefusal(missingMethod, 400, -32020))
      problems.push(`no Mcp-Method: expected the gateway's 400 -32020, got ${summarize(missingMethod)}`);
    const missingName = await modernPost(ctx, token, call(), { "mcp-name": null });
    if (!gatewayRefusal(missingName, 400, -32020))
      problems.push(`tools/call without Mcp-Name: expected 400 -32020, got ${summarize(missingName)}`);
    const noMeta = await modernPost(
      ctx,
      token,
      modernMessage("tools/call", { name: tool, arguments: {} }, { meta: {} }),
    );
    if (!gatewayRefusal(noMeta, 400, -32602))
      problems.push(`_meta without protocolVersion: expected 400 -32602, got ${summarize(noMeta)}`);
    return verdict(problems, "no Mcp-Method 400 -32020, no Mcp-Name 400 -32020, no _meta 400 -32602");
  },
};

export const modernTaskBindingCheck: Check = {
  id: "modern.task-binding",
  title: "2026-07-28 Tasks: a task is served to its creator only; Mcp-Name must equal the taskId",
  seedControls: ["2", "8"],
  needs: ["token", "secondUserToken"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const other = ctx.options.tokens.secondUserToken ?? "";
    const tool = await callableTool(ctx, token);
    if (tool === undefined) return skip("the caller may call no tool");
    const created = await modernPost(
      ctx,
      token,
      modernMessage("tools/call", { name: tool, arguments: { [TASK_ARGUMENT]: true } }, { tasks: true }),
    );
    const task = result(created)?.["task"] as { taskId?: unknown } | undefined;
    if (result(created)?.["resultType"] !== "task" || typeof task?.taskId !== "string")
      return skip(`tools/call ${tool} created no task (${summarize(created)})`);
    const taskId = task.taskId;
    const get = (id: string) => modernMessage("tasks/get", { taskId: id }, { tasks: true });
    const problems: string[] = [];
    const own = await modernPost(ctx, token, get(taskId));
    if (own.status !== 200 || result(own)?.["taskId"] !== taskId)
      problems.push(`the creator's tasks/get: expected 200 with the same taskId, got ${summarize(own)}`);
    const foreign = await modernPost(ctx, other, get(taskId));
    if (!gatewayRefusal(foreign, 400, -32602))
      problems.push(`another user's tasks/get: expected the gateway's 400 -32602, got ${summarize(foreign)}`);
    const cancel = await modernPost(ctx, other, modernMessage("tasks/cancel", { taskId }, { tasks: true }));
    if (!gatewayRefusal(cancel, 400, -32602))
      problems.push(`another user's tasks/cancel: expected 400 -32602, got ${summarize(cancel)}`);
    const bare = taskId.slice(0, Math.max(0, taskId.lastIndexOf(".")));
    const unsigned = await modernPost(ctx, token, get(bare.length > 0 ? bare : `${taskId}x`));
    if (!gatewayRefusal(unsigned, 400, -32602))
      problems.push(`the backend's own task ID: expected 400 -32602, got ${summarize(unsigned)}`);
    const renamed = await modernPost(ctx, token, get(taskId), { "mcp-name": `${taskId}x` });
    if (!gatewayRefusal(renamed, 400, -32020))
      problems.push(`Mcp-Name other than the taskId: expected 400 -32020, got ${summarize(renamed)}`);
    return verdict(
      problems,
      "creator served; another user's tasks/get and tasks/cancel 400 -32602; bare ID refused; Mcp-Name mismatch -32020",
    );
  },
};

export const modernStatelessCheck: Check = {
  id: "modern.stateless",
  title: "2026-07-28: Mcp-Session-Id ignored and never forwarded; GET is 405",
  seedControls: ["8"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const tool = await callableTool(ctx, token);
    if (tool === undefined) return skip("the caller may call no tool");
    const problems: string[] = [];
    const res = await modernPost(ctx, token, modernMessage("tools/call", { name: tool, arguments: {} }), {
      "mcp-session-id": randomSessionId(),
    });
    if (res.status !== 200)
      problems.push(`tools/call with Mcp-Session-Id: expected 200, got ${summarize(res)}`);
    if (header(res, "mcp-session-id") !== undefined) problems.push("the answer carries Mcp-Session-Id");
    const echoed = echoedHeaders(res);
    if (echoed !== undefined && "mcp-session-id" in echoed)
      problems.push("Mcp-Session-Id reached the backend on a 2026-07-28 request");
    const get = await ctx.http.request({
      method: "GET",
      url: ctx.options.url,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "text/event-stream",
        "mcp-protocol-version": MODERN_REVISION,
      },
    });
    if (!gatewayRefusal(get, 405, -32600))
      problems.push(`GET: expected the gateway's 405, got ${summarize(get)}`);
    return verdict(problems, "session header ignored and stripped, none issued; GET 405");
  },
};

export const modernUnknownMethodCheck: Check = {
  id: "modern.unknown-method",
  title: "2026-07-28: a method the server does not allow: 404 -32601 (initialize is not a 2026-07-28 method)",
  seedControls: ["2", "10"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const problems: string[] = [];
    for (const method of [ctx.options.deniedMethod, "initialize", "tasks/list"]) {
      const res = await modernPost(ctx, token, modernMessage(method));
      if (!gatewayRefusal(res, 404, -32601))
        problems.push(`${method}: expected the gateway's 404 -32601, got ${summarize(res)}`);
    }
    return verdict(problems, `${ctx.options.deniedMethod}, initialize, tasks/list: 404 -32601`);
  },
};

export const legacyDiscoverProbeCheck: Check = {
  id: "legacy.discover-probe",
  title: "2025-11-25: a server/discover probe reaches the backend and gets its JSON-RPC answer",
  seedControls: ["2"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const problems: string[] = [];
    const details: string[] = [];
    for (const version of [LEGACY_REVISION, undefined]) {
      const message = modernMessage("server/discover");
      const res = await rawPost(ctx, {
        token,
        message: { jsonrpc: "2.0", ...message },
        ...(version === undefined ? {} : { protocolVersion: version }),
      });
      const answer = firstMessage(res);
      const error = answer?.["error"] as { code?: unknown; data?: { correlationId?: unknown } } | undefined;
      const fromBackend = error === undefined || error.data?.correlationId === undefined;
      const label = version ?? "no MCP-Protocol-Version";
      details.push(`${label}: ${res.status} ${String(error?.code ?? "result")}`);
      // The backend's answer: a result (a dual-era backend) or its own error (Method not found from a legacy one).
      if (res.status >= 500 || answer === undefined || !fromBackend || rpcErrorCode(res) === -32020)
        problems.push(`${label}: expected the backend's JSON-RPC answer, got ${summarize(res)}`);
    }
    return verdict(problems, details.join("; "));
  },
};

/** A JSON-RPC id the gateway could not know in advance: a string, or an integer (both allowed by JSON-RPC 2.0). */
function distinctIds(): [string, number] {
  return [requestId(), 1_000_000 + Math.floor(Math.random() * 1_000_000_000)];
}

/** `undefined` when the gateway's answer carries `expected` as its id, else what is wrong. */
function idProblem(res: HttpResponse, status: number, code: number, expected: unknown): string | undefined {
  const answer = firstMessage(res);
  if (!gatewayRefusal(res, status, code))
    return `expected the gateway's ${status} ${code}, got ${summarize(res)}`;
  if (answer === undefined || !("id" in answer)) return `no id member (expected ${JSON.stringify(expected)})`;
  if (answer["id"] !== expected)
    return `id ${JSON.stringify(answer["id"])}, expected ${JSON.stringify(expected)}`;
  return undefined;
}

export const gatewayErrorIdCheck: Check = {
  id: "message.error-id",
  title: "The gateway's own JSON-RPC errors carry the request's id (null when it has none it could read)",
  seedControls: ["10"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const [text, integer] = distinctIds();
    const modern = (method: string, params: Record<string, unknown>, id: string | number) => ({
      ...modernMessage(method, params),
      id,
    });
    const call = { name: ctx.options.unknownTool, arguments: {} };
    const probes: [string, () => Promise<HttpResponse>, number, number, unknown][] = [
      [
        "2026-07-28 without _meta protocol fields",
        () => modernPost(ctx, token, { ...modernMessage("tools/list", {}, { meta: {} }), id: text }),
        400,
        -32602,
        text,
      ],
      [
        "an unsupported MCP-Protocol-Version",
        () =>
          modernPost(ctx, token, modern("tools/list", {}, integer), { "mcp-protocol-version": "2099-01-01" }),
        400,
        -32022,
        integer,
      ],
      [
        "2026-07-28 tools/call of an unknown tool",
        () => modernPost(ctx, token, modern("tools/call", call, text)),
        403,
        -32602,
        text,
      ],
      [
        `2026-07-28 ${ctx.options.deniedMethod}`,
        () => modernPost(ctx, token, modern(ctx.options.deniedMethod, {}, integer)),
        404,
        -32601,
        integer,
      ],
      [
        `${LEGACY_REVISION} ${ctx.options.deniedMethod}`,
        () =>
          rawPost(ctx, {
            token,
            protocolVersion: LEGACY_REVISION,
            message: { jsonrpc: "2.0", id: integer, method: ctx.options.deniedMethod },
          }),
        403,
        -32601,
        integer,
      ],
      [
        `${LEGACY_REVISION} tools/call of an unknown tool`,
        () =>
          rawPost(ctx, {
            token,
            protocolVersion: LEGACY_REVISION,
            message: { jsonrpc: "2.0", id: text, method: "tools/call", params: call },
          }),
        403,
        -32602,
        text,
      ],
      // JSON-RPC 2.0 section 5: an id the reading could not establish is null, never guessed from the text.
      [
        "a body that is not JSON",
        () =>
          rawPost(ctx, {
            token,
            protocolVersion: LEGACY_REVISION,
            rawBody: `{"jsonrpc":"2.0","id":"${text}",`,
          }),
        400,
        -32700,
        null,
      ],
      [
        "an invalid request (a batch)",
        () =>
          rawPost(ctx, {
            token,
            protocolVersion: LEGACY_REVISION,
            rawBody: JSON.stringify([{ jsonrpc: "2.0", id: text, method: "tools/list" }]),
          }),
        400,
        -32600,
        null,
      ],
    ];
    const problems: string[] = [];
    for (const [label, send, status, code, expected] of probes) {
      const problem = idProblem(await send(), status, code, expected);
      if (problem !== undefined) problems.push(`${label}: ${problem}`);
    }
    return verdict(
      problems,
      `${probes.length} gateway errors (both revisions, -32602/-32022/-32601/-32700/-32600) carry the request's id or null`,
    );
  },
};
