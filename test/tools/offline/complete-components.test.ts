import * as pulumi from "@pulumi/pulumi";
import { failureMessage, runUnderMocks } from "../../../tools/offline/mock-run";

/**
 * The mock harness fails a run in which a child is registered under a component after that component's
 * registerOutputs (issue 14: every component is complete when constructed). Every stack preview and
 * fixture test runs through the same harness, so their passing is the "no late children in infra/"
 * half of the proof; this suite proves the check catches a late child and names it.
 */

class Thing extends pulumi.CustomResource {
  constructor(name: string, opts: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, {}, opts);
  }
}

/** Declares one child, registers its outputs, then (wrongly) lets a caller add another. */
class Leaky extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Leaky", name, {}, {});
    new Thing(`${name}-early`, { parent: this });
    this.registerOutputs({});
  }

  addLate(): void {
    new Thing("late-child", { parent: this });
  }
}

/** Complete when constructed: every child before registerOutputs. */
class Complete extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Complete", name, {}, {});
    new Thing(`${name}-a`, { parent: this });
    new Thing(`${name}-b`, { parent: this });
    this.registerOutputs({});
  }
}

const sdkMethod = (): unknown =>
  (pulumi.ComponentResource.prototype as unknown as Record<string, unknown>)["registerOutputs"];

test("a child registered after registerOutputs fails the run, naming child and component", async () => {
  const original = sdkMethod();
  const run = await runUnderMocks({
    project: "late-children",
    stack: "test",
    tenantId: "00000000-0000-4000-8000-000000000000",
    program: () => {
      new Complete("fine");
      new Leaky("leaky").addLate();
      return {};
    },
  });
  expect(run.ok).toBe(false);
  if (run.ok) return;
  expect(failureMessage(run.failures).split("\n")).toEqual([
    'test:index:Thing "late-child" was registered under test:index:Leaky "leaky" after its registerOutputs: ' +
      "a component must declare every child before registerOutputs",
  ]);
  // The watch is gone after the run: registerOutputs is the SDK's own again.
  expect(sdkMethod()).toBe(original);
});
