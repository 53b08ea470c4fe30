/**
 * `npm run preview:bootstrap -- [--config-file <file>] [--json <file>] [--quiet]`
 *
 * Offline preview of the bootstrap stack (infra/bootstrap, stack `shared`): the resource tree, the stack
 * outputs (backend URL, secrets provider) and the policy pack's findings over the plan. The pack is written
 * for environment stacks: its findings here are shown, not enforced (docs/delivery.md lists the expected ones
 * per networkAccess mode). Exit codes: 0 previewed, 2 bad config or usage, 3 the program failed.
 */
// First import: installs the internal-error handlers before anything else can fail (tools/internal-error).
import { runMain } from "../internal-error/guard";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { evaluatePlan, formatReport, loadPackConfig } from "../../policies/check/engine";
import { readCommandLine, UsageError } from "../cli/args";
import { BootstrapConfigError, buildBootstrapPlan } from "./bootstrap";
import { ProgramError } from "./run";
import { renderSummary, renderTree } from "./tree";

const USAGE = "usage: npm run preview:bootstrap -- [--config-file <file>] [--json <file>] [--quiet]";

async function main(argv: string[]): Promise<number> {
  const commandLine = readCommandLine(
    argv,
    {
      "config-file": { type: "string" },
      json: { type: "string" },
      quiet: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (!commandLine.ok) {
    console.error(commandLine.message);
    return 2;
  }
  const options = commandLine.values;
  let result;
  try {
    result = await buildBootstrapPlan({ configFile: options["config-file"] });
  } catch (error) {
    if (error instanceof BootstrapConfigError || error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof ProgramError) {
      console.error(error.message);
      return 3;
    }
    throw error;
  }
  const { plan } = result;
  if (options.json) writeFileSync(path.resolve(options.json), `${JSON.stringify(plan, null, 2)}\n`);
  if (!options.quiet) {
    console.log(
      `Offline preview of the bootstrap stack '${result.stack}' (networkAccess ${result.config.networkAccess}): mock runtime, no Azure calls\n`,
    );
    console.log(renderTree(plan));
    console.log("");
    console.log(renderSummary(plan));
    console.log("");
  }
  const outputs = plan.steps[0]?.newState?.outputs ?? {};
  for (const key of ["backendUrl", "storageAccountName", "secretsProvider"])
    console.log(`${key}: ${String(outputs[key])}`);
  const report = await evaluatePlan(plan, { environment: "prod", packConfig: loadPackConfig("prod") });
  console.log("\nPolicy pack (prod config) over the bootstrap plan, informational:");
  console.log(formatReport(report));
  if (options.json) console.log(`Plan written to ${options.json}`);
  return 0;
}

runMain("preview:bootstrap", () => main(process.argv.slice(2)));
