import {
  deleteSession,
  initializeMessage,
  jsonRpcMessages,
  pingMessage,
  postInSession,
  rawPost,
  summarize,
  withSession,
} from "../mcp";
import { type Check, fail, verdict } from "../types";

const is4xx = (status: number): boolean => status >= 400 && status < 500;

export const originCheck: Check = {
  id: "transport.origin",
  title: "A request from a disallowed Origin: 403",
  seedControls: ["3"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    // Control first: the same request without Origin must work, or a 403 proves nothing.
    const control = await rawPost(ctx, { token, message: initializeMessage() });
    await deleteSession(ctx, token, control);
    if (control.status !== 200)
      return fail(`control initialize without Origin failed: ${summarize(control)}`);
    const problems: string[] = [];
    for (const origin of [ctx.options.badOrigin, "null"]) {
      const res = await rawPost(ctx, { token, message: initializeMessage(), headers: { origin } });
      if (res.status !== 403) {
        problems.push(`Origin ${origin}: expected 403, got ${summarize(res)}`);
        await deleteSession(ctx, token, res);
      }
    }
    return verdict(problems, `403 for Origin ${ctx.options.badOrigin} and null; 200 without Origin`);
  },
};

export const protocolVersionCheck: Check = {
  id: "transport.protocol-version",
  title: "An unsupported MCP-Protocol-Version: 400",
  seedControls: ["3"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    return withSession(ctx, token, async (session) => {
      const control = await postInSession(ctx, token, session, { message: pingMessage() });
      if (control.status !== 200) {
        return fail(`control ping with ${session.protocolVersion} failed: ${summarize(control)}`);
      }
      const problems: string[] = [];
      for (const version of ["1999-01-01", "not-a-version"]) {
        const res = await postInSession(ctx, token, session, {
          message: pingMessage(),
          protocolVersion: version,
        });
        // 400 on every revision; 2026-07-28's UnsupportedProtocolVersionError (-32022) names what is supported
        // (https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning#protocol-version-negotiation).
        const error = (
          jsonRpcMessages(res)[0] as { error?: { code?: unknown; data?: { supported?: unknown } } }
        )?.error;
        const supported = error?.data?.supported;
        if (
          res.status !== 400 ||
          error?.code !== -32022 ||
          !Array.isArray(supported) ||
          supported.length === 0
        )
          problems.push(
            `MCP-Protocol-Version ${version}: expected 400 with -32022 listing the supported revisions, got ${summarize(res)}`,
          );
      }
      return verdict(problems, `400 for 1999-01-01 and not-a-version; 200 for ${session.protocolVersion}`);
    });
  },
};

export const bodyLimitCheck: Check = {
  id: "transport.body-limit",
  title: "A body over the size limit: 4xx",
  seedControls: ["1", "4"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const limit = ctx.options.maxBodyBytes;
    return withSession(ctx, token, async (session) => {
      const control = await postInSession(ctx, token, session, {
        message: pingMessage({ _meta: { padding: "x" } }),
      });
      if (control.status !== 200) return fail(`control ping failed: ${summarize(control)}`);
      // A valid message, padded in _meta to exactly one byte over the limit: only its size is wrong.
      const skeleton = JSON.stringify(pingMessage({ _meta: { padding: "" } }));
      const padding = "x".repeat(Math.max(0, limit + 1 - Buffer.byteLength(skeleton)));
      const rawBody = skeleton.replace('"padding":""', `"padding":"${padding}"`);
      const res = await postInSession(ctx, token, session, { rawBody, timeoutMs: ctx.options.timeoutMs * 3 });
      return verdict(
        is4xx(res.status) ? [] : [`${Buffer.byteLength(rawBody)} bytes: expected 4xx, got ${summarize(res)}`],
        `${Buffer.byteLength(rawBody)} bytes (limit ${limit}): ${res.status}`,
      );
    });
  },
};

/** Bodies that are not one JSON-RPC 2.0 message; each is sent within a valid session. */
const ENVELOPE_PROBES: readonly { label: string; body: string; contentType?: string }[] = [
  { label: "not JSON", body: "this is not json" },
  { label: "JSON, not JSON-RPC", body: JSON.stringify({ hello: "world" }) },
  { label: "jsonrpc 1.0", body: JSON.stringify({ jsonrpc: "1.0", id: 1, method: "ping" }) },
  { label: "neither request nor response", body: JSON.stringify({ jsonrpc: "2.0", id: 1 }) },
  // Batches were removed in 2025-06-18; a batch would also smuggle calls past a per-message allowlist.
  { label: "batch", body: JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "ping" }]) },
  {
    label: "text/plain",
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    contentType: "text/plain",
  },
];

export const envelopeCheck: Check = {
  id: "transport.jsonrpc-envelope",
  title: "A body that is not a single JSON-RPC 2.0 message: 4xx",
  seedControls: ["1"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    return withSession(ctx, token, async (session) => {
      const control = await postInSession(ctx, token, session, { message: pingMessage() });
      if (control.status !== 200) return fail(`control ping failed: ${summarize(control)}`);
      const problems: string[] = [];
      const statuses: string[] = [];
      for (const { label, body, contentType } of ENVELOPE_PROBES) {
        const headers: Record<string, string> =
          contentType === undefined ? {} : { "content-type": contentType };
        const res = await postInSession(ctx, token, session, { rawBody: body, headers });
        statuses.push(`${label} ${res.status}`);
        if (!is4xx(res.status)) problems.push(`${label}: expected 4xx, got ${summarize(res)}`);
      }
      return verdict(problems, statuses.join(", "));
    });
  },
};
