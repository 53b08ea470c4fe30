import { ALL_CHECKS as EVERY_CHECK, HARDENING_CHECK_IDS } from "../../../tools/conformance/checks";
import { HttpClient } from "../../../tools/conformance/http";
import {
  ALL_BREAK_SWITCHES,
  type BreakSwitch,
  createTestIssuer,
  makeTestCertificate,
  type ReferenceServer,
  startReferenceServer,
  type TestCertificate,
  type TestIssuer,
} from "./reference-server";
import { mintTokens, referenceSuiteOptions } from "./reference-server/fixture";
import { type CheckRun, runChecks } from "../../../tools/conformance/runner";

/**
 * Proves the suite: every check passes against the reference gateway, and each breaking switch
 * makes exactly the checks that guard its behaviour fail (and no others).
 */

/** The checks the reference double implements: the hardening checks are proven on the real policy only. */
const ALL_CHECKS = EVERY_CHECK.filter((check) => !HARDENING_CHECK_IDS.includes(check.id));

const FULL = process.env["CONFORMANCE_SELFTEST_FULL"] === "1";

const needsToken = ALL_CHECKS.filter((c) => c.needs.includes("token")).map((c) => c.id);

/** For each switch, the checks that must fail against a server with that one behaviour broken. */
const BROKEN_BY: Readonly<Record<BreakSwitch, readonly string[]>> = {
  prmInconsistent: ["prm.metadata"],
  challengeWithoutScope: ["auth.no-token"],
  leakErrorDetail: ["auth.no-token", "auth.malformed-token", "auth.expired-token", "auth.wrong-audience"],
  acceptAnyAudience: ["auth.wrong-audience"],
  ignoreExpiry: ["auth.expired-token"],
  ignoreScope: ["auth.no-scope"],
  ignoreTenantClaim: ["auth.tenant-claim"],
  skipSignatureCheck: ["auth.malformed-token"],
  // With every token refused, each check that needs a working token has nothing to stand on.
  rejectValidTokens: needsToken,
  ignoreToolRoles: ["authz.tool-role"],
  noToolAllowlist: ["authz.tool-allowlist"],
  allowAnyOrigin: ["transport.origin"],
  ignoreProtocolVersion: ["transport.protocol-version"],
  noBodyLimit: ["transport.body-limit"],
  noEnvelopeCheck: ["transport.jsonrpc-envelope"],
  ignoreSessionOwner: ["session.binding"],
  acceptUnknownSession: ["session.unknown"],
  predictableSessionIds: ["session.id-quality"],
  allowTls12: ["tls.versions"],
  noSecurityHeaders: ["headers.security"],
  leakServerHeaders: ["headers.no-leak"],
  bufferSse: ["sse.streaming"],
  noRateLimit: ["ratelimit.per-user"],
  noRetryAfter: ["ratelimit.per-user"],
};

let certificate: TestCertificate;
let issuer: TestIssuer;
let http: HttpClient;
const servers: ReferenceServer[] = [];

async function startServer(breaks: readonly BreakSwitch[] = []): Promise<ReferenceServer> {
  const server = await startReferenceServer({ certificate, issuer, breaks });
  servers.push(server);
  return server;
}

async function runAgainst(server: ReferenceServer, ids?: readonly string[]): Promise<CheckRun[]> {
  const checks = ids === undefined ? ALL_CHECKS : ALL_CHECKS.filter((c) => ids.includes(c.id));
  return runChecks(checks, referenceSuiteOptions(server, mintTokens(issuer, server)), { http });
}

/** Runs `task` over `items` with at most `limit` in flight: CI machines may have two cores. */
async function inPool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const failures = (runs: readonly CheckRun[]): string[] =>
  runs.filter((r) => r.status === "fail").map((r) => `${r.id}: ${r.detail}`);

beforeAll(async () => {
  certificate = await makeTestCertificate();
  issuer = createTestIssuer();
  http = new HttpClient({ ca: certificate.cert, timeoutMs: 5_000 });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  http.close();
});

