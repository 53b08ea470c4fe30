import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  BENCHMARK_INITIATIVES,
  DEFINITION_REFERENCES,
  exemptionTargets,
} from "../../infra/governance/assignments";
import {
  EXEMPTIONS,
  type ExemptionDeclaration,
  exemptionProblems,
  exemptionsFor,
} from "../../policies/src/lib/exemption-declarations";
import { packWaiver } from "../../policies/src/lib/exemptions";
import { AZURE_BUILTINS } from "../../policies/src/lib/azure-builtins";
import { allPolicies } from "../../policies/src";
import { REFERENCE_DIR, referenceAvailable } from "../../tools/azure-policy/reference";
import { resourcesOfType, STACKS, stackPlan, stackPreviewLog } from "../support/plans";

const describeWithReference = referenceAvailable() ? describe : describe.skip;
const ASSIGNMENT = "azure-native:authorization:PolicyAssignment";
const EXEMPTION = "azure-native:authorization:PolicyExemption";

function tsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path.join(REFERENCE_DIR, file), "utf8").trim().split("\n");
  const columns = (header ?? "").split("\t");
  return lines.map((line) =>
    Object.fromEntries(line.split("\t").map((cell, i) => [columns[i] ?? `${i}`, cell])),
  );
}

describe("exemption declarations (policies/src/lib/exemption-declarations.ts)", () => {
  test("every declaration is complete: ID, category, justification, a future expiry, mitigating rules", () => {
    // Today's date: an expired declaration fails here until it is reviewed and renewed or removed.
    expect(exemptionProblems(EXEMPTIONS, { today: new Date().toISOString().slice(0, 10) })).toEqual([]);
  });

  test("bad declarations are refused with the key, the value and what is allowed", () => {
    const bad: ExemptionDeclaration = {
      id: "Bad ID",
      definitionId: "not-a-guid",
      category: "Accepted" as ExemptionDeclaration["category"],
      justification: "too short",
      expiresOn: "2026-02-30",
      environments: [],
      resources: { type: "Microsoft.Storage/storageAccounts" },
    };
    const problems = exemptionProblems([bad]).join("\n");
    expect(problems).toMatch(/id: must be kebab-case/);
    expect(problems).toMatch(/definitionId: must be a lower-case definition GUID, got 'not-a-guid'/);
    expect(problems).toMatch(/category: must be one of Mitigated, Waiver, got 'Accepted'/);
    expect(problems).toMatch(/justification/);
    expect(problems).toMatch(/expiresOn: must be a calendar date YYYY-MM-DD, got '2026-02-30'/);
    expect(problems).toMatch(/environments/);
    expect(problems).toMatch(/azure-native type token/);
    expect(
      exemptionProblems([{ ...EXEMPTIONS[0]!, expiresOn: "2026-01-01" }], { today: "2026-12-01" }),
    ).toEqual([expect.stringMatching(/has passed/)]);
  });

  test("every mitigating rule exists in the pack and mirrors or verifies the deviation's resource type", () => {
    const names = new Set(allPolicies.map((policy) => policy.name));
    for (const exemption of EXEMPTIONS)
      for (const rule of exemption.mitigatedBy ?? [])
        expect({ id: exemption.id, rule, known: names.has(rule) }).toEqual({
          id: exemption.id,
          rule,
          known: true,
        });
  });

  test("every definition ID is a known built-in", () => {
    const guids = new Set(Object.values(AZURE_BUILTINS).map((builtin) => builtin.guid));
    for (const exemption of EXEMPTIONS) expect(guids).toContain(exemption.definitionId);
  });
});

describeWithReference("benchmark initiatives and reference IDs match the reference files", () => {
  test("initiative IDs are those of _initiatives/", () => {
    const files = ["AzureSecurityCenter.json", "MCSBv2.json"].map(
      (file) =>
        JSON.parse(readFileSync(path.join(REFERENCE_DIR, "_initiatives", file), "utf8")) as { name: string },
    );
    expect(
      BENCHMARK_INITIATIVES.map((initiative) => initiative.policySetDefinitionId.split("/").pop()),
    ).toEqual(files.map((file) => file.name));
  });

  test("DEFINITION_REFERENCES equals MCSB_ASSIGNMENT_PARAMS.tsv for every declared definition", () => {
    const rows = tsv("MCSB_ASSIGNMENT_PARAMS.tsv");
    for (const exemption of EXEMPTIONS) {
      const expected: Record<string, string> = {};
      for (const row of rows.filter((r) => r.definition_id === exemption.definitionId)) {
        const initiative = BENCHMARK_INITIATIVES.find((i) => (row.initiative ?? "").startsWith(i.label))!;
        expected[initiative.key] = row.policyDefinitionReferenceId ?? "";
      }
      expect({
        definition: exemption.definitionId,
        references: DEFINITION_REFERENCES[exemption.definitionId] ?? {},
      }).toEqual({
        definition: exemption.definitionId,
        references: expected,
      });
    }
  });
});

