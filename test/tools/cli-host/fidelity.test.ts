/**
 * The CLI-fidelity check (tools/cli-host/fidelity.ts): every Pulumi project here loads through the
 * SDK's own entry points with the CLI's arguments and environment, TypeScript type-checked, and the
 * pack analyses each stack's plan over the Analyzer gRPC interface. A project that would not load
 * under the CLI fails the check with the compiler's message.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closePackSession, evaluatePlan, loadPackConfig } from "../../../policies/check/engine";
import {
  checkCliFidelity,
  type FidelityReport,
  formatFidelityReport,
} from "../../../tools/cli-host/fidelity";
import { REPO_ROOT, STACKS, stackPlan } from "../../support/plans";

const MINUTES = 60_000;

/** A copy of what the CLI reads (project files, programs, pack, stacks), sharing node_modules. */
function repositoryCopy(): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), "cli-host-repo-"));
  for (const entry of ["Pulumi.yaml", "package.json", "tsconfig.json", "infra", "policies", "stacks"]) {
    cpSync(path.join(REPO_ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  return copy;
}

afterAll(closePackSession);

describe("this repository under the CLI's loading rules", () => {
  let report: FidelityReport;
  beforeAll(async () => {
    report = await checkCliFidelity(REPO_ROOT);
  }, 20 * MINUTES);

  test("the pack, every stack of the program and the bootstrap load", () => {
    expect(report.ok ? "" : formatFidelityReport(report)).toBe("");
    expect(report.pack?.ok).toBe(true);
    expect(report.programs.map((program) => program.label).sort()).toEqual([
      "mcp-azure-gateway-bootstrap/shared",
      "mcp-azure-gateway/dev",
      "mcp-azure-gateway/prod",
      "mcp-azure-gateway/staging",
    ]);
  });

  test("each program directory was type-checked by its first run", () => {
    const checked = report.programs.filter((program) => program.typeChecked).map((program) => program.label);
    expect(checked).toEqual(["mcp-azure-gateway/dev", "mcp-azure-gateway-bootstrap/shared"]);
  });

  test.each(STACKS)(
    "%s: the program under cmd/run declares exactly the offline preview's plan, and the pack finds the same",
    async (stack) => {
      const outcome = report.programs.find((program) => program.label === `mcp-azure-gateway/${stack}`);
      expect(outcome?.plan).toEqual(stackPlan(stack));
      const offline = await evaluatePlan(stackPlan(stack), {
        environment: stack,
        packConfig: loadPackConfig(stack),
      });
      expect(outcome?.report).toEqual(offline);
      expect(outcome?.report?.mandatoryCount).toBe(0);
    },
  );
});

describe("a project that would not load under the CLI fails the check with the compiler's message", () => {
  test(
    "the pack without policies/tsconfig.json (ts-node falls back to non-strict defaults)",
    async () => {
      const copy = repositoryCopy();
      try {
        rmSync(path.join(copy, "policies", "tsconfig.json"));
        const report = await checkCliFidelity(copy, { programs: [] });
        expect(report.ok).toBe(false);
        expect(report.pack?.ok).toBe(false);
        expect(report.pack?.message).toContain("TSError: ⨯ Unable to compile TypeScript:");
        expect(report.pack?.message).toContain(
          "src/lib/apim.ts(31,98): error TS2339: Property 'error' does not exist on type 'XmlParseResult'.",
        );
        expect(formatFidelityReport(report)).toMatch(/^FAIL policy pack/m);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    },
    10 * MINUTES,
  );

  test(
    "a type error seeded in the bootstrap program",
    async () => {
      const copy = repositoryCopy();
      try {
        const entry = path.join(copy, "infra", "bootstrap", "index.ts");
        const line = readFileSync(entry, "utf8").split("\n").length;
        appendFileSync(entry, 'export const seeded: number = "not a number";\n');
        const report = await checkCliFidelity(copy, {
          pack: false,
          programs: ["mcp-azure-gateway-bootstrap/shared"],
        });
        expect(report.ok).toBe(false);
        const [outcome] = report.programs;
        expect(outcome?.ok).toBe(false);
        expect(outcome?.message).toContain(
          `index.ts(${line},14): error TS2322: Type 'string' is not assignable to type 'number'.`,
        );
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    },
    10 * MINUTES,
  );
});
