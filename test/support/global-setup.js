// Builds the offline plan of every stack once per jest run (in parallel), so that suites can read
// them instead of each paying for a Pulumi program run. Suites find them via MCPGW_PLAN_DIR.
const { spawn } = require("node:child_process");
const { mkdtempSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const STACKS = ["dev", "staging", "prod"];
const ROOT = path.resolve(__dirname, "..", "..");

function preview(stack, dir) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
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

/**
 * `policy:check` over an empty plan: starts the policy pack once, as the CLI does (type-checked by
 * ts-node), so that its compile cache is warm before the previews and the suites each start the pack.
 * Started cold in parallel, every one of them would pay for the same type check.
 */
function warmPolicyPack(dir) {
  const plan = path.join(dir, "empty-plan.json");
  require("node:fs").writeFileSync(plan, JSON.stringify({ steps: [], changeSummary: {} }));
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
        "policies/check/cli.ts",
        "--plan",
        plan,
        "--quiet",
      ],
      { cwd: ROOT, stdio: "ignore" },
    );
    // A failure here resurfaces, with its message, in the previews and suites that start the pack.
    child.on("close", () => resolve());
  });
}

module.exports = async function globalSetup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-plans-"));
  process.env.MCPGW_PLAN_DIR = dir;
  await warmPolicyPack(dir);
  const results = await Promise.all(STACKS.map((stack) => preview(stack, dir)));
  for (const result of results) {
    require("node:fs").writeFileSync(
      path.join(dir, `${result.stack}.log`),
      `exit ${result.status}\n${result.output}`,
    );
  }
};
