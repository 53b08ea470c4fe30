import { z } from "zod";
import { repositorySlug } from "./primitives";

export const tagsSchema = z.strictObject({
  owner: z.email({ error: "must be an e-mail address of the owning team" }),
  costCenter: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, { error: "must be 1-32 letters, digits or '-'" }),
  dataClassification: z.enum(["public", "internal", "confidential", "restricted"]),
  repository: repositorySlug,
});
