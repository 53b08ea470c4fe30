/**
 * Runs fixture-program.ts under the offline mock harness in this (fresh) process and writes the plan:
 * `tsx test/gateway/component/run-fixture.ts --variant <dev|v2|fifty> --out <plan.json>`.
 * One run per process: the Pulumi runtime keeps global state.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PROJECT_NAME } from "../../../infra/config/schema";
import { failureMessage, runUnderMocks } from "../../../tools/offline/mock-run";
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
  const run = await runUnderMocks({
    project: PROJECT_NAME,
    stack: `gateway-${variant}`,
    tenantId: devConfig().tenantId,
    program: () => declareGateway(variant),
  });
  if (!run.ok) throw new Error(failureMessage(run.failures));
  writeFileSync(
    values.out,
    `${JSON.stringify({ elapsedMs: performance.now() - started, plan: run.plan })}
`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
