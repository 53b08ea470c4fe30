/**
 * `npm run preview:offline -- --stack <name> [--config-file <file>] [--json <file>]`
 *
 * Runs the real program under Pulumi's mock runtime (no Azure account, no Pulumi CLI), prints the
 * resource tree and a summary, evaluates the CrossGuard pack over the plan and optionally writes the
 * plan in the shape of `pulumi preview --json`.
 * Exit codes: 0 clean, 1 mandatory policy violation (or a secret leaked into the plan),
 * 2 bad config or usage, 3 the program itself failed.
 */
// First import: installs the internal-error handlers before anything else can fail (tools/internal-error).
import { runMain } from "../internal-error/guard";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigValidationError } from "../../infra/config";
import { evaluatePlan, formatReport, loadPackConfig } from "../../policies/check/engine";
import { buildOfflinePlan, ProgramError } from "./run";
import { readCommandLine, STACK_NAME, STACK_NAME_RULE, UsageError } from "../cli/args";
import { renderSummary, renderTree } from "./tree";

export const EXIT = { clean: 0, violations: 1, usage: 2, programError: 3 } as const;

const USAGE =
  "usage: npm run preview:offline -- --stack <dev|staging|prod|name> [--config-file <file>] [--json <file>] [--quiet]";

const FLAGS = {
  stack: { type: "string" },
  "config-file": { type: "string" },
  json: { type: "string" },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

async function main(argv: string[]): Promise<number> {
  // Pulumi captures a stack trace per resource registration; source-mapping each one costs more than
  // the program itself on large configs (docs/benchmarks.md). Program errors are still reported at the
  // .ts file and line (tools/internal-error/report.ts maps them through the compile cache's maps).
  process.setSourceMapsEnabled(false);
  const commandLine = readCommandLine(argv, FLAGS, USAGE);
  if (!commandLine.ok) {
    console.error(commandLine.message);
    return EXIT.usage;
  }
  const options = commandLine.values;
  if (options.help) {
    console.log(USAGE);
    return EXIT.clean;
  }
  if (!options.stack || !STACK_NAME.test(options.stack)) {
    console.error(`--stack is required (${STACK_NAME_RULE})\n${USAGE}`);
    return EXIT.usage;
  }

  let result;
  try {
    result = await buildOfflinePlan({ stack: options.stack, configFile: options["config-file"] });
  } catch (error) {
    if (error instanceof ConfigValidationError || error instanceof UsageError) {
      console.error(error.message);
      return EXIT.usage;
    }
    if (error instanceof ProgramError) {
      console.error(error.message);
      return EXIT.programError;
    }
    throw error;
  }

  const { plan } = result;
  const report = await evaluatePlan(plan, {
    environment: result.environment,
    packConfig: loadPackConfig(result.environment),
  });

  if (options.json) {
    const file = path.resolve(options.json);
    writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
  }
  if (!options.quiet) {
    console.log(
      `Offline preview of stack '${result.stack}' (environment ${result.environment}): mock runtime, no Azure calls\n`,
    );
    console.log(renderTree(plan));
    console.log("");
    console.log(renderSummary(plan));
    console.log("");
  }
  for (const key of result.secretPlaceholders) {
    console.log(
      `secret ${key}: stood in for by a placeholder marked secret (set it with \`pulumi config set --secret\`)`,
    );
  }
  console.log(formatReport(report));
  if (options.json) console.log(`Plan written to ${options.json}`);

  if (result.leakedSecrets.length > 0) {
    console.error(
      `SECRET LEAK: the value of ${result.leakedSecrets.join(", ")} appears in plaintext in the plan`,
    );
    return EXIT.violations;
  }
  return report.mandatoryCount > 0 ? EXIT.violations : EXIT.clean;
}

runMain("preview:offline", () => main(process.argv.slice(2)));
