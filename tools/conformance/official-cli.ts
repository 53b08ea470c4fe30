/**
 * `npm run conformance:official [-- --stack <name>]... [--keep-results <dir>]`: the official MCP
 * conformance suite's 2026-07-28 server scenarios (its frozen requirement set, scored and not scored)
 * through the local gateway of each stack (dev, staging and prod unless stacks are named), judged against
 * `tools/conformance/official-baseline.json`. Exit 0 when every stack matches the baseline exactly, 1 when
 * a scenario fails that the baseline does not list or a listed failure did not happen, 2 on bad usage,
 * config, baseline or a missing suite.
 */
import { runMain } from "../internal-error/guard";
import { ConfigValidationError } from "../../infra/config";
import { parseFlags, UsageError } from "../cli/args";
import { StackConfigError } from "../gateway-local/local";
import { PlanConfigError } from "../gateway-local/plan-config";
import { checkStack, UsageError as StackUsageError } from "../gateway-local/switches";
import { DEFAULT_STACKS } from "./local-cli";
import { BaselineError, formatJudgement, OFFICIAL_REVISION, OfficialSuiteMissingError } from "./official";
import {
  type OfficialGatewayRun,
  type OfficialSuiteRequest,
  runOfficialSuiteForStacks,
} from "./official-local";

export const USAGE = `Usage: npm run conformance:official -- [--stack <name>]... [--keep-results <dir>]
Runs the official MCP conformance suite's ${OFFICIAL_REVISION} server scenarios through the local gateway
and compares them with tools/conformance/official-baseline.json.
  --stack <name>          a stack (repeatable; default: dev, staging, prod)
  --keep-results <dir>    keep the suite's per-scenario checks.json files under <dir>/<stack>
`;

export async function main(argv: readonly string[]): Promise<number> {
  let request: OfficialSuiteRequest;
  try {
    const values = parseFlags(argv, {
      stack: { type: "string", multiple: true },
      "keep-results": { type: "string" },
      help: { type: "boolean" },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    request = {
      stacks: (values.stack ?? [...DEFAULT_STACKS]).map(checkStack),
      ...(values["keep-results"] === undefined ? {} : { keepResults: values["keep-results"] }),
    };
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof StackUsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  let results: OfficialGatewayRun[];
  try {
    results = await runOfficialSuiteForStacks({
      ...request,
      onRun: (run) => {
        process.stdout.write(
          `\n== ${run.stack}: ${run.judgement.ok ? "matches the baseline" : "DOES NOT match the baseline"} ` +
            `(server ${run.server}, ${run.forwarded.length} requests through the gateway, ` +
            `${(run.run.durationMs / 1000).toFixed(1)} s)\n`,
        );
        process.stdout.write(`${formatJudgement(run.judgement)}\n`);
      },
    });
  } catch (error) {
    if (
      error instanceof ConfigValidationError ||
      error instanceof PlanConfigError ||
      error instanceof StackConfigError ||
      error instanceof OfficialSuiteMissingError ||
      error instanceof BaselineError
    ) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const failed = results.filter((r) => !r.judgement.ok);
  process.stdout.write(
    `\n${results.length} stack(s) in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      (failed.length === 0
        ? "every run matches the baseline\n"
        : `not matching the baseline: ${failed.map((r) => r.stack).join(", ")}\n`),
  );
  return failed.length === 0 ? 0 : 1;
}

runMain("conformance:official", () => main(process.argv.slice(2)));
