/**
 * A test-only Pulumi program that declares one Edge under the offline mock runtime and writes the
 * plan, so that the component can be tested before (and independently of) its wiring in infra/index.ts.
 *
 *   tsx test/edge/fixture-program.ts <scenario.json> <plan.json>
 *
 * One program per process: the Pulumi runtime keeps global state. Run by the shared fixture runner (test/support/fixture.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, PROJECT_NAME } from "../../infra/config";
import { Edge, edgeSettingsFromConfig, type EdgeArgs } from "../../infra/edge";
import { namingContextFor } from "../../infra/config/placement";
import { standardTags } from "../../infra/conventions/tags";
import { fixtureProgramMain, type MockRunOptions } from "../../tools/offline/mock-run";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";
import type { EdgeFixtureOutputs, EdgeScenario } from "./scenario";
import { LITERAL_TENANT_ID, literalEdgeArgs, stackEdgeArgs } from "./scenario";

function declareEdge(scenario: EdgeScenario): MockRunOptions {
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

  return {
    project: PROJECT_NAME,
    stack,
    tenantId,
    program: () => {
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
    },
  };
}

fixtureProgramMain("edge", "test/edge/fixture-program.ts", declareEdge);
