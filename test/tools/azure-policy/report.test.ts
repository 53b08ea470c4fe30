import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { EXEMPTIONS, exemptionsFor } from "../../../policies/src/lib/exemption-declarations";
import { planResources, type PlanResourceState, type PreviewPlan } from "../../../policies/check/plan";
import { assessPlan, type DefinitionAssessment } from "../../../tools/azure-policy/assess";
import {
  AZURE_POLICY_DOC,
  assessStacks,
  azurePolicyReport,
  reportTime,
} from "../../../tools/azure-policy/cli-support";
import {
  loadAliases,
  loadBenchmarkDefinitions,
  referenceAvailable,
} from "../../../tools/azure-policy/reference";
import { REPO_ROOT, STACKS, stackPlan } from "../../support/plans";

const describeWithReference = referenceAvailable() ? describe : describe.skip;

function plans(): Record<string, PreviewPlan> {
  return Object.fromEntries(STACKS.map((stack) => [stack, stackPlan(stack)]));
}

function verdictOf(assessments: readonly DefinitionAssessment[], guid: string): DefinitionAssessment {
  const found = assessments.find((assessment) => assessment.definition.guid === guid);
  if (!found) throw new Error(`definition ${guid} is not in the benchmark set`);
  return found;
}

/** The prod plan's resources with one resource's inputs changed. */
function mutated(
  name: string,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): PlanResourceState[] {
  return planResources(stackPlan("prod")).map((resource) =>
    resource.urn.endsWith(`::${name}`)
      ? { ...resource, inputs: change(structuredClone(resource.inputs)) }
      : resource,
  );
}

describeWithReference("Azure Policy over the stack plans (docs/azure-policy.md)", () => {
  const assessments = assessStacks(plans());
  const definitions = loadBenchmarkDefinitions();
  const aliases = loadAliases();
  const assessProd = (resources: readonly PlanResourceState[]): DefinitionAssessment[] =>
    assessPlan(resources, { definitions, aliases, exemptions: exemptionsFor("prod"), now: reportTime() });

  test("docs/azure-policy.md is the report generated from the plans (npm run docs:controls)", () => {
    const report = azurePolicyReport(plans());
    const current = existsSync(AZURE_POLICY_DOC) ? readFileSync(AZURE_POLICY_DOC, "utf8") : "";
    if (current !== report?.doc)
      throw new Error("docs/azure-policy.md is stale: run `npm run docs:controls`");
    expect(report.problems).toEqual([]);
  });

  test("prod: every evaluable benchmark definition is compliant or exempted", () => {
    const open = (assessments.prod ?? []).filter((assessment) => assessment.verdict === "non-compliant");
    expect(open.map((assessment) => assessment.definition.displayName)).toEqual([]);
    expect((assessments.prod ?? []).filter((a) => a.verdict === "compliant").length).toBeGreaterThan(25);
  });

  test("the issue's four findings: two fixed, two exempted with a justification and an expiry", () => {
    const prod = assessments.prod ?? [];
    expect(verdictOf(prod, "49a22571-d204-4c91-a7b6-09b1a586fbc9").verdict).toBe("compliant");
    expect(verdictOf(prod, "fa298e57-9444-42ba-bf04-86e8470e32c7").verdict).toBe("compliant");
    for (const guid of ["c15dcc82-b93c-4dcb-9332-fbf121685b54", "b2982f36-99f2-4db5-8eff-283140c09693"]) {
      const assessment = verdictOf(prod, guid);
      expect(assessment.verdict).toBe("exempted");
      for (const finding of assessment.findings) {
        expect(finding.exemption?.justification.length).toBeGreaterThan(60);
        expect(finding.exemption?.expiresOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  test("the evaluation is real: undoing a fix makes the definition non-compliant", () => {
    const noKeyExpiry = mutated("key-cmk-data", (inputs) => {
      const properties = inputs.properties as { attributes: Record<string, unknown> };
      delete properties.attributes.expires;
      return inputs;
    });
    const keys = verdictOf(assessProd(noKeyExpiry), "49a22571-d204-4c91-a7b6-09b1a586fbc9");
    expect(keys.verdict).toBe("non-compliant");
    expect(keys.findings.map((finding) => finding.name)).toEqual(["key-cmk-data"]);

    const noByos = mutated("workspace", (inputs) => ({ ...inputs, forceCmkForQuery: false }));
    expect(verdictOf(assessProd(noByos), "fa298e57-9444-42ba-bf04-86e8470e32c7").verdict).toBe(
      "non-compliant",
    );

    const openVault = mutated("vault", (inputs) => {
      (inputs.properties as Record<string, unknown>).publicNetworkAccess = "Enabled";
      return inputs;
    });
    expect(verdictOf(assessProd(openVault), "405c5871-3e91-4644-8a63-58e19d68ff5b").verdict).toBe(
      "non-compliant",
    );
  });

  test("dev and staging differ from prod only by declared non-prod exemptions", () => {
    const prod = new Map((assessments.prod ?? []).map((a) => [a.definition.guid, a]));
    for (const stack of ["dev", "staging"] as const) {
      for (const assessment of assessments[stack] ?? []) {
        const inProd = prod.get(assessment.definition.guid)!;
        expect({ stack, definition: assessment.definition.file, verdict: assessment.verdict }).not.toEqual({
          stack,
          definition: assessment.definition.file,
          verdict: "non-compliant",
        });
        if (assessment.verdict === inProd.verdict) continue;
        // Only a declaration for this environment that prod does not share may make the difference.
        const extra = assessment.findings.flatMap((finding) =>
          finding.exemption ? [finding.exemption] : [],
        );
        expect({ stack, definition: assessment.definition.file, prodVerdict: inProd.verdict }).toEqual({
          stack,
          definition: assessment.definition.file,
          prodVerdict: "compliant",
        });
        expect(extra.length).toBeGreaterThan(0);
        for (const exemption of extra) expect(exemption.environments).not.toContain("prod");
      }
    }
  });
});

describe("pack configuration per environment", () => {
  test("dev and staging use prod's pack config: their deviations are declared exemptions, not lower levels", () => {
    const read = (env: string): unknown =>
      JSON.parse(readFileSync(path.join(REPO_ROOT, "policies", "config", `${env}.json`), "utf8"));
    expect(read("dev")).toEqual(read("prod"));
    expect(read("staging")).toEqual(read("prod"));
    expect(EXEMPTIONS.length).toBeGreaterThan(0);
  });
});
