/**
 * Merges the three sources of the controls matrix into one row per seed control: the central claims
 * (`claims.ts`), the components' declarations (`infra/<component>/controls.ts`) and the policy rules'
 * `seedControls` metadata. Pure: no file system, no plans. Problems that can be seen from the data alone
 * (a control without a claim, an unknown control ID or rule name, a rule no control cites) are returned;
 * checks against the repository and the stack plans are the test's (`test/tools/controls/controls.test.ts`).
 */
import type { SeedControl } from "./seed-controls";
import type { ComponentControl, ComponentControls, ControlClaim, ControlStatus, RuleControls } from "./types";

export interface MatrixInput {
  readonly controls: readonly SeedControl[];
  readonly claims: Readonly<Record<string, ControlClaim>>;
  readonly components: readonly ComponentControls[];
  readonly rules: readonly RuleControls[];
}

export interface ComponentEntry extends ComponentControl {
  readonly component: string;
  readonly folder: string;
}

export interface PolicyEntry {
  readonly name: string;
  /** `rule`: the rule's own metadata names this control; `claim`: the claim cites the rule. */
  readonly via: "rule" | "claim";
}

export interface MatrixRow {
  readonly control: SeedControl;
  readonly status: ControlStatus | "unmapped";
  readonly summary: string;
  readonly gap?: string;
  readonly components: readonly ComponentEntry[];
  readonly policies: readonly PolicyEntry[];
  /** Union of the claim's and the components' resource types, sorted. */
  readonly resources: readonly string[];
  readonly tests: readonly string[];
  readonly artifacts: readonly string[];
  readonly docs: readonly string[];
}

/** What one rule declares and which controls cite it. */
export interface RuleCoverage {
  readonly rule: string;
  readonly declares: readonly string[];
  readonly citedBy: readonly string[];
}

export interface ControlsMatrix {
  readonly rows: readonly MatrixRow[];
  readonly rules: readonly RuleCoverage[];
  readonly problems: readonly string[];
}

/** A seed reference as rules write it, resolved: one control, or a whole section (`P4`). */
export type SeedReference =
  { readonly kind: "control"; readonly id: string } | { readonly kind: "section"; readonly prefix: string };

const CONTROL_ID = /^(MUST-\d+|P\d+\.\d+|ZT\.\d+|PRIV\.\d+|IR\.\d+|CI\.\d+)$/;

/**
 * `MUST-1 token validation` -> control MUST-1; `P4.1 ...` -> control P4.1; `4 rate limiting ...` -> section P4.
 * Undefined when the leading token is neither.
 */
export function parseSeedReference(reference: string): SeedReference | undefined {
  const head = reference.trim().split(/\s+/)[0] ?? "";
  if (CONTROL_ID.test(head)) return { kind: "control", id: head };
  if (/^\d+$/.test(head)) return { kind: "section", prefix: `P${head}` };
  return undefined;
}

