import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { runTsCli, writeStackVariant } from "../../test/support/plans";
import { runCli } from "../check/cli";
import { evaluatePlan } from "../check/engine";
import { toSarif } from "../check/sarif";
import { allPolicies } from "../src";
import { T } from "../src/lib/types";
import { INSECURE_FIXTURES } from "./fixtures/insecure";
import { planOf } from "./harness";

const CLI = "policies/check/cli.ts";
/** The official OASIS SARIF 2.1.0 schema (shipped in @microsoft/jest-sarif) and our stricter subset copy. */
// Draft-04 schema: Ajv 8 reads its keywords the same way once the draft-04 `$schema` and `id` markers
// are dropped (the file uses no draft-04-only keyword such as boolean exclusiveMinimum).
const {
  $schema: _draft04,
  id: _id,
  ...officialSchema
} = JSON.parse(
  readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
) as Record<string, unknown>;
const subsetSchema = JSON.parse(
  readFileSync(path.join(__dirname, "fixtures", "sarif-2.1.0-subset.schema.json"), "utf8"),
) as object;

function validateSarif(
  document: unknown,
  schemas: readonly object[] = [officialSchema, subsetSchema],
): string[] {
  return schemas.flatMap((schema) => {
    // The official file's `language` pattern has a stray `]` that only non-unicode regexps accept.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    return validate(document)
      ? []
      : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ""}`);
  });
}

/** Runs the CLI in-process (a child process costs seconds of module loading); same exit codes and output. */
async function cli(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runCli(args, { log: (m) => stdout.push(m), error: (m) => stderr.push(m) });
  return { status, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

function tempFile(name: string, content?: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "policy-check-")), name);
  if (content !== undefined) writeFileSync(file, content);
  return file;
}

describe("a plan with an insecure resource of each covered kind", () => {
  test("trips every rule of the pack", async () => {
    const report = await evaluatePlan(planOf(INSECURE_FIXTURES));
    const tripped = new Set(report.violations.map((violation) => violation.policyName));
    const missed = allPolicies.map((policy) => policy.name).filter((name) => !tripped.has(name));
    // Rules whose violation needs a specific resource combination are covered by their own tests.
    expect(
      missed.filter(
        (name) =>
          ![
            "workloads-app-service-basic-auth-disabled",
            "workloads-container-app-authentication",
            "monitoring-customer-managed-storage",
          ].includes(name),
      ),
    ).toEqual([]);
  });

  test("the CLI catches it (npm run policy:check in a child process): table, summary, exit 1, SARIF that validates", () => {
    const planFile = tempFile("plan.json", JSON.stringify(planOf(INSECURE_FIXTURES)));
    const sarifFile = tempFile("results.sarif");
    const run = runTsCli(CLI, ["--plan", planFile, "--sarif", sarifFile]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/RULE\s+LEVEL\s+RESOURCE\s+MESSAGE/);
    expect(run.stdout).toMatch(
      /apim-mcp-token-validation\s+mandatory\s+urn:pulumi:test::mcp-azure-gateway::azure-native:apimanagement:ApiPolicy::api-policy/,
    );
    expect(run.stdout).toMatch(/\d+ mandatory, \d+ advisory violation\(s\)\./);
    const sarif = JSON.parse(readFileSync(sarifFile, "utf8")) as {
      runs: {
        results: { ruleId: string; ruleIndex: number }[];
        tool: { driver: { rules: { id: string }[] } };
      }[];
    };
    expect(validateSarif(sarif)).toEqual([]);
    const [run0] = sarif.runs;
    expect(run0?.results.length).toBeGreaterThan(30);
    for (const result of run0?.results ?? [])
      expect(run0?.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
  });

  test("a plan without violations exits 0; --environment applies that environment's config", async () => {
    const clean = planOf([{ type: T.roleDefinition, name: "role", inputs: {} }]);
    const planFile = tempFile("plan.json", JSON.stringify(clean));
    const advisoryOnly = await cli(["--plan", planFile]);
    expect(advisoryOnly.status).toBe(0);
    expect(advisoryOnly.stdout).toMatch(/0 mandatory, 1 advisory/);
    // Every environment uses prod's levels; dev's cost exceptions are declared waivers
    // (policies/src/lib/exemption-declarations.ts) that apply to resources of the dev stack only.
    const vnetPlan = JSON.stringify(
      planOf([{ type: T.virtualNetwork, name: "vnet", inputs: { subnets: [] } }]),
    );
    const devVnet = tempFile("dev-vnet.json", vnetPlan.replace(/urn:pulumi:test::/g, "urn:pulumi:dev::"));
    const dev = await cli(["--plan", devVnet, "--environment", "dev"]);
    expect(dev.stdout).not.toMatch(/network-ddos-protection/);
    expect(dev.stdout).toMatch(/policies over 1 resources/);
    const prodVnet = tempFile("prod-vnet.json", vnetPlan.replace(/urn:pulumi:test::/g, "urn:pulumi:prod::"));
    const prod = await cli(["--plan", prodVnet, "--environment", "prod"]);
    expect(prod.stdout).toMatch(/network-ddos-protection\s+mandatory/);
    expect(prod.status).toBe(1);
  });
});

describe("bad input exits 2 with a clear message", () => {
  test.each([
    [[], /exactly one of --stack and --plan/],
    [["--stack", "dev", "--plan", "x.json"], /exactly one of --stack and --plan/],
    [["--plan", "/no/such/plan.json"], /plan file not found/],
    [["--stack", "../etc"], /--stack must be a stack name/],
    [["--bogus"], /Unknown option/],
    [["--stack", "no-such-stack"], /config file not found/],
  ])("%j", async (args, message) => {
    const run = await cli(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test("an invalid stack config is bad input, reported with every problem", async () => {
    const file = writeStackVariant("dev", (config) => {
      (config["mcp-azure-gateway:gateway"] as Record<string, unknown>)["sku"] = "Basic";
    });
    const run = await cli(["--stack", "dev", "--config-file", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/gateway.sku/);
  });

  test("a file that is not JSON, not a plan, or an unknown environment", async () => {
    expect((await cli(["--plan", tempFile("a.json", "{")])).stderr).toMatch(/is not valid JSON/);
    const notPlan = await cli(["--plan", tempFile("b.json", '{"resources": []}')]);
    expect([notPlan.status, notPlan.stderr]).toEqual([2, expect.stringMatching(/not a preview plan/)]);
    const env = await cli(["--plan", tempFile("c.json", '{"steps": []}'), "--environment", "nowhere"]);
    expect([env.status, env.stderr]).toEqual([
      2,
      expect.stringMatching(/nowhere.json:\n {2}- file not found/),
    ]);
  });
});

describe("SARIF", () => {
  test("an empty report is a valid log with every rule and no results", async () => {
    const sarif = toSarif(await evaluatePlan({ steps: [], changeSummary: {} }), {
      artifactUri: "stacks/Pulumi.prod.yaml",
      category: "policy-check/prod",
    });
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs[0]?.["results"]).toEqual([]);
    expect((sarif.runs[0]?.["tool"] as { driver: { rules: unknown[] } }).driver.rules).toHaveLength(
      allPolicies.length,
    );
  });

  test("the official OASIS schema alone accepts our log and rejects a broken one", async () => {
    const sarif = toSarif(await evaluatePlan({ steps: [], changeSummary: {} }), {
      artifactUri: "stacks/Pulumi.prod.yaml",
      category: "policy-check/prod",
    });
    expect(validateSarif(sarif, [officialSchema])).toEqual([]);
    expect(validateSarif({ version: "2.1.0" }, [officialSchema])).not.toEqual([]);
    expect(validateSarif({ version: "2.0.0", runs: [] }, [officialSchema])).not.toEqual([]);
  });

  test("the schema copy rejects what SARIF 2.1.0 rejects", () => {
    expect(validateSarif({ version: "2.1.0" })).not.toEqual([]);
    expect(validateSarif({ version: "2.0.0", runs: [] })).not.toEqual([]);
    expect(validateSarif({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).not.toEqual([]);
    expect(
      validateSarif({
        version: "2.1.0",
        runs: [{ tool: { driver: { name: "x" } }, results: [{ level: "fatal", message: { text: "x" } }] }],
      }),
    ).not.toEqual([]);
    expect(
      validateSarif({
        version: "2.1.0",
        runs: [{ tool: { driver: { name: "x" } }, results: [{ message: {} }] }],
      }),
    ).not.toEqual([]);
  });
});
