/**
 * Runs a Pulumi program the way `pulumi preview` does: the Node.js language host's command line and
 * environment (project.ts) around `@pulumi/pulumi/cmd/run`, in the program directory, against the
 * engine stand-in (engine.ts). TypeScript goes through the SDK's own ts-node registration, type
 * checking included unless `transpileOnly` asks for `PULUMI_NODEJS_TRANSPILE_ONLY=true` (a switch the
 * CLI honours too) for a directory already type-checked with the same options.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { PreviewPlan } from "../../policies/check/plan";
import { buildPlan } from "../offline/plan-builder";
import type { RecordedResource } from "../offline/recorder";
import { secretLeafMatcher } from "../offline/stack-files";
import { type EngineLog, startEngine } from "./engine";
import { programLocation, type ProjectFile, resolveSdkEntry, runArguments, runEnvironment } from "./project";

export interface ProgramRunOptions {
  readonly project: ProjectFile;
  readonly stack: string;
  /** Engine config, full keys (`<namespace>:<name>`), structured values as JSON text. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /**
   * Secret keys whose value is a placeholder (`secretPlaceholder`): the plan redacts only the leaves
   * holding one inside a secret envelope, as the offline preview does (tools/offline/plan-builder.ts).
   */
  readonly placeholders?: readonly string[];
  readonly mocks: pulumi.runtime.Mocks;
  /** `pulumi preview` (true, the default) or `pulumi up`. */
  readonly dryRun?: boolean;
  /** Skip ts-node's type check (PULUMI_NODEJS_TRANSPILE_ONLY=true); the default type-checks. */
  readonly transpileOnly?: boolean;
  readonly timeoutMs?: number;
}

export interface ProgramRunResult {
  /** The process's exit code (the language host treats anything but 0 as a failed update). */
  readonly exitCode: number | null;
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly logs: readonly EngineLog[];
  /** Error-level engine logs: what `pulumi preview` prints as `error:` diagnostics. */
  readonly errors: readonly string[];
  readonly recorded: readonly RecordedResource[];
  readonly plan: PreviewPlan;
  readonly programDirectory: string;
  readonly durationMs: number;
}

/** The organization a self-managed backend reports (`pulumi whoami` there: "organization"). */
export const ORGANIZATION = "organization";

export async function runProgram(options: ProgramRunOptions): Promise<ProgramRunResult> {
  const { project } = options;
  if (!project.name) throw new Error(`${project.file} has no project name`);
  const { programDirectory, entryPoint } = programLocation(project);
  const started = Date.now();
  const engine = await startEngine({ project: project.name, stack: options.stack, mocks: options.mocks });
  // A fresh ts-node cache: a warm one skips type checks of unchanged files (ts-node 7 keys it by file
  // content only), which would hide errors a first run on a clean machine reports.
  const cacheDirectory = mkdtempSync(path.join(os.tmpdir(), "cli-host-ts-node-"));
  try {
    const args = runArguments({
      runPath: resolveSdkEntry(programDirectory, "cmd/run"),
      monitorAddress: engine.address,
      engineAddress: engine.address,
      organization: ORGANIZATION,
      project: project.name,
      rootDirectory: project.rootDirectory,
      stack: options.stack,
      programDirectory,
      entryPoint,
      dryRun: options.dryRun ?? true,
      parallel: 16,
    });
    const env: NodeJS.ProcessEnv = {
      ...inheritedEnvironment(),
      ...runEnvironment(options.config, options.secretKeys, project.options),
      TS_NODE_CACHE_DIRECTORY: cacheDirectory,
    };
    if (options.transpileOnly) env["PULUMI_NODEJS_TRANSPILE_ONLY"] = "true";
    const { exitCode, stdout, stderr } = await run(process.execPath, args, {
      cwd: programDirectory,
      env,
      timeoutMs: options.timeoutMs ?? 300_000,
    });
    const recorded = engine.monitor.recorded;
    const stackUrn = recorded.find((resource) => resource.type === "pulumi:pulumi:Stack")?.urn;
    const outputs = (stackUrn ? engine.monitor.outputs.get(stackUrn) : undefined) ?? {};
    const errors = engine.logs.filter((log) => log.level === "error").map((log) => log.message);
    return {
      exitCode,
      ok: exitCode === 0 && errors.length === 0,
      stdout,
      stderr,
      logs: engine.logs,
      errors,
      recorded,
      plan: buildPlan(recorded, outputs, secretLeafMatcher(options.placeholders ?? [])),
      programDirectory,
      durationMs: Date.now() - started,
    };
  } finally {
    await engine.close();
    rmSync(cacheDirectory, { recursive: true, force: true });
  }
}

/**
 * The language host passes its own environment on. Variables that would change how this machine's
 * tools load TypeScript (tsx, jest, ts-node settings) are dropped: the CLI would not have them.
 */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(TS_NODE_|PULUMI_NODEJS_|PULUMI_CONFIG|JEST_|TSX_)/.test(key) || key === "NODE_OPTIONS") continue;
    env[key] = value;
  }
  return env;
}

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      stderr += `\n[cli-host] killed after ${options.timeoutMs} ms`;
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}
