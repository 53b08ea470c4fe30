import { z } from "zod";
import { DEFAULT_MCP_PROTOCOL_VERSIONS, rateLimit, type RefinementContext } from "./primitives";

export const gatewayPolicySchema = z.strictObject({
  allowedOrigins: z
    .array(
      z.url({ protocol: /^https?$/ }).refine((v) => new URL(v).origin === v, {
        error: "must be a bare origin such as https://app.contoso.com",
      }),
    )
    .default([]),
  maxRequestBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024)
    .default(1024 * 1024),
  sessionTtlSeconds: z.number().int().min(60).max(86400).default(3600),
  supportedProtocolVersions: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .min(1)
    .default([...DEFAULT_MCP_PROTOCOL_VERSIONS]),
  rateLimits: z.strictObject({
    perUser: rateLimit,
    perUserSession: rateLimit,
    perUserTool: rateLimit,
    /** Before token validation, per client address; every request counts, refused ones too. */
    perClientAddress: rateLimit.default({ calls: 600, renewalPeriodSeconds: 60 }),
    /** Classic tiers only: quota-by-key does not exist on the v2 tiers. */
    dailyQuotaPerUser: z.number().int().positive().optional(),
  }),
});

export function checkGatewayTierFeatures(
  sku: string,
  policy: z.output<typeof gatewayPolicySchema>,
  ctx: RefinementContext,
): void {
  if (sku === "StandardV2" && policy.rateLimits.dailyQuotaPerUser !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["gatewayPolicy", "rateLimits", "dailyQuotaPerUser"],
      input: policy.rateLimits.dailyQuotaPerUser,
      message:
        "must not be set with gateway.sku StandardV2: quota-by-key is only available on the classic tiers (Developer, Premium)",
    });
  }
}
