import { z } from "zod";
import { uniqueArray } from "./primitives";

export const edgeSchema = z
  .strictObject({
    minCapacity: z.number().int().min(0).max(125),
    maxCapacity: z.number().int().min(2).max(125),
    zones: uniqueArray(z.enum(["1", "2", "3"])).default([]),
    /**
     * The WAF's rate-limit rule: requests per client address per minute, across every MCP server, before
     * anything reaches API Management (whose own per-address limit is per server).
     */
    clientAddressRequestsPerMinute: z.number().int().min(10).max(100_000).default(1200),
  })
  .superRefine((edge, ctx) => {
    // Application Gateway v2 autoscale rejects min > max; infra/edge's edgeCapacity relies on this check.
    if (edge.minCapacity > edge.maxCapacity) {
      ctx.addIssue({
        code: "custom",
        path: ["minCapacity"],
        input: edge.minCapacity,
        message: `must not exceed maxCapacity (${edge.maxCapacity})`,
      });
    }
  });
