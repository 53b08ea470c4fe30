import { createHash } from "node:crypto";

/**
 * Name-based UUIDs (RFC 9562 version 5: SHA-1 over namespace + name). The same inputs give the same
 * UUID on every run and every machine, so IDs that Entra and ARM want as GUIDs (app role and scope
 * IDs, role assignment names) need no random resource and no state to stay stable.
 */

/** The RFC 9562 (formerly RFC 4122) well-known namespaces. */
export const RFC_NAMESPACES = {
  dns: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  url: "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
} as const;

/**
 * This project's namespace: `uuidV5("urn:mcp-azure-gateway", RFC_NAMESPACES.url)`, written out so
 * that no later edit of that expression can silently rotate every derived ID (the test pins both).
 */
export const PROJECT_UUID_NAMESPACE = "517f70a7-7d41-533e-ba9e-7dc780f545c6";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A version 5 UUID of `name` in `namespace` (lower-case, hyphenated). */
export function uuidV5(name: string, namespace: string): string {
  if (!isGuid(namespace)) throw new Error(`UUID namespace "${namespace}" is not a GUID`);
  const digest = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A stable UUID for a tuple of parts, e.g. `stableUuid(["app-role", tenantId, "dev", "MCP.Tools.Read"])`.
 * The parts are JSON-encoded so `["a/b", "c"]` and `["a", "b/c"]` never collide.
 */
export function stableUuid(parts: readonly string[]): string {
  if (parts.length === 0) throw new Error("stableUuid needs at least one part");
  return uuidV5(JSON.stringify(parts), PROJECT_UUID_NAMESPACE);
}
