import { z } from "zod";
import {
  DEFAULT_MCP_PROTOCOL_VERSIONS,
  MAX_POLICY_INT,
  mcpProtocolRevision,
  POLICY_LIMITS,
  rateLimit,
  tryParseUrl,
  uniqueArray,
  type RefinementContext,
} from "./primitives";

export const gatewayPolicySchema = z.strictObject({
  allowedOrigins: uniqueArray(
    z
      .url({
        protocol: /^https?$/,
        // A DNS name, `localhost` or an IPv4 address: WHATWG URLs also accept hosts such as `{{x}}.com`,
        // which API Management would read as a named-value reference.
        hostname: /^(localhost|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/,
        error: "must be an http:// or https:// origin with a DNS host name, such as https://app.contoso.com",
      })
      // Runs even when the URL check above failed (zod runs every check): parse without throwing, and
      // leave a value that is no URL at all to that check's message.
      .refine((v) => [undefined, v].includes(tryParseUrl(v)?.origin), {
        error:
          "must be a bare origin such as https://app.contoso.com (scheme and host, no path or trailing slash)",
      }),
    (origin) => origin.toLowerCase(),
  )
    .max(POLICY_LIMITS.allowedOrigins, {
      error: `must list at most ${POLICY_LIMITS.allowedOrigins} origins (the MCP API policy must stay under 256 KiB)`,
    })
    .default([]),
  maxRequestBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024)
    .default(1024 * 1024),
  sessionTtlSeconds: z.number().int().min(60).max(86400).default(3600),
  supportedProtocolVersions: uniqueArray(mcpProtocolRevision)
    .min(1)
    .max(POLICY_LIMITS.supportedProtocolVersions)
    .default([...DEFAULT_MCP_PROTOCOL_VERSIONS]),
  rateLimits: z.strictObject({
    perUser: rateLimit,
    perUserSession: rateLimit,
    perUserTool: rateLimit,
    /** Before token validation, per client address; every request counts, refused ones too. */
    perClientAddress: rateLimit.default({ calls: 600, renewalPeriodSeconds: 60 }),
    /** Classic tiers only: quota-by-key does not exist on the v2 tiers. */
    dailyQuotaPerUser: z.number().int().positive().max(MAX_POLICY_INT).optional(),
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
