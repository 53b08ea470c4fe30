/**
 * The pack as the engine sees it (tools/cli-host/policy-host.ts): started through
 * `cmd/run-policy-pack`, answering the Analyzer calls, and never outliving the process that started it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { closePackSession, packSession } from "../../../policies/check/engine";
import { REPO_ROOT } from "../../support/plans";

afterAll(closePackSession);

test("GetAnalyzerInfo names the pack, its package.json version and every policy", async () => {
  const session = await packSession();
  const info = await session.getAnalyzerInfo();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(REPO_ROOT, "policies", "package.json")) as { version: string };
  expect(info.getName()).toBe("mcp-azure-gateway");
  expect(info.getVersion()).toBe(pkg.version);
  expect(info.getSupportsconfig()).toBe(true);
  expect(info.getPoliciesList().length).toBeGreaterThan(50);
});

test("Configure then Analyze: a disabled policy is silent, an enabled one reports", async () => {
  const session = await packSession();
  const request = new analyzerpb.AnalyzeRequest();
  request.setType("azure-native:keyvault:Vault");
  request.setName("kv");
  request.setUrn("urn:pulumi:test::p::azure-native:keyvault:Vault::kv");
  request.setProperties(Struct.fromJavaScript({ properties: { sku: { family: "A", name: "standard" } } }));
  // The engine always sends the resource options (the pack refuses a request without them).
  const options = new analyzerpb.AnalyzerResourceOptions();
  options.setCustomtimeouts(new analyzerpb.AnalyzerResourceOptions.CustomTimeouts());
  request.setOptions(options);
  const level = async (enforcement: analyzerpb.EnforcementLevel): Promise<analyzerpb.EnforcementLevel[]> => {
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
  expect(await level(analyzerpb.EnforcementLevel.MANDATORY)).toEqual([analyzerpb.EnforcementLevel.MANDATORY]);
});

test("the pack ends when the process that started it is killed", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cli-host-orphan-"));
  const script = path.join(dir, "start.ts");
  writeFileSync(
    script,
    `import { packSession } from ${JSON.stringify(path.join(REPO_ROOT, "policies", "check", "engine"))};\n` +
      `packSession().then((s) => { console.log(s.pid); process.kill(process.pid, "SIGKILL"); });\n`,
  );
  const output = await new Promise<string>((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), script],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
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
