/**
 * Issue 21: every malformed stack file ends in exit 2 with the offending key named, no stack trace and
 * no resource registered. Generated mutations of each stack file (fast-check, fixed seed) are validated
 * in-process through the very function the preview CLI uses (tools/offline/run.ts
 * `validateEngineConfig` over `engineConfigFromDocument`); a small fixed sample goes through the real
 * CLI process to prove the exit code and output path.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { formatConfigProblems, type ConfigProblem } from "../../infra/config";
import { validateEngineConfig } from "../../tools/offline/run";
import { engineConfigFromDocument } from "../../tools/offline/stack-files";
import {
  crossFieldContradictions,
  mutations,
  type JsonObject,
  type Mutation,
} from "../support/config-mutations";
import { REPO_ROOT } from "../support/plans";
import { TS_NODE_ARGS } from "../../tools/build/node-ts";

const STACKS = ["dev", "staging", "prod"] as const;
/** Fixed seed and budget: reproducible, and a few seconds for all three stacks. */
const SEED = 21;
const RUNS_PER_STACK = 150;

function stackConfig(stack: string): JsonObject {
  const document = parseYaml(
    readFileSync(path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8"),
  ) as {
    config: JsonObject;
  };
  return document.config;
}

/** Validates a stack file's `config:` map exactly as the preview CLI does; never throws on a bad value. */
function validate(config: JsonObject): { ok: true } | { ok: false; problems: readonly ConfigProblem[] } {
  const result = validateEngineConfig(engineConfigFromDocument({ config }, "generated stack file"));
  return result.ok ? { ok: true } : { ok: false, problems: result.problems };
}

function names(problems: readonly ConfigProblem[], mutation: Mutation): boolean {
  return problems.some(
    (problem) =>
      problem.key === mutation.expectedKey ||
      (mutation.orInside === true &&
        (problem.key.startsWith(`${mutation.expectedKey}.`) ||
          problem.key.startsWith(`${mutation.expectedKey}[`))),
  );
}

/** What a user must see: the key named, no stack frame, no source text. */
function assertReported(mutation: Mutation): void {
  let result: ReturnType<typeof validate>;
  try {
    result = validate(mutation.config);
  } catch (error) {
    throw new Error(`${mutation.kind} (${mutation.description}) crashed the validation: ${String(error)}`, {
      cause: error,
    });
  }
  if (result.ok) throw new Error(`${mutation.kind} (${mutation.description}) was accepted`);
  const text = formatConfigProblems(result.problems);
  if (!names(result.problems, mutation)) {
    throw new Error(
      `${mutation.kind} (${mutation.description}) did not name ${mutation.expectedKey}:\n${text}`,
    );
  }
  if (/\n\s+at /.test(text))
    throw new Error(`${mutation.description}: the report holds a stack trace:\n${text}`);
}

describe.each(STACKS)("stack %s", (stack) => {
  const config = stackConfig(stack);

  it("is valid as committed (the mutations start from a valid file)", () => {
    expect(validate(config)).toEqual({ ok: true });
  });

  it("rejects every generated mutation with the offending key named", () => {
    fc.assert(
      fc.property(mutations(config), (mutation) => {
        assertReported(mutation);
      }),
      { seed: SEED, numRuns: RUNS_PER_STACK },
    );
  });

  it("rejects every cross-field contradiction the components used to find", () => {
    const contradictions = crossFieldContradictions(config);
    expect(contradictions.length).toBeGreaterThan(15);
    for (const mutation of contradictions) assertReported(mutation);
  });
});

describe("failing cases found while developing (kept as regular tests)", () => {
  const dev = stackConfig("dev");
  const P = "mcp-azure-gateway:";
  const withValue = (key: string, mutate: (value: JsonObject) => void): JsonObject => {
    const copy = structuredClone(dev);
    mutate(copy[`${P}${key}`] as JsonObject);
    return copy;
  };
  const expectProblem = (config: JsonObject, key: string, message: RegExp): void => {
    const result = validate(config);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: `${P}${key}`, message: expect.stringMatching(message) }),
      ]),
    );
  };

  it("an allowed origin that is no URL is reported once, not a TypeError from new URL()", () => {
    const config = withValue("gatewayPolicy", (policy) => (policy["allowedOrigins"] = ["not a url"]));
    const result = validate(config);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.filter((p) => p.key === `${P}gatewayPolicy.allowedOrigins[0]`)).toHaveLength(1);
  });

  it("an allowed origin with a path is not a bare origin", () => {
    const config = withValue(
      "gatewayPolicy",
      (policy) => (policy["allowedOrigins"] = ["https://vscode.dev/x"]),
    );
    expectProblem(config, "gatewayPolicy.allowedOrigins[0]", /bare origin/);
  });

  it("edge minCapacity above maxCapacity (was a RangeError in infra/edge with the bundled source printed)", () => {
    const config = withValue("edge", (edge) => (edge["minCapacity"] = 5));
    expectProblem(config, "edge.minCapacity", /must not exceed maxCapacity \(2\)/);
  });

  it("gateway zones on the Developer tier (was an Error in the Gateway component)", () => {
    const config = withValue("gateway", (gateway) => {
      gateway["zones"] = ["1"];
    });
    expectProblem(config, "gateway.zones", /Premium/);
  });

  it("two container servers whose Container App names clash (was a WorkloadPlanError)", () => {
    const config = structuredClone(dev);
    const servers = config[`${P}mcpServers`] as JsonObject[];
    servers[0]!["name"] = `a${"b".repeat(29)}c1`;
    servers.push({ ...structuredClone(servers[0]!), name: `a${"b".repeat(29)}c2` });
    expectProblem(config, `mcpServers[${servers.length - 1}].name`, /same Container App name/);
  });

  it("a server named <x>-backend next to a managed-identity server x (was an IdentityModelError)", () => {
    const config = structuredClone(dev);
    const servers = config[`${P}mcpServers`] as JsonObject[];
    servers[1]!["name"] = `${String(servers[0]!["name"])}-backend`;
    expectProblem(config, "mcpServers[1].name", /backend identifier/);
  });

  it("two Key Vault secrets with one name (case-insensitive)", () => {
    const config = withValue("keyVault", (vault) => {
      const secrets = vault["secrets"] as JsonObject[];
      secrets.push({ ...structuredClone(secrets[0]!), name: String(secrets[0]!["name"]).toUpperCase() });
    });
    expectProblem(config, "keyVault.secrets[1].name", /another secret/);
  });

  it("rate-limit calls beyond a 32-bit policy attribute", () => {
    const config = withValue("gatewayPolicy", (policy) => {
      (policy["rateLimits"] as Record<string, JsonObject>)["perUser"]!["calls"] = 2 ** 31;
    });
    expectProblem(config, "gatewayPolicy.rateLimits.perUser.calls", /at most 2147483647/);
  });
});

