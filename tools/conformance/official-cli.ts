/**
 * `npm run conformance:official [-- --stack <name>]... [--keep-results <dir>]`: the official MCP
 * conformance suite's 2026-07-28 server scenarios (its frozen requirement set, scored and not scored)
 * through the local gateway of each stack (dev, staging and prod unless stacks are named), judged against
 * `tools/conformance/official-baseline.json`. Exit 0 when every stack matches the baseline exactly, 1 when
 * a scenario fails that the baseline does not list or a listed failure did not happen, 2 on bad usage,
 * config or a missing suite.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigValidationError } from "../../infra/config";
import type { PreviewPlan } from "../../policies/check/plan";
import {
  buildPlanInChild,
  type LocalGateway,
  readStackConfig,
  StackConfigError,
  startLocalGateway,
} from "../gateway-local/local";
import { PlanConfigError } from "../gateway-local/plan-config";
import { checkStack, UsageError } from "../gateway-local/switches";
import { allRoles, probedServer } from "./local";
import { DEFAULT_STACKS } from "./local-cli";
import {
  BaselineError,
  formatJudgement,
  judgeOfficialRun,
  type Judgement,
  loadOfficialBaseline,
  locateOfficialSuite,
  type OfficialBaseline,
  type OfficialSuite,
  OfficialSuiteMissingError,
  OFFICIAL_REVISION,
  runOfficialSuite,
  type SuiteRun,
} from "./official";
import { type ForwardedRequest, startCredentialForwarder } from "./official-forwarder";

export const USAGE = `Usage: npm run conformance:official -- [--stack <name>]... [--keep-results <dir>]
Runs the official MCP conformance suite's ${OFFICIAL_REVISION} server scenarios through the local gateway
and compares them with tools/conformance/official-baseline.json.
  --stack <name>          a stack (repeatable; default: dev, staging, prod)
  --keep-results <dir>    keep the suite's per-scenario checks.json files under <dir>/<stack>
`;

/** The user the suite's credential belongs to: holds every role of the probed server's tools. */
export const OFFICIAL_SUITE_USER = "conformance-official";

export interface OfficialGatewayRun {
  readonly stack: string;
  /** The MCP server the suite was pointed at. */
  readonly server: string;
  readonly run: SuiteRun;
  readonly judgement: Judgement;
  /** What went through the credential forwarder (method, path, status). */
  readonly forwarded: readonly ForwardedRequest[];
}

export interface OfficialGatewayOptions {
  readonly suite: OfficialSuite;
  readonly baseline: OfficialBaseline;
  /** Where the suite's results go; a temporary directory (removed afterwards) when absent. */
  readonly resultsDir?: string;
}

/** Runs the suite through a started local gateway, via the credential forwarder, and judges it. */
export async function runOfficialThroughGateway(
  gateway: LocalGateway,
  options: OfficialGatewayOptions,
): Promise<OfficialGatewayRun> {
  const server = probedServer(gateway);
  const token = gateway.token({ server: server.name, user: OFFICIAL_SUITE_USER, roles: allRoles(server) });
  const forwarder = await startCredentialForwarder({ target: gateway.url, token });
  const outputDir = options.resultsDir ?? mkdtempSync(path.join(os.tmpdir(), "mcpgw-official-"));
  try {
    const run = await runOfficialSuite({
      suite: options.suite,
      url: `${forwarder.url}/${server.name}/mcp`,
      outputDir,
    });
    return {
      stack: gateway.stack,
      server: server.name,
      run,
      judgement: judgeOfficialRun(run.results, options.baseline, options.suite.version),
      forwarded: [...forwarder.requests],
    };
  } finally {
    await forwarder.stop();
    if (options.resultsDir === undefined) rmSync(outputDir, { recursive: true, force: true });
  }
}

export interface OfficialSuiteRequest {
  readonly stacks: readonly string[];
  readonly keepResults?: string;
  /** Plans already built (tests); otherwise each is built in a child process. */
  readonly plans?: Readonly<Record<string, PreviewPlan>>;
  readonly onRun?: (run: OfficialGatewayRun) => void;
}

/** Per stack: start its local gateway, run the suite through it, judge, stop. */
export async function runOfficialSuiteForStacks(
  request: OfficialSuiteRequest,
): Promise<OfficialGatewayRun[]> {
  // Setup problems first, before any plan is built: missing suite, invalid baseline, bad stack file.
  const suite = locateOfficialSuite();
  const baseline = loadOfficialBaseline();
  for (const stack of request.stacks) readStackConfig(stack);
  const plans = await Promise.all(
    request.stacks.map(async (stack) => request.plans?.[stack] ?? buildPlanInChild(stack)),
  );
  const results: OfficialGatewayRun[] = [];
  for (const [i, stack] of request.stacks.entries()) {
    const gateway = await startLocalGateway({ stack, plan: plans[i] });
    try {
      const run = await runOfficialThroughGateway(gateway, {
        suite,
        baseline,
        ...(request.keepResults === undefined
          ? {}
          : { resultsDir: path.resolve(request.keepResults, stack) }),
      });
      results.push(run);
      request.onRun?.(run);
    } finally {
      await gateway.stop();
    }
  }
  return results;
}

export async function main(argv: readonly string[]): Promise<number> {
  let request: OfficialSuiteRequest;
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: {
          stack: { type: "string", multiple: true },
          "keep-results": { type: "string" },
          help: { type: "boolean" },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    request = {
      stacks: (values.stack ?? [...DEFAULT_STACKS]).map(checkStack),
      ...(values["keep-results"] === undefined ? {} : { keepResults: values["keep-results"] }),
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
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

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
