import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { allPolicies } from "../src";
import { NOT_MIRRORED } from "../src/coverage";
import { AZURE_BUILTINS } from "../src/lib/azure-builtins";
import { AREAS, isPackStackPolicy, SEED } from "../src/lib/metadata";
import { ANY_TYPE } from "../src/lib/rule";
import { LEGACY_ALIASES, T } from "../src/lib/types";

const REFERENCE = path.resolve(__dirname, "..", "..", "..", "shared", "reference");
const INDEX = path.join(REFERENCE, "azure-policy", "INDEX.tsv");
const describeWithReference = existsSync(INDEX) ? describe : describe.skip;

function indexRows(): { file: string; displayName: string; id: string }[] {
  const [header, ...lines] = readFileSync(INDEX, "utf8").trim().split("\n");
  const columns = (header ?? "").split("\t");
  return lines.map(
    (line) =>
      Object.fromEntries(line.split("\t").map((cell, index) => [columns[index], cell])) as {
        file: string;
        displayName: string;
        id: string;
      },
  );
}

describeWithReference("Azure built-in definitions (shared/reference/azure-policy)", () => {
  test("the pack's table matches INDEX.tsv: file, GUID and display name", () => {
    const rows = indexRows();
    expect(Object.keys(AZURE_BUILTINS)).toHaveLength(rows.length);
    for (const row of rows) {
      expect(AZURE_BUILTINS[row.file.replace(/\.json$/, "") as keyof typeof AZURE_BUILTINS]).toEqual({
        guid: row.id,
        displayName: row.displayName,
      });
    }
  });

  test("every definition is mirrored by a rule or listed as not mirrored with a reason, never both", () => {
    const mirrored = new Set<string>(
      allPolicies.flatMap((policy) => policy.azureBuiltins.map((builtin) => builtin.guid)),
    );
    const excluded = new Map<string, string>(
      NOT_MIRRORED.map((entry) => [AZURE_BUILTINS[entry.file].guid, entry.reason]),
    );
    for (const row of indexRows()) {
      const accounted = mirrored.has(row.id) || excluded.has(row.id);
      expect({ file: row.file, accounted }).toEqual({ file: row.file, accounted: true });
      expect({ file: row.file, both: mirrored.has(row.id) && excluded.has(row.id) }).toEqual({
        file: row.file,
        both: false,
      });
    }
    for (const reason of excluded.values()) expect(reason.length).toBeGreaterThan(20);
  });
});

describeWithReference("third-party rule sets (shared/reference/rulesets)", () => {
  test("every ruleset ID a rule cites exists in the Checkov or PSRule summaries", () => {
    const text = ["checkov-arm-checks.tsv", "psrule-azure-rules.tsv"]
      .map((file) => readFileSync(path.join(REFERENCE, "rulesets", file), "utf8"))
      .join("\n");
    const known = new Set(
      [...text.matchAll(/\b(CKV_AZURE_\d+|Azure\.[A-Za-z]+\.[A-Za-z]+)\b/g)].map((match) => match[1]),
    );
    // Checkov's NSG port rules (CKV_AZURE_9/10) appear in the summary without IDs.
    const cited = allPolicies
      .flatMap((policy) => policy.rulesets ?? [])
      .filter((id) => !["CKV_AZURE_9", "CKV_AZURE_10"].includes(id));
    expect(cited.filter((id) => !known.has(id))).toEqual([]);
  });
});

describe("rule metadata", () => {
  const seeds = new Set<string>(Object.values(SEED));
  test.each(allPolicies.map((policy) => [policy.name, policy] as const))(
    "%s is complete",
    (_name, policy) => {
      expect(policy.name).toMatch(new RegExp(`^(${AREAS.join("|")})-[a-z0-9-]+$`));
      expect(AREAS).toContain(policy.area);
      expect(policy.name.startsWith(`${policy.area}-`)).toBe(true);
      expect(policy.description.length).toBeGreaterThan(40);
      expect(policy.remediationSteps.length).toBeGreaterThan(20);
      expect(["low", "medium", "high", "critical"]).toContain(policy.severity);
      expect(["advisory", "mandatory"]).toContain(policy.enforcementLevel);
      expect(policy.seedControls.length).toBeGreaterThan(0);
      for (const control of policy.seedControls) expect(seeds).toContain(control);
      expect(policy.resourceTypes.length).toBeGreaterThan(0);
      expect(isPackStackPolicy(policy) ? typeof policy.validateStack : typeof policy.validateResource).toBe(
        "function",
      );
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        expect({ key, hasDefault: typeof schema === "object" && schema.default !== undefined }).toEqual({
          key,
          hasDefault: true,
        });
      }
    },
  );

  test("the security baseline is mandatory by default; the advisory rules say why", () => {
    for (const policy of allPolicies.filter((p) => p.enforcementLevel === "advisory")) {
      expect({
        name: policy.name,
        explains: /advisory|review|defence in depth/i.test(policy.description),
      }).toEqual({ name: policy.name, explains: true });
    }
    expect(allPolicies.filter((p) => p.enforcementLevel === "mandatory").length).toBeGreaterThan(40);
  });

  test("every seed practice the pack can enforce in infrastructure is enforced by some rule", () => {
    const enforced = new Set(allPolicies.flatMap((policy) => policy.seedControls));
    for (const control of [
      SEED.tokenValidation,
      SEED.authorizationVerification,
      SEED.secureCommunication,
      SEED.secureStorage,
      SEED.logging,
      SEED.tokenManagement,
      SEED.rateLimiting,
      SEED.toolExecution,
    ]) {
      expect(enforced).toContain(control);
    }
  });
});

describe("type tokens", () => {
  test("every token the rules use is a real SDK type", () => {
    const tokens = new Set<string>(Object.values(T));
    for (const policy of allPolicies)
      for (const type of policy.resourceTypes) if (type !== ANY_TYPE) expect(tokens).toContain(type);
    for (const token of tokens) {
      const [provider, module, name] = token.split(":");
      const pkg = path.dirname(require.resolve(`@pulumi/${provider}/package.json`));
      const dir = provider === "azuread" ? pkg : path.join(pkg, module ?? "");
      const base = provider === "azuread" ? ((module ?? "").split("/")[1] ?? "") : (name ?? "");
      const file = readdirSync(dir).find(
        (candidate) => candidate.toLowerCase() === `${base.toLowerCase()}.js`,
      );
      const source = file ? readFileSync(path.join(dir, file), "utf8") : "";
      expect({ token, found: source.includes(`__pulumiType = '${token}'`) }).toEqual({ token, found: true });
    }
    for (const current of Object.values(LEGACY_ALIASES)) expect(tokens).toContain(current);
  });
});
