/**
 * Offline preview of the bootstrap program (infra/bootstrap: state backend and secrets provider) under the
 * same mock runtime as the environment stacks: RecordingMonitor, OfflineMocks and buildPlan, with the
 * bootstrap's own project name, stack file and the one resource type only it declares.
 * One call per process, like `buildOfflinePlan`: the Pulumi runtime keeps global state.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BOOTSTRAP_PROJECT, parseBootstrapConfig, type BootstrapConfig } from "../../infra/bootstrap/config";
import type { PreviewPlan } from "../../policies/check/plan";
import { OFFLINE_SUBSCRIPTION_ID } from "./ids";
import { offlineIdentity, OfflineMocks } from "./mocks";
import { buildPlan } from "./plan-builder";
import { RecordingMonitor } from "./recorder";
import { ProgramError } from "./run";
import { loadEngineConfig, REPO_ROOT, UsageError } from "./stack-files";

export const BOOTSTRAP_DIR = path.join(REPO_ROOT, "infra", "bootstrap");
export const BOOTSTRAP_STACK = "shared";

/** The bootstrap config is invalid: every problem, each with its key. */
export class BootstrapConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `bootstrap config has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

export interface BootstrapPreviewResult {
  readonly stack: string;
  readonly config: BootstrapConfig;
  readonly plan: PreviewPlan;
}

/** Blob service properties are a singleton child (`blobServices/default`) only the bootstrap declares. */
class BootstrapMocks extends OfflineMocks {
  override newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string | undefined;
    state: Record<string, unknown>;
  } {
    if (args.type !== "azure-native:storage:BlobServiceProperties") return super.newResource(args);
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const id =
      `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/resourceGroups/${String(inputs["resourceGroupName"])}` +
      `/providers/Microsoft.Storage/storageAccounts/${String(inputs["accountName"])}/blobServices/default`;
    return { id, state: { ...inputs, name: "default" } };
  }
}

export async function buildBootstrapPlan(
  options: { readonly configFile?: string } = {},
): Promise<BootstrapPreviewResult> {
  const file = options.configFile
    ? path.resolve(options.configFile)
    : path.join(BOOTSTRAP_DIR, `Pulumi.${BOOTSTRAP_STACK}.yaml`);
  const engineConfig = loadEngineConfig(file);
  const parsed = parseBootstrapConfig(engineConfig.values);
  if (!parsed.ok) throw new BootstrapConfigError(parsed.problems);

  pulumi.runtime.setAllConfig(engineConfig.values, engineConfig.secretKeys);
  const monitor = new RecordingMonitor(new BootstrapMocks(offlineIdentity(parsed.config.tenantId)));
  pulumi.runtime.setMockOptions(monitor, BOOTSTRAP_PROJECT, BOOTSTRAP_STACK, false);

  const failures: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    failures.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  let stackOutputs: Record<string, unknown> = {};
  try {
    // The program's module exports are its stack outputs, as under `pulumi up`; TypeScript is loaded through tsx.
    const outputs = await pulumi.runtime.runInPulumiStack(
      async () =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program must run inside runInPulumiStack
        require(path.join(BOOTSTRAP_DIR, "index.ts")) as Record<string, unknown>,
    );
    stackOutputs = (outputs ?? {}) as Record<string, unknown>;
    await pulumi.runtime.disconnect();
  } catch (error) {
    failures.push(error);
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (failures.length > 0) {
    const message = failures.map((f) => (f instanceof Error ? f.message : String(f))).join("\n");
    throw new ProgramError(`the bootstrap program failed while declaring resources:\n${message}`);
  }
  const stackUrn = monitor.recorded.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const plan = buildPlan(
    monitor.recorded,
    stackUrn ? (monitor.outputs.get(stackUrn) ?? stackOutputs) : stackOutputs,
  );
  return { stack: BOOTSTRAP_STACK, config: parsed.config, plan };
}

export { UsageError };