describe("the switch table", () => {
  test("every check has a breaking switch", () => {
    const covered = new Set(Object.values(BROKEN_BY).flat());
    expect(ALL_CHECKS.map((c) => c.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test("every switch is in the table and names real checks", () => {
    expect(Object.keys(BROKEN_BY).sort()).toEqual([...ALL_BREAK_SWITCHES].sort());
    const ids = new Set(ALL_CHECKS.map((c) => c.id));
    expect(
      Object.values(BROKEN_BY)
        .flat()
        .filter((id) => !ids.has(id)),
    ).toEqual([]);
  });

  test("check IDs are unique and the rate-limit burst runs last", () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[ids.length - 1]).toBe("ratelimit.per-user");
  });
});

describe("against the correct reference server", () => {
  test("every check passes", async () => {
    const runs = await runAgainst(await startServer());
    expect(failures(runs)).toEqual([]);
    expect(runs.map((r) => r.status)).toEqual(ALL_CHECKS.map(() => "pass"));
  });

  test("checks whose tokens or tools were not supplied are skipped, never passed", async () => {
    const server = await startServer();
    const runs = await runChecks(
      ALL_CHECKS,
      referenceSuiteOptions(server, {}, { toolWithoutRole: undefined, streamingTool: undefined }),
      { http },
    );
    const byStatus = (status: string): string[] => runs.filter((r) => r.status === status).map((r) => r.id);
    expect(byStatus("fail")).toEqual([]);
    expect(byStatus("pass").sort()).toEqual(
      [
        "tls.versions",
        "headers.security",
        "headers.no-leak",
        "prm.metadata",
        "auth.no-token",
        "auth.malformed-token",
      ].sort(),
    );
    for (const run of runs.filter((r) => r.status === "skip")) expect(run.detail).toMatch(/^needs --/);
    expect(runs.find((r) => r.id === "session.binding")?.detail).toBe(
      "needs --token-command, --second-user-token-command",
    );
  });

  test("misconfigured tokens fail instead of passing", async () => {
    const server = await startServer();
    const tokens = mintTokens(issuer, server);
    const runs = await runChecks(
      ALL_CHECKS.filter((c) =>
        ["session.binding", "auth.expired-token", "auth.wrong-audience"].includes(c.id),
      ),
      referenceSuiteOptions(server, {
        token: tokens.token,
        secondUserToken: tokens.token,
        expiredToken: tokens.token,
        wrongAudienceToken: tokens.token,
      }),
      { http },
    );
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      ["auth.expired-token", "fail"],
      ["auth.wrong-audience", "fail"],
      ["session.binding", "fail"],
    ]);
    expect(runs.map((r) => r.detail).join("\n")).not.toContain(tokens.token);
  });
});

describe("the role probe as the second user", () => {
  test("passes with the second user's token and is skipped without it", async () => {
    const server = await startServer();
    const tokens = mintTokens(issuer, server);
    const roleCheck = ALL_CHECKS.filter((c) => c.id === "authz.tool-role");
    const asSecond = { toolWithoutRoleUser: "second" } as const;
    const [withB] = await runChecks(roleCheck, referenceSuiteOptions(server, tokens, asSecond), { http });
    expect([withB?.status, withB?.detail]).toEqual(["pass", expect.stringContaining("as the second user")]);
    const [withoutB] = await runChecks(
      roleCheck,
      referenceSuiteOptions(server, { token: tokens.token }, asSecond),
      { http },
    );
    expect([withoutB?.status, withoutB?.detail]).toEqual([
      "skip",
      expect.stringMatching(/second-user-token/),
    ]);
  });
});

describe("against a server broken one behaviour at a time", () => {
  const results = new Map<BreakSwitch, CheckRun[]>();

  // One server per switch. Each runs the checks that must fail plus the handshake, the positive
  // control showing that the rest of the server still works. CONFORMANCE_SELFTEST_FULL=1 runs every
  // check against every switch (a minute or two), proving that no switch breaks more than it says.
  beforeAll(async () => {
    await inPool(ALL_BREAK_SWITCHES, 4, async (name) => {
      const ids = FULL ? undefined : [...new Set([...BROKEN_BY[name], "mcp.handshake"])];
      results.set(name, await runAgainst(await startServer([name]), ids));
    });
  }, 300_000);

  test.each(ALL_BREAK_SWITCHES.map((name) => [name, BROKEN_BY[name]] as const))(
    "%s makes %j fail",
    (name, expected) => {
      const runs = results.get(name) ?? [];
      const status = Object.fromEntries(runs.map((r) => [r.id, r.status]));
      const want = Object.fromEntries(runs.map((r) => [r.id, expected.includes(r.id) ? "fail" : "pass"]));
      expect({ name, status, details: runs.map((r) => `${r.id}: ${r.detail}`) }).toEqual({
        name,
        status: want,
        details: expect.any(Array),
      });
      expect(runs.map((r) => r.id)).toEqual(expect.arrayContaining([...expected, "mcp.handshake"]));
    },
  );
});
