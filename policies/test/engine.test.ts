import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  evaluatePlan,
  formatReport,
  loadPackConfig,
  PackConfigError,
  parsePackConfig,
} from "../check/engine";
import { CONFIG_DIR, packConfigPath, readPackConfigFile } from "../check/pack-config";
import { allPolicies } from "../src";
import { T } from "../src/lib/types";
import { check, evaluate, planOf } from "./harness";

const weakVault = { properties: { sku: { family: "A", name: "standard" } } };

describe("enforcement levels, as the CLI resolves them", () => {
  test("policy entry > all > the policy's own level; disabled drops the policy", async () => {
    const rule = "keyvault-premium-sku";
    const level = async (packConfig: Parameters<typeof parsePackConfig>[0]): Promise<string[]> =>
      (await check(rule, T.vault, weakVault, { packConfig: parsePackConfig(packConfig, "test") })).map(
        (v) => v.enforcementLevel,
      );
    expect(await level({})).toEqual(["mandatory"]);
    expect(await level({ all: "advisory" })).toEqual(["advisory"]);
    expect(await level({ all: "advisory", [rule]: "mandatory" })).toEqual(["mandatory"]);
    expect(await level({ [rule]: { enforcementLevel: "disabled" } })).toEqual([]);
    expect(await level({ all: "disabled" })).toEqual([]);
  });

  test("mandatory and advisory counts", async () => {
    const report = await evaluate([
      { type: T.vault, name: "kv", inputs: weakVault },
      { type: T.roleDefinition, name: "role", inputs: {} },
    ]);
    expect(report.mandatoryCount).toBe(
      report.violations.filter((v) => v.enforcementLevel === "mandatory").length,
    );
    expect(report.advisoryCount).toBeGreaterThanOrEqual(1);
    expect(report.mandatoryCount + report.advisoryCount).toBe(report.violations.length);
  });
});

describe("unknowns and notApplicable, as the CLI reports them", () => {
  test("a rule that reads an unknown value is advisory 'can't run policy during preview'", async () => {
    const found = await check("keyvault-premium-sku", T.vault, { properties: { sku: "[unknown]" } });
    expect(found).toEqual([
      expect.objectContaining({
        enforcementLevel: "advisory",
        message: expect.stringMatching(
          /^can't run policy 'keyvault-premium-sku' from policy pack 'mcp-azure-gateway@v[\d.]+' during preview: .*sku/,
        ),
      }),
    ]);
  });

  test("the engine's own unknown sentinel (a real preview's JSON) behaves the same", async () => {
    const found = await check("keyvault-premium-sku", T.vault, {
      properties: { sku: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
    });
    expect(found[0]?.enforcementLevel).toBe("advisory");
  });

  test("policies for other types are reported notApplicable, with a count", async () => {
    const report = await evaluate([
      { type: T.vault, name: "a", inputs: weakVault },
      { type: T.vault, name: "b", inputs: weakVault },
    ]);
    expect(report.notApplicable).toContainEqual({
      policyName: "tls-apim-protocols-ciphers",
      reason: `Policy only applies to resources of type '${T.apimService}'`,
      count: 2,
    });
    expect(report.notApplicable.find((entry) => entry.policyName === "network-flow-logs")?.count).toBe(1);
  });

  test("rule config: schema defaults, overridden per environment", async () => {
    const key = { properties: { kty: "RSA-HSM", keySize: 2048 } };
    expect(await check("keyvault-key-hsm-type", T.key, key)).toHaveLength(1);
    const packConfig = parsePackConfig({ "keyvault-key-hsm-type": { minimumRsaKeySize: 2048 } }, "test");
    expect(await check("keyvault-key-hsm-type", T.key, key, { packConfig })).toEqual([]);
  });
});

describe("plans", () => {
  test("deleted resources are not evaluated; same/update steps are", async () => {
    const plan = planOf([{ type: T.vault, name: "kv", inputs: weakVault }]);
    const step = plan.steps[0]!;
    const deleted = await evaluatePlan({ ...plan, steps: [{ ...step, op: "delete" }] });
    expect(deleted.resourceCount).toBe(0);
    const same = await evaluatePlan({ ...plan, steps: [{ ...step, op: "same" }] });
    expect(same.violations.some((v) => v.policyName === "keyvault-premium-sku")).toBe(true);
  });

  test("formatReport prints a table of rule, level, resource, finding and a summary", async () => {
    const report = await evaluate([{ type: T.vault, name: "kv", inputs: weakVault }], { environment: "dev" });
    const text = formatReport(report);
    expect(text).toMatch(/^RULE\s+LEVEL\s+RESOURCE\s+MESSAGE/);
    expect(text).toMatch(
      /keyvault-premium-sku\s+mandatory\s+urn:pulumi:test::mcp-azure-gateway::azure-native:keyvault:Vault::kv\s+properties.sku.name must be "premium" \(got "standard"\)\./,
    );
    expect(text).toMatch(
      /\(environment dev\): \d+ policies over 1 resources: \d+ mandatory, 0 advisory violation\(s\)\.$/,
    );
    expect(formatReport(await evaluate([]))).not.toContain("RULE");
  });
});

describe("the pack as the CLI loads it", () => {
  test("analyzer info (the CLI's first call) lists every policy with its type, level, severity and schema", () => {
    // @pulumi/policy/protoutil ships no declarations; the shape used here is the protobuf AnalyzerInfo.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { makeAnalyzerInfo } = require("@pulumi/policy/protoutil") as {
      makeAnalyzerInfo(
        name: string,
        version: string,
        level: string,
        args: { policies: unknown[] },
      ): {
        getPoliciesList(): {
          getName(): string;
          getPolicyType(): number;
          getConfigschema(): unknown;
          getTagsList(): string[];
        }[];
      };
    };
    const info = makeAnalyzerInfo("mcp-azure-gateway", "0.1.0", "mandatory", { policies: [...allPolicies] });
    const listed = info.getPoliciesList();
    expect(listed.map((policy) => policy.getName())).toEqual(allPolicies.map((policy) => policy.name));
    for (const [index, policy] of allPolicies.entries()) {
      expect(listed[index]?.getTagsList()).toContain(policy.area);
      expect(listed[index]?.getConfigschema() !== undefined).toBe(policy.configSchema !== undefined);
    }
  });
});

