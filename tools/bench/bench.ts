/**
 * `npm run bench [-- --runs 3] [--write] [--root <checkout>]`: the offline preview (program under
 * mocks, plan, policy pack) of every stack and of generated configs with 1, 10 and 100 MCP servers,
 * each next to its **SDK floor** measured in the same run: a plain `node` process that loads the SDK
 * modules the program imports and registers the case's resources (type, name, inputs) under mocks
 * (tools/bench/floor.cjs), and its **typed floor**: the same registrations through the SDK's own
 * resource classes (`floor.cjs --typed`), which is what any program using those classes pays. Reports
 * medians of wall time, CPU time (process and children) and peak RSS, their ratios to both floors, and
 * the marginal cost per added MCP server against the floors'. Never asserts on timings.
 *
 * `--write` replaces the generated block of docs/benchmarks.md with this run's table. `--root` measures
 * another checkout (sharing this node_modules), e.g. an older commit, the way its package.json's
 * `preview:offline` script runs the preview, so before/after numbers come from the same command.
 */
// First import: installs the internal-error handlers before anything else can fail (tools/internal-error).
import { runMain } from "../internal-error/guard";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { parseFlags, UsageError } from "../cli/args";

const THIS_ROOT = path.resolve(__dirname, "..", "..");
const REPORTER = path.join(__dirname, "rss-reporter.cjs");
const FLOOR = path.join(__dirname, "floor.cjs");
const BENCHMARKS_DOC = path.join(THIS_ROOT, "docs", "benchmarks.md");
const BLOCK_BEGIN = "<!-- bench:begin -->";
const BLOCK_END = "<!-- bench:end -->";
const work = mkdtempSync(path.join(os.tmpdir(), "mcpgw-bench-"));

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
}

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  /** MCP servers in the config (generated cases only). */
  readonly servers?: number;
}

interface CaseResult {
  readonly label: string;
  readonly servers?: number;
  readonly resources: number;
  readonly preview: Sample;
  readonly floor: Sample;
  /** The same registrations through the SDK's own resource classes (floor.cjs --typed). */
  readonly typedFloor: Sample;
}

function measure(command: readonly string[], cwd: string): { sample: Sample; stdout: string } {
  const usageFile = path.join(work, `usage-${process.hrtime.bigint()}.json`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--require", REPORTER, ...command], {
    cwd,
    env: { ...process.env, MCPGW_BENCH_FILE: usageFile },
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(
      `benchmark run failed (${result.status}): ${command.join(" ")}\n${result.stderr || result.stdout}`,
    );
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { peakKiB: number; cpuMs: number };
  return { sample: { ms, cpuMs: usage.cpuMs, rssMiB: usage.peakKiB / 1024 }, stdout: result.stdout };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const medianSample = (samples: readonly Sample[]): Sample => ({
  ms: median(samples.map((s) => s.ms)),
  cpuMs: median(samples.map((s) => s.cpuMs)),
  rssMiB: median(samples.map((s) => s.rssMiB)),
});

/**
 * How the checkout's `preview:offline` script runs the preview, as node arguments: `tsx <file>` (older
 * checkouts) or `node <node options> <file>` (tools/build/ts-hook.cjs).
 */
export function previewCommand(packageJson: { scripts?: Record<string, string> }, root: string): string[] {
  const script = packageJson.scripts?.["preview:offline"] ?? "";
  const words = script.split(/\s+/).filter((word) => word !== "");
  // tsx's CLI runs the script in a child process of its own; its loader keeps it in one process to measure.
  if (words[0] === "tsx") return ["--import", "tsx", ...words.slice(1)];
  if (words[0] === "node")
    return words.slice(1).map((word) => (word.startsWith("./") ? path.join(root, word) : word));
  throw new UsageError(`cannot run the preview:offline script of ${root}: ${JSON.stringify(script)}`);
}

/** The SDK modules the program imports (scanned from infra/), which the floor loads too. */
export function sdkModules(root: string): string[] {
  const modules = new Set<string>(["@pulumi/pulumi"]);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith(".ts")) {
        for (const match of readFileSync(file, "utf8").matchAll(
          /from "(@pulumi(?:verse)?\/[a-z-]+(?:\/[a-z]+)?)"/g,
        ))
          modules.add(match[1]!);
      }
    }
  };
  walk(path.join(root, "infra"));
  return [...modules].sort();
}

