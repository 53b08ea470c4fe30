import { header, type HttpResponse } from "../http";
import { subjectOf } from "../jwt";
import {
  jsonRpcMessages,
  pingMessage,
  postInSession,
  rawPost,
  requestId,
  summarize,
  withSession,
} from "../mcp";
import { type Check, skip, verdict } from "../types";
import { roleProbeToken } from "./authorization";

/** The JSON-RPC error code of a gateway answer, when its body is one. */
export function rpcErrorCode(res: HttpResponse): number | undefined {
  const [message] = jsonRpcMessages(res);
  const error = (message as { error?: { code?: unknown } } | undefined)?.error;
  return typeof error?.code === "number" ? error.code : undefined;
}

/**
 * Messages that two JSON parsers read differently (GHSA-wvj2-96wp-fq3f): the gateway must refuse them before
 * deciding anything, because it forwards the original bytes. Each smuggles `tools/call` of a tool the caller
 * may not call behind a method the gateway would allow.
 */
function ambiguousBodies(tool: string): Record<string, string> {
  const id = JSON.stringify(requestId());
  const call = `"params":{"name":${JSON.stringify(tool)},"arguments":{}}`;
  return {
    "duplicate method (last wins in Newtonsoft, first in others)": `{"jsonrpc":"2.0","id":${id},"method":"tools/call","method":"tools/list",${call}}`,
    "case-variant member (Method)": `{"jsonrpc":"2.0","id":${id},"method":"tools/list","Method":"tools/call",${call}}`,
    "escaped duplicate (\\u006dethod)": `{"jsonrpc":"2.0","id":${id},"method":"tools/list","\\u006dethod":"tools/call",${call}}`,
    "Unicode case folding (meſhod, long s)": `{"jsonrpc":"2.0","id":${id},"method":"tools/list","meſhod":"tools/call",${call}}`,
    "duplicate params.name": `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"x","name":${JSON.stringify(tool)}}}`,
    "comment (lenient JSON)": `{"jsonrpc":"2.0","id":${id},/* x */"method":"ping"}`,
  };
}

export const singleReadingCheck: Check = {
  id: "message.single-reading",
  title: "A message two JSON parsers could read differently: 400 before any decision",
  seedControls: ["10"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const tool = ctx.options.toolWithoutRole?.name ?? ctx.options.unknownTool;
    return withSession(ctx, token, async (session) => {
      const problems: string[] = [];
      for (const [label, body] of Object.entries(ambiguousBodies(tool))) {
        const res = await postInSession(ctx, token, session, { rawBody: body });
        const code = rpcErrorCode(res);
        if (res.status !== 400 || (code !== -32600 && code !== -32700)) {
          problems.push(`${label}: expected 400 with -32600/-32700, got ${summarize(res)}`);
        }
      }
      const control = await postInSession(ctx, token, session, { message: pingMessage() });
      if (control.status !== 200) problems.push(`control: ping failed: ${summarize(control)}`);
      return verdict(problems, `${Object.keys(ambiguousBodies(tool)).length} ambiguous messages refused`);
    });
  },
};

export const methodDenyByDefaultCheck: Check = {
  id: "authz.method-deny-by-default",
  title: "A JSON-RPC method the server does not allow: refused by the gateway (-32601)",
  seedControls: ["2", "10"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const method = ctx.options.deniedMethod;
    return withSession(ctx, token, async (session) => {
      const res = await postInSession(ctx, token, session, {
        message: { jsonrpc: "2.0", id: requestId(), method, params: {} },
      });
      const code = rpcErrorCode(res);
      return verdict(
        res.status === 403 && code === -32601
          ? []
          : [`${method}: expected 403 with JSON-RPC -32601 from the gateway, got ${summarize(res)}`],
        `${method}: 403 -32601`,
      );
    });
  },
};

export const toolListFilteredCheck: Check = {
  id: "authz.tools-list-filtered",
  title: "tools/list lists only the tools the caller may call",
  seedControls: ["2", "7"],
  needs: ["token", "toolWithoutRole"],
  async run(ctx) {
    const probe = roleProbeToken(ctx);
    if ("skip" in probe) return skip(probe.skip);
    const { token } = probe;
    const hidden = ctx.options.toolWithoutRole?.name ?? "";
    return withSession(ctx, token, async (session) => {
      const { tools } = await session.client.listTools(undefined, { timeout: ctx.options.timeoutMs });
      const names = tools.map((tool) => tool.name);
      return verdict(
        names.includes(hidden) ? [`tools/list shows ${hidden}, which the caller may not call`] : [],
        `tools/list shows ${names.length} tool(s), not ${hidden}`,
      );
    });
  },
};

