/**
 * Runs test/edge/fixture-program.ts in a fresh process per scenario (the Pulumi runtime is global
 * state) and reads back the plan it wrote, in the `pulumi preview --json` shape the rest of the
 * offline tooling uses.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { REPO_ROOT } from "../support/plans";
import type { EdgeFixtureOutputs, EdgeScenario } from "./scenario";

const TSX_CLI = path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const PROGRAM = path.join(REPO_ROOT, "test", "edge", "fixture-program.ts");

export interface FixtureRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly plan?: PreviewPlan;
}

export function runEdgeFixture(scenario: EdgeScenario): Promise<FixtureRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-edge-"));
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
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, stdout, stderr, ...(plan ? { plan } : {}) });
    });
  });
}

/** The plan of a run that must have succeeded. */
export function planOf(run: FixtureRun): PreviewPlan {
  if (run.status !== 0 || !run.plan)
    throw new Error(`edge fixture exited ${run.status}:\n${run.stderr}\n${run.stdout}`);
  return run.plan;
}

export function onlyOfType(plan: PreviewPlan, type: string): PlanResourceState {
  const matches = planResources(plan).filter((resource) => resource.type === type);
  if (matches.length !== 1) throw new Error(`expected exactly one ${type}, found ${matches.length}`);
  return matches[0]!;
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

/** Plain-object view of an input (plans are JSON; arrays of records are the common shape). */
export function records(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null);
}

export function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
