/**
 * The README's architecture diagram, generated from a plan (the offline preview of the dev stack) so that
 * it shows what the program declares: one subgraph per component with its resource types and counts, and
 * the request-flow edges between the components that are present. Pure; `npm run docs:controls` writes
 * it between the README's architecture markers and `test/tools/controls/architecture.test.ts` keeps it in step.
 */
import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";

export const ARCHITECTURE_BEGIN = "<!-- architecture:begin -->";
export const ARCHITECTURE_END = "<!-- architecture:end -->";

/** An endpoint of a flow edge: a component type token, or one of the external actors. */
type Endpoint = string;
const CLIENT = "client";
const ENTRA = "entra";

interface Flow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly label: string;
  /** Control or data dependency rather than the request path. */
  readonly dashed: boolean;
}

const T = {
  network: "mcpgw:network:Network",
  identity: "mcpgw:identity:Identity",
  keyVault: "mcpgw:keyvault:KeyVault",
  gateway: "mcpgw:gateway:Gateway",
  edge: "mcpgw:edge:Edge",
  workloads: "mcpgw:workloads:Workloads",
  contentSafety: "mcpgw:content-safety:ContentSafety",
  monitoring: "mcpgw:monitoring:Monitoring",
  sentinel: "mcpgw:sentinel:Sentinel",
  governance: "mcpgw:governance:Governance",
} as const;

/** The known request and dependency flows; an edge is drawn only when both ends are in the plan. */
const FLOWS: readonly Flow[] = [
  { from: CLIENT, to: T.edge, label: "HTTPS, TLS 1.3, Entra token", dashed: false },
  { from: T.edge, to: T.gateway, label: "HTTPS, private", dashed: false },
  { from: T.gateway, to: T.workloads, label: "gateway's managed-identity token", dashed: false },
  { from: T.gateway, to: T.contentSafety, label: "Prompt Shields, managed identity", dashed: false },
  { from: ENTRA, to: CLIENT, label: "access tokens", dashed: true },
  { from: T.identity, to: ENTRA, label: "app registrations, roles", dashed: true },
  { from: T.gateway, to: T.keyVault, label: "named values by reference", dashed: true },
  { from: T.edge, to: T.keyVault, label: "TLS certificate", dashed: true },
  { from: T.workloads, to: T.keyVault, label: "secret references", dashed: true },
  { from: T.gateway, to: T.monitoring, label: "gateway logs", dashed: true },
  { from: T.edge, to: T.monitoring, label: "WAF and access logs", dashed: true },
  { from: T.workloads, to: T.monitoring, label: "console and system logs", dashed: true },
  { from: T.keyVault, to: T.monitoring, label: "audit logs", dashed: true },
  { from: T.monitoring, to: T.sentinel, label: "analytics rules", dashed: false },
  { from: T.governance, to: T.gateway, label: "benchmark audit, declared exemptions", dashed: true },
];

const EXTERNAL_LABEL: Readonly<Record<string, string>> = {
  [CLIENT]: "MCP client (VS Code, agents)",
  [ENTRA]: "Microsoft Entra ID",
};

/** `azure-native:network:VirtualNetwork` -> `network:VirtualNetwork`; `azuread:index/group:Group` -> `azuread:Group`. */
export function shortType(type: string): string {
  const [pkg, module = "", name = ""] = type.split(":");
  if (pkg === "azure-native") return `${module}:${name}`;
  return `${pkg}:${name || module}`;
}

const nodeId = (value: string): string => value.replace(/[^A-Za-z0-9]/g, "_");
const logicalName = (urn: string): string => urn.split("::").pop() ?? urn;

interface Group {
  readonly id: string;
  readonly type: string;
  readonly label: string;
  readonly counts: ReadonlyMap<string, number>;
}

