/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`) as a referee of the gateway:
 * where it is installed, how its server scenarios of one revision are run, how its per-scenario results
 * are read back, and how they are judged against the expected-failure baseline
 * (`tools/conformance/official-baseline.json`, docs/conformance.md "The official suite").
 *
 * The suite needs Node 22 (`fs.globSync`) while the project runs on Node 20, so both live in their own
 * package, `tools/conformance/official/` (installed by the root `postinstall`): a root dependency on the
 * `node` package would put Node 22 first on the PATH of every npm script.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { REPO_ROOT } from "../offline/stack-files";

/** The revision whose server scenarios are run: its frozen requirement set, at its own wire version. */
export const OFFICIAL_REVISION = "2026-07-28";
export const OFFICIAL_PACKAGE_DIR = path.join(REPO_ROOT, "tools", "conformance", "official");
export const OFFICIAL_BASELINE_FILE = path.join(REPO_ROOT, "tools", "conformance", "official-baseline.json");
const SUITE_PACKAGE = "@modelcontextprotocol/conformance";

export interface OfficialSuite {
  /** The Node 22 binary of the `node` package. */
  readonly node: string;
  /** The suite's CLI entry (`dist/index.js`). */
  readonly cli: string;
  /** `@modelcontextprotocol/conformance@<version>`, as installed. */
  readonly version: string;
  readonly nodeVersion: string;
}

/** The suite or its Node 22 is not installed: a setup problem, reported with the command that fixes it. */
export class OfficialSuiteMissingError extends Error {}

/** Where the pinned suite and Node 22 are installed; throws OfficialSuiteMissingError when they are not. */
export function locateOfficialSuite(dir: string = OFFICIAL_PACKAGE_DIR): OfficialSuite {
  const modules = path.join(dir, "node_modules");
  const node = path.join(modules, "node", "bin", "node");
  const suiteDir = path.join(modules, ...SUITE_PACKAGE.split("/"));
  const cli = path.join(suiteDir, "dist", "index.js");
  const missing = [
    ...(existsSync(node) ? [] : [`Node 22 binary ${node}`]),
    ...(existsSync(cli) ? [] : [`suite entry ${cli}`]),
  ];
  if (missing.length > 0) {
    throw new OfficialSuiteMissingError(
      `the official MCP conformance suite is not installed (missing: ${missing.join(", ")}). ` +
        `Run \`npm ci\` at the repository root (its postinstall runs \`npm ci --prefix tools/conformance/official\`), ` +
        `or that command alone.`,
    );
  }
  const nodePackage = JSON.parse(readFileSync(path.join(modules, "node", "package.json"), "utf8")) as {
    version: string;
  };
  const suitePackage = JSON.parse(readFileSync(path.join(suiteDir, "package.json"), "utf8")) as {
    version: string;
  };
  return { node, cli, version: `${SUITE_PACKAGE}@${suitePackage.version}`, nodeVersion: nodePackage.version };
}

/** One check as the suite writes it to `checks.json`. */
export interface OfficialCheck {
  readonly id: string;
  readonly name?: string;
  readonly status: string;
  readonly errorMessage?: string;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly checks: readonly OfficialCheck[];
}

export interface SuiteRun {
  readonly results: readonly ScenarioResult[];
  /** The suite's own exit code (its scoring, not ours: informational). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface SuiteRunOptions {
  readonly suite: OfficialSuite;
  /** The MCP endpoint the suite talks to. */
  readonly url: string;
  /** Where the suite writes `server-<scenario>-<timestamp>/checks.json`. */
  readonly outputDir: string;
  /** Per-scenario timeout (the suite's `--timeout`). */
  readonly scenarioTimeoutMs?: number;
  /** The whole run; the process is killed after it. */
  readonly runTimeoutMs?: number;
  /** Only this scenario of the requirement set (the suite's `--scenario`); absent: all of them. */
  readonly scenario?: string;
}

const RESULT_DIR = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;
const SCENARIO_LINE = /^=== Running scenario: (\S+) ===$/gm;

const checksFile = z.array(
  z.looseObject({
    id: z.string(),
    name: z.string().optional(),
    status: z.string(),
    errorMessage: z.string().optional(),
  }),
);

/**
 * The scenarios a run announced (`=== Running scenario: <name> ===`), each with the checks it wrote. A
 * scenario that wrote no `checks.json` (the suite crashed on it) gets one failing check saying so, so it
 * can never count as passed. A run of one named scenario announces nothing: that scenario is the run.
 */
