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
import { readCommandLine, UsageError } from "../cli/args";
import { checkPlans, formatFinding } from "./check";
import { plansFor, type StackPlan } from "../offline/stack-plans";

export const EXIT = { clean: 0, failed: 1, usage: 2 } as const;

const USAGE = "usage: npm run check:kql [-- --stack <name> ...] [--plan [<stack>=]<file> ...]";

async function main(argv: string[]): Promise<number> {
  const commandLine = readCommandLine(
    argv,
    {
      stack: { type: "string", multiple: true },
      plan: { type: "string", multiple: true },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (!commandLine.ok) {
    console.error(commandLine.message);
    return EXIT.usage;
  }
  const options = commandLine.values;
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
  try {
    plans = await plansFor(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return EXIT.usage;
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
