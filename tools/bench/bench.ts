/**
 * `npm run bench [-- --runs 5]`: median wall time and peak RSS of the offline preview for every
 * stack and for generated configs with 1, 10 and 100 MCP servers, next to the runtime floor (a bare
 * `node` that only loads @pulumi/pulumi and the SDK modules the program imports). Prints a table;
 * never asserts on timings (this machine's load varies).
 */
// First import: installs the internal-error handlers before anything else can fail (tools/internal-error).
import { runMain } from "../internal-error/guard";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { parseFlags } from "../cli/args";

const ROOT = path.resolve(__dirname, "..", "..");
const REPORTER = path.join(__dirname, "rss-reporter.cjs");
const work = mkdtempSync(path.join(os.tmpdir(), "mcpgw-bench-"));

interface Sample {
  readonly ms: number;
  readonly rssMiB: number;
}

function measure(args: string[]): Sample {
  const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--require", REPORTER, ...args], {
    cwd: ROOT,
    env: { ...process.env, MCPGW_RSS_FILE: rssFile },
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`benchmark run failed (${result.status}): ${result.stderr || result.stdout}`);
  return { ms, rssMiB: Number(readFileSync(rssFile, "utf8")) / 1024 };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function series(args: string[], runs: number): Sample {
  const samples = Array.from({ length: runs }, () => measure(args));
  return { ms: median(samples.map((s) => s.ms)), rssMiB: median(samples.map((s) => s.rssMiB)) };
}

/** The SDK modules the program imports (scanned from infra/), which the floor loads too. */
function sdkModules(): string[] {
  const modules = new Set<string>(["@pulumi/pulumi"]);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith(".ts")) {
        for (const match of readFileSync(file, "utf8").matchAll(/from "(@pulumi\/[a-z-]+(?:\/[a-z]+)?)"/g))
          modules.add(match[1]!);
      }
    }
  };
  walk(path.join(ROOT, "infra"));
  return [...modules].sort();
}

/** A copy of the dev stack with `count` generated MCP servers (half sandboxed containers, half external). */
function generatedConfig(count: number): string {
  const document = parseYaml(readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const digest = "a".repeat(64);
  document.config["mcp-azure-gateway:mcpServers"] = Array.from({ length: count }, (_, i) => ({
    name: `server-${i + 1}`,
    displayName: `Generated server ${i + 1}`,
    ...(i % 2 === 0
      ? { container: { image: `crmcpgwshared.azurecr.io/mcp/server-${i + 1}@sha256:${digest}` } }
      : { backendUrl: `https://server-${i + 1}.mcp.contoso.com/mcp` }),
    tools: [
      { name: "read_item", roles: ["MCP.Tools.Read"] },
      { name: "write_item", roles: ["MCP.Tools.Write"] },
    ],
  }));
  const file = path.join(work, `Pulumi.dev-${count}.yaml`);
  writeFileSync(file, stringifyYaml(document));
  return file;
}

function main(): void {
  const values = parseFlags(process.argv.slice(2), { runs: { type: "string", default: "5" } });
  const runs = Math.max(1, Number(values.runs));
  const preview = (extra: string[]): string[] => [
    "--import",
    "tsx",
    "tools/offline/cli.ts",
    "--quiet",
    ...extra,
  ];

  const floorScript = path.join(work, "floor.cjs");
  writeFileSync(
    floorScript,
    sdkModules()
      .map((m) => `require(${JSON.stringify(require.resolve(m, { paths: [ROOT] }))});`)
      .join("\n"),
  );
  const floor = series([floorScript], runs);

  const rows: Array<[string, Sample]> = [];
  for (const stack of ["dev", "staging", "prod"])
    rows.push([`stack ${stack}`, series(preview(["--stack", stack]), runs)]);
  for (const count of [1, 10, 100]) {
    rows.push([
      `dev, ${count} MCP servers`,
      series(preview(["--stack", "dev", "--config-file", generatedConfig(count)]), runs),
    ]);
  }

  const line = (label: string, s: Sample): string =>
    `${label.padEnd(26)} ${s.ms.toFixed(0).padStart(8)} ms ${s.rssMiB.toFixed(0).padStart(7)} MiB ${(s.ms / floor.ms).toFixed(2).padStart(7)}x ${(s.rssMiB / floor.rssMiB).toFixed(2).padStart(7)}x`;
  console.log(
    `Offline preview benchmark: median of ${runs} runs, ${os.cpus().length} cores, node ${process.version}`,
  );
  console.log(
    `${"".padEnd(26)} ${"wall".padStart(11)} ${"peak RSS".padStart(11)} ${"time/floor".padStart(8)} ${"rss/floor".padStart(8)}`,
  );
  console.log(line("floor (load SDK only)", floor));
  for (const [label, sample] of rows) console.log(line(label, sample));
  console.log(`\nfloor loads: ${sdkModules().join(", ")}`);
}

runMain("bench", () => {
  main();
  return 0;
});
