import { z } from "zod";

export const featuresSchema = z.strictObject({
  sentinel: z.boolean().default(true),
  protectStatefulResources: z.boolean().default(true),
  resourceLocks: z.boolean().default(false),
});
