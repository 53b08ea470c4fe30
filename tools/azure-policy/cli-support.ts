/**
 * `docs/azure-policy.md` for `npm run docs:controls`: the assessment of every stack plan and the problems
 * that fail the command (a prod definition neither compliant nor exempted, an invalid exemption).
 */
import * as path from "node:path";
import { exemptionProblems, exemptionsFor } from "../../policies/src/lib/exemption-declarations";
import { planResources, type PreviewPlan } from "../../policies/check/plan";
import { assessPlan, type DefinitionAssessment } from "./assess";
import { loadAliases, loadBenchmarkDefinitions, referenceAvailable } from "./reference";
import { renderAzurePolicyReport } from "./report";

export const AZURE_POLICY_DOC = path.resolve(__dirname, "..", "..", "docs", "azure-policy.md");

/** The stack whose definitions must all be compliant or exempted. */
export const GATED_STACK = "prod";

/**
 * Evaluation time: stands in for the creation time of the Key Vault objects a plan creates (they are
 * created when it is applied). The report shows verdicts only, so it changes with the clock only when a
 * finding does (a secret's fixed expiry coming within the benchmark's window, an exemption expiring).
 */
export function reportTime(): Date {
  return new Date();
}

export interface AzurePolicyReport {
  readonly doc: string;
  readonly assessments: Readonly<Record<string, readonly DefinitionAssessment[]>>;
  readonly problems: readonly string[];
}

export function assessStacks(
  plans: Readonly<Record<string, PreviewPlan>>,
  now: Date = reportTime(),
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
  // An expired declaration fails the report: the deviation must be reviewed, renewed or removed.
  const today = reportTime().toISOString().slice(0, 10);
  const problems = [
    ...exemptionProblems([...new Set(Object.keys(plans).flatMap((s) => exemptionsFor(s)))], { today }),
  ];
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
