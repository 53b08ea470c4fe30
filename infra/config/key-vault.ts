import { z } from "zod";
import { guid, secretConfigKey, uniqueArray } from "./primitives";

export const keySchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, { error: "must be 1-127 letters, digits or '-'" }),
    purpose: z.enum(["encryption", "signing"]),
    type: z.enum(["RSA-HSM", "EC-HSM"], {
      error: "must be RSA-HSM or EC-HSM: software-protected keys (RSA, EC) do not meet the HSM requirement",
    }),
    size: z
      .union([z.literal(3072), z.literal(4096)], {
        error: "must be 3072 or 4096 bits for RSA-HSM (2048-bit RSA is below the baseline)",
      })
      .optional(),
    curve: z.enum(["P-256", "P-384", "P-521"]).optional(),
    expiryDays: z.number().int().min(30).max(730, { error: "must be at most 730 days (MCSB key validity)" }),
    rotateBeforeExpiryDays: z.number().int().min(7).max(365),
  })
  .superRefine((key, ctx) => {
    if (key.type === "RSA-HSM" && key.size === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["size"],
        input: key.size,
        message: "is required for RSA-HSM (3072 or 4096)",
      });
    }
    if (key.type === "RSA-HSM" && key.curve !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["curve"],
        input: key.curve,
        message: "only applies to EC-HSM keys",
      });
    }
    if (key.type === "EC-HSM" && key.curve === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["curve"],
        input: key.curve,
        message: "is required for EC-HSM (P-256, P-384 or P-521)",
      });
    }
    if (key.type === "EC-HSM" && key.size !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["size"],
        input: key.size,
        message: "only applies to RSA-HSM keys",
      });
    }
    if (key.expiryDays - key.rotateBeforeExpiryDays < 7) {
      ctx.addIssue({
        code: "custom",
        path: ["rotateBeforeExpiryDays"],
        input: key.rotateBeforeExpiryDays,
        message: `must be at most expiryDays - 7 (${key.expiryDays - 7}) so each key version lives at least a week before it rotates`,
      });
    }
  });

const vaultSecretSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, { error: "must be 1-127 letters, digits or '-'" }),
  configKey: secretConfigKey,
  contentType: z.string().min(1).max(255).default("text/plain"),
  expiryDays: z.number().int().min(1).max(730),
  /** A fixed expiry date (YYYY-MM-DD), reset when the value is rotated; otherwise first creation + expiryDays. */
  expiresOn: z.iso.date({ error: "must be a date as YYYY-MM-DD" }).optional(),
});

export const keyVaultSchema = z
  .strictObject({
    sku: z.literal("premium", {
      error: "must be premium: HSM-backed keys (RSA-HSM, EC-HSM) need the premium SKU",
    }),
    softDeleteRetentionDays: z
      .number()
      .int()
      .min(90, { error: "must be 90 days (the maximum) so a deleted vault stays recoverable" })
      .max(90)
      .default(90),
    keys: z
      .array(keySchema)
      .min(1, { error: "must list at least one key (the customer-managed encryption key)" }),
    secrets: z.array(vaultSecretSchema).default([]),
    managedHsm: z.boolean().default(false),
    /** Entra object IDs that administer the Managed HSM (required when managedHsm is on). */
    managedHsmAdministrators: uniqueArray(guid, (id) => id.toLowerCase()).default([]),
  })
  .superRefine((vault, ctx) => {
    if (vault.managedHsm && vault.managedHsmAdministrators.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["managedHsmAdministrators"],
        input: vault.managedHsmAdministrators,
        message:
          "must list at least one Entra object ID when managedHsm is true (a Managed HSM needs initial administrators)",
      });
    }
  });
