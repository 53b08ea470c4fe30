// The SDK floor of a benchmark case (docs/benchmarks.md): a plain `node` process, no TypeScript, that
// loads the SDK modules the program imports and registers the plan's resources (same type, name and
// inputs) under Pulumi's mocks, then waits for every registration as the preview does. Whatever the
// preview costs beyond this is ours: the program's own code, the plan building and the policy pack.
//
//   node tools/bench/floor.cjs <plan.json> <module>...
//
// Custom resources are registered as generic `CustomResource`s, components as `ComponentResource`s;
// the stack resource is the one `runInPulumiStack` creates. Plain JavaScript on purpose: the floor
// must not pay for any TypeScript loader.
"use strict";
const { readFileSync } = require("node:fs");

const [planFile, ...modules] = process.argv.slice(2);
if (!planFile) {
  console.error("usage: node tools/bench/floor.cjs <plan.json> <module>...");
  process.exit(2);
}
for (const name of modules) require(name);
const pulumi = require("@pulumi/pulumi");

const plan = JSON.parse(readFileSync(planFile, "utf8"));
const resources = plan.steps
  .map((step) => step.newState)
  .filter((state) => state && state.type !== "pulumi:pulumi:Stack");

pulumi.runtime.setMocks(
  {
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => args.inputs,
  },
  "floor",
  "floor",
  false,
);

async function main() {
  await pulumi.runtime.runInPulumiStack(async () => {
    for (const resource of resources) {
      const name = resource.urn.slice(resource.urn.lastIndexOf("::") + 2);
      if (resource.custom) new pulumi.CustomResource(resource.type, name, resource.inputs ?? {});
      else new pulumi.ComponentResource(resource.type, name, {});
    }
    return {};
  });
  await pulumi.runtime.disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
