/**
 * Runs a Pulumi program under the offline mock runtime and builds the plan it would apply: the one
 * harness behind the stack preview (run.ts), the bootstrap preview (bootstrap.ts) and the component
 * fixture programs. One call per process: the Pulumi runtime keeps global state.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import type { PreviewPlan } from "../../policies/check/plan";
import { offlineIdentity, OfflineMocks, type OfflineIdentity } from "./mocks";
import { buildPlan } from "./plan-builder";
import { watchLateChildren } from "./complete-components";
import { RecordingMonitor, type RecordedResource } from "./recorder";
import { secretLeafMatcher } from "./stack-files";

export interface MockRunOptions {
  readonly project: string;
  readonly stack: string;
  /** Engine config to install before the program runs (`setAllConfig`); omitted: left as it is. */
  readonly config?: Record<string, string>;
  readonly secretKeys?: readonly string[];
  /**
   * Secret config keys stood in for by placeholders (`secretPlaceholder`): inside a secret envelope,
   * only the leaves holding one are redacted and the rest stays readable (see plan-builder.ts).
   */
  readonly placeholders?: readonly string[];
  /** The tenant the offline deployer identity belongs to (getClientConfig answers). */
  readonly tenantId: string;
  /** Declares the resources; what it returns (or resolves to) becomes the stack outputs. */
  readonly program: () => unknown;
  /** The mock provider, for a program that declares a type `OfflineMocks` does not answer. */
  readonly mocks?: (identity: OfflineIdentity) => pulumi.runtime.Mocks;
}

export type MockRunResult =
  | {
      readonly ok: true;
      readonly plan: PreviewPlan;
      readonly recorded: readonly RecordedResource[];
    }
  | {
      readonly ok: false;
      /** What the program threw and every unhandled rejection while it ran. */
      readonly failures: readonly unknown[];
      readonly recorded: readonly RecordedResource[];
    };

export async function runUnderMocks(options: MockRunOptions): Promise<MockRunResult> {
  if (options.config) pulumi.runtime.setAllConfig(options.config, options.secretKeys?.slice());
  const identity = offlineIdentity(options.tenantId);
  const monitor = new RecordingMonitor(options.mocks ? options.mocks(identity) : new OfflineMocks(identity));
  pulumi.runtime.setMockOptions(monitor, options.project, options.stack, false);

  const failures: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    failures.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  const lateChildren = watchLateChildren();
  let stackOutputs: Record<string, unknown> = {};
  try {
    const outputs = await pulumi.runtime.runInPulumiStack(async () => options.program());
    stackOutputs = (outputs ?? {}) as Record<string, unknown>;
    await pulumi.runtime.disconnect();
  } catch (error) {
    failures.push(error);
  } finally {
    process.off("unhandledRejection", onRejection);
    failures.push(...lateChildren.stop().map((message) => new Error(message)));
  }
  if (failures.length > 0) return { ok: false, failures, recorded: monitor.recorded };

  const stackUrn = monitor.recorded.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const outputs = stackUrn ? (monitor.outputs.get(stackUrn) ?? stackOutputs) : stackOutputs;
  const plan: PreviewPlan = buildPlan(
    monitor.recorded,
    outputs,
    secretLeafMatcher(options.placeholders ?? []),
  );
  return { ok: true, plan, recorded: monitor.recorded };
}

/** The failures of a run, one message a line. */
export function failureMessage(failures: readonly unknown[]): string {
  return failures.map((f) => (f instanceof Error ? f.message : String(f))).join("\n");
}

/**
 * The body of a test-only fixture program, `tsx <script> <scenario.json> <plan.json>`: reads the scenario,
 * runs the program `declare` makes of it under the mocks and writes the plan. A program failure is
 * reported on stderr with exit code 3 and writes no plan; bad usage exits 2.
 */
export function fixtureProgramMain<Scenario>(
  label: string,
  script: string,
  declare: (scenario: Scenario) => MockRunOptions,
): void {
  const [scenarioFile, planFile] = process.argv.slice(2);
  if (!scenarioFile || !planFile) {
    console.error(`usage: tsx ${script} <scenario.json> <plan.json>`);
    process.exitCode = 2;
    return;
  }
  const main = async (): Promise<void> => {
    const scenario = JSON.parse(readFileSync(scenarioFile, "utf8")) as Scenario;
    const run = await runUnderMocks(declare(scenario));
    if (!run.ok) {
      console.error(
        `the ${label} fixture failed while declaring resources:\n${failureMessage(run.failures)}`,
      );
      process.exitCode = 3;
      return;
    }
    writeFileSync(planFile, `${JSON.stringify(run.plan, null, 2)}\n`);
  };
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 3;
  });
}
