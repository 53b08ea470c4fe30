import {
  NAME_RULES,
  resourceName,
  uniqueSuffix,
  validateName,
  type NamingContext,
  type ResourceKind,
} from "../../infra/conventions/naming";
import { REQUIRED_TAG_KEYS, standardTags } from "../../infra/conventions/tags";

const ctx: NamingContext = {
  prefix: "mcpgw",
  environment: "staging",
  regionCode: "gwc",
  uniquenessSeed: "tenant-a/staging",
};

describe("resource names", () => {
  test.each(Object.keys(NAME_RULES) as ResourceKind[])("%s names satisfy Azure's rule", (kind) => {
    const rule = NAME_RULES[kind];
    for (const purpose of [undefined, "gateway", "private-endpoints"]) {
      const name = resourceName(kind, ctx, purpose);
      expect(name.length).toBeGreaterThanOrEqual(rule.min);
      expect(name.length).toBeLessThanOrEqual(rule.max);
      expect(name).toMatch(rule.pattern);
    }
  });

  test("names are readable and stable", () => {
    expect(resourceName("resourceGroup", ctx)).toBe("rg-mcpgw-staging-gwc");
    expect(resourceName("subnet", ctx, "gateway")).toBe("snet-mcpgw-staging-gwc-gateway");
    // Global names end in the first 5 base-36 digits of SHA-256("<seed>/<prefix>/<env>/<kind>"),
    // computed independently (Python's hashlib) so a change to the suffix scheme fails here. Key Vault's
    // 24 characters leave no room for the region code; storage accounts drop the hyphens.
    expect(resourceName("keyVault", ctx)).toBe("kv-mcpgw-staging-xc7ay");
    expect(resourceName("storageAccount", ctx)).toBe("stmcpgwstaginggwc1byhh");
  });

  test("globally unique names carry a tenant-seeded suffix and differ across tenants", () => {
    const other = { ...ctx, uniquenessSeed: "tenant-b/staging" };
    for (const kind of ["keyVault", "apiManagement", "storageAccount", "containerRegistry"] as const) {
      expect(resourceName(kind, ctx)).not.toBe(resourceName(kind, other));
    }
    expect(resourceName("virtualNetwork", ctx)).toBe(resourceName("virtualNetwork", other));
  });

  test("a long Key Vault name is shortened but keeps its uniqueness suffix", () => {
    const name = resourceName("keyVault", { ...ctx, prefix: "contosoa" });
    expect(name.length).toBeLessThanOrEqual(24);
    expect(name.endsWith(uniqueSuffix(`${ctx.uniquenessSeed}/contosoa/staging/keyVault`))).toBe(true);
  });

  test("compact kinds have no hyphens", () => {
    expect(resourceName("storageAccount", ctx)).toMatch(/^[a-z0-9]{3,24}$/);
    expect(resourceName("containerRegistry", ctx)).toMatch(/^[a-z0-9]{5,50}$/);
  });

  test("invalid names are refused with the rule they break", () => {
    expect(() => validateName("keyVault", "kv")).toThrow(/3-24 characters/);
    expect(() => validateName("keyVault", "kv--double")).toThrow(/consecutive hyphens/);
    expect(() => validateName("storageAccount", "st-with-hyphen")).toThrow(/does not match/);
    expect(() => validateName("apiManagement", "1apim")).toThrow(/does not match/);
  });
});

describe("tags", () => {
  test("every required tag is set from config", () => {
    const tags = standardTags({
      environment: "prod",
      tags: {
        owner: "a@b.com",
        costCenter: "CC-1",
        dataClassification: "confidential",
        repository: "contoso/mcp",
      },
    });
    expect(tags).toEqual({
      environment: "prod",
      owner: "a@b.com",
      costCenter: "CC-1",
      dataClassification: "confidential",
      repository: "contoso/mcp",
      managedBy: "pulumi",
      project: "mcp-azure-gateway",
    });
    for (const key of REQUIRED_TAG_KEYS) expect(tags[key]).toBeTruthy();
    expect(Object.isFrozen(tags)).toBe(true);
  });
});
