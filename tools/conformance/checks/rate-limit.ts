import { header, type HttpResponse } from "../http";
import { pingMessage, postInSession, summarize, withSession } from "../mcp";
import { type Check, verdict } from "../types";

/** Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function validRetryAfter(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim();
  return /^\d+$/.test(v) || !Number.isNaN(Date.parse(v));
}

export const rateLimitCheck: Check = {
  id: "ratelimit.per-user",
  title: "A burst beyond the per-user limit: 429 with Retry-After (runs last: it spends the user's budget)",
  seedControls: ["4"],
  needs: ["token"],
  async run(ctx) {
    const token = ctx.options.tokens.token ?? "";
    const { burst, burstSeconds, burstConcurrency } = ctx.options;
    return withSession(ctx, token, async (session) => {
      const deadline = performance.now() + burstSeconds * 1000;
      const started = performance.now();
      let sent = 0;
      let limited: HttpResponse | undefined;
      const statuses = new Map<number, number>();
      let errors = 0;
      const worker = async (): Promise<void> => {
        while (limited === undefined && sent < burst && performance.now() < deadline) {
          sent++;
          try {
            const res = await postInSession(ctx, token, session, { message: pingMessage() });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 429) limited ??= res;
          } catch {
            errors++;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(burstConcurrency, burst) }, worker));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const tally =
        [...statuses].map(([s, n]) => `${n}x${s}`).join(", ") + (errors ? `, ${errors} errors` : "");
      if (limited === undefined) {
        return verdict([`${sent} requests in ${seconds} s (${tally}): no 429`], "");
      }
      const retryAfter = header(limited, "retry-after");
      return verdict(
        validRetryAfter(retryAfter) ? [] : [`429 without a valid Retry-After (${summarize(limited)})`],
        `429 after ${sent} requests in ${seconds} s, Retry-After: ${retryAfter}`,
      );
    });
  },
};
