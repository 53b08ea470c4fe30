/**
 * A test-only Pulumi program that declares one Edge under the offline mock runtime and writes the
 * plan, so that the component can be tested before (and independently of) its wiring in infra/index.ts.
 *
 *   tsx test/edge/fixture-program.ts <scenario.json> <plan.json>
 *
 * One program per process: the Pulumi runtime keeps global state. See test/edge/harness.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, PROJECT_NAME } from "../../infra/config";
import { Edge, edgeSettingsFromConfig, type EdgeArgs } from "../../infra/edge";
import { namingContextFor } from "../../infra/foundation";
import { standardTags } from "../../infra/conventions/tags";
import { offlineIdentity, OfflineMocks } from "../offline/mocks";
import { buildPlan } from "../offline/plan-builder";
import { RecordingMonitor } from "../offline/recorder";
import { loadEngineConfig, stackFilePath } from "../offline/stack-files";
import type { EdgeFixtureOutputs, EdgeScenario } from "./scenario";
import { LITERAL_TENANT_ID, literalEdgeArgs, stackEdgeArgs } from "./scenario";

async function main(scenarioFile: string, planFile: string): Promise<void> {
  const scenario = JSON.parse(readFileSync(scenarioFile, "utf8")) as EdgeScenario;
  let args: EdgeArgs;
  let tenantId = LITERAL_TENANT_ID;
  let stack = "edge-fixture";
  if (scenario.kind === "stack") {
    const engine = loadEngineConfig(stackFilePath(scenario.stack));
    const parsed = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
    if (!parsed.ok)
      throw new Error(`stack ${scenario.stack} has invalid config: ${JSON.stringify(parsed.problems)}`);
    const config = parsed.config;
    tenantId = config.tenantId;
    stack = scenario.stack;
    args = stackEdgeArgs({
      location: config.location,
      naming: namingContextFor(config),
      tags: standardTags(config),
      settings: edgeSettingsFromConfig(config),
      ddos: config.network.ddosProtection,
    });
  } else {
    args = literalEdgeArgs(scenario.overrides ?? {});
  }

  const monitor = new RecordingMonitor(new OfflineMocks(offlineIdentity(tenantId)));
  pulumi.runtime.setMockOptions(monitor, PROJECT_NAME, stack, false);

  const failures: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    failures.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  let outputs: Record<string, unknown> = {};
  try {
    outputs =
      (await pulumi.runtime.runInPulumiStack(async () => {
        const edge = new Edge("edge", args);
        const resolved: Record<keyof EdgeFixtureOutputs, pulumi.Input<unknown>> = {
          applicationGatewayId: edge.applicationGatewayId,
          publicIpAddress: edge.publicIpAddress,
          publicIpId: edge.publicIpId,
          wafPolicyId: edge.wafPolicyId,
          diagnosticTargets: edge.diagnosticTargets.map((target) => ({
            ...target,
            resourceId: pulumi.output(target.resourceId),
          })),
        };
        return resolved;
      })) ?? {};
    await pulumi.runtime.disconnect();
  } catch (error) {
    failures.push(error);
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (failures.length > 0) {
    const message = failures.map((f) => (f instanceof Error ? f.message : String(f))).join("\n");
    console.error(`the edge fixture failed while declaring resources:\n${message}`);
    process.exitCode = 3;
    return;
  }
  const stackUrn = monitor.recorded.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const plan = buildPlan(monitor.recorded, stackUrn ? (monitor.outputs.get(stackUrn) ?? outputs) : outputs);
  writeFileSync(planFile, `${JSON.stringify(plan, null, 2)}\n`);
}

const [scenarioFile, planFile] = process.argv.slice(2);
if (!scenarioFile || !planFile) {
  console.error("usage: tsx test/edge/fixture-program.ts <scenario.json> <plan.json>");
  process.exitCode = 2;
} else {
  main(scenarioFile, planFile).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 3;
  });
}
