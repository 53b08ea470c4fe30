import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import {
  BaselineError,
  judgeOfficialRun,
  loadOfficialBaseline,
  locateOfficialSuite,
  type OfficialBaseline,
  OFFICIAL_BASELINE_FILE,
  OFFICIAL_REVISION,
  OfficialSuiteMissingError,
  parseOfficialBaseline,
  readSuiteResults,
  type ScenarioResult,
} from "../../../tools/conformance/official";
import { runOfficialThroughGateway, startOfficialGateway } from "../../../tools/conformance/official-local";
import { OFFICIAL_FIXTURE_SERVER } from "../../../tools/conformance/official-overlay";
import { FIXTURE_TOOLS } from "../../../tools/gateway-local/fixture-backend";
import { startCredentialForwarder } from "../../../tools/conformance/official-forwarder";
import { type LocalGateway, readStackConfig } from "../../../tools/gateway-local/local";
import { MUTATIONS } from "../../../tools/gateway-local/mutations";

/**
 * The official MCP conformance suite's 2026-07-28 server scenarios through the local gateway
 * (`npm run conformance:official`), judged against tools/conformance/official-baseline.json, and the
 * judge itself.
 */

const SUITE = "@modelcontextprotocol/conformance@0.2.0-alpha.12";
const REASON = "the backend does not declare this fixture tool";
const baseline = (expectedFailures: OfficialBaseline["expectedFailures"]): OfficialBaseline => ({
  suite: SUITE,
  revision: OFFICIAL_REVISION,
  expectedFailures,
});
const check = (id: string, status: "SUCCESS" | "FAILURE") => ({ id, status });

describe("judging a run against the baseline", () => {
  const results: ScenarioResult[] = [
    { scenario: "tools-list", checks: [check("tools-list", "SUCCESS")] },
    { scenario: "tools-call-image", checks: [check("tools-call-image", "FAILURE")] },
    {
      scenario: "server-stateless",
      checks: [check("discover", "SUCCESS"), check("error-id", "FAILURE"), check("error-id", "FAILURE")],
    },
  ];

  test("every failure listed and every listed check failing: ok", () => {
    const judgement = judgeOfficialRun(
      results,
      baseline([
        { scenario: "tools-call-image", reason: REASON },
        { scenario: "server-stateless", check: "error-id", reason: REASON },
      ]),
      SUITE,
    );
    expect(judgement.ok).toBe(true);
    expect(judgement.scenarios.map((s) => s.verdict)).toEqual([
      "pass",
      "expected-failure",
      "expected-failure",
    ]);
  });

  test("a failing check the baseline does not list fails the run", () => {
    const judgement = judgeOfficialRun(results, baseline([{ scenario: "tools-call-image", reason: REASON }]));
    expect(judgement.ok).toBe(false);
    expect(judgement.scenarios[2]).toMatchObject({ verdict: "unexpected-failure" });
    expect(judgement.scenarios[2]?.problems).toEqual([
      "server-stateless:error-id failed and is not in the baseline: ",
      "server-stateless:error-id failed and is not in the baseline: ",
    ]);
  });

  test("a listed failure that passes, or that the scenario no longer runs, makes the baseline stale", () => {
    const judgement = judgeOfficialRun(
      results,
      baseline([
        { scenario: "tools-list", reason: REASON },
        { scenario: "tools-call-image", reason: REASON },
        { scenario: "server-stateless", check: "error-id", reason: REASON },
        { scenario: "server-stateless", check: "discover", reason: REASON },
        { scenario: "server-stateless", check: "renamed", reason: REASON },
      ]),
    );
    expect(judgement.ok).toBe(false);
    expect(judgement.scenarios.map((s) => s.verdict)).toEqual(["stale", "expected-failure", "stale"]);
    expect(judgement.scenarios[2]?.problems).toEqual([
      expect.stringMatching(/^server-stateless:discover: listed as failing .* but it did not fail$/),
      expect.stringMatching(
        /^server-stateless:renamed: listed as failing .* but the scenario did not run it$/,
      ),
    ]);
  });

  test("an entry for a scenario the suite did not run, or another suite version, fails the run", () => {
    const listed = baseline([
      { scenario: "tools-call-image", reason: REASON },
      { scenario: "server-stateless", check: "error-id", reason: REASON },
    ]);
    const unknown = judgeOfficialRun(results, {
      ...listed,
      expectedFailures: [...listed.expectedFailures, { scenario: "gone-scenario", reason: REASON }],
    });
    expect([unknown.ok, unknown.unknownEntries]).toEqual([
      false,
      ["gone-scenario: the suite did not run this scenario"],
    ]);
    const other = judgeOfficialRun(results, listed, "@modelcontextprotocol/conformance@0.2.0-alpha.13");
    expect([other.ok, other.suiteMismatch]).toEqual([false, expect.stringContaining("0.2.0-alpha.13")]);
  });

  test("the baseline file is validated: reasons required, no entry twice, no check beside its whole scenario", () => {
    expect(() =>
      parseOfficialBaseline({
        suite: SUITE,
        revision: OFFICIAL_REVISION,
        expectedFailures: [
          { scenario: "a", reason: "short" },
          { scenario: "b", check: "c", reason: REASON, extra: 1 },
        ],
      }),
    ).toThrow(/expectedFailures\.0\.reason: must say why[\s\S]*expectedFailures\.1: Unrecognized key/);
    expect(() =>
      parseOfficialBaseline(
        baseline([
          { scenario: "a", reason: REASON },
          { scenario: "a", check: "x", reason: REASON },
          { scenario: "b", check: "y", reason: REASON },
          { scenario: "b", check: "y", reason: REASON },
        ]),
      ),
    ).toThrow(BaselineError);
    expect(() => parseOfficialBaseline({ ...baseline([]), revision: "2025-11-25" })).toThrow(/revision/);
  });

  test("the committed baseline is valid and names the pinned suite", () => {
    const committed = loadOfficialBaseline();
    expect(committed.suite).toBe(SUITE);
    const pinned = JSON.parse(
      readFileSync(path.join(path.dirname(OFFICIAL_BASELINE_FILE), "official", "package.json"), "utf8"),
    ) as { devDependencies: Record<string, string> };
    expect(
      `@modelcontextprotocol/conformance@${pinned.devDependencies["@modelcontextprotocol/conformance"]}`,
    ).toBe(committed.suite);
  });
});

