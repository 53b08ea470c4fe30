import { withSession } from "../mcp";
import { type Check, pass } from "../types";

/** The positive control: without it, an endpoint that refuses everything would pass the rest. */
export const handshakeCheck: Check = {
  id: "mcp.handshake",
  title: "A valid token: the MCP SDK client initializes, gets a session and lists tools",
  seedControls: ["MUST-2"],
  needs: ["token"],
  async run(ctx) {
    return withSession(ctx, ctx.options.tokens.token ?? "", async (session) => {
      const { tools } = await session.client.listTools(undefined, { timeout: ctx.options.timeoutMs });
      const server = session.client.getServerVersion();
      return pass(
        `protocol ${session.protocolVersion}, ` +
          `${session.sessionId === undefined ? "no session ID" : "session ID issued"}, ` +
          `${tools.length} tool(s) listed${server ? ` by ${server.name}` : ""}`,
      );
    });
  },
};
