/**
 * Runs test/workloads/fixture-program.ts in a fresh process per scenario (the Pulumi runtime is global
 * state) and reads back the plan it wrote. Shared by the workloads and content-safety suites.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { REPO_ROOT } from "../support/plans";
import type { WorkloadsFixtureOutputs, WorkloadsScenario } from "./scenario";

const TSX_CLI = path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const PROGRAM = path.join(REPO_ROOT, "test", "workloads", "fixture-program.ts");

export interface FixtureRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly plan?: PreviewPlan;
}

export function runWorkloadsFixture(scenario: WorkloadsScenario): Promise<FixtureRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-workloads-"));
  const scenarioFile = path.join(dir, "scenario.json");
  const planFile = path.join(dir, "plan.json");
  writeFileSync(scenarioFile, JSON.stringify(scenario));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX_CLI, PROGRAM, scenarioFile, planFile], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => {
      const plan = existsSync(planFile)
        ? (JSON.parse(readFileSync(planFile, "utf8")) as PreviewPlan)
        : undefined;
      resolve({ status, stdout, stderr, ...(plan ? { plan } : {}) });
    });
  });
}

/** The plan of a run that must have succeeded. */
export function planOf(run: FixtureRun | undefined): PreviewPlan {
  if (!run || run.status !== 0 || !run.plan)
    throw new Error(`workloads fixture exited ${run?.status}:\n${run?.stderr}\n${run?.stdout}`);
  return run.plan;
}

export function ofType(plan: PreviewPlan, type: string): PlanResourceState[] {
  return planResources(plan).filter((resource) => resource.type === type);
}

export function onlyOfType(plan: PreviewPlan, type: string): PlanResourceState {
  const matches = ofType(plan, type);
  if (matches.length !== 1) throw new Error(`expected exactly one ${type}, found ${matches.length}`);
  return matches[0]!;
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

export function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null)
    : [];
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
