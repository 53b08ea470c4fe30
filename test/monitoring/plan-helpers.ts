import { parseStackConfig, type StackConfig } from "../../infra/config";
import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";
import { resourcesOfType, type StackName } from "../support/plans";

/** The validated config of a stack file, as the program sees it. */
export function stackConfig(stack: StackName): StackConfig {
  const engine = loadEngineConfig(stackFilePath(stack));
  const result = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
  if (!result.ok) throw new Error(`stack ${stack} config is invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** The single resource of `type` (fails the test when there are none or several). */
export function only(plan: PreviewPlan, type: string): PlanResourceState {
  const matches = resourcesOfType(plan, type);
  if (matches.length !== 1) throw new Error(`expected one ${type}, found ${matches.length}`);
  return matches[0]!;
}

/** The resource's ARM ID as the mock runtime reported it. */
export function idOf(resource: PlanResourceState): string {
  const id = resource.outputs["id"];
  if (typeof id !== "string") throw new Error(`${resource.urn} has no id output`);
  return id;
}

/** The logical name at the end of a URN. */
export function logicalName(resource: PlanResourceState): string {
  return resource.urn.slice(resource.urn.lastIndexOf("::") + 2);
}

/** The component (by type token) that is the resource's parent. */
export function componentOf(plan: PreviewPlan, resource: PlanResourceState): string | undefined {
  return planResources(plan).find((candidate) => candidate.urn === resource.parent)?.type;
}

/** Everything under `value` as JSON text, for "never mentions X" checks. */
export function text(value: unknown): string {
  return JSON.stringify(value) ?? "";
}