describe.each(STACKS)("governance in the %s plan", (stack) => {
  const plan = stackPlan(stack);

  test("the pack rules that verify a Mitigated exemption pass on the plan", () => {
    const log = stackPreviewLog(stack);
    for (const exemption of exemptionsFor(stack))
      for (const rule of exemption.mitigatedBy ?? [])
        expect({ rule, reported: log.includes(rule) }).toEqual({ rule, reported: false });
  });

  test("both benchmark initiatives are assigned to the stack's resource group in audit mode", () => {
    const group = resourcesOfType(plan, "azure-native:resources:ResourceGroup")[0]!;
    const assignments = resourcesOfType(plan, ASSIGNMENT);
    expect(assignments.map((a) => a.inputs.policyDefinitionId).sort()).toEqual(
      BENCHMARK_INITIATIVES.map((i) => i.policySetDefinitionId).sort(),
    );
    for (const assignment of assignments) {
      expect(assignment.inputs.scope).toBe(group.outputs.id);
      expect(assignment.inputs.enforcementMode).toBe("DoNotEnforce");
    }
  });

  test("the exemption resources are exactly the declarations in force, with their category, expiry and justification", () => {
    const assignments = new Map(
      resourcesOfType(plan, ASSIGNMENT).map((a) => [
        String(a.inputs.policyDefinitionId),
        String(a.outputs.id),
      ]),
    );
    const created = resourcesOfType(plan, EXEMPTION);
    let expected = 0;
    for (const exemption of exemptionsFor(stack)) {
      const covered = plan.steps.filter(
        (step) =>
          step.newState?.type === exemption.resources.type &&
          (exemption.resources.names ?? [step.urn.split("::").pop()]).includes(
            step.urn.split("::").pop() ?? "",
          ),
      );
      for (const target of exemptionTargets(exemption)) {
        for (const step of covered) {
          const id = String(step.newState?.outputs.id);
          const match = created.filter(
            (resource) =>
              resource.inputs.scope === id &&
              resource.inputs.displayName === `${exemption.id} (${stack})` &&
              resource.inputs.policyAssignmentId === assignments.get(target.initiative.policySetDefinitionId),
          );
          expect(match.map((resource) => resource.inputs)).toEqual([
            expect.objectContaining({
              exemptionCategory: exemption.category,
              expiresOn: `${exemption.expiresOn}T00:00:00Z`,
              description: exemption.justification,
              policyDefinitionReferenceIds: [target.referenceId],
            }),
          ]);
          expected++;
        }
      }
    }
    expect(created).toHaveLength(expected);
    expect(expected).toBeGreaterThan(0);
  });
});

describe("the pack reads the same declarations", () => {
  const ddos = allPolicies.find((policy) => policy.name === "network-ddos-protection")!;
  const backend = allPolicies.find((policy) => policy.name === "apim-backend-authenticated")!;
  const vnet = (stack: string): { type: string; urn: string } => ({
    type: "azure-native:network:VirtualNetwork",
    urn: `urn:pulumi:${stack}::mcp-azure-gateway::mcpgw:network:Network$azure-native:network:VirtualNetwork::vnet`,
  });

  test("a waiver silences the mirroring rule in the environments it names, nowhere else", () => {
    expect(packWaiver(ddos.azureBuiltins, vnet("dev"))?.id).toBe("non-prod-ddos-standard");
    expect(packWaiver(ddos.azureBuiltins, vnet("staging"))?.category).toBe("Waiver");
    expect(packWaiver(ddos.azureBuiltins, vnet("prod"))).toBeUndefined();
    expect(
      packWaiver(ddos.azureBuiltins, { ...vnet("dev"), type: "azure-native:network:NetworkSecurityGroup" }),
    ).toBeUndefined();
  });

  test("the environment is the resource's environment tag, else its stack", () => {
    const tagged = { ...vnet("contoso-eu-prod"), props: { tags: { environment: "dev" } } };
    expect(packWaiver(ddos.azureBuiltins, tagged)?.id).toBe("non-prod-ddos-standard");
    const prodTagged = { ...vnet("dev"), props: { tags: { environment: "prod" } } };
    expect(packWaiver(ddos.azureBuiltins, prodTagged)).toBeUndefined();
  });

  test("a Mitigated exemption silences nothing: its mitigating rule stays in force", () => {
    const urn =
      "urn:pulumi:prod::mcp-azure-gateway::mcpgw:gateway:Gateway$azure-native:apimanagement:Backend::gateway-backend-docs";
    expect(
      packWaiver(backend.azureBuiltins, { type: "azure-native:apimanagement:Backend", urn }),
    ).toBeUndefined();
    const mitigated = EXEMPTIONS.filter((exemption) => exemption.category === "Mitigated");
    expect(mitigated.length).toBeGreaterThan(0);
    for (const exemption of mitigated) expect(exemption.mitigatedBy?.length).toBeGreaterThan(0);
  });
});
