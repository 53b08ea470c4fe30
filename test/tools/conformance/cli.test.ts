import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { child, parseXml } from "../../support/xml";
import { ALL_CHECKS, HARDENING_CHECK_IDS } from "../../../tools/conformance/checks";
import { main, parseCliArgs, UsageError } from "../../../tools/conformance/cli";
import {
  createTestIssuer,
  makeTestCertificate,
  type ReferenceServer,
  startReferenceServer,
  type TestIssuer,
} from "./reference-server";
import { mintTokens } from "./reference-server/fixture";
import { runTokenCommand } from "../../../tools/conformance/token-command";
import type { Tokens } from "../../../tools/conformance/types";

/** The CLI end to end against the reference server: flags, token commands, report, exit codes. */

let dir: string;
let caFile: string;
let issuer: TestIssuer;
let good: ReferenceServer;
let broken: ReferenceServer;
let goodTokens: Tokens;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(argv: readonly string[]): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Writes each token to a file and returns the flags that read them back through `sh -c`. */
function tokenFlags(name: string, tokens: Tokens): string[] {
  const flags: [keyof Tokens, string][] = [
    ["token", "--token-command"],
    ["secondUserToken", "--second-user-token-command"],
    ["wrongAudienceToken", "--wrong-audience-token-command"],
    ["expiredToken", "--expired-token-command"],
    ["noScopeToken", "--no-scope-token-command"],
    ["foreignTenantClaimToken", "--foreign-tenant-claim-token-command"],
  ];
  return flags.flatMap(([key, flag]) => {
    const value = tokens[key];
    if (value === undefined) return [];
    const file = path.join(dir, `${name}-${key}.txt`);
    writeFileSync(file, `${value}\n`);
    return [flag, `cat '${file}'`];
  });
}

const probeFlags = [
  "--ca",
  "",
  "--tool-without-role",
  "admin_reset",
  "--unknown-tool",
  "internal_debug",
  "--streaming-tool",
  "slow_count",
  "--streaming-tool-args",
  '{"count":4}',
  "--burst",
  "150",
  "--burst-concurrency",
  "8",
  "--max-body-bytes",
  "65536",
  "--bad-origin",
  "https://evil.example",
  "--timeout-ms",
  "8000",
];

function flagsFor(server: ReferenceServer, tokens: Tokens, extra: readonly string[] = []): string[] {
  const probes = [...probeFlags];
  probes[1] = caFile;
  return ["--url", server.url.href, ...tokenFlags(server.url.port, tokens), ...probes, ...extra];
}

function expectNoTokens(...texts: string[]): void {
  for (const token of Object.values(goodTokens)) {
    for (const text of texts) expect(text.includes(String(token))).toBe(false);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "mcp-conformance-"));
  const certificate = await makeTestCertificate();
  caFile = path.join(dir, "ca.pem");
  writeFileSync(caFile, certificate.cert);
  issuer = createTestIssuer();
  [good, broken] = await Promise.all([
    startReferenceServer({ certificate, issuer }),
    startReferenceServer({ certificate, issuer, breaks: ["allowAnyOrigin", "leakErrorDetail"] }),
  ]);
  goodTokens = mintTokens(issuer, good);
});

