import { createHash } from "node:crypto";
import { ARM_ID_TEMPLATES } from "./arm-types";

/** The subscription every offline ID lives in: obviously not a real one. */
export const OFFLINE_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

/** A GUID derived from a seed: stable across runs, so plans are byte-identical for the same config. */
export function deterministicGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class UnknownResourceTypeError extends Error {}

/**
 * Builds the ARM ID for a resource from its type and inputs. Throws for an azure-native type that
 * has no template, so a new resource type can't silently get a made-up ID.
 */
export function armResourceId(type: string, logicalName: string, inputs: Record<string, unknown>): string {
  const template = ARM_ID_TEMPLATES[type];
  if (template === undefined) {
    throw new UnknownResourceTypeError(
      `no ARM ID template for ${type}: add it to tools/offline/arm-types.ts (see docs/CONTRIBUTING.md)`,
    );
  }
  const placeholders = [...template.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]!);
  const last = placeholders[placeholders.length - 1];
  return template.replace(/\{([A-Za-z]+)\}/g, (_match, key: string) => {
    if (key === "subscriptionId") return OFFLINE_SUBSCRIPTION_ID;
    if (key === "rg")
      return `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/resourceGroups/${stringInput(inputs, "resourceGroupName") ?? "unknown-rg"}`;
    const value = stringInput(inputs, key);
    if (value !== undefined) return value.replace(/\/$/, "");
    if (key === last) return logicalName; // auto-named resource
    if (key === "policyId") return "policy";
    throw new Error(`${type} ${logicalName}: input '${key}' is needed for its ARM ID but is not set`);
  });
}

function stringInput(inputs: Record<string, unknown>, key: string): string | undefined {
  const value = inputs[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
