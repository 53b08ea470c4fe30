import type { PlanStep, PreviewPlan } from "../../policies/check/plan";
import { SECRET_PLACEHOLDER } from "../../policies/check/plan";
import type { RecordedResource } from "./recorder";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Replaces every secret envelope with "[secret]" and unknowns with "[unknown]"; sorts object keys.
 *
 * The SDK lifts secrecy to the top-level input (`properties` of a Key Vault secret turns secret as a
 * whole when `properties.value` is). When `secretLeaf` recognises the secret values inside an
 * envelope, only those leaves become "[secret]" and the rest of the structure stays readable, so
 * rules such as "Key Vault secrets carry an expiry" can run offline. An envelope with no
 * recognised leaf is withheld whole, exactly as `pulumi preview --json` shows it.
 */
export function sanitize(value: unknown, secretLeaf?: (leaf: string) => boolean): unknown {
  if (value === UNKNOWN) return "[unknown]";
  if (Array.isArray(value)) return value.map((item) => sanitize(item, secretLeaf));
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) {
      const inner = record["value"];
      if (secretLeaf && typeof inner === "object" && inner !== null && containsLeaf(inner, secretLeaf)) {
        return redactLeaves(sanitize(inner, secretLeaf), secretLeaf);
      }
      return SECRET_PLACEHOLDER;
    }
    if (SIG_KEY in record) return `[${String(record[SIG_KEY])}]`; // assets, resource references: not plan data
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, sanitize(record[key], secretLeaf)]),
    );
  }
  return value;
}

function containsLeaf(value: unknown, secretLeaf: (leaf: string) => boolean): boolean {
  if (typeof value === "string") return secretLeaf(value);
  if (Array.isArray(value)) return value.some((item) => containsLeaf(item, secretLeaf));
  if (typeof value === "object" && value !== null)
    return Object.values(value).some((item) => containsLeaf(item, secretLeaf));
  return false;
}

function redactLeaves(value: unknown, secretLeaf: (leaf: string) => boolean): unknown {
  if (typeof value === "string") return secretLeaf(value) ? SECRET_PLACEHOLDER : value;
  if (Array.isArray(value)) return value.map((item) => redactLeaves(item, secretLeaf));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactLeaves(item, secretLeaf)]),
    );
  }
  return value;
}

/** True when the value holds a secret envelope anywhere (used by tests to assert secrecy). */
export function containsSecretEnvelope(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSecretEnvelope);
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) return true;
    return Object.values(record).some(containsSecretEnvelope);
  }
  return false;
}

/**
 * Orders resources parent-first, siblings by URN, so the same config always yields the same file
 * (registrations complete in whatever order the event loop runs them).
 */
export function buildPlan(
  recorded: readonly RecordedResource[],
  stackOutputs: Record<string, unknown>,
  secretLeaf?: (leaf: string) => boolean,
): PreviewPlan {
  const children = new Map<string | undefined, RecordedResource[]>();
  const known = new Set(recorded.map((r) => r.urn));
  for (const resource of recorded) {
    const parent = resource.parent && known.has(resource.parent) ? resource.parent : undefined;
    const list = children.get(parent) ?? [];
    list.push(resource);
    children.set(parent, list);
  }
  const ordered: RecordedResource[] = [];
  const visit = (parent: string | undefined): void => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) =>
      a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0,
    );
    for (const resource of list) {
      ordered.push(resource);
      visit(resource.urn);
    }
  };
  visit(undefined);

  const steps: PlanStep[] = ordered.map((resource) => ({
    op: "create",
    urn: resource.urn,
    newState: {
      urn: resource.urn,
      type: resource.type,
      custom: resource.custom,
      ...(resource.parent ? { parent: resource.parent } : {}),
      inputs: sanitize(resource.inputs, secretLeaf) as Record<string, unknown>,
      outputs:
        resource.type === "pulumi:pulumi:Stack"
          ? (sanitize(stackOutputs, secretLeaf) as Record<string, unknown>)
          : resource.custom && resource.id
            ? { id: resource.id }
            : {},
      dependencies: [...new Set(resource.dependencies)].sort(),
      propertyDependencies: Object.fromEntries(
        Object.keys(resource.propertyDependencies)
          .sort()
          .map((key) => [key, [...new Set(resource.propertyDependencies[key])].sort()]),
      ),
      protect: resource.protect,
      ...(resource.retainOnDelete ? { retainOnDelete: true } : {}),
    },
  }));
  return { steps, changeSummary: { create: steps.length } };
}
