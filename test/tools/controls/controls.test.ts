import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { renderControlsDoc, githubSlug } from "../../../tools/controls/generate";
import { COMPONENT_CONTROLS } from "../../../tools/controls/components";
import {
  buildMatrix,
  claimedResourceTypes,
  describeTypeClaims,
  parseSeedReference,
  type MatrixInput,
} from "../../../tools/controls/matrix";
import { SEED_CONTROLS } from "../../../tools/controls/seed-controls";
import { repositoryMatrixInput } from "../../../tools/controls/sources";
import { planResources } from "../../../policies/check/plan";
import { REPO_ROOT, STACKS, stackPlan } from "../../support/plans";

const matrix = buildMatrix(repositoryMatrixInput());

function planTypes(): Set<string> {
  return new Set(STACKS.flatMap((stack) => planResources(stackPlan(stack)).map((resource) => resource.type)));
}

/** Headings of a markdown file as GitHub anchors. */
function anchors(file: string): Set<string> {
  const text = readFileSync(path.join(REPO_ROOT, file), "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set(
    [...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => githubSlug(match[1]!.replace(/`/g, ""))),
  );
}

describe("controls matrix", () => {
  test("has no problems: every control is mapped or out of scope, every rule and control ID exists, every rule is cited", () => {
    expect(matrix.problems).toEqual([]);
    expect(matrix.rows.map((row) => row.control.id)).toEqual(SEED_CONTROLS.map((control) => control.id));
    expect(matrix.rows.filter((row) => row.status === "unmapped")).toEqual([]);
  });

  test("covers the 4 MUSTs, the 48 practices of sections 1-12 and the 16 advanced-pattern controls", () => {
    expect(SEED_CONTROLS.filter((c) => c.id.startsWith("MUST-"))).toHaveLength(4);
    expect(SEED_CONTROLS.filter((c) => /^P\d+\.\d$/.test(c.id))).toHaveLength(48);
    expect(SEED_CONTROLS.filter((c) => /^(ZT|PRIV|IR|CI)\./.test(c.id))).toHaveLength(16);
  });

  test("out-of-scope and documented controls give a reason; partial ones a gap", () => {
    for (const row of matrix.rows) {
      if (row.status === "out-of-scope" || row.status === "documented")
        expect(row.summary.length).toBeGreaterThan(60);
      if (row.status === "partial") expect((row.gap ?? "").length).toBeGreaterThan(20);
    }
  });

  test("every test, artifact and doc a claim names exists (doc anchors included)", () => {
    const missing: string[] = [];
    for (const row of matrix.rows) {
      for (const file of [...row.tests, ...row.artifacts]) {
        if (!existsSync(path.join(REPO_ROOT, file))) missing.push(`${row.control.id}: ${file}`);
      }
      for (const doc of row.docs) {
        const [file, anchor] = doc.split("#");
        if (!existsSync(path.join(REPO_ROOT, file!))) missing.push(`${row.control.id}: ${file}`);
        else if (anchor && !anchors(file!).has(anchor))
          missing.push(`${row.control.id}: ${doc} (no such heading)`);
      }
    }
    expect(missing).toEqual([]);
  });

  test("every component folder with a controls.ts is listed, under the type token its index.ts registers", () => {
    const folders = readdirSync(path.join(REPO_ROOT, "infra"), { withFileTypes: true })
      .filter(
        (entry) =>
          entry.isDirectory() && existsSync(path.join(REPO_ROOT, "infra", entry.name, "controls.ts")),
      )
      .map((entry) => `infra/${entry.name}`)
      .filter((folder) => folder !== "tools/controls");
    expect(COMPONENT_CONTROLS.map((c) => c.folder).sort()).toEqual(folders.sort());
    for (const component of COMPONENT_CONTROLS) {
      const index = readFileSync(path.join(REPO_ROOT, component.folder, "index.ts"), "utf8");
      expect({ folder: component.folder, registers: index.includes(`"${component.component}"`) }).toEqual({
        folder: component.folder,
        registers: true,
      });
    }
  });

  test("claimed resource types are well-formed type tokens", () => {
    const malformed = [...new Set(claimedResourceTypes(matrix).map((claim) => claim.type))].filter(
      (type) =>
        !/^(azure-native:[a-z]+:[A-Z][A-Za-z]+|azuread:index\/[a-zA-Z]+:[A-Z][A-Za-z]+|mcpgw:[a-z-]+:[A-Z][A-Za-z]+)$/.test(
          type,
        ),
    );
    expect(malformed).toEqual([]);
  });

  // Fails while a component that claims controls is not yet wired into infra/index.ts: the list says which
  // claims wait for which resource types.
  test("every claimed resource type is in at least one stack plan (dev, staging, prod)", () => {
    const types = planTypes();
    const waiting = describeTypeClaims(claimedResourceTypes(matrix), (type) => !types.has(type));
    expect(waiting).toEqual([]);
  });

  test("docs/controls.md is up to date (npm run docs:controls)", () => {
    const expected = renderControlsDoc(matrix, { planTypes: planTypes() });
    const file = path.join(REPO_ROOT, "docs", "controls.md");
    expect(existsSync(file)).toBe(true);
    const actual = readFileSync(file, "utf8");
    if (actual !== expected)
      throw new Error("docs/controls.md is stale: run `npm run docs:controls` and commit the result");
  });

  test("docs/controls.md shows no unmapped control", () => {
    const doc = readFileSync(path.join(REPO_ROOT, "docs", "controls.md"), "utf8");
    expect(doc).toMatch(/, 0 unmapped\./);
    expect(doc).not.toContain("UNMAPPED");
  });
});

describe("matrix merge rules", () => {
  const controls = [
    { id: "MUST-1", section: "Mandatory", title: "Token validation" },
    { id: "P4.1", section: "4", title: "Rate limits" },
    { id: "P4.2", section: "4", title: "Adaptive" },
  ];
  const base: MatrixInput = {
    controls,
    claims: {
      "MUST-1": {
        status: "implemented",
        summary: "The gateway validates the audience of every token it sees.",
      },
      "P4.1": { status: "implemented", summary: "Per-user, per-session and per-tool limits at the gateway." },
      "P4.2": {
        status: "out-of-scope",
        summary: "No machine-learning rate limiting; static limits and alerts instead.",
      },
    },
    components: [
      {
        component: "mcpgw:gateway:Gateway",
        folder: "infra/gateway",
        controls: { "P4.1": { how: "rate-limit-by-key" } },
      },
    ],
    rules: [
      { name: "apim-token", seedControls: ["MUST-1 token validation"] },
      { name: "apim-rate", seedControls: ["4 rate limiting and resource protection"] },
    ],
  };

  test("parses the pack's seed references: a control, a section, a control ID", () => {
    expect(parseSeedReference("MUST-1 token validation")).toEqual({ kind: "control", id: "MUST-1" });
    expect(parseSeedReference("4 rate limiting and resource protection")).toEqual({
      kind: "section",
      prefix: "P4",
    });
    expect(parseSeedReference("P10.3 network isolation")).toEqual({ kind: "control", id: "P10.3" });
    expect(parseSeedReference("ZT.2")).toEqual({ kind: "control", id: "ZT.2" });
    expect(parseSeedReference("rate limiting")).toBeUndefined();
  });

  test("a rule that names a control is merged into it; a rule that names a section must be cited by a claim", () => {
    const result = buildMatrix(base);
    expect(result.rows[0]!.policies).toEqual([{ name: "apim-token", via: "rule" }]);
    expect(result.problems).toEqual([
      "policy rule apim-rate declares 4 rate limiting and resource protection but no control of those sections cites it: add it to the claim of the control it implements",
    ]);
    const cited = buildMatrix({
      ...base,
      claims: { ...base.claims, "P4.1": { ...base.claims["P4.1"]!, policies: ["apim-rate"] } },
    });
    expect(cited.problems).toEqual([]);
  });

  test("a missing claim, an implemented claim without evidence and an out-of-scope claim a component contradicts are problems", () => {
    const { "MUST-1": _dropped, ...rest } = base.claims;
    const result = buildMatrix({
      ...base,
      claims: {
        ...rest,
        "P4.1": { ...base.claims["P4.1"]!, policies: ["apim-rate"] },
        "P4.2": { status: "implemented", summary: "Claimed without anything that implements it at all." },
      },
      rules: [base.rules[1]!],
      components: [{ ...base.components[0]!, controls: { "P4.1": { how: "x" }, "ZZ.9": { how: "y" } } }],
    });
    expect(result.problems).toEqual([
      "infra/gateway/controls.ts: unknown control ID ZZ.9",
      "MUST-1 is unmapped: add a claim to tools/controls/claims.ts",
      "P4.2 is unmapped: implemented but no component, policy rule, resource, test or artifact implements it",
    ]);
    const contradicted = buildMatrix({
      ...base,
      claims: {
        ...base.claims,
        "P4.1": { status: "out-of-scope", summary: "Deliberately not done here, for reasons stated." },
      },
    });
    expect(contradicted.problems).toContain(
      "claims.ts P4.1: out of scope, yet mcpgw:gateway:Gateway claims to implement it",
    );
  });

  test("unknown policy names in claims are problems", () => {
    const result = buildMatrix({
      ...base,
      claims: { ...base.claims, "P4.1": { ...base.claims["P4.1"]!, policies: ["apim-rate", "nope"] } },
    });
    expect(result.problems).toEqual(["claims.ts P4.1: unknown policy rule nope"]);
  });
});