export function readSuiteResults(stdout: string, outputDir: string, only?: string): ScenarioResult[] {
  const written = new Map<string, OfficialCheck[]>();
  for (const entry of existsSync(outputDir) ? readdirSync(outputDir) : []) {
    const scenario = RESULT_DIR.exec(entry)?.[1];
    const file = path.join(outputDir, entry, "checks.json");
    if (scenario === undefined || !existsSync(file)) continue;
    written.set(scenario, checksFile.parse(JSON.parse(readFileSync(file, "utf8"))));
  }
  const announced = only !== undefined ? [only] : [...stdout.matchAll(SCENARIO_LINE)].map((m) => m[1] ?? "");
  return announced.map((scenario) => ({
    scenario,
    checks: written.get(scenario) ?? [
      {
        id: "official-runner-no-result",
        status: "FAILURE",
        errorMessage: `the suite announced ${scenario} but wrote no checks.json for it (see its output)`,
      },
    ],
  }));
}

/** Runs the revision's server requirement set (scored and not-scored scenarios) against `url`. */
export function runOfficialSuite(options: SuiteRunOptions): Promise<SuiteRun> {
  const args = [
    options.suite.cli,
    "server",
    "--url",
    options.url,
    // A requirement set fixes its scenarios (the suite refuses --scenario beside it): one scenario runs at
    // the revision's wire version instead.
    ...(options.scenario === undefined
      ? ["--requirements", OFFICIAL_REVISION]
      : ["--scenario", options.scenario, "--spec-version", OFFICIAL_REVISION]),
    "--output-dir",
    options.outputDir,
    "--timeout",
    String(options.scenarioTimeoutMs ?? 10_000),
  ];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // The suite is a client of a loopback endpoint: it never needs the proxies of this environment.
    const env = { ...process.env, NO_PROXY: "*", no_proxy: "*" };
    const child = spawn(options.suite.node, args, { cwd: OFFICIAL_PACKAGE_DIR, env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.runTimeoutMs ?? 120_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      if (signal !== null) {
        reject(
          new Error(`the official suite was killed (${signal}) after ${options.runTimeoutMs ?? 120_000} ms`),
        );
        return;
      }
      const results = readSuiteResults(stdout, options.outputDir, options.scenario);
      if (results.length === 0) {
        reject(
          new Error(`the official suite ran no scenario (exit ${String(exitCode)}):\n${stderr || stdout}`),
        );
        return;
      }
      resolve({ results, exitCode, stdout, stderr, durationMs: Math.round(performance.now() - started) });
    });
  });
}

// ---- The baseline ----------------------------------------------------------------------------------------

const nonEmpty = z.string().trim().min(1);

export const officialBaselineSchema = z.strictObject({
  $comment: z.string().optional(),
  /** `@modelcontextprotocol/conformance@<version>`: a baseline judges the suite it was recorded with. */
  suite: nonEmpty,
  revision: z.literal(OFFICIAL_REVISION),
  expectedFailures: z.array(
    z.strictObject({
      scenario: nonEmpty,
      /** One check of the scenario; absent: the whole scenario (any of its checks) may fail. */
      check: nonEmpty.optional(),
      /** Why it fails through this gateway; must stay true. */
      reason: z.string().trim().min(20, { error: "must say why the failure is expected" }),
    }),
  ),
});

export type OfficialBaseline = z.infer<typeof officialBaselineSchema>;
export type BaselineEntry = OfficialBaseline["expectedFailures"][number];

/** The baseline file is unreadable or invalid: every problem, with its key. */
export class BaselineError extends Error {}

const entryKey = (e: { scenario: string; check?: string | undefined }): string =>
  e.check === undefined ? e.scenario : `${e.scenario}:${e.check}`;

/** Validates a baseline document: schema, then no entry twice and no scenario both whole and per check. */
export function parseOfficialBaseline(value: unknown, source = "baseline"): OfficialBaseline {
  const parsed = officialBaselineSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new BaselineError(`${source} is invalid:\n${problems.join("\n")}`);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const whole = new Set(
    parsed.data.expectedFailures.filter((e) => e.check === undefined).map((e) => e.scenario),
  );
  parsed.data.expectedFailures.forEach((entry, index) => {
    const key = entryKey(entry);
    if (seen.has(key)) problems.push(`  expectedFailures.${index}: ${key} is listed twice`);
    seen.add(key);
    if (entry.check !== undefined && whole.has(entry.scenario)) {
      problems.push(
        `  expectedFailures.${index}: ${key} is redundant: the whole scenario ${entry.scenario} is listed`,
      );
    }
  });
  if (problems.length > 0) throw new BaselineError(`${source} is invalid:\n${problems.join("\n")}`);
  return parsed.data;
}

export function loadOfficialBaseline(file: string = OFFICIAL_BASELINE_FILE): OfficialBaseline {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new BaselineError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseOfficialBaseline(raw, path.relative(REPO_ROOT, file));
}

export type ScenarioVerdict =
  /** No check failed and none is baselined. */
  | "pass"
  /** Every failing check is baselined, and every baselined check failed. */
  | "expected-failure"
  /** A check failed that the baseline does not list. */
  | "unexpected-failure"
  /** A baselined failure did not happen: the baseline is stale. */
  | "stale";

