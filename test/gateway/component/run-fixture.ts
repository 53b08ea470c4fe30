/**
 * Runs fixture-program.ts under the offline mock harness in this (fresh) process and writes the plan:
 * `tsx test/gateway/component/run-fixture.ts --variant <dev|v2|fifty> --out <plan.json>`.
 * One run per process: the Pulumi runtime keeps global state.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAME } from "../../../infra/config/schema";
import { offlineIdentity, OfflineMocks } from "../../offline/mocks";
import { buildPlan } from "../../offline/plan-builder";
import { RecordingMonitor } from "../../offline/recorder";
import { devConfig, FIXTURE_VARIANTS, type FixtureVariant } from "./fixture-data";
import { declareGateway } from "./fixture-program";

async function main(): Promise<void> {
  // Pulumi captures a stack trace per resource; source-mapping them dominates a large fixture run.
  process.setSourceMapsEnabled(false);
  const { values } = parseArgs({
    options: { variant: { type: "string" }, out: { type: "string" } },
    strict: true,
  });
  const variant = values.variant as FixtureVariant | undefined;
  if (!variant || !FIXTURE_VARIANTS.includes(variant) || !values.out) {
    throw new Error(`usage: run-fixture.ts --variant <${FIXTURE_VARIANTS.join("|")}> --out <plan.json>`);
  }
  const started = performance.now();
  const monitor = new RecordingMonitor(new OfflineMocks(offlineIdentity(devConfig().tenantId)));
  pulumi.runtime.setMockOptions(monitor, PROJECT_NAME, `gateway-${variant}`, false);

  const failures: unknown[] = [];
  process.on("unhandledRejection", (reason) => failures.push(reason));
  const outputs = await pulumi.runtime.runInPulumiStack(async () => declareGateway(variant));
  await pulumi.runtime.disconnect();
  if (failures.length > 0) {
    throw new Error(failures.map((f) => (f instanceof Error ? f.message : String(f))).join("\n"));
  }
  const stackUrn = monitor.recorded.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const stackOutputs =
    (stackUrn ? monitor.outputs.get(stackUrn) : undefined) ?? (outputs as Record<string, unknown>);
  const plan = buildPlan(monitor.recorded, stackOutputs ?? {});
  writeFileSync(values.out, `${JSON.stringify({ elapsedMs: performance.now() - started, plan })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
