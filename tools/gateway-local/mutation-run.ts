/**
 * Runs the conformance suite once per mutation (mutations.ts) against the local gateway and reports
 * which mutations the suite kills. One set of surroundings serves every run; each mutation gets a fresh
 * runtime (counters and caches must not carry over), which reuses the compiled runtime when the mutation
 * leaves the expressions alone.
 */
import { ALL_CHECKS } from "../conformance/checks";
import { runLocalConformance } from "../conformance/local";
import type { CheckRun } from "../conformance/runner";
import type { PreviewPlan } from "../../policies/check/plan";
import { type LocalGateway, startLocalGateway } from "./local";
import { type Mutation, MUTATIONS } from "./mutations";

export interface MutationResult {
  readonly name: string;
  readonly killed: boolean;
  /** Which check killed it and how, or why it survived. */
  readonly detail: string;
}

const SERVER_DEFAULT = "";

function checksFor(ids: readonly string[]) {
  return ALL_CHECKS.filter((c) => ids.includes(c.id));
}

/** Killed when an expected check fails where it did not fail (or failed differently) without the mutation. */
export function verdictOf(
  mutation: Mutation,
  baseline: readonly CheckRun[],
  mutated: readonly CheckRun[],
): MutationResult {
  for (const id of mutation.killedBy) {
    const before = baseline.find((r) => r.id === id);
    const after = mutated.find((r) => r.id === id);
    if (after?.status === "fail" && (before?.status !== "fail" || before.detail !== after.detail)) {
      return { name: mutation.name, killed: true, detail: `${id}: ${after.detail}` };
    }
  }
  const states = mutation.killedBy.map((id) => {
    const after = mutated.find((r) => r.id === id);
    const before = baseline.find((r) => r.id === id);
    return `${id} ${after?.status ?? "not run"}${before?.status === "fail" ? " (already failing without the mutation)" : ""}`;
  });
  return { name: mutation.name, killed: false, detail: `survived: ${states.join(", ")}` };
}

export interface MutationRunOptions {
  readonly stack: string;
  readonly plan?: PreviewPlan;
  readonly mutations?: readonly Mutation[];
  readonly onResult?: (result: MutationResult) => void;
}

export async function runMutations(options: MutationRunOptions): Promise<MutationResult[]> {
  const mutations = options.mutations ?? MUTATIONS;
  let gateway: LocalGateway = await startLocalGateway({
    stack: options.stack,
    ...(options.plan ? { plan: options.plan } : {}),
  });
  const results: MutationResult[] = [];
  try {
    // Baselines per probed server, only for the checks some mutation expects to fail.
    const baselines = new Map<string, CheckRun[]>();
    for (const server of new Set(mutations.map((m) => m.server ?? SERVER_DEFAULT))) {
      const ids = mutations.filter((m) => (m.server ?? SERVER_DEFAULT) === server).flatMap((m) => m.killedBy);
      gateway = await gateway.relaunch({});
      baselines.set(
        server,
        await runLocalConformance(gateway, { checks: checksFor(ids), ...(server ? { server } : {}) }),
      );
    }
    for (const mutation of mutations) {
      let result: MutationResult;
      try {
        gateway = await gateway.relaunch({
          mutate: mutation.apply,
          ...(mutation.switches === undefined ? {} : { switches: mutation.switches }),
        });
        const runs = await runLocalConformance(gateway, {
          checks: checksFor(mutation.killedBy),
          ...(mutation.server ? { server: mutation.server } : {}),
        });
        result = verdictOf(mutation, baselines.get(mutation.server ?? SERVER_DEFAULT) ?? [], runs);
      } catch (error) {
        // A mutation the runtime refuses to load (or that no longer applies) is a defect of the
        // catalogue, not a kill: API Management would refuse such a document at deployment.
        result = {
          name: mutation.name,
          killed: false,
          detail: `error: ${error instanceof Error ? error.message : String(error)}`,
        };
        gateway = await gateway.relaunch({});
      }
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    await gateway.stop();
  }
  return results;
}
