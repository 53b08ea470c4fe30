/**
 * Fork in one place (issue 17): the values a fork changes live in its stack files, and the pack config
 * follows them. A fork whose repository belongs to another GitHub owner passes the pack unchanged.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { evaluatePlan } from "../../policies/check/engine";
import { runConfigCli } from "../../policies/check/config-cli";
import {
  loadPackConfig,
  parsePackConfig,
  PackConfigError,
  readPackConfigFile,
  stackDerivedOptionsIn,
  stackDerivedOverrides,
  withStackFacts,
} from "../../policies/check/pack-config";
import { runTsCli, stackPlan, STACKS, writeStackVariant } from "../support/plans";

const P = "mcp-azure-gateway:";
const RULE = "entra-federated-credential-issuers";

/** A fork's stack file: the same config with the repository (and its tag) under another owner. */
function forkOf(stack: (typeof STACKS)[number], repository: string): string {
  return writeStackVariant(stack, (config) => {
    const identity = config[`${P}identity`] as { github: { repository: string } };
    identity.github.repository = repository;
    (config[`${P}tags`] as Record<string, string>)["repository"] = repository;
  });
}

function captured(): {
  out: { log(m: string): void; error(m: string): void };
  logs: string[];
  errors: string[];
} {
  const logs: string[] = [];
  const errors: string[] = [];
  return { out: { log: (m) => logs.push(m), error: (m) => errors.push(m) }, logs, errors };
}

describe("fork in one place", () => {
  test.each(STACKS)("the checked-in %s pack config leaves the GitHub owner to the stack config", (stack) => {
    const config = readPackConfigFile(path.resolve(__dirname, "../../policies/config", `${stack}.json`));
    expect(config.policies[RULE]?.config["allowedGitHubOwners"]).toBeUndefined();
  });

  test("an environment file that sets the owner again is rejected with the reason", () => {
    const config = parsePackConfig(
      { [RULE]: { allowedGitHubOwners: ["contoso"] } },
      "policies/config/x.json",
    );
    expect(stackDerivedOptionsIn(config)).toEqual([
      `${RULE}: allowedGitHubOwners comes from the stack config (identity.github.repository); remove it from this file`,
    ]);
  });

  test("the owner comes from identity.github.repository and wins over the file", () => {
    expect(stackDerivedOverrides({ githubRepository: "fabrikam/mcp-gw" })).toEqual({
      [RULE]: { allowedGitHubOwners: ["fabrikam"] },
    });
    const merged = withStackFacts(
      {
        policies: { [RULE]: { enforcementLevel: "mandatory", config: { allowedGitHubOwners: ["contoso"] } } },
      },
      { githubRepository: "fabrikam/mcp-gw" },
    );
    expect(merged.policies[RULE]).toEqual({
      enforcementLevel: "mandatory",
      config: { allowedGitHubOwners: ["fabrikam"] },
    });
    expect(() => stackDerivedOverrides({ githubRepository: "fabrikam" })).toThrow(PackConfigError);
  });

  test("the derived owner bites: contoso's credentials under a fabrikam stack config are refused", async () => {
    const report = await evaluatePlan(stackPlan("dev"), {
      environment: "dev",
      packConfig: withStackFacts(loadPackConfig("dev"), { githubRepository: "fabrikam/mcp-gw" }),
    });
    const findings = report.violations.filter((v) => v.policyName === RULE);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]!.message).toMatch(/GitHub owner contoso is not one of fabrikam/);
  });

  test("a fork with another GitHub owner passes the pack (offline preview of its stack file)", () => {
    const file = forkOf("prod", "fabrikam/mcp-gateway");
    const run = runTsCli("policies/check/cli.ts", ["--stack", "prod", "--config-file", file, "--quiet"]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).not.toMatch(/GitHub owner/);
  });

  test("policy:config writes the CLI's pack config with the fork's owner", () => {
    const file = forkOf("staging", "fabrikam/mcp-gateway");
    const { out, logs, errors } = captured();
    expect(runConfigCli(["--stack", "staging", "--config-file", file], out)).toBe(0);
    expect(errors).toEqual([]);
    const document = JSON.parse(logs.join("\n")) as Record<string, unknown>;
    expect(document[RULE]).toEqual({ allowedGitHubOwners: ["fabrikam"] });
    // Everything else is the environment file, unchanged.
    const { [RULE]: _derived, ...rest } = document;
    void _derived;
    expect(rest).toEqual(
      JSON.parse(readFileSync(path.resolve(__dirname, "../../policies/config/staging.json"), "utf8")),
    );
  });

  test("policy:config rejects bad input with exit code 2", () => {
    const { out, errors } = captured();
    expect(runConfigCli([], out)).toBe(2);
    expect(errors.join("\n")).toMatch(/--stack <name> is required/);
    const broken = writeStackVariant("dev", (config) => {
      (config[`${P}identity`] as { github: { repository: string } }).github.repository = "not a repo";
    });
    const second = captured();
    expect(runConfigCli(["--stack", "dev", "--config-file", broken], second.out)).toBe(2);
    expect(second.errors.join("\n")).toMatch(/identity\.github\.repository/);
  });
});
