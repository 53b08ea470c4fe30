import { subjectOf } from "../jwt";
import {
  openSession,
  pingMessage,
  postInSession,
  randomSessionId,
  rawPost,
  summarize,
  withSession,
} from "../mcp";
import { type Check, fail, verdict } from "../types";

export const sessionBindingCheck: Check = {
  id: "session.binding",
  title: "A session opened by user A and replayed with user B's token: the same 404 as an unknown session",
  seedControls: ["MUST-2", "8"],
  needs: ["token", "secondUserToken"],
  async run(ctx) {
    const tokenA = ctx.options.tokens.token ?? "";
    const tokenB = ctx.options.tokens.secondUserToken ?? "";
    const a = subjectOf(tokenA);
    if (a !== undefined && a === subjectOf(tokenB)) {
      return fail("--token-command and --second-user-token-command return tokens of the same user");
    }
    return withSession(ctx, tokenA, async (session) => {
      if (session.sessionId === undefined) return fail("the endpoint issued no Mcp-Session-Id");
      // Control: B's token works on B's own session, so a refusal below is about the binding.
      const ownB = await withSession(ctx, tokenB, (s) =>
        postInSession(ctx, tokenB, s, { message: pingMessage() }),
      );
      if (ownB.status !== 200) return fail(`control: user B's own session failed: ${summarize(ownB)}`);
      const replay = await postInSession(ctx, tokenB, session, { message: pingMessage() });
      const ownA = await postInSession(ctx, tokenA, session, { message: pingMessage() });
      const problems: string[] = [];
      // The same answer as for a session that does not exist, so session IDs cannot be probed.
      if (replay.status !== 404) {
        problems.push(
          `user B in user A's session: expected 404 (as for an unknown session), got ${summarize(replay)}`,
        );
      }
      if (ownA.status !== 200) problems.push(`control: user A in its own session failed: ${summarize(ownA)}`);
      return verdict(problems, `user B refused with ${replay.status}; user A still served`);
    });
  },
};

export const unknownSessionCheck: Check = {
  id: "session.unknown",
  title: "An unknown or terminated session ID: 404",
  seedControls: ["MUST-2", "8"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const problems: string[] = [];
    let terminated = "terminated session not tried (no session ID)";
    await withSession(ctx, token, async (session) => {
      const unknown = await rawPost(ctx, {
        token,
        sessionId: randomSessionId(),
        protocolVersion: session.protocolVersion,
        message: pingMessage(),
      });
      if (unknown.status !== 404) problems.push(`random session ID: expected 404, got ${summarize(unknown)}`);
      if (session.sessionId === undefined) return;
      const del = await ctx.http.request({
        method: "DELETE",
        url: ctx.options.url,
        headers: {
          authorization: `Bearer ${token}`,
          "mcp-session-id": session.sessionId,
          "mcp-protocol-version": session.protocolVersion,
        },
      });
      // A gateway may refuse DELETE (405, as MCP allows); then the session legitimately lives on.
      if (del.status === 405) {
        terminated = "DELETE not supported (405), terminated session not tried";
        return;
      }
      const res = await postInSession(ctx, token, session, { message: pingMessage() });
      terminated = `DELETE ${del.status}, then ${res.status}`;
      if (res.status !== 404) problems.push(`terminated session: expected 404, got ${summarize(res)}`);
    });
    return verdict(problems, `random session ID 404; ${terminated}`);
  },
};

/** Visible ASCII (0x21–0x7E), as MCP requires of session IDs. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** Positions at which two IDs differ (the shorter padded): sequential IDs differ in one or two. */
function differingPositions(a: string, b: string): number {
  let count = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) count++;
  return count;
}

export const sessionIdQualityCheck: Check = {
  id: "session.id-quality",
  title: "Session IDs are random, visible ASCII, and carry no user identity",
  seedControls: ["MUST-4", "8"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const session = await openSession(ctx, token);
      await session.close();
      if (session.sessionId === undefined) return fail("the endpoint issued no Mcp-Session-Id");
      ids.push(session.sessionId);
    }
    const problems: string[] = [];
    if (new Set(ids).size !== ids.length) problems.push("the same session ID was issued twice");
    if (!ids.every((id) => VISIBLE_ASCII.test(id)))
      problems.push("a session ID has characters outside 0x21-0x7E");
    if (ids.some((id) => id.length < 16)) problems.push("a session ID is shorter than 16 characters");
    const [x = "", y = "", z = ""] = ids;
    const minDiff = Math.min(differingPositions(x, y), differingPositions(y, z), differingPositions(x, z));
    if (minDiff < 8)
      problems.push(`consecutive session IDs differ in only ${minDiff} position(s): predictable`);
    const subject = subjectOf(token);
    if (subject !== undefined && ids.some((id) => id.toLowerCase().includes(subject.toLowerCase()))) {
      problems.push("a session ID contains the user's object ID");
    }
    const lengths = [...new Set(ids.map((id) => id.length))].join("/");
    return verdict(problems, `3 distinct IDs of ${lengths} characters, differing in >= ${minDiff} positions`);
  },
};
