import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { TS_NODE_ARGS } from "../../tools/build/node-ts";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const STACKS = ["dev", "staging", "prod"] as const;
export type StackName = (typeof STACKS)[number];

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The plan of a stack as built once for this jest run by global-setup.js (with its CLI log). */
export function stackPlan(stack: StackName): PreviewPlan {
  const dir = process.env["MCPGW_PLAN_DIR"];
  if (!dir) throw new Error("MCPGW_PLAN_DIR is not set: run through jest (global-setup.js)");
  const file = path.join(dir, `${stack}.json`);
  if (!existsSync(file)) {
    const log = readFileSync(path.join(dir, `${stack}.log`), "utf8");
    throw new Error(`offline preview of ${stack} wrote no plan:\n${log}`);
  }
  return JSON.parse(readFileSync(file, "utf8")) as PreviewPlan;
}

export function stackPreviewLog(stack: StackName): string {
  return readFileSync(path.join(process.env["MCPGW_PLAN_DIR"]!, `${stack}.log`), "utf8");
}

/** Runs a repo CLI (`tools/offline/cli.ts`, `policies/check/cli.ts`) in a fresh process. */
export function runTsCli(script: string, args: readonly string[]): CliRun {
  const result = spawnSync(process.execPath, [...TS_NODE_ARGS, script, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runPreview(args: readonly string[]): CliRun {
  return runTsCli("tools/offline/cli.ts", args);
}

/** A stack file's YAML document, to mutate in tests. */
export function stackDocument(stack: StackName): { config: Record<string, unknown> } {
  return parseYaml(readFileSync(path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
}

/** Writes a mutated copy of a stack file to a temp dir and returns its path. */
export function writeStackVariant(
  stack: StackName,
  mutate: (config: Record<string, unknown>) => void,
): string {
  const document = stackDocument(stack);
  mutate(document.config);
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-variant-"));
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, stringifyYaml(document));
  return file;
}

/** Runs the offline preview over a mutated copy of a stack file; returns the run and the plan (if written). */
export function previewVariant(
  stack: StackName,
  mutate: (config: Record<string, unknown>) => void,
): CliRun & { plan?: PreviewPlan; planFile: string } {
  const configFile = writeStackVariant(stack, mutate);
  const planFile = path.join(path.dirname(configFile), "plan.json");
  const run = runPreview(["--stack", stack, "--config-file", configFile, "--json", planFile, "--quiet"]);
  const plan = existsSync(planFile) ? (JSON.parse(readFileSync(planFile, "utf8")) as PreviewPlan) : undefined;
  return { ...run, planFile, ...(plan ? { plan } : {}) };
}

export function resourcesOfType(plan: PreviewPlan, type: string): PlanResourceState[] {
  return planResources(plan).filter((resource) => resource.type === type);
}

/** The one resource of a type whose URN ends with `::<name>`. */
export function resourceNamed(plan: PreviewPlan, type: string, name: string): PlanResourceState {
  const matches = resourcesOfType(plan, type).filter((r) => r.urn.endsWith(`::${name}`));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
  return matches[0]!;
}

/** Reads a nested input by dotted path (`properties.sku.name`). */
export function inputAt(resource: PlanResourceState, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((value, key) => {
    if (typeof value !== "object" || value === null) return undefined;
    return (value as Record<string, unknown>)[key];
  }, resource.inputs);
}
