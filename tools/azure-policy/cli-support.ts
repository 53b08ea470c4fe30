/**
 * `docs/azure-policy.md` for `npm run docs:controls`: the assessment of every stack plan and the problems
 * that fail the command (a prod definition neither compliant nor exempted, an invalid exemption).
 */
import * as path from "node:path";
import { exemptionProblems, exemptionsFor } from "../../infra/governance/exemptions";
import { planResources, type PreviewPlan } from "../../policies/check/plan";
import { assessPlan, type DefinitionAssessment } from "./assess";
import { loadAliases, loadBenchmarkDefinitions, referenceAvailable } from "./reference";
import { renderAzurePolicyReport } from "./report";

export const AZURE_POLICY_DOC = path.resolve(__dirname, "..", "..", "docs", "azure-policy.md");

/** The stack whose definitions must all be compliant or exempted. */
export const GATED_STACK = "prod";

/**
 * Fixed evaluation time for the report, so the document does not change with the clock: key and secret
 * validity are relative to creation, which this stands in for.
 */
export const REPORT_TIME = new Date("2026-12-01T00:00:00Z");

export interface AzurePolicyReport {
  readonly doc: string;
  readonly assessments: Readonly<Record<string, readonly DefinitionAssessment[]>>;
  readonly problems: readonly string[];
}

export function assessStacks(
  plans: Readonly<Record<string, PreviewPlan>>,
  now: Date = REPORT_TIME,
): Record<string, DefinitionAssessment[]> {
  const definitions = loadBenchmarkDefinitions();
  const aliases = loadAliases();
  return Object.fromEntries(
    Object.entries(plans).map(([stack, plan]) => [
      stack,
      assessPlan(planResources(plan), { definitions, aliases, exemptions: exemptionsFor(stack), now }),
    ]),
  );
}

/** Undefined when the reference definitions are not on this machine. */
export function azurePolicyReport(
  plans: Readonly<Record<string, PreviewPlan>>,
): AzurePolicyReport | undefined {
  if (!referenceAvailable()) return undefined;
  const assessments = assessStacks(plans);
  const problems = [...exemptionProblems([...new Set(Object.keys(plans).flatMap((s) => exemptionsFor(s)))])];
  for (const assessment of assessments[GATED_STACK] ?? []) {
    if (assessment.verdict === "non-compliant")
      problems.push(
        `${GATED_STACK}: ${assessment.definition.displayName} (${assessment.definition.guid}) is neither compliant nor exempted`,
      );
  }
  return {
    doc: renderAzurePolicyReport(assessments, (stack) => exemptionsFor(stack)),
    assessments,
    problems,
  };
}