describe("the real CLI on a fixed sample", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-config-props-"));
  const dev = parseYaml(readFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8")) as {
    config: JsonObject;
  };
  const P = "mcp-azure-gateway:";
  const sample: [string, string, (config: JsonObject) => void][] = [
    ["wrong type", `${P}gateway.capacity`, (c) => ((c[`${P}gateway`] as JsonObject)["capacity"] = "two")],
    [
      "malformed URL (used to crash with a TypeError)",
      `${P}gatewayPolicy.allowedOrigins[0]`,
      (c) => ((c[`${P}gatewayPolicy`] as JsonObject)["allowedOrigins"] = ["not a url"]),
    ],
    [
      "cross-field contradiction (used to print the bundled source)",
      `${P}edge.minCapacity`,
      (c) => ((c[`${P}edge`] as JsonObject)["minCapacity"] = 5),
    ],
  ];

  it("a valid config at the schema's edges runs the program without a failure (exit 0)", () => {
    // Found while auditing the components: two API-key servers sharing one secret made the Key Vault
    // component plan the same role assignment twice (exit 3).
    const document = structuredClone(dev);
    const servers = document.config[`${P}mcpServers`] as JsonObject[];
    const apiKeyServer = servers.find(
      (s) => (s["backendAuth"] as JsonObject | undefined)?.["type"] === "apiKey",
    )!;
    servers.push({ ...structuredClone(apiKeyServer), name: "shares-the-key" });
    const container = servers.find((s) => s["container"] !== undefined)!["container"] as JsonObject;
    container["allowedEgressHosts"] = ["api.contoso.com"];
    (document.config[`${P}gatewayPolicy`] as JsonObject)["allowedOrigins"] = [
      "https://vscode.dev",
      "http://localhost:3000",
      "http://127.0.0.1",
    ];
    const file = path.join(dir, "edges.yaml");
    writeFileSync(file, stringifyYaml(document));
    const run = spawnSync(
      process.execPath,
      [...TS_NODE_ARGS, "tools/offline/cli.ts", "--stack", "dev", "--config-file", file, "--quiet"],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  // The sample's processes run side by side (each is mostly module loading) to keep the suite short.
  const runs = new Map<string, Promise<{ status: number | null; stdout: string; stderr: string }>>();
  beforeAll(() => {
    for (const [label, , mutate] of sample) {
      const document = structuredClone(dev);
      mutate(document.config);
      const file = path.join(dir, `${label.split(" ")[0]!}-${runs.size}.yaml`);
      writeFileSync(file, stringifyYaml(document));
      runs.set(label, runCli(["--stack", "dev", "--config-file", file]));
    }
  });

  it.each(sample)("%s: exit 2, key named, no stack trace, no resource", async (label, key) => {
    const run = await runs.get(label)!;
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`  - ${key} = `);
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toMatch(/__defProp|"use strict"/);
    // Nothing was declared: no resource tree, no summary, no policy report.
    expect(run.stdout).toBe("");
  });
});

function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, "tools/offline/cli.ts", ...args], {
      cwd: REPO_ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
