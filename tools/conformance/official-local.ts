/**
 * The official MCP conformance suite through the local gateway: a started `gateway:local` (the stack's
 * real policy on the local runtime), the credential forwarder in front of it, the suite's
 * 2026-07-28 server scenarios through both, judged against the baseline. The library entry of
 * `conformance:official` and of its test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PreviewPlan } from "../../policies/check/plan";
import {
  buildPlanInChild,
  type LocalGateway,
  readStackConfig,
  startLocalGateway,
} from "../gateway-local/local";
import { allRoles, probedServer } from "./local";
import {
  judgeOfficialRun,
  type Judgement,
  loadOfficialBaseline,
  locateOfficialSuite,
  type OfficialBaseline,
  type OfficialSuite,
  runOfficialSuite,
  type SuiteRun,
} from "./official";
import { type ForwardedRequest, startCredentialForwarder } from "./official-forwarder";
import { OFFICIAL_FIXTURE_SERVER, writeOverlayFile } from "./official-overlay";
import { startFixtureBackend } from "../gateway-local/fixture-backend";

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
  /**
   * Only this scenario, judged against its own baseline entries (a mutation test that knows which scenario
   * must catch it); absent: the whole requirement set against the whole baseline.
   */
  readonly scenario?: string;
}

/** Runs the suite through a started local gateway, via the credential forwarder, and judges it. */
export async function runOfficialThroughGateway(
  gateway: LocalGateway,
  options: OfficialGatewayOptions,
): Promise<OfficialGatewayRun> {
  const server = probedServer(gateway, OFFICIAL_FIXTURE_SERVER);
  const token = gateway.token({ server: server.name, user: OFFICIAL_SUITE_USER, roles: allRoles(server) });
  const forwarder = await startCredentialForwarder({ target: gateway.url, token });
  const outputDir = options.resultsDir ?? mkdtempSync(path.join(os.tmpdir(), "mcpgw-official-"));
  try {
    const run = await runOfficialSuite({
      suite: options.suite,
      url: `${forwarder.url}/${server.name}/mcp`,
      outputDir,
      ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
    });
    const baseline =
      options.scenario === undefined
        ? options.baseline
        : {
            ...options.baseline,
            expectedFailures: options.baseline.expectedFailures.filter(
              (e) => e.scenario === options.scenario,
            ),
          };
    return {
      stack: gateway.stack,
      server: server.name,
      run,
      judgement: judgeOfficialRun(run.results, baseline, options.suite.version),
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

/**
 * The stack's local gateway under the conformance overlay (official-overlay.ts): its config plus the fixture
 * server, validated by the config schema, planned by the offline preview, with the fixture server as that
 * server's backend. `plan`: the overlay's plan when the caller built it already.
 */
export async function startOfficialGateway(stack: string, plan?: PreviewPlan): Promise<LocalGateway> {
  const overlay = writeOverlayFile(stack);
  try {
    readStackConfig(stack, overlay.file);
    return await startLocalGateway({
      stack,
      plan: plan ?? (await buildPlanInChild(stack, overlay.file)),
      configFile: overlay.file,
      backends: { [OFFICIAL_FIXTURE_SERVER]: startFixtureBackend },
    });
  } finally {
    overlay.remove();
  }
}

/** Per stack: start its local gateway under the overlay, run the suite through it, judge, stop. */
export async function runOfficialSuiteForStacks(
  request: OfficialSuiteRequest,
): Promise<OfficialGatewayRun[]> {
  // Setup problems first, before any plan is built: missing suite, invalid baseline, bad stack file.
  const suite = locateOfficialSuite();
  const baseline = loadOfficialBaseline();
  for (const stack of request.stacks) readStackConfig(stack);
  const results: OfficialGatewayRun[] = [];
  for (const stack of request.stacks) {
    const gateway = await startOfficialGateway(stack, request.plans?.[stack]);
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
