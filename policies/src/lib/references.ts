/**
 * Does one resource point at another? Stack policies need this for "every X has a Y that refers to
 * it" (diagnostic settings, private endpoints, flow logs). Under a real preview the referring input
 * (`resourceUri`, `targetResourceId`) is usually unknown because the target does not exist yet, so
 * the engine's record of which resources an input was computed from (`propertyDependencies`) is the
 * primary evidence; an ID string equal to the target's `id` (known after an update) is the other.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isRecord, readSafely, tryGet, UNKNOWN } from "./props";

/** True when `source`'s top-level input `property` was computed from `target` or holds its ID (or a child resource ID). */
export function refersTo(
  source: PolicyResource,
  property: string,
  target: PolicyResource,
  idPath?: string,
): boolean {
  const dependencies = source.propertyDependencies[property] ?? [];
  if (dependencies.some((dependency) => dependency === target || dependency.urn === target.urn)) return true;
  const targetId = tryGet(target.props, "id");
  if (typeof targetId !== "string" || targetId.length === 0) return false;
  const value = tryGet(source.props, idPath ?? property);
  return value !== UNKNOWN && containsId(value, targetId.toLowerCase());
}

function containsId(value: unknown, id: string): boolean {
  if (typeof value === "string")
    return value.toLowerCase() === id || value.toLowerCase().startsWith(`${id}/`);
  if (Array.isArray(value) || isRecord(value)) {
    // Read each element through `readSafely`: iterating a proxied array with `some` would throw on an unknown.
    const keys = Array.isArray(value)
      ? Array.from({ length: value.length }, (_, index) => String(index))
      : Object.keys(value);
    return keys.some((key) => containsId(readSafely(value, key), id));
  }
  return false;
}
