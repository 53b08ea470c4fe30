// npm's postinstall: installs the official MCP conformance suite and the Node 22 it needs into their own
// package (tools/conformance/official, docs/conformance.md). Jobs that never run tests (deploy, drift,
// preview) set MCPGW_SKIP_OFFICIAL_SUITE=1: they do not download a second Node or run its install
// script in a job that can request cloud credentials.
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");

if (process.env.MCPGW_SKIP_OFFICIAL_SUITE === "1") {
  console.log("postinstall: MCPGW_SKIP_OFFICIAL_SUITE=1, official conformance suite not installed");
  process.exit(0);
}
const npm = process.env.npm_execpath;
const prefix = path.join(__dirname, "..", "conformance", "official");
const args = ["ci", "--prefix", prefix, "--no-audit", "--no-fund"];
// Under npm, npm_execpath is npm's own CLI script: run it with this node, as npm runs scripts.
if (npm) execFileSync(process.execPath, [npm, ...args], { stdio: "inherit" });
else execFileSync("npm", args, { stdio: "inherit" });
