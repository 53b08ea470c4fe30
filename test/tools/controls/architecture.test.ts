import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  architectureBlock,
  currentArchitectureBlock,
  renderArchitecture,
  replaceArchitectureBlock,
  shortType,
} from "../../../tools/controls/architecture";
import type { PlanResourceState, PreviewPlan } from "../../../policies/check/plan";
import { REPO_ROOT, stackPlan } from "../../support/plans";

function planOf(states: readonly Omit<PlanResourceState, "inputs" | "outputs">[]): PreviewPlan {
  return {
    steps: states.map((state) => ({
      op: "create",
      urn: state.urn,
      newState: { ...state, inputs: {}, outputs: {} },
    })),
    changeSummary: { create: states.length },
  };
}

const urn = (type: string, name: string): string => `urn:pulumi:dev::p::${type}::${name}`;
const component = (type: string, name: string): Omit<PlanResourceState, "inputs" | "outputs"> => ({
  urn: urn(type, name),
  type,
  custom: false,
});
const resource = (
  type: string,
  name: string,
  parent?: string,
): Omit<PlanResourceState, "inputs" | "outputs"> => ({
  urn: urn(type, name),
  type,
  custom: true,
  ...(parent ? { parent } : {}),
});

describe("README architecture diagram", () => {
  test("the README block is the diagram generated from the dev plan (npm run docs:controls)", () => {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const expected = architectureBlock(stackPlan("dev"), "dev");
    if (currentArchitectureBlock(readme) !== expected) {
      throw new Error(
        `README.md's architecture block is stale: run \`npm run docs:controls\`. Expected:\n${expected}`,
      );
    }
  });

  test("every component of the dev plan is a subgraph", () => {
    const plan = stackPlan("dev");
    const diagram = renderArchitecture(plan, "dev");
    const components = new Set(
      plan.steps.flatMap((s) =>
        s.newState && !s.newState.custom && s.newState.type.startsWith("mcpgw:") ? [s.newState.type] : [],
      ),
    );
    expect(components.size).toBeGreaterThan(0);
    for (const type of components) expect(diagram).toContain(` · ${type}"]`);
  });
});

describe("renderArchitecture", () => {
  const gateway = component("mcpgw:gateway:Gateway", "gateway");
  const workloads = component("mcpgw:workloads:Workloads", "workloads");
  const plan = planOf([
    { urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", type: "pulumi:pulumi:Stack", custom: false },
    resource("azure-native:resources:ResourceGroup", "rg"),
    gateway,
    resource("azure-native:apimanagement:ApiPolicy", "a", gateway.urn),
    resource("azure-native:apimanagement:ApiPolicy", "b", gateway.urn),
    resource("azure-native:apimanagement:ApiManagementService", "apim", gateway.urn),
    workloads,
    resource("azure-native:app:ContainerApp", "app", workloads.urn),
  ]);

  test("groups resources by component with counts, most frequent first", () => {
    const diagram = renderArchitecture(plan, "dev");
    expect(diagram).toContain('  subgraph gateway["Gateway · mcpgw:gateway:Gateway"]');
    expect(diagram).toContain(
      '    gateway_resources["apimanagement:ApiPolicy ×2<br/>apimanagement:ApiManagementService ×1"]',
    );
    expect(diagram).toContain('    stack_resources["resources:ResourceGroup ×1"]');
  });

  test("draws a flow only when both ends are in the plan; without an edge clients reach the gateway", () => {
    const diagram = renderArchitecture(plan, "dev");
    expect(diagram).toContain('  client -->|"HTTPS, Entra token"| gateway');
    expect(diagram).toContain(`  gateway -->|"gateway's managed-identity token"| workloads`);
    expect(diagram).not.toContain("key_vault");
    expect(diagram).not.toContain("entra");
  });

  test("short type names", () => {
    expect(shortType("azure-native:network:VirtualNetwork")).toBe("network:VirtualNetwork");
    expect(shortType("azuread:index/group:Group")).toBe("azuread:Group");
  });

  test("replaces only the block between the markers", () => {
    const readme = "# x\n\n<!-- architecture:begin -->\nold\n<!-- architecture:end -->\n\nrest\n";
    const block = architectureBlock(plan, "dev");
    const updated = replaceArchitectureBlock(readme, block);
    expect(updated.startsWith("# x\n\n<!-- architecture:begin -->\n\n```mermaid\nflowchart LR\n")).toBe(true);
    expect(updated.endsWith("```\n\n<!-- architecture:end -->\n\nrest\n")).toBe(true);
    expect(currentArchitectureBlock(updated)).toBe(block);
    expect(() => replaceArchitectureBlock("no markers", block)).toThrow(/architecture:begin/);
  });
});
