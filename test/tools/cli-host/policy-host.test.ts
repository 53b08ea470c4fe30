/**
 * The pack as the engine sees it (tools/cli-host/policy-host.ts), both ways it is started: served in
 * the tool's own process (`servePolicyPackInProcess`, what `policy:check` and the preview use) and
 * through `cmd/run-policy-pack` as the CLI starts it (`startPolicyPack`, what `check:cli-fidelity`
 * uses): each answers the Analyzer calls, and a started pack never outlives the process that started it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { closePackSession, PACK_DIRECTORY, packSession } from "../../../policies/check/engine";
import { type AnalyzerSession, startPolicyPack } from "../../../tools/cli-host/policy-host";
import { TS_NODE_ARGS } from "../../../tools/build/node-ts";
import { REPO_ROOT } from "../../support/plans";

/** ts-node's cache for the CLI's way, kept across runs (only the first run in a checkout type-checks). */
const TS_NODE_CACHE = path.join(REPO_ROOT, "node_modules", ".cache", "cli-host", "ts-node");
let childSession: Promise<AnalyzerSession> | undefined;
const cliWay = (): Promise<AnalyzerSession> =>
  (childSession ??= startPolicyPack(PACK_DIRECTORY, { cacheDirectory: TS_NODE_CACHE }));

afterAll(async () => {
  await closePackSession();
  if (childSession) (await childSession).close();
});

const WAYS: ReadonlyArray<[string, () => Promise<AnalyzerSession>]> = [
  ["in the tool's process", packSession],
  ["cmd/run-policy-pack", cliWay],
];

test.each(WAYS)(
  "%s: GetAnalyzerInfo names the pack, its package.json version and every policy",
  async (_, start) => {
    const session = await start();
    const info = await session.getAnalyzerInfo();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require(path.join(REPO_ROOT, "policies", "package.json")) as { version: string };
    expect(info.getName()).toBe("mcp-azure-gateway");
    expect(info.getVersion()).toBe(pkg.version);
    expect(info.getSupportsconfig()).toBe(true);
    expect(info.getPoliciesList().length).toBeGreaterThan(50);
  },
);

test.each(WAYS)(
  "%s: Configure then Analyze: a disabled policy is silent, an enabled one reports",
  async (_, start) => {
    const session = await start();
    const request = new analyzerpb.AnalyzeRequest();
    request.setType("azure-native:keyvault:Vault");
    request.setName("kv");
    request.setUrn("urn:pulumi:test::p::azure-native:keyvault:Vault::kv");
    request.setProperties(Struct.fromJavaScript({ properties: { sku: { family: "A", name: "standard" } } }));
    // The engine always sends the resource options (the pack refuses a request without them).
    const options = new analyzerpb.AnalyzerResourceOptions();
    options.setCustomtimeouts(new analyzerpb.AnalyzerResourceOptions.CustomTimeouts());
    request.setOptions(options);
    const level = async (
      enforcement: analyzerpb.EnforcementLevel,
    ): Promise<analyzerpb.EnforcementLevel[]> => {
      const config = new analyzerpb.PolicyConfig();
      config.setEnforcementlevel(enforcement);
      config.setProperties(Struct.fromJavaScript({}));
      await session.configure(new Map([["keyvault-premium-sku", config]]));
      const response = await session.analyze(request);
      return response
        .getDiagnosticsList()
        .filter((diagnostic) => diagnostic.getPolicyname() === "keyvault-premium-sku")
        .map((diagnostic) => diagnostic.getEnforcementlevel());
    };
    expect(await level(analyzerpb.EnforcementLevel.DISABLED)).toEqual([]);
    expect(await level(analyzerpb.EnforcementLevel.ADVISORY)).toEqual([analyzerpb.EnforcementLevel.ADVISORY]);
    expect(await level(analyzerpb.EnforcementLevel.MANDATORY)).toEqual([
      analyzerpb.EnforcementLevel.MANDATORY,
    ]);
  },
);

test("the pack the CLI's way ends when the process that started it is killed", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cli-host-orphan-"));
  const script = path.join(dir, "start.ts");
  writeFileSync(
    script,
    `import { startPolicyPack } from ${JSON.stringify(path.join(REPO_ROOT, "tools", "cli-host", "policy-host"))};\n` +
      `startPolicyPack(${JSON.stringify(PACK_DIRECTORY)}, { cacheDirectory: ${JSON.stringify(TS_NODE_CACHE)} }).then((s) => { console.log(s.pid); process.kill(process.pid, "SIGKILL"); });\n`,
  );
  const output = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, script], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("close", () => resolve(stdout));
  });
  const pid = Number(output.trim());
  expect(pid).toBeGreaterThan(0);
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 20_000;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  expect(alive()).toBe(false);
});
