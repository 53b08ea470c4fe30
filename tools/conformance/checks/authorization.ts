import { header } from "../http";
import { postInSession, summarize, toolCallMessage, withSession } from "../mcp";
import { type Check, skip, verdict } from "../types";
import { bearerChallenge } from "../www-authenticate";

export const toolRoleCheck: Check = {
  id: "authz.tool-role",
  title: "A valid token without the role a tool needs: 403 insufficient_scope",
  seedControls: ["2", "7"],
  needs: ["token", "toolWithoutRole"],
  async run(ctx) {
    const second = ctx.options.toolWithoutRoleUser === "second";
    const token = second ? ctx.options.tokens.secondUserToken : ctx.options.tokens.token;
    if (token === undefined)
      return skip("needs --second-user-token-command (--tool-without-role-user second)");
    const tool = ctx.options.toolWithoutRole ?? { name: "", arguments: {} };
    return withSession(ctx, token, async (session) => {
      const res = await postInSession(ctx, token, session, {
        message: toolCallMessage(tool.name, tool.arguments),
      });
      const problems: string[] = [];
      if (res.status !== 403) problems.push(`tools/call ${tool.name}: expected 403, got ${summarize(res)}`);
      else {
        const challenge = bearerChallenge(header(res, "www-authenticate"));
        if (challenge === undefined) problems.push("403 without a Bearer WWW-Authenticate challenge");
        else {
          if (challenge.params["error"] !== "insufficient_scope") {
            problems.push(
              `challenge error is ${JSON.stringify(challenge.params["error"])}, not insufficient_scope`,
            );
          }
          if (!challenge.params["scope"]) problems.push("challenge lacks scope");
          if (!challenge.params["resource_metadata"]) problems.push("challenge lacks resource_metadata");
        }
      }
      const who = second ? "second user" : "main user";
      return verdict(
        problems,
        `tools/call ${tool.name} as the ${who}: 403 insufficient_scope, scope, resource_metadata`,
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
