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
// The analyzer's own error class (declared only in the package's internal typings), so a withheld
// value is reported exactly as an unknown one: advisory "can't run policy during preview".
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UnknownValueError } = require("@pulumi/policy") as {
  UnknownValueError: new (sentinel: string, path: string[]) => Error;
};

/** The analyzer's sentinel for an unknown object (`@pulumi/policy/proxy` `unknownObjectValue`). */
const UNKNOWN_OBJECT_SENTINEL = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

/**
 * Thrown when a rule reads into a value a plan withholds as `"[secret]"`. The Node SDK marks a whole
 * top-level input secret when any value inside it is (`keyvault.Secret`'s `properties` with a secret
 * `value`), so the plan cannot show what is next to the secret; the CLI's analyzer sees plaintext and
 * decides. Offline, the rule is reported like one that reads an unknown value.
 */
export class WithheldValueError extends UnknownValueError {
  constructor(path: string) {
    super(UNKNOWN_OBJECT_SENTINEL, path.split("."));
    this.message = `the value at .${path} is secret in the plan (withheld); the Pulumi CLI evaluates it with the plaintext`;
  }
}

export type Props = Readonly<Record<string, unknown>>;

/** How a secret value appears in a plan file (`pulumi preview --json`, the offline preview). */
export const SECRET_MARKER = "[secret]";

/** Returned by `tryGet` for a value that is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads a dotted path (`properties.sku.name`, `subnets.0.name`); missing segments give `undefined`.
 * Reading through a secret marker throws `WithheldValueError`.
 */
export function get(value: unknown, path: string): unknown {
  let current: unknown = value;
  const segments = path.split(".");
  for (const [index, segment] of segments.entries()) {
    if (current === SECRET_MARKER)
      throw new WithheldValueError(segments.slice(0, index).join(".") || "(value)");
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
  return error instanceof UnknownValueError;
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
  const match =
    /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(
      value.trim(),
    );
  if (!match || value.trim().toUpperCase() === "P" || value.trim().toUpperCase().endsWith("T"))
    return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return (
    (y ?? 0) * 365 +
    (mo ?? 0) * 30 +
    (w ?? 0) * 7 +
    (d ?? 0) +
    ((h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0)) / 86400
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

/** One property of an object or array; `UNKNOWN` if its value is unknown during preview. */
export function readSafely(container: object, key: string): unknown {
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

/**
 * A reference input (an ID, URI or identity) is set: a non-empty value, or a value unknown during
 * preview, which is what a reference to a resource created in the same update looks like.
 */
export function isReferenceSet(value: unknown, path: string): boolean {
  const found = tryGet(value, path);
  return found === UNKNOWN || (found !== undefined && found !== null && found !== "");
}
