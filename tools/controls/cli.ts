/**
 * `npm run docs:controls [-- --check] [--plans <dir>]`
 *
 * Regenerates `docs/controls.md` (the controls matrix) and the README's architecture diagram from the code:
 * the claims and component declarations, the policy rules' metadata, and the offline preview plans of the
 * three stacks (run here unless `--plans` names a directory holding `dev.json`, `staging.json`, `prod.json`).
 * `--check` writes nothing and exits 1 when either file is stale. Exit 1 also when the matrix has problems
 * (an unmapped control, an unknown rule): the doc is still written, with the control marked UNMAPPED.
 */
// First import: installs the internal-error handlers before anything else can fail (tools/internal-error).
import { runMain } from "../internal-error/guard";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { asPreviewPlan, planResources, type PreviewPlan } from "../../policies/check/plan";
import { parseFlags } from "../cli/args";
import { architectureBlock, replaceArchitectureBlock } from "./architecture";
import { renderControlsDoc } from "./generate";
import { buildMatrix, claimedResourceTypes, describeTypeClaims } from "./matrix";
import { repositoryMatrixInput } from "./sources";
import { AZURE_POLICY_DOC, azurePolicyReport } from "../azure-policy/cli-support";
import { TS_NODE_ARGS } from "../build/node-ts";

const ROOT = path.resolve(__dirname, "..", "..");
const STACKS = ["dev", "staging", "prod"] as const;
export const CONTROLS_DOC = path.join(ROOT, "docs", "controls.md");
export const README = path.join(ROOT, "README.md");
/** The stack whose plan the README diagram shows. */
export const ARCHITECTURE_STACK = "dev";

function previewPlan(stack: string, dir: string): Promise<PreviewPlan> {
  const file = path.join(dir, `${stack}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...TS_NODE_ARGS, "tools/offline/cli.ts", "--stack", stack, "--json", file, "--quiet"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (status) => {
      // Exit 1 (policy violations) still writes the plan; the matrix only needs its resource types.
      if (existsSync(file)) resolve(asPreviewPlan(JSON.parse(readFileSync(file, "utf8"))));
      else
        reject(new Error(`offline preview of ${stack} exited ${String(status)} without a plan:\n${output}`));
    });
  });
}

async function loadPlans(dir: string | undefined): Promise<Record<string, PreviewPlan>> {
  if (dir) {
    return Object.fromEntries(
      STACKS.map((stack) => [
        stack,
        asPreviewPlan(JSON.parse(readFileSync(path.join(dir, `${stack}.json`), "utf8"))),
      ]),
    );
  }
  const temp = mkdtempSync(path.join(os.tmpdir(), "mcpgw-docs-"));
  const plans = await Promise.all(STACKS.map((stack) => previewPlan(stack, temp)));
  return Object.fromEntries(STACKS.map((stack, index) => [stack, plans[index]!]));
}

async function main(argv: string[]): Promise<number> {
  const values = parseFlags(argv, { check: { type: "boolean", default: false }, plans: { type: "string" } });
  const plans = await loadPlans(values.plans);
  const planTypes = new Set(
    Object.values(plans).flatMap((plan) => planResources(plan).map((resource) => resource.type)),
  );
  const matrix = buildMatrix(repositoryMatrixInput());
  const doc = renderControlsDoc(matrix, { planTypes });
  const readme = readFileSync(README, "utf8");
  const newReadme = replaceArchitectureBlock(
    readme,
    architectureBlock(plans[ARCHITECTURE_STACK]!, ARCHITECTURE_STACK),
  );

  const policyReport = azurePolicyReport(plans);

  const stale: string[] = [];
  if (!existsSync(CONTROLS_DOC) || readFileSync(CONTROLS_DOC, "utf8") !== doc) stale.push("docs/controls.md");
  if (
    policyReport &&
    (!existsSync(AZURE_POLICY_DOC) || readFileSync(AZURE_POLICY_DOC, "utf8") !== policyReport.doc)
  )
    stale.push("docs/azure-policy.md");
  if (newReadme !== readme) stale.push("README.md (architecture block)");
  if (values.check) {
    for (const file of stale) console.error(`stale: ${file} (run npm run docs:controls)`);
  } else {
    writeFileSync(CONTROLS_DOC, doc);
    writeFileSync(README, newReadme);
    if (policyReport) writeFileSync(AZURE_POLICY_DOC, policyReport.doc);
    for (const file of stale) console.log(`updated ${file}`);
    if (stale.length === 0) console.log("docs/controls.md and the README architecture block are up to date");
  }
  for (const line of describeTypeClaims(claimedResourceTypes(matrix), (type) => !planTypes.has(type))) {
    console.log(`not yet in any stack plan (component not wired into infra/index.ts): ${line}`);
  }
  for (const problem of matrix.problems) console.error(`controls matrix: ${problem}`);
  if (!policyReport)
    console.error("docs/azure-policy.md: ../shared/reference/azure-policy not found, not checked");
  for (const problem of policyReport?.problems ?? []) console.error(`azure policy: ${problem}`);
  const failed = matrix.problems.length > 0 || (policyReport?.problems.length ?? 0) > 0;
  return failed || (values.check && stale.length > 0) ? 1 : 0;
}

runMain("docs:controls", () => main(process.argv.slice(2)));