/** A copy of the dev stack with `count` generated MCP servers (half sandboxed containers, half external). */
function generatedConfig(root: string, count: number): string {
  const document = parseYaml(readFileSync(path.join(root, "stacks", "Pulumi.dev.yaml"), "utf8")) as {
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

function stackNames(root: string): string[] {
  const order = ["dev", "staging", "prod"];
  return readdirSync(path.join(root, "stacks"))
    .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}

function runCase(
  root: string,
  preview: readonly string[],
  modules: readonly string[],
  spec: Case,
  runs: number,
) {
  // One unmeasured run writes the plan the floor replays (and warms the file cache and compile cache).
  const planFile = path.join(work, `plan-${spec.label.replace(/[^a-z0-9]+/gi, "-")}.json`);
  const first = measure([...preview, ...spec.args, "--quiet", "--json", planFile], root);
  const plan = JSON.parse(readFileSync(planFile, "utf8")) as { steps: Array<{ newState?: unknown }> };
  const previews: Sample[] = [];
  const floors: Sample[] = [];
  const typedFloors: Sample[] = [];
  // Interleaved, so that a change in the machine's load hits all sides alike.
  for (let run = 0; run < runs; run++) {
    previews.push(measure([...preview, ...spec.args, "--quiet"], root).sample);
    floors.push(measure([FLOOR, planFile, ...modules], root).sample);
    typedFloors.push(measure([FLOOR, "--typed", planFile, ...modules], root).sample);
  }
  const policyLine = /(\d+) policies over (\d+) resources/.exec(first.stdout);
  return {
    result: {
      label: spec.label,
      ...(spec.servers !== undefined ? { servers: spec.servers } : {}),
      resources: plan.steps.filter((step) => step.newState).length,
      preview: medianSample(previews),
      floor: medianSample(floors),
      typedFloor: medianSample(typedFloors),
    } satisfies CaseResult,
    policies: policyLine ? Number(policyLine[1]) : undefined,
  };
}

const fixed = (value: number, digits = 0): string =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

/** The Markdown report of one run: the cases against both floors and the marginal cost per server. */
export function renderReport(results: readonly CaseResult[], context: Record<string, string>): string {
  const lines: string[] = [];
  lines.push(
    `${context["when"]}: ${context["machine"]}, median of ${context["runs"]} runs per case (preview, floor and typed floor interleaved); load average ${context["loadBefore"]} before, ${context["loadAfter"]} after. Policy pack: ${context["policies"]} policies.`,
    "",
    "| case | resources | preview wall | preview CPU | preview peak RSS | floor wall | floor CPU | floor RSS | wall / floor | CPU / floor | RSS / floor | typed floor CPU | typed floor RSS | CPU / typed | RSS / typed |",
    "| ---- | --------: | -----------: | ----------: | ---------------: | ---------: | --------: | --------: | -----------: | ----------: | ----------: | --------------: | --------------: | ----------: | ----------: |",
  );
  for (const r of results) {
    const { preview: p, floor: f, typedFloor: t } = r;
    lines.push(
      `| ${r.label} | ${fixed(r.resources)} | ${fixed(p.ms)} ms | ${fixed(p.cpuMs)} ms | ${fixed(p.rssMiB)} MiB | ${fixed(f.ms)} ms | ${fixed(f.cpuMs)} ms | ${fixed(f.rssMiB)} MiB | ${ratio(p.ms, f.ms)} | ${ratio(p.cpuMs, f.cpuMs)} | ${ratio(p.rssMiB, f.rssMiB)} | ${fixed(t.cpuMs)} ms | ${fixed(t.rssMiB)} MiB | ${ratio(p.cpuMs, t.cpuMs)} | ${ratio(p.rssMiB, t.rssMiB)} |`,
    );
  }
  const generated = results.filter((r) => r.servers !== undefined).sort((a, b) => a.servers! - b.servers!);
  if (generated.length >= 2) {
    const low = generated[0]!;
    const high = generated[generated.length - 1]!;
    const servers = high.servers! - low.servers!;
    const per = (pick: (r: CaseResult) => number): number => (pick(high) - pick(low)) / servers;
    const row = (label: string, unit: string, digits: number, pick: (s: Sample) => number): string => {
      const preview = per((r) => pick(r.preview));
      const floor = per((r) => pick(r.floor));
      const typed = per((r) => pick(r.typedFloor));
      return `| ${label} | ${fixed(preview, digits)} ${unit} | ${fixed(floor, digits)} ${unit} | ${ratio(preview, floor)} | ${fixed(typed, digits)} ${unit} | ${ratio(preview, typed)} |`;
    };
    lines.push(
      "",
      `Marginal cost per added MCP server (from ${low.servers} to ${high.servers} servers, ${fixed((high.resources - low.resources) / servers, 1)} resources each):`,
      "",
      "| per added server | preview | floor | preview / floor | typed floor | preview / typed |",
      "| ---------------- | ------: | ----: | --------------: | ----------: | --------------: |",
      row("wall", "ms", 1, (s) => s.ms),
      row("CPU", "ms", 1, (s) => s.cpuMs),
      row("peak RSS", "MiB", 2, (s) => s.rssMiB),
    );
  }
  return lines.join("\n");
}

function main(): number {
  const values = parseFlags(process.argv.slice(2), {
    runs: { type: "string", default: "3" },
    write: { type: "boolean", default: false },
    root: { type: "string" },
    servers: { type: "string", default: "1,10,100" },
  });
  const runs = Math.max(1, Number(values.runs));
  const root = path.resolve(values.root ?? THIS_ROOT);
  const packageJson = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  const preview = previewCommand(packageJson, root);
  const modules = sdkModules(root).map((m) => require.resolve(m, { paths: [root] }));
  const loadBefore = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

  const cases: Case[] = [
    ...stackNames(root).map((stack) => ({ label: `stack ${stack}`, args: ["--stack", stack] })),
    ...values.servers.split(",").map((count) => ({
      label: `dev, ${count} MCP server${count === "1" ? "" : "s"}`,
      servers: Number(count),
      args: ["--stack", "dev", "--config-file", generatedConfig(root, Number(count))],
    })),
  ];
  const results: CaseResult[] = [];
  let policies: number | undefined;
  for (const spec of cases) {
    const { result, policies: count } = runCase(root, preview, modules, spec, runs);
    policies ??= count;
    results.push(result);
    console.error(`measured ${spec.label}`);
  }
  const report = renderReport(results, {
    when: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} cores, ${fixed(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}${root === THIS_ROOT ? "" : `, checkout ${root}`}`,
    runs: String(runs),
    loadBefore,
    loadAfter: os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" "),
    policies: String(policies ?? "?"),
  });
  console.log(report);
  const shown = preview.map((arg) => (path.isAbsolute(arg) ? path.relative(root, arg) : arg));
  console.log(`\npreview: node ${shown.join(" ")}`);
  console.log(`floor loads: ${sdkModules(root).join(", ")}`);
  if (values.write) {
    const doc = readFileSync(BENCHMARKS_DOC, "utf8");
    const begin = doc.indexOf(BLOCK_BEGIN);
    const end = doc.indexOf(BLOCK_END);
    if (begin < 0 || end < begin)
      throw new Error(`${BENCHMARKS_DOC} has no ${BLOCK_BEGIN} ... ${BLOCK_END} block`);
    const block = `${BLOCK_BEGIN}\n\n<!-- Generated by \`npm run bench -- --write\`; do not edit by hand. -->\n\n${report}\n\n`;
    writeFileSync(BENCHMARKS_DOC, doc.slice(0, begin) + block + doc.slice(end));
    // The repository's formatting (tables aligned), so that `npm run lint` stays clean.
    const formatted = spawnSync(
      process.execPath,
      [require.resolve("prettier/bin/prettier.cjs"), "--write", BENCHMARKS_DOC],
      { cwd: THIS_ROOT, encoding: "utf8" },
    );
    if (formatted.status !== 0) throw new Error(`prettier failed on ${BENCHMARKS_DOC}: ${formatted.stderr}`);
    console.log(`\n${path.relative(process.cwd(), BENCHMARKS_DOC)} updated`);
  }
  return 0;
}

runMain("bench", main);
