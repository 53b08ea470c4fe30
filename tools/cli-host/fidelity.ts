/**
 * The CLI-fidelity check: every Pulumi project of a repository loaded the way the Pulumi CLI loads
 * it, against the engine stand-in, and every program's plan analysed by the pack over the Analyzer
 * gRPC interface.
 *
 * - The pack is started through `cmd/run-policy-pack` with an empty ts-node cache, so ts-node
 *   type-checks every file it compiles, exactly as on a clean machine.
 * - Each program directory is type-checked once, by its first run (`cmd/run`, ts-node with type
 *   checking, an empty cache); further stacks of the same directory load the same files with the same
 *   compiler options under `PULUMI_NODEJS_TRANSPILE_ONLY=true`, since config cannot change a type.
 * - A program that fails (a type error, a missing module, an exception) fails the check with what the
 *   CLI would print: the engine's error diagnostics and the process's stderr.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { analyzePlan, loadPackConfig, type PolicyReport } from "../../policies/check/engine";
import type { PreviewPlan } from "../../policies/check/plan";
import { type AnalyzerSession, PolicyPackStartError, startPolicyPack } from "./policy-host";
import { runProgram } from "./program-host";
import { programLocation } from "./project";
import { repositoryProjects, type StackRun } from "./projects";

export interface ProgramOutcome {
  readonly label: string;
  readonly ok: boolean;
  /** Whether this run type-checked its program directory (the first run there). */
  readonly typeChecked: boolean;
  readonly durationMs: number;
  /** What the CLI would print for a failure: error diagnostics, then stderr. */
  readonly message: string;
  readonly plan?: PreviewPlan;
  /** The pack's verdict on the plan, under the environment's pack config. */
  readonly report?: PolicyReport;
}

export interface PackOutcome {
  readonly ok: boolean;
  readonly durationMs: number;
  readonly message: string;
}

export interface FidelityReport {
  readonly ok: boolean;
  readonly pack?: PackOutcome;
  readonly programs: readonly ProgramOutcome[];
  readonly durationMs: number;
}

export interface FidelityOptions {
  /** Load the pack (default true). */
  readonly pack?: boolean;
  /** Only the program runs with these labels (`<project>/<stack>`); default all. */
  readonly programs?: readonly string[];
}

export async function checkCliFidelity(root: string, options: FidelityOptions = {}): Promise<FidelityReport> {
  const started = Date.now();
  const projects = repositoryProjects(path.resolve(root));
  const runs = projects.programs.filter((run) => !options.programs || options.programs.includes(run.label));
  const unknown = (options.programs ?? []).filter(
    (label) => !projects.programs.some((run) => run.label === label),
  );
  if (unknown.length > 0)
    throw new Error(
      `no such program run: ${unknown.join(", ")} (known: ${projects.programs.map((run) => run.label).join(", ")})`,
    );

  const cacheDirectory = mkdtempSync(path.join(os.tmpdir(), "cli-host-pack-ts-node-"));
  let session: AnalyzerSession | undefined;
  let pack: PackOutcome | undefined;
  try {
    // The pack's type check and the first program's run in parallel: two cores, two processes.
    const packStart =
      options.pack === false ? undefined : startPack(projects.policyPackDirectory, cacheDirectory);
    const programs = runPrograms(runs);
    const [packResult, outcomes] = await Promise.all([packStart, programs]);
    session = packResult?.session;
    pack = packResult?.outcome;
    const analysed: ProgramOutcome[] = [];
    for (const outcome of outcomes) {
      const run = runs.find((candidate) => candidate.label === outcome.label);
      if (!session || !outcome.plan || !run) {
        analysed.push(outcome);
        continue;
      }
      const environment = packEnvironment(run);
      const report = await analyzePlan(session, outcome.plan, {
        environment,
        packConfig: loadPackConfig(environment),
      });
      analysed.push({ ...outcome, report });
    }
    return {
      ok: (pack?.ok ?? true) && analysed.every((outcome) => outcome.ok),
      ...(pack ? { pack } : {}),
      programs: analysed,
      durationMs: Date.now() - started,
    };
  } finally {
    session?.close();
    rmSync(cacheDirectory, { recursive: true, force: true });
  }
}

/**
 * The pack config a run is judged by: a stack's own environment; the bootstrap's shared backend is
 * held to the production baseline, as `npm run preview:bootstrap` does.
 */
export function packEnvironment(run: StackRun): string {
  return run.config.values[`${run.project.name ?? ""}:environment`] ?? "prod";
}

async function startPack(
  directory: string,
  cacheDirectory: string,
): Promise<{ session?: AnalyzerSession; outcome: PackOutcome }> {
  const started = Date.now();
  try {
    const session = await startPolicyPack(directory, { cacheDirectory });
    return { session, outcome: { ok: true, durationMs: Date.now() - started, message: "" } };
  } catch (error) {
    const message = error instanceof PolicyPackStartError ? error.output : (error as Error).message;
    return { outcome: { ok: false, durationMs: Date.now() - started, message: message.trimEnd() } };
  }
}

/** Runs programs in order; the first run in each program directory type-checks it. */
async function runPrograms(runs: readonly StackRun[]): Promise<ProgramOutcome[]> {
  const checked = new Set<string>();
  const outcomes: ProgramOutcome[] = [];
  for (const run of runs) {
    const { programDirectory } = programLocation(run.project);
    const typeCheck = !checked.has(programDirectory);
    checked.add(programDirectory);
    const result = await runProgram({
      project: run.project,
      stack: run.stack,
      config: run.config.values,
      secretKeys: run.config.secretKeys,
      placeholders: run.config.placeholders,
      mocks: run.mocks,
      transpileOnly: !typeCheck,
    });
    const message = [...result.errors, result.exitCode === 0 ? "" : result.stderr.trim()]
      .filter((part) => part.length > 0)
      .join("\n");
    outcomes.push({
      label: run.label,
      ok: result.ok,
      typeChecked: typeCheck,
      durationMs: result.durationMs,
      message: result.ok ? "" : message || `exit code ${String(result.exitCode)}`,
      ...(result.ok ? { plan: result.plan } : {}),
    });
  }
  return outcomes;
}

/** A human-readable summary, one line per project run, failures in full. */
export function formatFidelityReport(report: FidelityReport): string {
  const lines: string[] = [];
  if (report.pack) {
    lines.push(
      `${report.pack.ok ? "ok  " : "FAIL"} policy pack (cmd/run-policy-pack, type-checked)  ${seconds(report.pack.durationMs)}`,
    );
    if (!report.pack.ok) lines.push(indent(report.pack.message));
  }
  for (const program of report.programs) {
    const mode = program.typeChecked ? "type-checked" : "transpile-only, directory already type-checked";
    const verdict = program.report
      ? `, pack: ${program.report.mandatoryCount} mandatory, ${program.report.advisoryCount} advisory over ${program.report.resourceCount} resources`
      : "";
    lines.push(
      `${program.ok ? "ok  " : "FAIL"} ${program.label} (cmd/run, ${mode})  ${seconds(program.durationMs)}${verdict}`,
    );
    if (!program.ok) lines.push(indent(program.message));
  }
  lines.push(
    `${report.ok ? "CLI fidelity: every project loads" : "CLI fidelity: FAILED"} (${seconds(report.durationMs)})`,
  );
  return lines.join("\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
}
