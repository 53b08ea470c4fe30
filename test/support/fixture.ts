/**
 * The one fixture runner for component-under-mocks tests (`<component>.component.test.ts`).
 * Runs a test-only fixture program (`tsx <program> <scenario.json> <plan.json>`, see
 * tools/offline/mock-run.ts `fixtureProgramMain`) in a fresh process per scenario (the Pulumi runtime is
 * global state) and reads back the plan it wrote, in the `pulumi preview --json` shape the rest of the
 * offline tooling uses.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { REPO_ROOT } from "./plans";
import { TS_NODE_ARGS } from "../../tools/build/node-ts";

export interface FixtureRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly plan?: PreviewPlan;
  /** Wall time of the child process, start to exit (bounds the whole declaration under mocks). */
  readonly elapsedMs: number;
}

/** Runs `program` (a path relative to the repository root) over `scenario`; never rejects. */
export function runFixtureProgram(program: string, scenario: unknown): Promise<FixtureRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `mcpgw-${path.basename(path.dirname(program))}-`));
  const scenarioFile = path.join(dir, "scenario.json");
  const planFile = path.join(dir, "plan.json");
  writeFileSync(scenarioFile, JSON.stringify(scenario));
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...TS_NODE_ARGS, path.join(REPO_ROOT, program), scenarioFile, planFile],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => {
      const plan = existsSync(planFile)
        ? (JSON.parse(readFileSync(planFile, "utf8")) as PreviewPlan)
        : undefined;
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, stdout, stderr, elapsedMs: performance.now() - started, ...(plan ? { plan } : {}) });
    });
  });
}

/** The plan of a run that must have succeeded (`label` names the fixture in the error). */
export function fixturePlan(label: string, run: FixtureRun | undefined): PreviewPlan {
  if (!run || run.status !== 0 || !run.plan)
    throw new Error(`${label} fixture exited ${run?.status}:\n${run?.stderr}\n${run?.stdout}`);
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

/** Plain-object view of an input (plans are JSON); `{}` for anything else. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The records of an array input (arrays of records are the common shape); `[]` for anything else. */
export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null)
    : [];
}

/** The resource of a type whose URN ends with `::<name>`. */
export function named(plan: PreviewPlan, type: string, name: string): PlanResourceState {
  const matches = ofType(plan, type).filter((resource) => resource.urn.endsWith(`::${name}`));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
  return matches[0]!;
}

/** The stack outputs a fixture program exported, typed by the fixture's own outputs interface. */
export function stackOutputs<T>(plan: PreviewPlan): T {
  return onlyOfType(plan, "pulumi:pulumi:Stack").outputs as unknown as T;
}

/** Reads a nested value by dotted path (`configuration.ingress.external`). */
export function at(value: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((current, key) => record(current)[key], value);
}
