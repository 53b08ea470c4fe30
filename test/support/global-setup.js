// Builds the offline plan of every stack once per jest run, so that suites read them instead of each
// paying for a Pulumi program run. Suites find them via MCPGW_PLAN_DIR (test/support/plans.ts).
//
// The previews run as the npm scripts run them: plain node with tools/build/ts-hook.cjs (compiled
// JavaScript cached by source hash). Two at a time: the machine this repository is tested on has two
// cores, and three in parallel only made each slower. The hook's cache is warmed first, in this
// process, so that parallel previews never compile the same file twice.
const { spawn } = require("node:child_process");
const { mkdtempSync, writeFileSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const STACKS = ["dev", "staging", "prod"];
const ROOT = path.resolve(__dirname, "..", "..");
const TS_HOOK = path.join(ROOT, "tools", "build", "ts-hook.cjs");
const PARALLEL = Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));

function preview(stack, dir) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--require",
        TS_HOOK,
        "tools/offline/cli.ts",
        "--stack",
        stack,
        "--json",
        path.join(dir, `${stack}.json`),
        "--quiet",
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (status) => resolve({ stack, status, output }));
  });
}

/** Runs `task` over `items`, at most `limit` at a time, results in the items' order. */
async function pooled(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

module.exports = async function globalSetup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-plans-"));
  process.env.MCPGW_PLAN_DIR = dir;
  const { warm } = require(path.join(ROOT, "tools", "build", "ts-cache.cjs"));
  warm(["infra", "policies", "tools"]);
  const results = await pooled(STACKS, PARALLEL, (stack) => preview(stack, dir));
  for (const result of results) {
    writeFileSync(path.join(dir, `${result.stack}.log`), `exit ${result.status}\n${result.output}`);
  }
};
