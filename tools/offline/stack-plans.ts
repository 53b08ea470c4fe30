/**
 * The plans the checking CLIs (`check:expressions`, `check:kql`) work on: every stack file's offline
 * preview, or a `pulumi preview --json` named with `--plan`. One implementation for both.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { asPreviewPlan, type PreviewPlan } from "../../policies/check/plan";
import { TS_NODE_ARGS } from "../build/node-ts";
import { UsageError } from "../cli/args";

const ROOT = path.resolve(__dirname, "..", "..");
const STACK_ORDER = ["dev", "staging", "prod"];

export interface StackPlan {
  readonly stack: string;
  readonly plan?: PreviewPlan;
  readonly error?: string;
}

/** The stacks of `stacks/Pulumi.<name>.yaml`: dev, staging, prod first, then the others by name. */
export function stackNames(): string[] {
  const names = readdirSync(path.join(ROOT, "stacks"))
    .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined);
  const rank = (name: string) =>
    STACK_ORDER.includes(name) ? STACK_ORDER.indexOf(name) : STACK_ORDER.length;
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The offline preview of one stack, written into `dir`; exit 1 (policy violations) still writes the plan. */
export function buildStackPlan(stack: string, dir: string): Promise<StackPlan> {
  const file = path.join(dir, `${stack}.json`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...TS_NODE_ARGS, "tools/offline/cli.ts", "--stack", stack, "--json", file, "--quiet"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString()));
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    child.on("close", (status) => {
      if ((status === 0 || status === 1) && existsSync(file)) resolve(readStackPlan(stack, file));
      else {
        const tail = output.trim().split("\n").slice(-12).join("\n");
        resolve({
          stack,
          error: `the offline preview of ${stack} exited with ${status} and wrote no plan:\n${tail}`,
        });
      }
    });
  });
}

export function readStackPlan(stack: string, file: string): StackPlan {
  try {
    return { stack, plan: asPreviewPlan(JSON.parse(readFileSync(file, "utf8"))) };
  } catch (error) {
    return { stack, error: `cannot read the plan ${file}: ${(error as Error).message}` };
  }
}

/** `--plan prod=preview.json` or `--plan preview.prod.json` (stack = file name without `.json`). */
export function planArgument(value: string): { stack: string; file: string } {
  const named = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(value);
  if (named) return { stack: named[1] ?? "", file: path.resolve(named[2] ?? "") };
  return { stack: path.basename(value).replace(/\.json$/, ""), file: path.resolve(value) };
}

/**
 * The plans a checking CLI works on: the files named by `--plan`, else a fresh preview of each `--stack`
 * (default: every stack in `stacks/`). A stack without a stack file throws UsageError naming the ones there are.
 */
export async function plansFor(options: {
  readonly plan?: readonly string[] | undefined;
  readonly stack?: readonly string[] | undefined;
}): Promise<StackPlan[]> {
  if (options.plan !== undefined && options.plan.length > 0) {
    return options.plan.map(planArgument).map(({ stack, file }) => readStackPlan(stack, file));
  }
  const available = stackNames();
  const wanted = options.stack ?? available;
  const unknown = wanted.filter((stack) => !available.includes(stack));
  if (unknown.length > 0) {
    throw new UsageError(`unknown stack(s): ${unknown.join(", ")} (stacks/: ${available.join(", ")})`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-stack-plans-"));
  try {
    return await Promise.all(wanted.map((stack) => buildStackPlan(stack, dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
