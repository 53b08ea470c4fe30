import { ALL_CHECKS } from "../../../tools/conformance/checks";
import { type MutationResult, runMutations, verdictOf } from "../../../tools/gateway-local/mutation-run";
import { MUTATIONS, MutationError, NOT_MUTABLE } from "../../../tools/gateway-local/mutations";
import { gatewayPlan } from "../../../tools/gateway-local/plan-config";
import type { CheckRun } from "../../../tools/conformance/runner";
import { stackPlan } from "../../support/plans";

/**
 * Mutation testing of the real policy: every named mutation of the dev stack's rendered documents must
 * be caught by the conformance suite running against the local gateway, so `npm test` fails on a
 * survivor.
 */

/**
 * Mutations the suite cannot catch today, each with its cause. The test asserts the exact set, so a fix
 * makes it fail until the entry is removed.
 */
const KNOWN_SURVIVORS: Readonly<Record<string, string>> = {};

describe("the mutation catalogue", () => {
  test("every conformance check has at least one mutation, except those that cannot apply locally", () => {
    const covered = new Set(MUTATIONS.flatMap((m) => m.killedBy));
    const uncovered = ALL_CHECKS.map((c) => c.id).filter((id) => !covered.has(id));
    expect(uncovered).toEqual(Object.keys(NOT_MUTABLE));
  });

  test("names are unique, expected checks exist, and every mutation changes the rendered documents", () => {
    const names = MUTATIONS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    const ids = new Set(ALL_CHECKS.map((c) => c.id));
    expect(MUTATIONS.flatMap((m) => m.killedBy).filter((id) => !ids.has(id))).toEqual([]);
    const gateway = gatewayPlan(stackPlan("dev"));
    const docs = { globalPolicy: gateway.globalPolicy, apis: gateway.apis };
    for (const mutation of MUTATIONS) {
      const mutated = mutation.apply(docs);
      expect(JSON.stringify(mutated)).not.toBe(JSON.stringify(docs));
    }
  });

  test("a mutation that matches nothing is an error, never a silent no-op", () => {
    const empty = {
      globalPolicy: "<policies><inbound /><backend /><outbound /><on-error /></policies>",
      apis: [],
    };
    expect(() => MUTATIONS.find((m) => m.name === "remove-origin-step")!.apply(empty)).toThrow(MutationError);
  });

  test("killed means an expected check fails where it passed (or failed otherwise) before", () => {
    const mutation = MUTATIONS.find((m) => m.name === "remove-origin-step")!;
    const run = (status: CheckRun["status"], detail: string): CheckRun => ({
      id: "transport.origin",
      title: "",
      seedControls: [],
      status,
      detail,
      durationMs: 1,
    });
    expect(verdictOf(mutation, [run("pass", "ok")], [run("fail", "200")]).killed).toBe(true);
    expect(verdictOf(mutation, [run("pass", "ok")], [run("pass", "ok")]).killed).toBe(false);
    expect(verdictOf(mutation, [run("fail", "x")], [run("fail", "x")]).killed).toBe(false);
    expect(verdictOf(mutation, [run("fail", "x")], [run("fail", "x; y")]).killed).toBe(true);
  });
});

describe("conformance:mutations on dev", () => {
  let results: MutationResult[];
  beforeAll(async () => {
    results = await runMutations({ stack: "dev", plan: stackPlan("dev") });
  }, 300_000);

  test("every mutation is killed (survivors named)", () => {
    expect(results.map((r) => r.name)).toEqual(MUTATIONS.map((m) => m.name));
    const survivors = Object.fromEntries(results.filter((r) => !r.killed).map((r) => [r.name, r.detail]));
    expect(survivors).toEqual(KNOWN_SURVIVORS);
  });
});
