import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigValidationError, parseStackConfig, PROJECT_NAME, type StackConfig } from "../../infra/config";
import type { PreviewPlan } from "../../policies/check/plan";
import { offlineIdentity, OfflineMocks } from "./mocks";
import { buildPlan } from "./plan-builder";
import { RecordingMonitor } from "./recorder";
import { loadEngineConfig, REPO_ROOT, secretPlaceholder, stackFilePath } from "./stack-files";

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

/** The program failed while declaring resources (not a config problem). */
export class ProgramError extends Error {}

const PROGRAM_ENTRY = path.join(REPO_ROOT, "infra", "index.ts");

/**
 * Runs the real program under Pulumi's mock runtime and returns the plan it would apply.
 * One call per process: the Pulumi runtime keeps global state. Throws `ConfigValidationError`
 * (every problem at once) before any resource is declared when the config is invalid.
 */
export async function buildOfflinePlan(options: OfflinePreviewOptions): Promise<OfflinePreviewResult> {
  const file = options.configFile ? path.resolve(options.configFile) : stackFilePath(options.stack);
  const engineConfig = loadEngineConfig(file);
  const parsed = parseStackConfig({
    values: engineConfig.values,
    secretKeys: new Set(engineConfig.secretKeys),
  });
  if (!parsed.ok) throw new ConfigValidationError(parsed.problems);

  pulumi.runtime.setAllConfig(engineConfig.values, engineConfig.secretKeys);
  const monitor = new RecordingMonitor(new OfflineMocks(offlineIdentity(parsed.config.tenantId)));
  pulumi.runtime.setMockOptions(monitor, PROJECT_NAME, options.stack, false);

  const failures: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    failures.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  let stackOutputs: Record<string, unknown> = {};
  try {
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
      // The program is a module whose exports are the stack outputs, exactly as under `pulumi up`;
      // it must load after the mocks are installed, so a static import cannot be used.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(PROGRAM_ENTRY) as Record<string, unknown>;
    });
    stackOutputs = (outputs ?? {}) as Record<string, unknown>;
    await pulumi.runtime.disconnect();
  } catch (error) {
    failures.push(error);
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (failures.length > 0) {
    const message = failures.map((f) => (f instanceof Error ? f.message : String(f))).join("\n");
    throw new ProgramError(`the program failed while declaring resources:\n${message}`);
  }

  const stackUrn = monitor.recorded.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const placeholders = engineConfig.placeholders.map(secretPlaceholder);
  const isPlaceholder = (leaf: string): boolean =>
    placeholders.some((placeholder) => leaf.includes(placeholder));
  const plan = buildPlan(
    monitor.recorded,
    stackUrn ? (monitor.outputs.get(stackUrn) ?? stackOutputs) : stackOutputs,
    isPlaceholder,
  );
  const text = JSON.stringify(plan);
  const leakedSecrets = engineConfig.placeholders.filter((key) => text.includes(secretPlaceholder(key)));
  return {
    stack: options.stack,
    environment: parsed.config.environment,
    config: parsed.config,
    plan,
    secretPlaceholders: engineConfig.placeholders,
    leakedSecrets,
  };
}