export interface ScenarioJudgement {
  readonly scenario: string;
  readonly verdict: ScenarioVerdict;
  readonly passed: number;
  readonly failed: number;
  /** One line per problem (unexpected failure, stale entry), empty unless the verdict is a problem. */
  readonly problems: readonly string[];
}

export interface Judgement {
  readonly scenarios: readonly ScenarioJudgement[];
  /** Baseline entries naming a scenario the run did not have (renamed or dropped by the suite). */
  readonly unknownEntries: readonly string[];
  /** The suite version the baseline names differs from the one installed. */
  readonly suiteMismatch?: string;
  readonly ok: boolean;
}

const FAILED = "FAILURE";

/**
 * Judges a run against the baseline, strictly in both directions: a failure the baseline does not list
 * fails the run, and so does a listed failure that did not happen (a fix landed, or the suite changed:
 * the entry must go), so the baseline can never go stale silently.
 */
export function judgeOfficialRun(
  results: readonly ScenarioResult[],
  baseline: OfficialBaseline,
  installedSuite?: string,
): Judgement {
  const scenarios = results.map((result): ScenarioJudgement => {
    const entries = baseline.expectedFailures.filter((e) => e.scenario === result.scenario);
    const wholeEntry = entries.find((e) => e.check === undefined);
    const failing = result.checks.filter((c) => c.status === FAILED);
    const passed = result.checks.filter((c) => c.status === "SUCCESS").length;
    const counts = { scenario: result.scenario, passed, failed: failing.length };
    if (wholeEntry !== undefined) {
      return failing.length > 0
        ? { ...counts, verdict: "expected-failure", problems: [] }
        : {
            ...counts,
            verdict: "stale",
            problems: [`${result.scenario}: listed as failing (${wholeEntry.reason}) but no check failed`],
          };
    }
    const listed = new Set(entries.map((e) => e.check));
    const failingIds = new Set(failing.map((c) => c.id));
    const unexpected = failing.filter((c) => !listed.has(c.id));
    const stale = entries.filter((e) => !failingIds.has(e.check ?? ""));
    const problems = [
      ...unexpected.map(
        (c) =>
          `${result.scenario}:${c.id} failed and is not in the baseline: ${c.errorMessage ?? c.name ?? ""}`,
      ),
      ...stale.map(
        (e) =>
          `${entryKey(e)}: listed as failing (${e.reason}) but ` +
          (result.checks.some((c) => c.id === e.check) ? "it did not fail" : "the scenario did not run it"),
      ),
    ];
    const verdict: ScenarioVerdict =
      unexpected.length > 0
        ? "unexpected-failure"
        : stale.length > 0
          ? "stale"
          : failing.length > 0
            ? "expected-failure"
            : "pass";
    return { ...counts, verdict, problems };
  });
  const ran = new Set(results.map((r) => r.scenario));
  const unknownEntries = baseline.expectedFailures
    .filter((e) => !ran.has(e.scenario))
    .map((e) => `${entryKey(e)}: the suite did not run this scenario`);
  const suiteMismatch =
    installedSuite !== undefined && installedSuite !== baseline.suite
      ? `the baseline was recorded with ${baseline.suite}, the installed suite is ${installedSuite}`
      : undefined;
  const ok =
    suiteMismatch === undefined &&
    unknownEntries.length === 0 &&
    scenarios.every((s) => s.verdict === "pass" || s.verdict === "expected-failure");
  return { scenarios, unknownEntries, ...(suiteMismatch ? { suiteMismatch } : {}), ok };
}

const VERDICT_MARK: Readonly<Record<ScenarioVerdict, string>> = {
  pass: "PASS",
  "expected-failure": "XFAIL",
  "unexpected-failure": "FAIL",
  stale: "STALE",
};

/** A plain-text report: one line per scenario, then every problem. */
export function formatJudgement(judgement: Judgement): string {
  const width = Math.max(...judgement.scenarios.map((s) => s.scenario.length), 8);
  const lines = judgement.scenarios.map(
    (s) =>
      `${VERDICT_MARK[s.verdict].padEnd(5)}  ${s.scenario.padEnd(width)}  ${s.passed} passed, ${s.failed} failed`,
  );
  const count = (v: ScenarioVerdict): number => judgement.scenarios.filter((s) => s.verdict === v).length;
  const problems = [
    ...(judgement.suiteMismatch ? [judgement.suiteMismatch] : []),
    ...judgement.scenarios.flatMap((s) => s.problems),
    ...judgement.unknownEntries,
  ];
  return [
    ...lines,
    "",
    `${judgement.scenarios.length} scenarios: ${count("pass")} passed, ${count("expected-failure")} failed as the baseline expects, ` +
      `${count("unexpected-failure")} failed unexpectedly, ${count("stale")} stale`,
    ...(problems.length > 0 ? ["", "Problems:", ...problems.map((p) => `  - ${p}`)] : []),
  ].join("\n");
}
