import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../support/plans";
import { COMPILER, describeWithCompiler } from "../../../tools/expressions/support";
import { TS_NODE_ARGS } from "../../../tools/build/node-ts";

function runCli(args: readonly string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [...TS_NODE_ARGS, "tools/expressions/cli.ts", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A plan with one API policy, as the offline preview (or `pulumi preview --json`) writes it. */
function planFile(policy: string): string {
  const urn =
    "urn:pulumi:test::mcp-azure-gateway::mcpgw:gateway:Gateway$azure-native:apimanagement:ApiPolicy::gateway-api-mcp-x-policy";
  const plan = {
    steps: [
      {
        op: "create",
        urn,
        newState: {
          urn,
          type: "azure-native:apimanagement:ApiPolicy",
          custom: true,
          inputs: { apiId: "mcp-x", policyId: "policy", format: "xml", value: policy },
          outputs: {},
        },
      },
    ],
    changeSummary: { create: 1 },
  };
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "mcpgw-cli-")), "test.json");
  writeFileSync(file, JSON.stringify(plan));
  return file;
}

describe("check:expressions without a C# compiler", () => {
  const noCompiler = { MCPGW_MCS: path.join(os.tmpdir(), "no-such-mcs"), CI: "", MCPGW_REQUIRE_MCS: "" };

  it("reports the check as skipped, with the install command, and exits 0", () => {
    const run = runCli([], noCompiler);
    expect(run.stdout).toContain(
      "SKIPPED: the policy expression check needs a C# compiler (mcs); install it with: apt-get install -y mono-mcs",
    );
    expect(run.status).toBe(0);
  });

  it("fails in CI, where it must not be skipped", () => {
    expect(runCli([], { ...noCompiler, CI: "true" }).status).toBe(1);
    expect(runCli([], { ...noCompiler, MCPGW_REQUIRE_MCS: "1" }).status).toBe(1);
  });
});

describeWithCompiler("check:expressions over plan files", () => {
  const env = { MCPGW_MCS: COMPILER };

  it("exits 0 when every expression compiles", () => {
    const file = planFile(
      '<policies><inbound><set-variable name="a" value="@(context.Request.Method)" /></inbound></policies>',
    );
    const run = runCli(["--plan", `test=${file}`, "--no-renderer"], env);
    expect(run.stdout).toMatch(
      /Policy expressions: 1 \(1 distinct\) compiled with mcs in 1 run\(s\), [\d.]+s \[test 1 in 1 document\(s\)\]: 0 error\(s\)\./,
    );
    expect(run.status).toBe(0);
  });

  it("exits 1 and names stack, resource, API, section, element and expression", () => {
    const file = planFile(
      '<policies><inbound><choose><when condition="@(context.Request.Metod == &quot;POST&quot;)" /></choose></inbound></policies>',
    );
    const run = runCli(["--plan", file, "--no-renderer"], env);
    expect(run.stdout).toContain(
      "test gateway-api-mcp-x-policy (ApiPolicy, api mcp-x) inbound inbound/choose[1]/when[1]@condition expression #1 (template: not found in infra/gateway/policy): error CS1061:",
    );
    expect(run.stdout).toContain("^ column 19 of the expression");
    expect(run.status).toBe(1);
  });

  it("exits 2 on a file that is not a plan", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "mcpgw-cli-")), "bad.json");
    writeFileSync(file, "{}");
    const run = runCli(["--plan", file, "--no-renderer"], env);
    expect(run.stderr).toContain("not a preview plan");
    expect(run.status).toBe(2);
  });

  it("exits 2 on an unknown option", () => {
    expect(runCli(["--bogus"], env).status).toBe(2);
  });
});
