import { z } from "zod";

export const edgeSchema = z.strictObject({
  minCapacity: z.number().int().min(0).max(125),
  maxCapacity: z.number().int().min(2).max(125),
  zones: z.array(z.enum(["1", "2", "3"])).default([]),
});