describe("reading the suite's results", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "official-results-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("announced scenarios with their checks; one that wrote none counts as failed", () => {
    const written = path.join(dir, "server-tools-list-2026-12-07T05-05-31-581Z");
    mkdirSync(written);
    writeFileSync(path.join(written, "checks.json"), JSON.stringify([check("tools-list", "SUCCESS")]));
    const stdout = "=== Running scenario: tools-list ===\n...\n=== Running scenario: caching ===\n";
    expect(readSuiteResults(stdout, dir)).toEqual([
      { scenario: "tools-list", checks: [check("tools-list", "SUCCESS")] },
      {
        scenario: "caching",
        checks: [expect.objectContaining({ id: "official-runner-no-result", status: "FAILURE" })],
      },
    ]);
  });

  test("a run of one named scenario is that scenario, with its checks or a failing one", () => {
    const written = path.join(dir, "server-tools-list-2026-12-07T05-05-31-581Z");
    mkdirSync(written, { recursive: true });
    writeFileSync(path.join(written, "checks.json"), JSON.stringify([check("tools-list", "SUCCESS")]));
    const stdout = "Running client scenario 'tools-list' against server: http://127.0.0.1:1/x\n";
    expect(readSuiteResults(stdout, dir, "tools-list")).toEqual([
      { scenario: "tools-list", checks: [check("tools-list", "SUCCESS")] },
    ]);
    expect(readSuiteResults(stdout, dir, "caching")).toEqual([
      { scenario: "caching", checks: [expect.objectContaining({ id: "official-runner-no-result" })] },
    ]);
  });

  test("a missing suite or Node 22 is a setup error that says how to install it", () => {
    expect(() => locateOfficialSuite(dir)).toThrow(OfficialSuiteMissingError);
    expect(() => locateOfficialSuite(dir)).toThrow(/Node 22 binary .*npm ci/);
  });
});

