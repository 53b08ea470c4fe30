import * as pulumi from "@pulumi/pulumi";

/**
 * Every component must be complete when constructed: `registerOutputs` is its last word, and a child
 * registered under it afterwards (a method called later, a resource created inside an `apply`) makes
 * the component's outputs and the engine's view of its children disagree. The mock harness watches
 * for that and fails the run, so every stack preview and fixture test enforces it.
 *
 * It reads the SDK's own bookkeeping: `Resource`'s constructor adds a child to its parent's
 * `__childResources` synchronously, and `ComponentResource.registerOutputs` sets `__registered`.
 */

interface Bookkept {
  readonly __pulumiType?: string;
  readonly __name?: string;
  readonly __registered?: boolean;
  readonly __childResources?: Set<unknown>;
}

const describe = (resource: unknown): string => {
  const bookkept = resource as Bookkept;
  return `${bookkept.__pulumiType ?? "?"} "${bookkept.__name ?? "?"}"`;
};

export interface LateChildWatch {
  /** Stops watching; returns one message per child registered under a component after its outputs. */
  stop(): string[];
}

/** Starts watching `ComponentResource.registerOutputs` (one watch at a time; the runtime is global). */
export function watchLateChildren(): LateChildWatch {
  // `registerOutputs` is protected in the SDK's types; the harness reaches it as the runtime does.
  const prototype = pulumi.ComponentResource.prototype as unknown as {
    registerOutputs(this: unknown, outputs?: unknown): void;
  };
  const original = prototype.registerOutputs;
  const completed = new Map<Bookkept, ReadonlySet<unknown>>();
  prototype.registerOutputs = function (this: unknown, outputs?: unknown) {
    const self = this as Bookkept;
    if (!self.__registered && !completed.has(self)) completed.set(self, new Set(self.__childResources ?? []));
    original.call(this, outputs);
  };
  return {
    stop(): string[] {
      prototype.registerOutputs = original;
      return [...completed].flatMap(([component, before]) =>
        [...(component.__childResources ?? [])]
          .filter((child) => !before.has(child))
          .map(
            (child) =>
              `${describe(child)} was registered under ${describe(component)} after its registerOutputs: ` +
              "a component must declare every child before registerOutputs",
          ),
      );
    },
  };
}
