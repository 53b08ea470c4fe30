import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PreviewPlan } from "../../../policies/check/plan";
import { runTsCli, stackPlan, STACKS } from "../../support/plans";

const CLI = "tools/kql/cli.ts";
const planPath = (stack: string) => path.join(process.env["MCPGW_PLAN_DIR"]!, `${stack}.json`);

describe("npm run check:kql", () => {
  it("exits 0 over every stack's plan, with a summary per stack", () => {
    const run = runTsCli(
      CLI,
      STACKS.flatMap((stack) => ["--plan", `${stack}=${planPath(stack)}`]),
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const stack of STACKS)
      expect(run.stdout).toMatch(new RegExp(`${stack} \\d+ in \\d+ resource\\(s\\)`));
    expect(run.stdout).toMatch(/: 0 error\(s\)\.\n$/);
  });

  it("exits 1 and names stack, resource, source file, line and the analyzer's message", () => {
    // A parameter value is rendered on its template line, so this fault still maps to the real file.
    const plan = stackPlan("prod");
    const text = JSON.stringify(plan);
    const from = "| where Failures >= ";
    expect(text).toContain(from);
    const seeded = JSON.parse(
      text.replace(/\| where Failures >= \d+/, '| where Failures >= \\"five\\"'),
    ) as PreviewPlan;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "mcpgw-kql-cli-")), "prod.json");
    writeFileSync(file, JSON.stringify(seeded));
    const source = "infra/sentinel/queries/token-audience-issuer-failures.kql";
    const line = readFileSync(source, "utf8").split("\n").indexOf("| where Failures >= {{minFailures}}") + 1;
    expect(line).toBeGreaterThan(0);

    const run = runTsCli(CLI, ["--plan", file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `${source}:${line}: prod azure-native:securityinsights:ScheduledAlertRule rule-mcp-token-audience-issuer-failures (query,`,
    );
    expect(run.stdout).toContain(
      "KS106 The operator '>=' is not defined for the operand types long and string.",
    );
    expect(run.stdout).toMatch(/: 1 error\(s\)\.\n$/);
  });

  it("exits 2 on bad usage and on a plan it cannot read", () => {
    expect(runTsCli(CLI, ["--nope"]).status).toBe(2);
    expect(runTsCli(CLI, ["--stack", "nosuchstack"]).status).toBe(2);
    const run = runTsCli(CLI, ["--plan", "/nonexistent/plan.json"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("cannot read the plan /nonexistent/plan.json");
  });
});
