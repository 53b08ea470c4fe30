import * as path from "node:path";
import {
  ConfigValidationError,
  parseStackConfig,
  PROJECT_NAME,
  type ParseResult,
  type StackConfig,
} from "../../infra/config";
import type { PreviewPlan } from "../../policies/check/plan";
import { programFailureLine } from "../internal-error/report";
import { runUnderMocks } from "./mock-run";
import {
  loadEngineConfig,
  REPO_ROOT,
  GENERATED_SECRET_PREFIX,
  secretPlaceholder,
  stackFilePath,
  type EngineConfig,
} from "./stack-files";

export interface OfflinePreviewOptions {
  readonly stack: string;
  /** A stack file to use instead of `stacks/Pulumi.<stack>.yaml`. */
  readonly configFile?: string;
}

export interface OfflinePreviewResult {
  readonly stack: string;
  readonly environment: string;
  readonly config: StackConfig;
  readonly plan: PreviewPlan;
  /** Secret config keys that were stood in for by placeholders. */
  readonly secretPlaceholders: readonly string[];
  /** Secret config keys whose placeholder value leaked into the plan in plaintext (must be empty). */
  readonly leakedSecrets: readonly string[];
}

/**
 * The program failed while declaring resources. Config is fully validated before the program runs, so
 * this is a bug in our code: the message is one line with the source position (never a stack trace).
 */
export class ProgramError extends Error {
  constructor(
    label: string,
    readonly failures: readonly unknown[],
  ) {
    super(programFailureLine(label, failures, process.sourceMapsEnabled));
    this.name = "ProgramError";
  }
}

/**
 * The preview's config validation, before any resource is declared: the config tests call this very
 * function so that what they prove holds for the CLI.
 */
export function validateEngineConfig(engineConfig: EngineConfig): ParseResult {
  return parseStackConfig({ values: engineConfig.values, secretKeys: new Set(engineConfig.secretKeys) });
}

const PROGRAM_ENTRY = path.join(REPO_ROOT, "infra", "index.ts");

/**
 * Runs the real program under Pulumi's mock runtime and returns the plan it would apply.
 * One call per process: the Pulumi runtime keeps global state. Throws `ConfigValidationError`
 * (every problem at once) before any resource is declared when the config is invalid.
 */
export async function buildOfflinePlan(options: OfflinePreviewOptions): Promise<OfflinePreviewResult> {
  const file = options.configFile ? path.resolve(options.configFile) : stackFilePath(options.stack);
  const engineConfig = loadEngineConfig(file);
  const parsed = validateEngineConfig(engineConfig);
  if (!parsed.ok) throw new ConfigValidationError(parsed.problems);

  const run = await runUnderMocks({
    project: PROJECT_NAME,
    stack: options.stack,
    config: engineConfig.values,
    secretKeys: engineConfig.secretKeys,
    placeholders: engineConfig.placeholders,
    tenantId: parsed.config.tenantId,
    // The program is a module whose exports are the stack outputs, exactly as under `pulumi up`;
    // it must load after the mocks are installed, so a static import cannot be used.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    program: () => require(PROGRAM_ENTRY) as Record<string, unknown>,
  });
  if (!run.ok) {
    throw new ProgramError("the program", run.failures);
  }
  const plan = run.plan;
  const text = JSON.stringify(plan);
  const leakedSecrets = [
    ...engineConfig.placeholders.filter((key) => text.includes(secretPlaceholder(key))),
    ...(text.includes(GENERATED_SECRET_PREFIX) ? ["a generated secret (random.RandomPassword)"] : []),
  ];
  return {
    stack: options.stack,
    environment: parsed.config.environment,
    config: parsed.config,
    plan,
    secretPlaceholders: engineConfig.placeholders,
    leakedSecrets,
  };
}
