// The SDK floor of a benchmark case (docs/benchmarks.md): a plain `node` process, no TypeScript, that
// loads the SDK modules the program imports and registers the plan's resources (same type, name and
// inputs) under Pulumi's mocks, then waits for every registration as the preview does. Whatever the
// preview costs beyond this is ours: the program's own code, the plan building and the policy pack.
//
//   node tools/bench/floor.cjs [--typed] <plan.json> <module>...
//
// Custom resources are registered as generic `CustomResource`s, components as `ComponentResource`s;
// the stack resource is the one `runInPulumiStack` creates. Plain JavaScript on purpose: the floor
// must not pay for any TypeScript loader. `--typed` (a profiling aid, not the benchmark's floor)
// registers each custom resource through the SDK's own class for its type instead (e.g.
// `new apimanagement.Api(name, inputs)`), to tell the typed classes' own cost from the program's.
"use strict";
const { readFileSync } = require("node:fs");

const typed = process.argv[2] === "--typed";
const [planFile, ...modules] = process.argv.slice(typed ? 3 : 2);
if (!planFile) {
  console.error("usage: node tools/bench/floor.cjs [--typed] <plan.json> <module>...");
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

const PACKAGES = {
  "azure-native": "@pulumi/azure-native",
  azuread: "@pulumi/azuread",
  random: "@pulumi/random",
  time: "@pulumiverse/time",
};

/** The SDK's class for a type token (`azure-native:apimanagement:Api`, `azuread:index/group:Group`), if any. */
function sdkClass(type) {
  const [pkg, module, name] = type.split(":");
  if (!PACKAGES[pkg] || !module || !name) return undefined;
  const path = pkg === "azure-native" ? `${PACKAGES[pkg]}/${module}` : PACKAGES[pkg];
  try {
    return require(path)[name];
  } catch {
    return undefined;
  }
}

async function main() {
  await pulumi.runtime.runInPulumiStack(async () => {
    for (const resource of resources) {
      const name = resource.urn.slice(resource.urn.lastIndexOf("::") + 2);
      const Class = typed && resource.custom ? sdkClass(resource.type) : undefined;
      if (Class) new Class(name, resource.inputs ?? {});
      else if (resource.custom) new pulumi.CustomResource(resource.type, name, resource.inputs ?? {});
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
