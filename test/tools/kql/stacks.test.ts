import { ALERT_RULES } from "../../../infra/monitoring/alerts";
import { WORKBOOK_TILES } from "../../../infra/monitoring/workbook";
import { ANALYTICS_RULES } from "../../../infra/sentinel/analytics-rules";
import { checkPlans, formatFinding, type KqlReport } from "../../../tools/kql/check";
import { planQueries } from "../../../tools/kql/extract";
import { indexQuerySources, locateQuery } from "../../../tools/kql/sources";
import { stackPlan, STACKS } from "../../support/plans";

describe("every deployed KQL query of every stack", () => {
  let report: KqlReport;
  beforeAll(() => {
    report = checkPlans(STACKS.map((stack) => ({ stack, plan: stackPlan(stack) })));
  });

  it("passes Microsoft's analyzer against the declared tables, with zero errors", () => {
    expect(report.findings.map(formatFinding)).toEqual([]);
    expect(report.problems).toEqual([]);
  });

  it("is taken from the plan: every alert rule, analytics rule and workbook tile", () => {
    // The catalogues are what the stacks deploy (no stack disables a rule today).
    const expected = ALERT_RULES.length + ANALYTICS_RULES.length + WORKBOOK_TILES.length;
    for (const stack of STACKS) expect(report.perStack.get(stack)?.queries).toBe(expected);
    expect(report.queries).toBe(expected * STACKS.length);
  });

  it("maps back to a query file, line by line", () => {
    expect(report.unmapped.map((q) => `${q.stack} ${q.resource}`)).toEqual([]);
    const index = indexQuerySources();
    const { queries } = planQueries("prod", stackPlan("prod"));
    const rule = queries.find((q) => q.resource === "rule-mcp-tool-abuse-enumeration")!;
    const lines = locateQuery(index, rule.deployed)!;
    // The template's first line, then the partial's lines, then the template again after `{{> ...}}`.
    expect(lines[0]).toEqual({ file: "infra/sentinel/queries/tool-abuse-enumeration.kql", line: 1 });
    const deployedLines = rule.deployed.split("\n");
    const partialStart = deployedLines.findIndex((l) => l.startsWith('// Partial "mcp-gateway-events"'));
    expect(lines[partialStart]).toEqual({
      file: "infra/conventions/kql-partials/mcp-gateway-events.kql",
      line: 1,
    });
    const parameterLine = deployedLines.findIndex((l) => l.startsWith("let PrivilegedTools = "));
    expect(lines[parameterLine]?.file).toBe("infra/sentinel/queries/tool-abuse-enumeration.kql");
  });
});
