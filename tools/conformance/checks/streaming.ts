import { header } from "../http";
import { jsonRpcMessages, postInSession, sseEvents, summarize, toolCallMessage, withSession } from "../mcp";
import { type Check, fail, verdict } from "../types";

export const sseStreamingCheck: Check = {
  id: "sse.streaming",
  title: "A streamed (SSE) tool response arrives incrementally, not buffered",
  seedControls: ["3"],
  needs: ["token", "streamingTool"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const tool = ctx.options.streamingTool ?? { name: "", arguments: {} };
    return withSession(ctx, token, async (session) => {
      const message = toolCallMessage(tool.name, tool.arguments);
      const res = await postInSession(ctx, token, session, { message, timeoutMs: ctx.options.timeoutMs * 3 });
      const type = header(res, "content-type") ?? "";
      if (res.status !== 200 || !type.startsWith("text/event-stream")) {
        return fail(
          `tools/call ${tool.name}: expected 200 text/event-stream, got ${summarize(res)} (${type})`,
        );
      }
      const events = sseEvents(res).filter((e) => e.data.length > 0);
      const problems: string[] = [];
      const hasResponse = jsonRpcMessages(res).some(
        (m) => typeof m === "object" && m !== null && (m as Record<string, unknown>)["id"] === message["id"],
      );
      if (!hasResponse) problems.push("the stream ended without the JSON-RPC response");
      const first = events[0];
      const last = events[events.length - 1];
      const spread = first && last ? Math.round(last.at - first.at) : 0;
      if (events.length < 2) problems.push(`only ${events.length} data event(s): cannot show streaming`);
      else if (spread < ctx.options.minStreamSpreadMs) {
        problems.push(
          `${events.length} events arrived within ${spread} ms (< ${ctx.options.minStreamSpreadMs} ms): buffered`,
        );
      }
      const chunks = new Set(events.map((e) => e.at)).size;
      return verdict(problems, `${events.length} events in ${chunks} chunks over ${spread} ms`);
    });
  },
};