export const corsOwnAnswersCheck: Check = {
  id: "cors.own-answers",
  title: "The gateway's own answers (the 401 challenge) carry CORS headers for an allowed origin",
  seedControls: ["3"],
  needs: [],
  async run(ctx) {
    const origin = ctx.options.allowedOrigin;
    if (origin === undefined) return skip("needs --allowed-origin (an origin the gateway allows)");
    const res = await rawPost(ctx, {
      message: { jsonrpc: "2.0", id: requestId(), method: "ping" },
      headers: { origin },
    });
    const problems: string[] = [];
    if (res.status !== 401) problems.push(`expected 401, got ${summarize(res)}`);
    if (header(res, "access-control-allow-origin") !== origin)
      problems.push(
        `Access-Control-Allow-Origin is ${JSON.stringify(header(res, "access-control-allow-origin"))}`,
      );
    const exposed = (header(res, "access-control-expose-headers") ?? "").toLowerCase();
    if (
      !exposed
        .split(",")
        .map((h) => h.trim())
        .includes("www-authenticate")
    )
      problems.push(
        "WWW-Authenticate is not in Access-Control-Expose-Headers: a browser cannot read the challenge",
      );
    return verdict(problems, `401 for ${origin} readable by the browser`);
  },
};

/** The echo of a tool that reports what reached the backend (the local gateway's backends do). */
export function echoedHeaders(res: HttpResponse): Record<string, string> | undefined {
  for (const message of jsonRpcMessages(res)) {
    const content = (message as { result?: { content?: { text?: unknown }[] } }).result?.content ?? [];
    for (const item of content) {
      if (typeof item.text !== "string") continue;
      try {
        const echo = JSON.parse(item.text) as { headers?: Record<string, string> };
        if (echo.headers !== undefined) return echo.headers;
      } catch {
        // Not an echo.
      }
    }
  }
  return undefined;
}

export const backendHeaderHygieneCheck: Check = {
  id: "backend.header-hygiene",
  title: "Cookies and spoofed identity headers never reach the backend; the gateway asserts the caller",
  seedControls: ["4", "8"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const tool = ctx.options.echoTool;
    if (tool === undefined) return skip("needs --echo-tool (a tool that echoes the headers it received)");
    return withSession(ctx, token, async (session) => {
      const res = await postInSession(ctx, token, session, {
        message: {
          jsonrpc: "2.0",
          id: requestId(),
          method: "tools/call",
          params: { name: tool, arguments: {} },
        },
        headers: {
          cookie: "session=client-cookie",
          "x-mcp-caller-oid": "00000000-0000-0000-0000-00000000dead",
        },
      });
      const echoed = echoedHeaders(res);
      if (echoed === undefined) return skip(`${tool} echoed no headers (${summarize(res)})`);
      const problems: string[] = [];
      if ("cookie" in echoed) problems.push("the client's Cookie reached the backend");
      const oid = subjectOf(token);
      if (echoed["x-mcp-caller-oid"] !== oid)
        problems.push(
          `X-MCP-Caller-OID at the backend is ${JSON.stringify(echoed["x-mcp-caller-oid"])}, not the caller's oid`,
        );
      return verdict(problems, "no cookie, the caller's oid asserted by the gateway");
    });
  },
};

export const addressRateLimitCheck: Check = {
  id: "ratelimit.per-address",
  title: "Requests without a token from one address are limited before authentication (429)",
  seedControls: ["4"],
  needs: [],
  async run(ctx) {
    const limit = ctx.options.addressBurst;
    // A documentation address (RFC 5737) of its own: the burst cannot throttle the other checks. Behind
    // Application Gateway the last X-Forwarded-For hop is the real client address, so the probe counts too.
    const headers = { "x-forwarded-for": `198.51.100.${1 + (Date.now() % 250)}` };
    let last: HttpResponse | undefined;
    for (let sent = 1; sent <= limit; sent++) {
      last = await rawPost(ctx, { message: pingMessage(), headers });
      if (last.status === 429) {
        return verdict(
          header(last, "retry-after") === undefined ? ["429 without Retry-After"] : [],
          `429 after ${sent} unauthenticated requests`,
        );
      }
      if (last.status !== 401)
        return verdict([`request ${sent}: expected 401 or 429, got ${summarize(last)}`], "");
    }
    return verdict([`no 429 within ${limit} unauthenticated requests from one address`], "");
  },
};

export const taskAugmentationCheck: Check = {
  id: "authz.task-augmentation",
  title: "A task-augmented tools/call is refused: the gateway cannot bind tasks to their creator",
  seedControls: ["2", "8"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const tool = ctx.options.echoTool ?? ctx.options.streamingTool?.name;
    if (tool === undefined) return skip("needs --echo-tool or --streaming-tool (a tool the caller may call)");
    return withSession(ctx, token, async (session) => {
      const res = await postInSession(ctx, token, session, {
        message: {
          jsonrpc: "2.0",
          id: requestId(),
          method: "tools/call",
          params: { name: tool, arguments: {}, task: { ttl: 60000 } },
        },
      });
      const code = rpcErrorCode(res);
      return verdict(
        res.status === 400 && code === -32602
          ? []
          : [`tools/call ${tool} with params.task: expected 400 with -32602, got ${summarize(res)}`],
        "task-augmented tools/call refused with 400 -32602",
      );
    });
  },
};
