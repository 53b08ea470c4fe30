/**
 * Test helpers: one-resource or multi-resource plans in the `pulumi preview --json` shape, evaluated
 * through the real engine (the CLI's analyzer code), filtered to the policy under test.
 */
import { evaluatePlan, type EvaluateOptions, type PolicyReport, type Violation } from "../check/engine";
import type { PlanResourceState, PreviewPlan } from "../check/plan";

export interface Fixture {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** The resource's ID (outputs.id); defaults to a fake ARM-like ID. */
  readonly id?: string;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  /** Property name -> names (not URNs) of fixtures it was computed from. */
  readonly dependsOn?: Readonly<Record<string, readonly string[]>>;
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::mcp-azure-gateway::${type}::${name}`;
}

export function idOf(name: string): string {
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Test/${name}`;
}

export function planOf(fixtures: readonly Fixture[]): PreviewPlan {
  const byName = new Map(fixtures.map((fixture) => [fixture.name, urnOf(fixture.type, fixture.name)]));
  const resolve = (name: string): string => {
    const urn = byName.get(name);
    if (!urn) throw new Error(`fixture ${name} not found`);
    return urn;
  };
  const steps = fixtures.map((fixture) => {
    const urn = urnOf(fixture.type, fixture.name);
    const propertyDependencies = Object.fromEntries(
      Object.entries(fixture.dependsOn ?? {}).map(([key, names]) => [key, names.map(resolve)]),
    );
    const state: PlanResourceState = {
      urn,
      type: fixture.type,
      custom: true,
      ...(fixture.parent ? { parent: resolve(fixture.parent) } : {}),
      inputs: fixture.inputs,
      outputs: { id: fixture.id ?? idOf(fixture.name) },
      dependencies: [
        ...new Set([...(fixture.dependencies ?? []), ...Object.values(propertyDependencies).flat()]),
      ],
      propertyDependencies,
    };
    return { op: "create", urn, newState: state };
  });
  return { steps, changeSummary: { create: steps.length } };
}

export async function evaluate(
  fixtures: readonly Fixture[],
  options: EvaluateOptions = {},
): Promise<PolicyReport> {
  return evaluatePlan(planOf(fixtures), options);
}

/** Violations of one policy over the given resources. */
export async function violations(
  policyName: string,
  fixtures: readonly Fixture[],
  options: EvaluateOptions = {},
): Promise<Violation[]> {
  const report = await evaluate(fixtures, options);
  return report.violations.filter((violation) => violation.policyName === policyName);
}

/** Violations of one policy over one resource of `type` with `inputs`. */
export async function check(
  policyName: string,
  type: string,
  inputs: Record<string, unknown>,
  options: EvaluateOptions = {},
): Promise<Violation[]> {
  return violations(policyName, [{ type, name: "subject", inputs }], options);
}
