import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";

/** The resource tree grouped by component, with counts, as printed by `preview:offline`. */
export function renderTree(plan: PreviewPlan): string {
  const states = plan.steps.flatMap((step) => (step.newState ? [step.newState] : []));
  const byParent = new Map<string | undefined, PlanResourceState[]>();
  for (const state of states) {
    const list = byParent.get(state.parent) ?? [];
    list.push(state);
    byParent.set(state.parent, list);
  }
  const countBelow = (urn: string): number =>
    (byParent.get(urn) ?? []).reduce((sum, child) => sum + 1 + countBelow(child.urn), 0);
  const lines: string[] = [];
  const visit = (parent: string | undefined, indent: string): void => {
    const list = byParent.get(parent) ?? [];
    list.forEach((state, index) => {
      const last = index === list.length - 1;
      const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
      const name = state.urn.split("::").pop() ?? state.urn;
      const below = countBelow(state.urn);
      const count = !state.custom && below > 0 ? `  (${below} resources)` : "";
      lines.push(`${indent}${branch}+ ${state.type}  ${name}${count}`);
      visit(state.urn, parent === undefined ? indent : indent + (last ? "   " : "│  "));
    });
  };
  visit(undefined, "");
  return lines.join("\n");
}

/** One line per resource type with counts, most frequent first. */
export function renderSummary(plan: PreviewPlan): string {
  const counts = new Map<string, number>();
  for (const step of plan.steps) {
    const type = step.newState?.type ?? "?";
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const components = plan.steps.filter(
    (s) => s.newState && !s.newState.custom && s.newState.type !== "pulumi:pulumi:Stack",
  ).length;
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return [
    `Resources: ${plan.changeSummary["create"] ?? 0} to create (${components} components)`,
    ...rows.map(([type, count]) => `  ${String(count).padStart(4)}  ${type}`),
  ].join("\n");
}
