import {
  isGuid,
  PROJECT_UUID_NAMESPACE,
  RFC_NAMESPACES,
  stableUuid,
  uuidV5,
} from "../../infra/conventions/uuid";

describe("name-based UUIDs", () => {
  test("uuidV5 matches the RFC test vector (Python's uuid.uuid5(NAMESPACE_DNS, 'www.example.com'))", () => {
    expect(uuidV5("www.example.com", RFC_NAMESPACES.dns)).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  test("the project namespace is pinned to its derivation", () => {
    expect(uuidV5("urn:mcp-azure-gateway", RFC_NAMESPACES.url)).toBe(PROJECT_UUID_NAMESPACE);
  });

  test("results are version 5, RFC variant, lower-case GUIDs", () => {
    for (const name of ["", "a", "MCP.Tools.Read", "ü-unicode", "x".repeat(1000)]) {
      const uuid = uuidV5(name, PROJECT_UUID_NAMESPACE);
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isGuid(uuid)).toBe(true);
    }
  });

  test("stableUuid is deterministic and distinguishes every part", () => {
    const parts = ["tenant", "dev", "api", "app-role", "MCP.Tools.Read"];
    expect(stableUuid(parts)).toBe(stableUuid([...parts]));
    expect(stableUuid(parts)).not.toBe(stableUuid(["tenant", "prod", "api", "app-role", "MCP.Tools.Read"]));
    // Joining with a separator would make these equal; JSON encoding keeps them apart.
    expect(stableUuid(["a/b", "c"])).not.toBe(stableUuid(["a", "b/c"]));
  });

  test("no collisions across many distinct inputs", () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) ids.add(stableUuid(["role", String(i)]));
    expect(ids.size).toBe(5000);
  });

  test("bad input is refused", () => {
    expect(() => stableUuid([])).toThrow(/at least one part/);
    expect(() => uuidV5("x", "not-a-guid")).toThrow(/not a GUID/);
  });
});