function matches(reference: SeedReference, controlId: string): boolean {
  return reference.kind === "control"
    ? reference.id === controlId
    : controlId.startsWith(`${reference.prefix}.`);
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Evidence an implemented or partial control needs at least one of. */
function hasEvidence(row: Omit<MatrixRow, "control" | "status" | "summary">): boolean {
  return (
    row.components.length +
      row.policies.length +
      row.resources.length +
      row.tests.length +
      row.artifacts.length >
    0
  );
}

export function buildMatrix(input: MatrixInput): ControlsMatrix {
  const problems: string[] = [];
  const known = new Set(input.controls.map((control) => control.id));
  const ruleNames = new Set(input.rules.map((rule) => rule.name));

  for (const id of Object.keys(input.claims)) {
    if (!known.has(id)) problems.push(`claims.ts: claim for unknown control ID ${id}`);
  }
  for (const component of input.components) {
    for (const id of Object.keys(component.controls)) {
      if (!known.has(id)) problems.push(`${component.folder}/controls.ts: unknown control ID ${id}`);
    }
  }

  const declaredByRule = new Map<string, string[]>();
  const references = new Map<string, SeedReference[]>();
  for (const rule of input.rules) {
    const parsed: SeedReference[] = [];
    for (const reference of rule.seedControls) {
      const resolved = parseSeedReference(reference);
      if (!resolved) {
        problems.push(
          `policy rule ${rule.name}: seed reference "${reference}" names neither a control nor a section`,
        );
        continue;
      }
      if (resolved.kind === "control" && !known.has(resolved.id)) {
        problems.push(
          `policy rule ${rule.name}: seed reference "${reference}" names unknown control ${resolved.id}`,
        );
        continue;
      }
      parsed.push(resolved);
      if (resolved.kind === "control")
        declaredByRule.set(resolved.id, [...(declaredByRule.get(resolved.id) ?? []), rule.name]);
    }
    references.set(rule.name, parsed);
  }

  const rows: MatrixRow[] = input.controls.map((control) => {
    const claim = input.claims[control.id];
    const components: ComponentEntry[] = input.components.flatMap((component) => {
      const entry = component.controls[control.id];
      return entry ? [{ ...entry, component: component.component, folder: component.folder }] : [];
    });
    const claimed = claim?.policies ?? [];
    for (const name of claimed) {
      if (!ruleNames.has(name)) problems.push(`claims.ts ${control.id}: unknown policy rule ${name}`);
    }
    const fromRules = (declaredByRule.get(control.id) ?? []).filter((name) => !claimed.includes(name));
    const policies: PolicyEntry[] = [
      ...fromRules.sort().map((name): PolicyEntry => ({ name, via: "rule" })),
      ...[...claimed].sort().map((name): PolicyEntry => ({ name, via: "claim" })),
    ];
    const evidence = {
      gap: claim?.gap,
      components,
      policies,
      resources: sorted([...(claim?.resources ?? []), ...components.flatMap((c) => c.resources ?? [])]),
      tests: sorted([...(claim?.tests ?? []), ...components.flatMap((c) => c.tests ?? [])]),
      artifacts: sorted([...(claim?.artifacts ?? []), ...components.flatMap((c) => c.artifacts ?? [])]),
      docs: sorted([...(claim?.docs ?? []), ...components.flatMap((c) => c.docs ?? [])]),
    };
    if (!claim) {
      problems.push(`${control.id} is unmapped: add a claim to tools/controls/claims.ts`);
      return { control, status: "unmapped", summary: "", ...evidence, gap: undefined };
    }
    const where = `claims.ts ${control.id}`;
    if (claim.summary.trim().length < 40)
      problems.push(`${where}: the summary must say how or why (40+ characters)`);
    if (claim.status === "implemented" || claim.status === "partial") {
      if (!hasEvidence(evidence)) {
        problems.push(
          `${control.id} is unmapped: ${claim.status} but no component, policy rule, resource, test or artifact implements it`,
        );
      }
    }
    if (claim.status === "partial" && !claim.gap)
      problems.push(`${where}: a partial claim must state its gap`);
    if (claim.status !== "partial" && claim.gap) problems.push(`${where}: only partial claims have a gap`);
    if (claim.status === "documented" && (claim.docs ?? []).length === 0)
      problems.push(`${where}: a documented claim must name its docs`);
    if (claim.status === "out-of-scope" && components.length > 0) {
      problems.push(
        `${where}: out of scope, yet ${components.map((c) => c.component).join(", ")} claims to implement it`,
      );
    }
    return { control, status: claim.status, summary: claim.summary, ...evidence };
  });

  const rules: RuleCoverage[] = input.rules.map((rule) => {
    const citedBy = rows
      .filter((row) => row.policies.some((policy) => policy.name === rule.name))
      .map((row) => row.control.id);
    const declared = references.get(rule.name) ?? [];
    if (declared.length > 0 && !citedBy.some((id) => declared.some((reference) => matches(reference, id)))) {
      problems.push(
        `policy rule ${rule.name} declares ${rule.seedControls.join(", ")} but no control of those sections cites it: ` +
          "add it to the claim of the control it implements",
      );
    }
    return { rule: rule.name, declares: [...rule.seedControls], citedBy };
  });

  return { rows, rules: [...rules].sort((a, b) => a.rule.localeCompare(b.rule)), problems };
}

/** One place a resource type is named: the control and the file that names it. */
export interface ResourceTypeClaim {
  readonly type: string;
  readonly control: string;
  /** `infra/<component>/controls.ts` or `tools/controls/claims.ts`. */
  readonly source: string;
}

/** Every resource type the matrix names (component types included), with where it is named. */
export function claimedResourceTypes(matrix: ControlsMatrix): ResourceTypeClaim[] {
  const result: ResourceTypeClaim[] = [];
  for (const row of matrix.rows) {
    const control = row.control.id;
    for (const component of row.components) {
      const source = `${component.folder}/controls.ts`;
      result.push({ type: component.component, control, source });
      for (const type of component.resources ?? []) result.push({ type, control, source });
    }
    const componentTypes = new Set(row.components.flatMap((c) => c.resources ?? []));
    for (const type of row.resources)
      if (!componentTypes.has(type)) result.push({ type, control, source: "tools/controls/claims.ts" });
  }
  return result;
}

/** `type (source) <- control, control` lines for the types a predicate rejects, sorted. */
export function describeTypeClaims(
  claims: readonly ResourceTypeClaim[],
  keep: (type: string) => boolean,
): string[] {
  const grouped = new Map<string, { sources: Set<string>; controls: Set<string> }>();
  for (const claim of claims.filter((c) => keep(c.type))) {
    const entry = grouped.get(claim.type) ?? { sources: new Set<string>(), controls: new Set<string>() };
    entry.sources.add(claim.source);
    entry.controls.add(claim.control);
    grouped.set(claim.type, entry);
  }
  return [...grouped.entries()]
    .map(
      ([type, { sources, controls }]) =>
        `${type} (${[...sources].sort().join(", ")}) <- ${[...controls].join(", ")}`,
    )
    .sort();
}
