import { SEED_CONTROLS, type SeedControl } from "./controls";
import { HttpClient } from "./http";
import { redact } from "./redact";
import {
  type Check,
  type CheckContext,
  type CheckResult,
  type Need,
  type SuiteOptions,
  fail,
  skip,
} from "./types";

export interface CheckRun extends CheckResult {
  readonly id: string;
  readonly title: string;
  readonly seedControls: readonly SeedControl[];
  readonly durationMs: number;
}

/** The CLI flag that satisfies each need, for skip messages. */
export const NEED_FLAGS: Readonly<Record<Need, string>> = {
  token: "--token-command",
  secondUserToken: "--second-user-token-command",
  wrongAudienceToken: "--wrong-audience-token-command",
  expiredToken: "--expired-token-command",
  noScopeToken: "--no-scope-token-command",
  foreignTenantClaimToken: "--foreign-tenant-claim-token-command",
  toolWithoutRole: "--tool-without-role",
  streamingTool: "--streaming-tool",
};

export function missingNeeds(check: Check, options: SuiteOptions): Need[] {
  const have: Record<Need, boolean> = {
    token: options.tokens.token !== undefined,
    secondUserToken: options.tokens.secondUserToken !== undefined,
    wrongAudienceToken: options.tokens.wrongAudienceToken !== undefined,
    expiredToken: options.tokens.expiredToken !== undefined,
    noScopeToken: options.tokens.noScopeToken !== undefined,
    foreignTenantClaimToken: options.tokens.foreignTenantClaimToken !== undefined,
    toolWithoutRole: options.toolWithoutRole !== undefined,
    streamingTool: options.streamingTool !== undefined,
  };
  return check.needs.filter((need) => !have[need]);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface RunOptions {
  /** Called after each check, e.g. to print progress. */
  readonly onResult?: (run: CheckRun) => void;
  /** Share a client across runs (tests); otherwise one is made from `ca` and closed at the end. */
  readonly http?: HttpClient;
  readonly ca?: string;
}

/**
 * Runs checks in order. A check whose needs are missing is skipped, never passed; an exception is a
 * failure. Every detail is redacted of the tokens before it leaves this function.
 */
export async function runChecks(
  checks: readonly Check[],
  options: SuiteOptions,
  runOptions: RunOptions = {},
): Promise<CheckRun[]> {
  const http = runOptions.http ?? new HttpClient({ ca: runOptions.ca, timeoutMs: options.timeoutMs });
  const ctx: CheckContext = { options, http };
  const secrets = Object.values(options.tokens).filter((t): t is string => typeof t === "string");
  const runs: CheckRun[] = [];
  try {
    for (const check of checks) {
      const started = performance.now();
      const missing = missingNeeds(check, options);
      let result: CheckResult;
      if (missing.length > 0) {
        result = skip(`needs ${missing.map((n) => NEED_FLAGS[n]).join(", ")}`);
      } else {
        try {
          result = await withTimeout(check.run(ctx), options.checkTimeoutMs, check.id);
        } catch (error) {
          result = fail(`error: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const run: CheckRun = {
        id: check.id,
        title: check.title,
        seedControls: check.seedControls,
        status: result.status,
        detail: redact(result.detail.replace(/\s+/g, " ").trim(), secrets),
        durationMs: Math.round(performance.now() - started),
      };
      runs.push(run);
      runOptions.onResult?.(run);
    }
  } finally {
    if (runOptions.http === undefined) http.close();
  }
  return runs;
}

export function controlTitle(control: SeedControl): string {
  return `${control}: ${SEED_CONTROLS[control]}`;
}
