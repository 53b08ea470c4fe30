import { z } from "zod";
import { uniqueArray } from "./primitives";

export const edgeSchema = z
  .strictObject({
    minCapacity: z.number().int().min(0).max(125),
    maxCapacity: z.number().int().min(2).max(125),
    zones: uniqueArray(z.enum(["1", "2", "3"])).default([]),
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
