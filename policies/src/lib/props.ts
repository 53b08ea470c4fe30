/**
 * Reading resource inputs the way every rule of the pack does: property paths, case-insensitive
 * comparison, booleans that may arrive as strings, and values that cannot be known.
 *
 * Props handed to a policy are wrapped by CrossGuard in a proxy that throws `UnknownValueError` when a
 * rule reads a value that is unknown during preview; the CLI then reports the rule as advisory
 * ("can't run policy during preview"). Rules read through `get` and let that happen, which is the
 * CLI's own semantics. `tryGet` is for the few places where an unknown value is an answer in itself
 * (a reference to a resource that does not exist yet).
 */
import { UnknownValueError } from "@pulumi/policy";

export type Props = Readonly<Record<string, unknown>>;

/** How a secret value appears in a plan file (`pulumi preview --json`, the offline preview). */
export const SECRET_MARKER = "[secret]";

/** Returned by `tryGet` for a value that is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a dotted path (`properties.sku.name`, `subnets.0.name`); missing segments give `undefined`. */
export function get(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const segment of path.split(".")) {
    if (current === null || current === undefined || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** `get`, but an unknown value yields `UNKNOWN` instead of throwing. */
export function tryGet(value: unknown, path: string): unknown {
  try {
    return get(value, path);
  } catch (error) {
    if (isUnknownError(error)) return UNKNOWN;
    throw error;
  }
}

export function isUnknownError(error: unknown): boolean {
  return error instanceof UnknownValueError || (error instanceof Error && error.name === "UnknownValueError");
}

/** Case-insensitive string equality; anything that is not a string is never equal. */
export function ieq(value: unknown, expected: string): boolean {
  return typeof value === "string" && value.trim().toLowerCase() === expected.toLowerCase();
}

export function inList(value: unknown, allowed: readonly string[]): boolean {
  return allowed.some((candidate) => ieq(value, candidate));
}

/** `true` or the string "true" in any case (ARM accepts both; policies must too). */
export function isTrue(value: unknown): boolean {
  return value === true || ieq(value, "true");
}

export function isFalse(value: unknown): boolean {
  return value === false || ieq(value, "false");
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A value as it appears in a violation message: `missing` or its JSON. */
export function show(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === UNKNOWN) return "unknown";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The last segment of a URN (the resource's logical name). */
export function urnName(urn: string): string {
  const index = urn.lastIndexOf("::");
  return index >= 0 ? urn.slice(index + 2) : urn;
}

/** Whole days in an ISO 8601 duration (`P90D`, `P1Y`, `P6M`, `P2W`, `P1DT12H`); `undefined` if not one. */
export function isoDurationDays(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(value.trim());
  if (!match || value.trim().toUpperCase() === "P" || value.trim().toUpperCase().endsWith("T")) return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return (
    (y ?? 0) * 365 + (mo ?? 0) * 30 + (w ?? 0) * 7 + (d ?? 0) + ((h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0)) / 86400
  );
}

/**
 * Visits every string value below `value` with its path. Unknown values are skipped (a value computed
 * by the engine is not a literal), so one unknown field does not stop the walk.
 */
export function walkStrings(value: unknown, visit: (path: string, text: string) => void, path = ""): void {
  if (typeof value === "string") {
    visit(path, value);
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item = readSafely(value, String(index));
      if (item !== UNKNOWN) walkStrings(item, visit, path ? `${path}.${index}` : String(index));
    }
    return;
  }
  if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      const item = readSafely(value, key);
      if (item !== UNKNOWN) walkStrings(item, visit, path ? `${path}.${key}` : key);
    }
  }
}

function readSafely(container: object, key: string): unknown {
  try {
    return (container as Record<string, unknown>)[key];
  } catch (error) {
    if (isUnknownError(error)) return UNKNOWN;
    throw error;
  }
}

/** Reads `config` merged over the rule's defaults (the CLI applies schema defaults; offline we do too). */
export function withDefaults<T extends object>(config: object, defaults: T): T {
  return { ...defaults, ...(config as Partial<T>) };
}
