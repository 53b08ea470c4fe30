import { readFileSync } from "node:fs";
import * as path from "node:path";
import { runTsCli } from "../../test/support/plans";
import { allPolicies } from "../src";

const DOC = path.resolve(__dirname, "..", "..", "docs", "policies.md");

test("docs/policies.md is generated from the rules' metadata and up to date", () => {
  // In a child process: the generator formats with prettier, whose CommonJS entry needs dynamic import (not in jest's VM).
  const run = runTsCli("policies/docs/generate.ts", ["--check"]);
  expect(run.stderr.replace(/^npm warn.*\n/gm, "")).toBe("");
  expect(run.status).toBe(0);
});

test("docs/policies.md lists every rule with its level, seed practice and Azure built-ins", () => {
  const text = readFileSync(DOC, "utf8");
  for (const policy of allPolicies) {
    expect(text).toContain(`### ${policy.name}`);
    expect(text).toContain(`- **Level:** ${policy.enforcementLevel} by default`);
    for (const builtin of policy.azureBuiltins) expect(text).toContain(builtin.guid);
    for (const control of policy.seedControls) expect(text).toContain(control);
  }
});