function groups(states: readonly PlanResourceState[]): Group[] {
  const byUrn = new Map(states.map((state) => [state.urn, state]));
  const isComponent = (state: PlanResourceState): boolean => !state.custom && state.type.startsWith("mcpgw:");
  const componentOf = (state: PlanResourceState): PlanResourceState | undefined => {
    for (
      let parent = state.parent ? byUrn.get(state.parent) : undefined;
      parent;
      parent = parent.parent ? byUrn.get(parent.parent) : undefined
    ) {
      if (isComponent(parent)) return parent;
    }
    return undefined;
  };
  const components = states.filter(isComponent);
  const sameType = (type: string): number => components.filter((c) => c.type === type).length;
  const counts = new Map<string, Map<string, number>>();
  for (const state of states) {
    if (!state.custom || state.type.startsWith("pulumi:")) continue;
    const key = componentOf(state)?.urn ?? "";
    const perType = counts.get(key) ?? new Map<string, number>();
    perType.set(state.type, (perType.get(state.type) ?? 0) + 1);
    counts.set(key, perType);
  }
  const result: Group[] = components
    .map((component) => {
      const className = component.type.split(":").pop() ?? component.type;
      const name = logicalName(component.urn);
      return {
        id: nodeId(name),
        type: component.type,
        label: sameType(component.type) > 1 ? `${className} ${name}` : className,
        counts: counts.get(component.urn) ?? new Map<string, number>(),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const stackLevel = counts.get("");
  if (stackLevel && stackLevel.size > 0)
    result.unshift({ id: "stack", type: "", label: "Stack level", counts: stackLevel });
  return result;
}

function typeLines(counts: ReadonlyMap<string, number>): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || shortType(a[0]).localeCompare(shortType(b[0])))
    .map(([type, count]) => `${shortType(type)} ×${count}`)
    .join("<br/>");
}

/** The Mermaid source (inside the code fence) for a plan. */
export function renderArchitecture(plan: PreviewPlan, stack: string): string {
  const states = plan.steps.flatMap((step) => (step.newState && step.op !== "delete" ? [step.newState] : []));
  const all = groups(states);
  const idsOf = (endpoint: Endpoint): string[] =>
    endpoint === CLIENT || endpoint === ENTRA
      ? [endpoint]
      : all.filter((group) => group.type === endpoint).map((group) => group.id);
  const present = (endpoint: Endpoint): boolean => {
    if (endpoint === CLIENT) return idsOf(T.edge).length > 0 || idsOf(T.gateway).length > 0;
    if (endpoint === ENTRA) return idsOf(T.identity).length > 0;
    return idsOf(endpoint).length > 0;
  };
  // Without an edge, clients reach the gateway directly.
  const flows: Flow[] = present(T.edge)
    ? [...FLOWS]
    : [{ from: CLIENT, to: T.gateway, label: "HTTPS, Entra token", dashed: false }, ...FLOWS];
  const drawn = flows.filter((flow) => present(flow.from) && present(flow.to));

  const lines = [
    "flowchart LR",
    `  %% Generated from the offline preview of stack ${stack} (npm run docs:controls); do not edit by hand.`,
  ];
  for (const external of [CLIENT, ENTRA]) {
    if (drawn.some((flow) => flow.from === external || flow.to === external))
      lines.push(`  ${external}(["${EXTERNAL_LABEL[external]}"])`);
  }
  for (const group of all) {
    const title = group.type ? `${group.label} · ${group.type}` : group.label;
    lines.push(`  subgraph ${group.id}["${title}"]`);
    lines.push(`    ${group.id}_resources["${typeLines(group.counts)}"]`);
    lines.push("  end");
  }
  for (const flow of drawn) {
    for (const from of idsOf(flow.from)) {
      for (const to of idsOf(flow.to))
        lines.push(`  ${from} ${flow.dashed ? "-.->" : "-->"}|"${flow.label}"| ${to}`);
    }
  }
  return lines.join("\n");
}

/** The whole README block, markers included. */
export function architectureBlock(plan: PreviewPlan, stack: string): string {
  // Blank lines around the fence: the form Prettier leaves alone in the README.
  return [
    ARCHITECTURE_BEGIN,
    "",
    "```mermaid",
    renderArchitecture(plan, stack),
    "```",
    "",
    ARCHITECTURE_END,
  ].join("\n");
}

/** Replaces the block between the markers (markers included); throws when the markers are missing. */
export function replaceArchitectureBlock(readme: string, block: string): string {
  const begin = readme.indexOf(ARCHITECTURE_BEGIN);
  const end = readme.indexOf(ARCHITECTURE_END);
  if (begin < 0 || end < begin)
    throw new Error(`README.md has no ${ARCHITECTURE_BEGIN} ... ${ARCHITECTURE_END} block`);
  return readme.slice(0, begin) + block + readme.slice(end + ARCHITECTURE_END.length);
}

/** The block currently in the README (markers included), or undefined. */
export function currentArchitectureBlock(readme: string): string | undefined {
  const begin = readme.indexOf(ARCHITECTURE_BEGIN);
  const end = readme.indexOf(ARCHITECTURE_END);
  return begin < 0 || end < begin ? undefined : readme.slice(begin, end + ARCHITECTURE_END.length);
}
