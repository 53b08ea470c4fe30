import { header } from "../http";
import { jsonRpcMessages, postInSession, summarize, toolCallMessage, withSession } from "../mcp";
import { type Check, type CheckContext, skip, verdict } from "../types";
import { bearerChallenge } from "../www-authenticate";

/** The token of the user who lacks the probed tool's role (`--tool-without-role-user`), or why there is none. */
export function roleProbeToken(ctx: CheckContext): { token: string } | { skip: string } {
  const second = ctx.options.toolWithoutRoleUser === "second";
  const token = second ? ctx.options.tokens.secondUserToken : ctx.options.tokens.token;
  return token === undefined
    ? { skip: "needs --second-user-token-command (--tool-without-role-user second)" }
    : { token };
}

export const toolRoleCheck: Check = {
  id: "authz.tool-role",
  title: "A valid token without the role a tool needs: 403 with a JSON-RPC error, no step-up challenge",
  seedControls: ["2", "7"],
  needs: ["token", "toolWithoutRole"],
  async run(ctx) {
    const second = ctx.options.toolWithoutRoleUser === "second";
    const probe = roleProbeToken(ctx);
    if ("skip" in probe) return skip(probe.skip);
    const { token } = probe;
    const tool = ctx.options.toolWithoutRole ?? { name: "", arguments: {} };
    return withSession(ctx, token, async (session) => {
      const res = await postInSession(ctx, token, session, {
        message: toolCallMessage(tool.name, tool.arguments),
      });
      const problems: string[] = [];
      if (res.status !== 403) problems.push(`tools/call ${tool.name}: expected 403, got ${summarize(res)}`);
      else {
        // Roles are not scopes: a step-up re-authorization can never grant an app role, so an
        // insufficient_scope challenge would send MCP clients into a loop.
        const challenge = bearerChallenge(header(res, "www-authenticate"));
        if (challenge?.params["error"] === "insufficient_scope")
          problems.push(
            "403 with an insufficient_scope challenge for a missing app role (clients would loop)",
          );
        const [message] = jsonRpcMessages(res);
        if ((message as { error?: unknown } | undefined)?.error === undefined)
          problems.push("403 without a JSON-RPC error body");
      }
      const who = second ? "second user" : "main user";
      return verdict(
        problems,
        `tools/call ${tool.name} as the ${who}: 403 with a JSON-RPC error, no challenge`,
      );
    });
  },
};

export const toolAllowlistCheck: Check = {
  id: "authz.tool-allowlist",
  title: "A tool outside the allowlist: refused by the gateway",
  seedControls: ["2", "10"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const name = ctx.options.unknownTool;
    return withSession(ctx, token, async (session) => {
      const res = await postInSession(ctx, token, session, { message: toolCallMessage(name) });
      const refused = res.status >= 400 && res.status < 500 && res.status !== 401;
      // A 200 carrying a JSON-RPC error means the call reached the MCP server: the gateway let it through.
      return verdict(
        refused ? [] : [`tools/call ${name}: expected a 4xx refusal, got ${summarize(res)}`],
        `tools/call ${name}: refused with ${res.status}`,
      );
    });
  },
};
