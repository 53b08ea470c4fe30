import type { PreviewPlan } from "../../../policies/check/plan";
import { planQueries, substituteWorkbookParameters } from "../../../tools/kql/extract";

function plan(resources: { type: string; name: string; inputs: Record<string, unknown> }[]): PreviewPlan {
  return {
    steps: resources.map(({ type, name, inputs }) => {
      const urn = `urn:pulumi:t::p::${type}::${name}`;
      return { op: "create", urn, newState: { urn, type, custom: true, inputs, outputs: {} } };
    }),
    changeSummary: { create: resources.length },
  };
}

describe("queries taken from a plan", () => {
  it("reads alert rules, analytics rules, saved searches, workbooks and ARM template deployments", () => {
    const workbook = JSON.stringify({
      items: [
        { type: 9, content: { parameters: [{ name: "TimeRange", type: 4 }] } },
        {
          type: 12,
          content: {
            items: [
              {
                type: 3,
                content: { queryType: 0, query: "T | summarize by bin(TimeGenerated, {TimeRange:grain})" },
              },
            ],
          },
        },
        { type: 3, content: { queryType: 1, query: "Resources | take 1" } },
      ],
    });
    const { queries, problems } = planQueries(
      "s",
      plan([
        {
          type: "azure-native:monitor:ScheduledQueryRule",
          name: "a",
          inputs: { criteria: { allOf: [{ query: "A" }, { query: "B" }] } },
        },
        { type: "azure-native:securityinsights:ScheduledAlertRule", name: "r", inputs: { query: "R" } },
        { type: "azure-native:operationalinsights:SavedSearch", name: "s", inputs: { query: "S" } },
        {
          type: "azure-native:applicationinsights:Workbook",
          name: "w",
          inputs: { serializedData: workbook },
        },
        {
          type: "azure-native:resources:Deployment",
          name: "d",
          inputs: {
            properties: {
              template: {
                resources: [
                  {
                    type: "Microsoft.Insights/scheduledQueryRules",
                    properties: { criteria: { allOf: [{ query: "ARM-A" }] } },
                  },
                  {
                    type: "Microsoft.OperationalInsights/workspaces/providers/alertRules",
                    properties: { query: "ARM-R" },
                  },
                  {
                    type: "Microsoft.OperationalInsights/workspaces",
                    resources: [
                      {
                        type: "Microsoft.OperationalInsights/workspaces/savedSearches",
                        properties: { query: "ARM-S" },
                      },
                    ],
                  },
                  {
                    type: "Microsoft.OperationalInsights/workspaces/tables",
                    properties: { retentionInDays: 30 },
                  },
                ],
              },
            },
          },
        },
        { type: "azure-native:storage:StorageAccount", name: "x", inputs: { query: "not KQL" } },
      ]),
    );
    expect(problems).toEqual([]);
    expect(queries.map((q) => [q.resource, q.location, q.text])).toEqual([
      ["a", "criteria.allOf[0].query", "A"],
      ["a", "criteria.allOf[1].query", "B"],
      ["r", "query", "R"],
      ["s", "query", "S"],
      [
        "w",
        "serializedData items[1].content.items[0].content.query",
        "T | summarize by bin(TimeGenerated, 1h)",
      ],
      ["d", "properties.template.resources[0].properties.criteria.allOf[0].query", "ARM-A"],
      ["d", "properties.template.resources[1].properties.query", "ARM-R"],
      ["d", "properties.template.resources[2].resources[0].properties.query", "ARM-S"],
    ]);
  });

  it("reports a query it cannot read instead of skipping it", () => {
    const { queries, problems } = planQueries(
      "s",
      plan([
        { type: "azure-native:securityinsights:ScheduledAlertRule", name: "r", inputs: { query: 42 } },
        {
          type: "azure-native:applicationinsights:Workbook",
          name: "w",
          inputs: { serializedData: "{not json" },
        },
      ]),
    );
    expect(queries).toEqual([]);
    expect(problems.map((p) => [p.resource, p.location, p.message.split(":")[0]])).toEqual([
      ["r", "query", "expected a KQL string, found number"],
      ["w", "serializedData", "serializedData is not JSON"],
    ]);
  });
});

describe("workbook parameters", () => {
  const types = new Map([
    ["TimeRange", 4],
    ["Server", 2],
  ]);
  it("stands a value of the right type in, on the same line", () => {
    expect(
      substituteWorkbookParameters("bin(T, {TimeRange:grain})\n| where T > {TimeRange:start}", types),
    ).toEqual({
      text: "bin(T, 1h)\n| where T > datetime(2026-01-01T00:00:00Z)",
      problems: [],
    });
  });
  it("leaves names that are no parameter (comments), and reports a format it has no stand-in for", () => {
    expect(substituteWorkbookParameters("// {JSON}\nT", types)).toEqual({
      text: "// {JSON}\nT",
      problems: [],
    });
    const { problems } = substituteWorkbookParameters("T | where S == {Server}", types);
    expect(problems).toEqual([expect.stringMatching(/^\{Server\}: no stand-in for a type 2 parameter/)]);
  });
});