describe("the credential forwarder", () => {
  let upstream: http.Server;
  let seen: { authorization: string | undefined; host: string | undefined; origin: string | undefined }[];
  beforeAll(async () => {
    seen = [];
    upstream = http.createServer((req, res) => {
      seen.push({
        authorization: req.headers.authorization,
        host: req.headers.host,
        origin: req.headers.origin,
      });
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
      setTimeout(() => res.end("data: second\n\n"), 300);
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => upstream.close(resolve));
  });

  test("adds the token only where none is sent, names the gateway as Host, keeps Origin, streams", async () => {
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const forwarder = await startCredentialForwarder({ target, token: "suite-token" });
    try {
      const response = await fetch(`${forwarder.url}/docs/mcp`, {
        method: "POST",
        headers: { origin: "http://evil.example" },
        body: "{}",
      });
      const reader = response.body!.getReader();
      const started = performance.now();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toBe("data: first\n\n");
      // The first event arrived before the upstream finished: nothing is buffered.
      expect(performance.now() - started).toBeLessThan(250);
      while (!(await reader.read()).done);
      await fetch(`${forwarder.url}/docs/mcp`, { method: "POST", headers: { authorization: "Bearer own" } });
      expect(seen).toEqual([
        { authorization: "Bearer suite-token", host: new URL(target).host, origin: "http://evil.example" },
        { authorization: "Bearer own", host: new URL(target).host, origin: undefined },
      ]);
      expect(forwarder.requests.map((r) => r.credentialAdded)).toEqual([true, false]);
    } finally {
      await forwarder.stop();
    }
  });
});

describe(`the official suite's ${OFFICIAL_REVISION} server scenarios through the local gateway (dev)`, () => {
  let gateway: LocalGateway;
  beforeAll(async () => {
    // The dev stack under the conformance overlay (its plan built here: the overlay adds the fixture server).
    gateway = await startOfficialGateway("dev");
  }, 60_000);
  test("the overlay adds the fixture server, granted to the suite, and the dev stack keeps its own", () => {
    const fixture = gateway.servers.find((s) => s.name === OFFICIAL_FIXTURE_SERVER);
    expect(fixture?.tools.map((t) => t.name)).toEqual([...FIXTURE_TOOLS]);
    expect(gateway.servers.map((s) => s.name).sort()).toEqual(
      [...readStackConfig("dev").mcpServers.map((s) => s.name), OFFICIAL_FIXTURE_SERVER].sort(),
    );
    // The shipped stack file does not carry it: the overlay exists only for the conformance run.
    expect(readStackConfig("dev").mcpServers.map((s) => s.name)).not.toContain(OFFICIAL_FIXTURE_SERVER);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  // Not skipped when the suite is missing: CI installs it through `npm ci`, so its absence is a failure.
  const suite = () => locateOfficialSuite();

  test("every scenario passes or fails exactly as the baseline says", async () => {
    const run = await runOfficialThroughGateway(gateway, {
      suite: suite(),
      baseline: loadOfficialBaseline(),
    });
    const problems = [
      ...(run.judgement.suiteMismatch ? [run.judgement.suiteMismatch] : []),
      ...run.judgement.scenarios.flatMap((s) => s.problems),
      ...run.judgement.unknownEntries,
    ];
    expect(problems).toEqual([]);
    expect(run.judgement.ok).toBe(true);
    // The frozen requirement set, scored and not scored: 37 required + 13 run for visibility.
    expect(run.judgement.scenarios).toHaveLength(50);
    const passed = run.judgement.scenarios.filter((s) => s.verdict === "pass").map((s) => s.scenario);
    // The routing-header rules the gateway enforces (SEP-2243) pass the suite's own probes, and conformant
    // traffic to the fixture server passes through intact: content types, prompts, resources, completion,
    // progress streaming, base64 Mcp-Name and Mcp-Param-* headers, caching hints, multi-round-trip requests.
    expect(passed).toEqual(
      expect.arrayContaining([
        "http-header-validation",
        "tools-list",
        "tools-call-with-progress",
        "tools-call-mixed-content",
        "prompts-get-with-args",
        "resources-templates-read",
        "completion-complete",
        "http-custom-header-server-validation",
        "caching",
        "input-required-result-multi-round",
        "input-required-result-tampered-state",
      ]),
    );
    // Every request reached the gateway with the suite's credential and none bypassed it.
    expect(run.forwarded.length).toBeGreaterThan(50);
    expect(run.forwarded.every((r) => r.credentialAdded)).toBe(true);
  });

  test.each([
    ["discover-refused-on-2026", "server-stateless"],
    ["remove-origin-step", "dns-rebinding-protection"],
  ])("the mutation %s fails the comparison (%s)", async (name, scenario) => {
    const mutation = MUTATIONS.find((m) => m.name === name);
    if (mutation === undefined) throw new Error(`no mutation ${name}`);
    gateway = await gateway.relaunch({ mutate: (docs) => mutation.apply(docs) });
    try {
      // The scenario that must catch it, alone: the whole set ran unmutated above.
      const run = await runOfficialThroughGateway(gateway, {
        suite: suite(),
        baseline: loadOfficialBaseline(),
        scenario,
      });
      expect(run.judgement.scenarios.map((s) => s.scenario)).toEqual([scenario]);
      expect(run.judgement.ok).toBe(false);
      expect(run.judgement.scenarios.find((s) => s.scenario === scenario)?.verdict).toBe(
        "unexpected-failure",
      );
    } finally {
      gateway = await gateway.relaunch({});
    }
  });
});
