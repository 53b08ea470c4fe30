import { z } from "zod";
import { gatewayHostname, uniqueArray, type EnvironmentName, type RefinementContext } from "./primitives";
import type { featuresSchema } from "./features";
import { tlsCertificateSchema } from "./tls-certificate";

export const gatewaySchema = z
  .strictObject({
    hostname: gatewayHostname,
    publisherName: z.string().min(1).max(100),
    publisherEmail: z.email({ error: "must be an e-mail address" }),
    sku: z.enum(["Developer", "Premium", "StandardV2"], {
      error:
        "must be Developer, Premium or StandardV2: the tiers that keep API Management off the public internet (Consumption, Basic and Standard cannot)",
    }),
    capacity: z.number().int().min(1).max(12),
    zones: uniqueArray(z.enum(["1", "2", "3"])).default([]),
    /** Where the custom host name's certificate comes from (infra/config/tls-certificate.ts). */
    tlsCertificate: tlsCertificateSchema,
    // Removed: it named a certificate imported by hand after the first `up`, which a private vault cannot take.
    tlsCertificateName: z
      .never({
        error:
          "was replaced by gateway.tlsCertificate (source: pfxConfig with a secret configKey, or keyVaultSecret with secretUri and vaultResourceId); see docs/keyvault.md",
      })
      .optional(),
    minApiVersion: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine((value) => value >= "2019-12-01", {
        error: "must be 2019-12-01 or later (Azure built-in policy: API Management minimum API version)",
      })
      .default("2021-08-01"),
  })
  .superRefine((gateway, ctx) => {
    // Availability zones are a Premium feature (infra/gateway's zoneProblems relies on this check).
    if (gateway.zones.length > 0 && gateway.sku !== "Premium") {
      ctx.addIssue({
        code: "custom",
        path: ["zones"],
        input: gateway.zones,
        message: `must be empty unless sku is Premium (availability zones need the Premium tier; sku is ${gateway.sku})`,
      });
    } else if (gateway.zones.length > 0 && gateway.capacity % gateway.zones.length !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["capacity"],
        input: gateway.capacity,
        message: `must be a multiple of the number of zones (${gateway.zones.length}): API Management spreads units evenly over its zones`,
      });
    }
  });

export function checkProductionPosture(
  env: EnvironmentName,
  gateway: z.output<typeof gatewaySchema>,
  features: z.output<typeof featuresSchema>,
  ctx: RefinementContext,
): void {
  if (env !== "prod") return;
  if (gateway.sku !== "Premium") {
    ctx.addIssue({
      code: "custom",
      path: ["gateway", "sku"],
      input: gateway.sku,
      message:
        "must be Premium in prod (Developer has no SLA; Premium gives zone redundancy in Internal VNet mode)",
    });
  }
  if (gateway.capacity < 2) {
    ctx.addIssue({
      code: "custom",
      path: ["gateway", "capacity"],
      input: gateway.capacity,
      message: "must be at least 2 units in prod",
    });
  }
  if (gateway.zones.length < 2) {
    ctx.addIssue({
      code: "custom",
      path: ["gateway", "zones"],
      input: gateway.zones,
      message: "must list at least 2 availability zones in prod",
    });
  }
  if (!features.protectStatefulResources) {
    ctx.addIssue({
      code: "custom",
      path: ["features", "protectStatefulResources"],
      input: false,
      message: "must be true in prod (Key Vault, keys and the workspace are protected from deletion)",
    });
  }
}
