import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PreviewPlan } from "../../../policies/check/plan";
import { PARTIAL_DIR, QUERY_SOURCE_DIRS } from "../../../tools/kql/sources";
import { REPO_ROOT } from "../../support/plans";

/**
 * Seeds a fault the way a contributor would make it: one line of one `.kql` file changes, so the deployed
 * query changes the same way. The source files are copied to a temp dir and edited there; the plan is
 * copied and the deployed texts are edited identically (workbook queries inside `serializedData` too).
 */
export interface Seeded {
  readonly plan: PreviewPlan;
  readonly dirs: string[];
  readonly partialDir: string;
  /** The edited file, relative to the temp root, as the source index names it (absolute). */
  readonly file: string;
  /** 1-based line of the edit in that file. */
  readonly line: number;
}

function replaceStrings(value: unknown, from: string, to: string, key = ""): unknown {
  if (typeof value === "string") {
    if (key === "serializedData") return JSON.stringify(replaceStrings(JSON.parse(value), from, to));
    return value.split(from).join(to);
  }
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, from, to));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, from, to, k)]));
  }
  return value;
}

/**
 * Replaces the one line `from` (whole line, exact) of `file` (repo-relative) with `to`, in the deployed
 * texts of `resource` only when given (a line several files share), else wherever it is deployed.
 */
export function seedFault(
  plan: PreviewPlan,
  file: string,
  from: string,
  to: string,
  resource?: string,
): Seeded {
  const root = mkdtempSync(path.join(os.tmpdir(), "mcpgw-kql-seed-"));
  for (const dir of [...QUERY_SOURCE_DIRS, PARTIAL_DIR]) {
    cpSync(path.join(REPO_ROOT, dir), path.join(root, dir), { recursive: true });
  }
  const target = path.join(root, file);
  const lines = readFileSync(target, "utf8").split("\n");
  const index = lines.indexOf(from);
  if (index < 0 || lines.indexOf(from, index + 1) >= 0)
    throw new Error(`${file}: "${from}" is not one unique line`);
  lines[index] = to;
  writeFileSync(target, lines.join("\n"));
  // Only the resources the edit reaches are kept: the stacks suite already shows the others pass, and
  // analyzing them again per fault would only cost time.
  const steps = plan.steps.flatMap((step) => {
    if (!step.newState || (resource !== undefined && !step.urn.endsWith(`::${resource}`))) return [];
    const seededStep = replaceStrings(step, from, to) as typeof step;
    return JSON.stringify(seededStep) === JSON.stringify(step) ? [] : [seededStep];
  });
  if (steps.length === 0) throw new Error(`the plan deploys no line "${from}"`);
  const seededPlan: PreviewPlan = { steps, changeSummary: { create: steps.length } };
  return {
    plan: seededPlan,
    dirs: QUERY_SOURCE_DIRS.map((dir) => path.join(root, dir)),
    partialDir: path.join(root, PARTIAL_DIR),
    file: target,
    line: index + 1,
  };
}
