/**
 * Runs test/edge/fixture-program.ts in a fresh process per scenario (test/support/fixture.ts) and reads
 * back the plan it wrote, in the `pulumi preview --json` shape the rest of the offline tooling uses.
 */
import type { PreviewPlan } from "../../policies/check/plan";
import { fixturePlan, type FixtureRun, onlyOfType, runFixtureProgram } from "../support/fixture";
import type { EdgeFixtureOutputs, EdgeScenario } from "./scenario";

export { type FixtureRun, onlyOfType, record, records } from "../support/fixture";

export function runEdgeFixture(scenario: EdgeScenario): Promise<FixtureRun> {
  return runFixtureProgram("test/edge/fixture-program.ts", scenario);
}

/** The plan of a run that must have succeeded. */
export function planOf(run: FixtureRun): PreviewPlan {
  return fixturePlan("edge", run);
}

export function fixtureOutputs(plan: PreviewPlan): EdgeFixtureOutputs {
  return onlyOfType(plan, "pulumi:pulumi:Stack").outputs as unknown as EdgeFixtureOutputs;
}

export const TYPES = {
  edge: "mcpgw:edge:Edge",
  applicationGateway: "azure-native:network:ApplicationGateway",
  wafPolicy: "azure-native:network:WebApplicationFirewallPolicy",
  publicIp: "azure-native:network:PublicIPAddress",
} as const;
