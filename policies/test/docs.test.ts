import { readFileSync } from "node:fs";
import { DOC_PATH, renderPoliciesDoc } from "../docs/generate";
import { allPolicies } from "../src";

test("docs/policies.md is generated from the rules' metadata and up to date", async () => {
  const committed = readFileSync(DOC_PATH, "utf8");
  expect(committed).toBe(await renderPoliciesDoc());
});

test("docs/policies.md lists every rule with its level, seed practice and Azure built-ins", () => {
  const text = readFileSync(DOC_PATH, "utf8");
  for (const policy of allPolicies) {
    expect(text).toContain(`### ${policy.name}`);
    for (const builtin of policy.azureBuiltins) expect(text).toContain(builtin.guid);
    for (const control of policy.seedControls) expect(text).toContain(control);
  }
});
