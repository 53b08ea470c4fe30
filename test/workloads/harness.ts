/**
 * Runs test/workloads/fixture-program.ts in a fresh process per scenario (the Pulumi runtime is global
 * state) and reads back the plan it wrote. Shared by the workloads and content-safety suites.
 */
import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";
import {
  fixturePlan,
  type FixtureRun,
  ofType,
  onlyOfType,
  record,
  runFixtureProgram,
} from "../support/fixture";
import type { WorkloadsFixtureOutputs, WorkloadsScenario } from "./scenario";

export { type FixtureRun, ofType, onlyOfType, record, records } from "../support/fixture";

export function runWorkloadsFixture(scenario: WorkloadsScenario): Promise<FixtureRun> {
  return runFixtureProgram("test/workloads/fixture-program.ts", scenario);
}

/** The plan of a run that must have succeeded. */
export function planOf(run: FixtureRun | undefined): PreviewPlan {
  return fixturePlan("workloads", run);
}

/** The resource of a type whose URN ends with `::<name>`. */
export function named(plan: PreviewPlan, type: string, name: string): PlanResourceState {
  const matches = ofType(plan, type).filter((resource) => resource.urn.endsWith(`::${name}`));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
  return matches[0]!;
}

export function fixtureOutputs(plan: PreviewPlan): WorkloadsFixtureOutputs {
  return onlyOfType(plan, "pulumi:pulumi:Stack").outputs as WorkloadsFixtureOutputs;
}

/** Reads a nested value by dotted path (`configuration.ingress.external`). */
export function at(value: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((current, key) => record(current)[key], value);
}

export const TYPES = {
  workloads: "mcpgw:workloads:Workloads",
  contentSafety: "mcpgw:content-safety:ContentSafety",
  environment: "azure-native:app:ManagedEnvironment",
  containerApp: "azure-native:app:ContainerApp",
  authConfig: "azure-native:app:ContainerAppsAuthConfig",
  registry: "azure-native:containerregistry:Registry",
  account: "azure-native:cognitiveservices:Account",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  dnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  privateZone: "azure-native:privatedns:PrivateZone",
  recordSet: "azure-native:privatedns:PrivateRecordSet",
  vnetLink: "azure-native:privatedns:VirtualNetworkLink",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  lock: "azure-native:authorization:ManagementLockByScope",
} as const;
