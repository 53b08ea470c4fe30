/**
 * `npm run check:kql [-- --stack <name> ...] [--plan [<stack>=]<file> ...]`
 *
 * Parses and semantically analyzes every KQL query the stacks deploy (GitHub issue 19) with Microsoft's
 * Kusto analyzer (`@kusto/language-service-next`) against the Log Analytics tables in `tables.ts`: builds
 * each stack's plan with the offline preview (or reads `--plan` files, e.g. a real `pulumi preview
 * --json`), takes every analytics rule, alert rule, workbook, saved search and ARM-deployed query from
 * it, and reports each error with stack, resource, source file and line, and the analyzer's message.
 *
 * Exit codes: 0 every query is clean, 1 a query has an error (or could not be read),
 * 2 bad usage, a plan that could not be built or read, or an error in the checker itself.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { asPreviewPlan, type PreviewPlan } from "../../policies/check/plan";
import { checkPlans, formatFinding } from "./check";

export const EXIT = { clean: 0, failed: 1, usage: 2 } as const;

const ROOT = path.resolve(__dirname, "..", "..");
const TSX_CLI = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const STACK_ORDER = ["dev", "staging", "prod"];
const USAGE = "usage: npm run check:kql [-- --stack <name> ...] [--plan [<stack>=]<file> ...]";

interface StackPlan {
  readonly stack: string;
  readonly plan?: PreviewPlan;
  readonly error?: string;
}

function stackNames(): string[] {
  const names = readdirSync(path.join(ROOT, "stacks"))
    .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined);
  const rank = (name: string) =>
    STACK_ORDER.includes(name) ? STACK_ORDER.indexOf(name) : STACK_ORDER.length;
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function readPlan(stack: string, file: string): StackPlan {
  try {
    return { stack, plan: asPreviewPlan(JSON.parse(readFileSync(file, "utf8"))) };
  } catch (error) {
    return { stack, error: `cannot read the plan ${file}: ${(error as Error).message}` };
  }
}

/** The offline preview of one stack; exit 1 (policy violations) still writes the plan. */
function buildPlan(stack: string, dir: string): Promise<StackPlan> {
  const file = path.join(dir, `${stack}.json`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [TSX_CLI, "tools/offline/cli.ts", "--stack", stack, "--json", file, "--quiet"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString()));
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    child.on("close", (status) => {
      if ((status === 0 || status === 1) && existsSync(file)) resolve(readPlan(stack, file));
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

/** `--plan prod=preview.json` or `--plan preview.prod.json` (stack = file name without `.json`). */
function planArgument(value: string): { stack: string; file: string } {
  const named = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(value);
  if (named) return { stack: named[1] ?? "", file: path.resolve(named[2] ?? "") };
  return { stack: path.basename(value).replace(/\.json$/, ""), file: path.resolve(value) };
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", multiple: true },
        plan: { type: "string", multiple: true },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (options.help) {
    console.log(USAGE);
    return EXIT.clean;
  }
  if (options.plan !== undefined && options.stack !== undefined) {
    console.error(`--stack and --plan exclude each other\n${USAGE}`);
    return EXIT.usage;
  }

  const started = Date.now();
  let plans: StackPlan[];
  if (options.plan !== undefined) {
    plans = options.plan.map(planArgument).map(({ stack, file }) => readPlan(stack, file));
  } else {
    const available = stackNames();
    const wanted = options.stack ?? available;
    const unknown = wanted.filter((stack) => !available.includes(stack));
    if (unknown.length > 0) {
      console.error(`unknown stack(s): ${unknown.join(", ")} (stacks/: ${available.join(", ")})\n${USAGE}`);
      return EXIT.usage;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-kql-plans-"));
    try {
      plans = await Promise.all(wanted.map((stack) => buildPlan(stack, dir)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const failedPlans = plans.flatMap(({ stack, error }) =>
    error === undefined ? [] : [error ?? `no plan for ${stack}`],
  );
  const report = checkPlans(plans.flatMap(({ stack, plan }) => (plan ? [{ stack, plan }] : [])));

  for (const finding of report.findings) console.log(`${formatFinding(finding)}\n`);
  for (const problem of report.problems)
    console.log(
      `cannot check: ${problem.stack} ${problem.resourceType} ${problem.resource} (${problem.location}): ${problem.message}`,
    );
  for (const query of report.unmapped)
    console.log(
      `note: ${query.stack} ${query.resource} (${query.location}) is rendered by no file under the query directories`,
    );
  for (const failure of failedPlans) console.error(failure);
  for (const [stack, count] of report.perStack)
    if (count.queries === 0) console.log(`note: ${stack}: the plan deploys no KQL query`);

  const perStack = [...report.perStack.entries()]
    .map(([stack, count]) => `${stack} ${count.queries} in ${count.resources} resource(s)`)
    .join(", ");
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `KQL queries: ${report.queries} analyzed with @kusto/language-service-next in ${seconds}s [${perStack || "no plans"}]: ` +
      `${report.findings.length} error(s)${report.problems.length > 0 ? `, ${report.problems.length} unreadable` : ""}.`,
  );
  if (failedPlans.length > 0) return EXIT.usage;
  return report.findings.length > 0 || report.problems.length > 0 ? EXIT.failed : EXIT.clean;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = EXIT.usage;
  },
);
