/**
 * `npm run conformance:local [-- --stack <name>]... [--switch <name>=<value>]... [--all-switches]`: the
 * whole conformance suite against `gateway:local` (the stack's real policy on the local runtime), for
 * dev, staging and prod unless stacks are named. Exit 0 when no check failed, 1 on a failure, 2 on bad
 * usage or config. TLS checks cannot apply on loopback and are reported as skipped, never passed.
 */
import { parseFlags } from "../cli/args";
import { ConfigValidationError } from "../../infra/config";
import type { RuntimeSwitches } from "../gateway-local/contract";
import {
  buildPlanInChild,
  type LocalGateway,
  readStackConfig,
  StackConfigError,
  startLocalGateway,
} from "../gateway-local/local";
import { PlanConfigError } from "../gateway-local/plan-config";
import { checkStack, NON_DEFAULT_SWITCHES, parseSwitches, UsageError } from "../gateway-local/switches";
import type { PreviewPlan } from "../../policies/check/plan";
import { runLocalConformance } from "./local";
import { formatTable, totals } from "./report";
import type { CheckRun } from "./runner";

export const DEFAULT_STACKS = ["dev", "staging", "prod"] as const;

export const USAGE = `Usage: npm run conformance:local -- [--stack <name>]... [--switch <name>=<value>]... [--all-switches]
Runs the conformance suite against the local gateway (the stack's plan, its policy unmodified).
  --stack <name>            a stack (repeatable; default: dev, staging, prod)
  --switch <name>=<value>   runtime switches for the run (see npm run gateway:local -- --help)
  --all-switches            also one run per non-default switch, reported (a failure there exits 1 too)
`;

export interface LocalRun {
  readonly stack: string;
  /** `default` or the switch, e.g. `cacheEmptiedBetweenRequests=true`. */
  readonly variant: string;
  readonly runs: readonly CheckRun[];
}

export interface LocalSuiteRequest {
  readonly stacks: readonly string[];
  readonly switches: Partial<RuntimeSwitches>;
  readonly allSwitches: boolean;
  /** Plans already built (tests); otherwise each is built in a child process. */
  readonly plans?: Readonly<Record<string, PreviewPlan>>;
  readonly onRun?: (run: LocalRun) => void;
}

/** Runs the suite per stack (default switches, or the given ones) and, if asked, once per other switch. */
export async function runLocalSuite(request: LocalSuiteRequest): Promise<LocalRun[]> {
  // Every stack file is read (and validated) before any plan is built: a typo fails fast.
  for (const stack of request.stacks) readStackConfig(stack);
  const plans = await Promise.all(
    request.stacks.map(async (stack) => request.plans?.[stack] ?? buildPlanInChild(stack)),
  );
  const results: LocalRun[] = [];
  const record = (run: LocalRun): void => {
    results.push(run);
    request.onRun?.(run);
  };
  for (const [i, stack] of request.stacks.entries()) {
    let gateway: LocalGateway = await startLocalGateway({
      stack,
      plan: plans[i],
      switches: request.switches,
    });
    try {
      const variant =
        Object.keys(request.switches).length === 0 ? "default" : JSON.stringify(request.switches);
      record({ stack, variant, runs: await runLocalConformance(gateway) });
      if (request.allSwitches) {
        for (const other of NON_DEFAULT_SWITCHES) {
          gateway = await gateway.relaunch({ switches: other.switches });
          record({ stack, variant: other.name, runs: await runLocalConformance(gateway) });
        }
      }
    } finally {
      await gateway.stop();
    }
  }
  return results;
}

export async function main(argv: readonly string[]): Promise<number> {
  let request: LocalSuiteRequest;
  try {
    const values = parseFlags(argv, {
      stack: { type: "string", multiple: true },
      switch: { type: "string", multiple: true },
      "all-switches": { type: "boolean" },
      help: { type: "boolean" },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    request = {
      stacks: (values.stack ?? [...DEFAULT_STACKS]).map(checkStack),
      switches: parseSwitches(values.switch ?? []),
      allSwitches: values["all-switches"] ?? false,
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  let results: LocalRun[];
  try {
    results = await runLocalSuite({
      ...request,
      onRun: (run) => {
        const t = totals(run.runs);
        process.stdout.write(
          `\n== ${run.stack} (${run.variant}): ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped\n`,
        );
        process.stdout.write(`${formatTable(run.runs)}\n`);
      },
    });
  } catch (error) {
    if (
      error instanceof ConfigValidationError ||
      error instanceof PlanConfigError ||
      error instanceof StackConfigError
    ) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const failed = results.filter((r) => totals(r.runs).failed > 0);
  process.stdout.write(
    `\n${results.length} run(s) in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      (failed.length === 0
        ? "no check failed\n"
        : `failures in ${failed.map((r) => `${r.stack} (${r.variant})`).join(", ")}\n`),
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
