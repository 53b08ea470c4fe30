/**
 * Offline preview of the bootstrap program (infra/bootstrap: state backend and secrets provider) under the
 * same mock runtime as the environment stacks (mock-run.ts), with the bootstrap's own project name, stack
 * file and the one resource type only it declares.
 * One call per process, like `buildOfflinePlan`: the Pulumi runtime keeps global state.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BOOTSTRAP_PROJECT, parseBootstrapConfig, type BootstrapConfig } from "../../infra/bootstrap/config";
import type { PreviewPlan } from "../../policies/check/plan";
import { OFFLINE_SUBSCRIPTION_ID } from "./ids";
import { runUnderMocks } from "./mock-run";
import { OfflineMocks } from "./mocks";
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
export class BootstrapMocks extends OfflineMocks {
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

  const run = await runUnderMocks({
    project: BOOTSTRAP_PROJECT,
    stack: BOOTSTRAP_STACK,
    config: engineConfig.values,
    secretKeys: engineConfig.secretKeys,
    tenantId: parsed.config.tenantId,
    mocks: (identity) => new BootstrapMocks(identity),
    // The program's module exports are its stack outputs, as under `pulumi up`; TypeScript is loaded through tsx.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program must run inside runInPulumiStack
    program: () => require(path.join(BOOTSTRAP_DIR, "index.ts")) as Record<string, unknown>,
  });
  if (!run.ok) {
    throw new ProgramError("the bootstrap program", run.failures);
  }
  const plan = run.plan;
  return { stack: BOOTSTRAP_STACK, config: parsed.config, plan };
}

export { UsageError };