afterAll(async () => {
  await Promise.all([good?.close(), broken?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run conformance", () => {
  test("against the correct server: every check passes, exit 0, JUnit report, no token printed", async () => {
    const report = path.join(dir, "reports", "good.xml");
    // The reference double predates the hardening checks, which run against the real policy instead.
    const skipped = ["--skip", HARDENING_CHECK_IDS.join(",")];
    const out = await cli(flagsFor(good, goodTokens, ["--report", report, ...skipped]));
    expect(out.stderr).not.toMatch(/FAIL/);
    expect(out.code).toBe(0);
    const run = ALL_CHECKS.length - HARDENING_CHECK_IDS.length;
    expect(out.stdout).toContain(`${run} passed, 0 failed, 0 skipped`);
    const xml = readFileSync(report, "utf8");
    const root = parseXml(xml); // throws unless well-formed
    expect(root.name).toBe("testsuites");
    const suite = child(root, "testsuite");
    expect(suite.attributes["tests"]).toBe(String(run));
    expect(suite.attributes["failures"]).toBe("0");
    expectNoTokens(out.stdout, out.stderr, xml);
  });

  test("against a broken server: the failures are reported, exit 1", async () => {
    const report = path.join(dir, "broken.xml");
    const tokens = mintTokens(issuer, broken);
    const out = await cli(
      flagsFor(broken, tokens, [
        "--only",
        "transport.origin,auth.no-token,auth.malformed-token,auth.expired-token,auth.wrong-audience",
        "--report",
        report,
      ]),
    );
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/FAIL\s+transport\.origin/);
    expect(out.stdout).toMatch(/FAIL\s+auth\.no-token/);
    const xml = readFileSync(report, "utf8");
    const root = parseXml(xml); // throws unless well-formed
    expect(root.name).toBe("testsuites");
    const suite = child(root, "testsuite");
    expect(suite.attributes["tests"]).toBe("5");
    expect(suite.attributes["failures"]).toBe("5");
    for (const token of Object.values(tokens))
      expect(`${out.stdout}${xml}`.includes(String(token))).toBe(false);
  });

  test("missing tokens are skipped, and --fail-on-skip turns a skip into exit 1", async () => {
    const only = ["--only", "session.binding,tls.versions"];
    const lenient = await cli(flagsFor(good, {}, only));
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(
      /SKIP\s+session\.binding.*needs --token-command, --second-user-token-command/,
    );
    expect(lenient.stdout).toMatch(/PASS\s+tls\.versions/);
    const strict = await cli(flagsFor(good, {}, [...only, "--fail-on-skip"]));
    expect(strict.code).toBe(1);
  });

  test("without --ca the self-signed reference server is not trusted (validation stays on)", async () => {
    const out = await cli(["--url", good.url.href, "--only", "tls.versions"]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/FAIL\s+tls\.versions.*TLS 1\.3 handshake failed/);
  });

  test("a failing token command is a usage problem (exit 2) and its output is not echoed", async () => {
    const secret = goodTokens.token ?? "";
    const out = await cli([
      "--url",
      good.url.href,
      "--token-command",
      `echo ${secret}; echo "token service said ${secret}" >&2; exit 3`,
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("--token-command exited with 3");
    expectNoTokens(out.stdout, out.stderr);
  });

  test("--list and --help exit 0", async () => {
    const list = await cli(["--list"]);
    expect(list.code).toBe(0);
    for (const check of ALL_CHECKS) expect(list.stdout).toContain(check.id);
    expect((await cli(["--help"])).code).toBe(0);
  });

  test.each([
    [[], /--url is required/],
    [["--url", "http://127.0.0.1/docs/mcp"], /must be https/],
    [["--url", "https://x/mcp", "--bogus"], /Unknown option/],
    [["--url", "https://x/mcp", "--burst", "5000"], /--burst must be an integer from 1 to 1000/],
    [["--url", "https://x/mcp", "--streaming-tool", "t", "--streaming-tool-args", "{"], /not valid JSON/],
    [["--url", "https://x/mcp", "--tool-without-role-args", "{}"], /needs the tool's name/],
    [["--url", "https://x/mcp", "--only", "no.such-check"], /no check matches/],
    [["--url", "https://x/mcp", "--metadata-locations", "suffixed,elsewhere"], /unknown location/],
    [["--url", "https://x/mcp", "--ca", "/nonexistent/ca.pem"], /cannot be read/],
    [["--url", "https://x/mcp", "--tool-without-role-user", "b"], /must be main or second/],
  ])("usage error %j exits 2", async (argv, message) => {
    const out = await cli(argv);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).toContain("Usage: npm run conformance");
  });
});

describe("argument parsing", () => {
  test("defaults", () => {
    const parsed = parseCliArgs(["--url", "https://mcp.contoso.com/docs/mcp"]);
    if (parsed.kind !== "run") throw new Error("expected a run");
    const { options, checks } = parsed.config;
    expect(options.burst).toBe(200);
    expect(options.maxBodyBytes).toBe(1_048_576);
    expect(options.metadataLocations).toEqual(["suffixed", "endpoint"]);
    expect(options.unknownTool).toMatch(/^conformance_unlisted_[0-9a-f]{12}$/);
    expect(options.streamingTool).toBeUndefined();
    expect(checks).toHaveLength(ALL_CHECKS.length);
  });

  test("--skip with a prefix pattern", () => {
    const parsed = parseCliArgs(["--url", "https://h/s/mcp", "--skip", "auth.*,ratelimit.per-user"]);
    if (parsed.kind !== "run") throw new Error("expected a run");
    const ids = parsed.config.checks.map((c) => c.id);
    expect(ids.some((id) => id.startsWith("auth.") || id === "ratelimit.per-user")).toBe(false);
    expect(ids).toContain("tls.versions");
  });

  test("usage errors are UsageError", () => {
    expect(() => parseCliArgs(["--url", "https://h/s/mcp?x=1"])).toThrow(UsageError);
  });
});

describe("token commands", () => {
  test("run with sh -c, environment inherited, output trimmed", async () => {
    process.env["CONFORMANCE_TEST_TOKEN"] = "abc.def.ghi";
    await expect(
      runTokenCommand("--token-command", 'printf "  %s\\n\\n" "$CONFORMANCE_TEST_TOKEN"'),
    ).resolves.toBe("abc.def.ghi");
    delete process.env["CONFORMANCE_TEST_TOKEN"];
  });

  test("empty or multi-word output is refused", async () => {
    await expect(runTokenCommand("--token-command", "true")).rejects.toThrow(/printed nothing/);
    await expect(runTokenCommand("--token-command", "echo two words")).rejects.toThrow(/more than one word/);
  });
});
