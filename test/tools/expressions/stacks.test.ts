import * as path from "node:path";
import { REPO_ROOT, stackPlan, STACKS } from "../../support/plans";
import { type CheckReport, checkDocuments, formatFinding } from "../../../tools/expressions/check";
import {
  planPolicyDocuments,
  type PolicyDocument,
  RENDERER_STACK,
  rendererDocuments,
} from "../../../tools/expressions/documents";
import { indexSources } from "../../../tools/expressions/sources";
import { describeWithCompiler } from "../../../tools/expressions/support";

const POLICY_DIR = path.join(REPO_ROOT, "infra", "gateway", "policy");

describe("the documents the check reads", () => {
  it("takes every policy document of each stack's plan that declares API Management", () => {
    for (const stack of STACKS) {
      const found = planPolicyDocuments(stack, stackPlan(stack));
      expect(found.skipped).toEqual([]);
      if (found.hasApiManagement) expect(found.documents.length).toBeGreaterThan(0);
    }
  });

  it("renders every renderer variant, each with expressions except the expression-free ones", () => {
    const documents = rendererDocuments();
    expect(documents.map((d) => d.resource)).toEqual(
      expect.arrayContaining([
        "mcp-api content-safety fail-open",
        "content-safety fragment fail-closed",
        "global",
      ]),
    );
    for (const document of documents) expect(document.xml.startsWith("<")).toBe(true);
  });
});

describeWithCompiler("every policy expression of every stack compiles", (compiler) => {
  let documents: PolicyDocument[];
  let report: CheckReport;
  beforeAll(() => {
    documents = [
      ...STACKS.flatMap((stack) => planPolicyDocuments(stack, stackPlan(stack)).documents),
      ...rendererDocuments(),
    ];
    report = checkDocuments(documents, { compiler, sources: indexSources(POLICY_DIR, REPO_ROOT) });
  });

  it("with zero errors, in one compiler run", () => {
    expect(report.internalErrors).toEqual([]);
    expect(report.findings.map(formatFinding)).toEqual([]);
    expect(report.compilerRuns).toBe(1);
  });

  it("checks expressions of every stack that has policies, and of the renderer", () => {
    expect(report.perStack.get(RENDERER_STACK)?.expressions ?? 0).toBeGreaterThan(50);
    for (const stack of STACKS) {
      const documentsOfStack = documents.filter((d) => d.stack === stack).length;
      expect(report.perStack.get(stack)?.documents ?? 0).toBe(documentsOfStack);
    }
  });
});