describe("pack config files", () => {
  test.each(["dev", "staging", "prod"])("policies/config/%s.json is valid", (environment) => {
    const config = loadPackConfig(environment);
    expect(config.source).toBe(packConfigPath(environment));
  });

  test("every policy name in the files exists and prod makes the baseline mandatory", () => {
    expect(loadPackConfig("prod").all).toBe("mandatory");
    expect(path.dirname(packConfigPath("dev"))).toBe(CONFIG_DIR);
  });

  test.each([
    [[], /expected a JSON object/],
    [{ all: "strict" }, /all: expected one of advisory, mandatory, remediate, disabled/],
    [{ "no-such-rule": "mandatory" }, /no-such-rule: no policy of that name/],
    [
      { "keyvault-premium-sku": { minimumRsaKeySize: 1 } },
      /keyvault-premium-sku: the policy takes no configuration/,
    ],
    [
      { "keyvault-key-hsm-type": { minimumRsaKeySize: 1024 } },
      /keyvault-key-hsm-type.minimumRsaKeySize: expected one of 2048, 3072, 4096/,
    ],
    [{ "keyvault-key-hsm-type": { minimumRsaKeySize: "3072" } }, /expected integer/],
    [{ "keyvault-key-hsm-type": { minRsa: 3072 } }, /keyvault-key-hsm-type.minRsa: not allowed/],
    [{ "keyvault-key-hsm-type": { enforcementLevel: "hard" } }, /enforcementLevel: expected one of/],
    [{ "secrets-no-literal-secrets": { allowedSecretInputs: ["no-hash"] } }, /does not match/],
  ])("invalid: %j", (raw, message) => {
    expect(() => parsePackConfig(raw, "x.json")).toThrow(PackConfigError);
    expect(() => parsePackConfig(raw, "x.json")).toThrow(message);
  });

  test("every problem is reported at once", () => {
    try {
      parsePackConfig({ all: "x", nope: "mandatory" }, "x.json");
      throw new Error("expected PackConfigError");
    } catch (error) {
      expect((error as PackConfigError).problems).toHaveLength(2);
    }
  });

  test("missing file and bad JSON are clear errors", () => {
    expect(() => loadPackConfig("no-such-environment")).toThrow(/file not found/);
    expect(() => loadPackConfig("../etc")).toThrow(/not an environment name/);
    const dir = mkdtempSync(path.join(os.tmpdir(), "packcfg-"));
    writeFileSync(path.join(dir, "bad.json"), "{");
    expect(() => readPackConfigFile(path.join(dir, "bad.json"))).toThrow(/bad.json:\n {2}- not valid JSON/);
    writeFileSync(path.join(dir, "good.json"), '{ "all": "advisory" }');
    expect(readPackConfigFile(path.join(dir, "good.json")).all).toBe("advisory");
  });

  test("rule names are unique, never 'all', and enforcementLevel is not a config property", () => {
    const names = allPolicies.map((policy) => policy.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain("all");
    for (const policy of allPolicies)
      expect(Object.keys(policy.configSchema?.properties ?? {})).not.toContain("enforcementLevel");
  });
});
