import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { parseStackConfig, type ParseResult } from "../../infra/config";
import { loadEngineConfig } from "../../tools/offline/stack-files";
import type { PreviewPlan } from "../../policies/check/plan";
import { REPO_ROOT, stackPlan, type StackName } from "../support/plans";
import { TS_NODE_ARGS } from "../../tools/build/node-ts";

const cache = new Map<StackName, PreviewPlan>();

/**
 * The offline plan of a stack: the one jest's global setup built (through the preview CLI) when it
 * exists, otherwise built here in a child process with `buildOfflinePlan` (one Pulumi run per process).
 */
export function offlinePlan(stack: StackName): PreviewPlan {
  const cached = cache.get(stack);
  if (cached) return cached;
  let plan: PreviewPlan;
  const dir = process.env["MCPGW_PLAN_DIR"];
  if (dir && existsSync(path.join(dir, `${stack}.json`))) {
    plan = stackPlan(stack);
  } else {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "mcpgw-net-kv-")), `${stack}.json`);
    const script = `require("./tools/offline/run").buildOfflinePlan({ stack: ${JSON.stringify(stack)} }).then(
      (r) => { if (r.leakedSecrets.length) { console.error("LEAK " + r.leakedSecrets.join(",")); process.exit(1); }
               require("fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(r.plan)); },
      (e) => { console.error(e.message); process.exit(2); })`;
    const run = spawnSync(process.execPath, [...TS_NODE_ARGS, "-e", script], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 120_000,
    });
    if (run.status !== 0) throw new Error(`offline plan of ${stack} failed (${run.status}):\n${run.stderr}`);
    plan = JSON.parse(readFileSync(out, "utf8")) as PreviewPlan;
  }
  cache.set(stack, plan);
  return plan;
}

/** Validates a mutated copy of a stack file exactly as the program does (secrets stood in for), without running Pulumi. */
export function parseStackVariant(
  stack: StackName,
  mutate: (config: Record<string, unknown>) => void,
): ParseResult {
  const file = path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`);
  const document = parseYaml(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  mutate(document.config);
  const engine = loadEngineConfigFromDocument(document);
  return parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
}

function loadEngineConfigFromDocument(document: { config: Record<string, unknown> }): {
  values: Record<string, string>;
  secretKeys: string[];
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-variant-"));
  const file = path.join(dir, "Pulumi.variant.yaml");
  writeFileSync(file, JSON.stringify(document)); // JSON is valid YAML
  return loadEngineConfig(file);
}
