import { analyzeKql } from "../../../tools/kql/analyzer";
import { LOG_TABLES, type LogTable } from "../../../tools/kql/tables";

describe("the table schemas (tools/kql/tables.ts)", () => {
  it.each(Object.entries(LOG_TABLES))(
    "%s links Microsoft's table reference and forbids only its own columns",
    (name, table) => {
      const schema: LogTable = table;
      expect(schema.reference).toBe(
        `https://learn.microsoft.com/azure/azure-monitor/reference/tables/${name.toLowerCase()}`,
      );
      expect(Object.keys(schema.columns)).toContain("TimeGenerated");
      for (const column of schema.forbidden) expect(Object.keys(schema.columns)).toContain(column);
    },
  );
});

describe("analyzeKql", () => {
  it("accepts a valid query and gives its result columns", () => {
    expect(analyzeKql("AZKVAuditLogs | where HttpStatusCode == 403 | project TimeGenerated, Id")).toEqual({
      problems: [],
      resultColumns: ["TimeGenerated", "Id"],
    });
  });

  it("reports the analyzer's errors with their offsets", () => {
    const query = "AzureActivity | where TimeGeneratd > ago(1h)";
    expect(analyzeKql(query).problems).toEqual([
      {
        code: "KS142",
        message: "The name 'TimeGeneratd' does not refer to any known column, table, variable or function.",
        start: query.indexOf("TimeGeneratd"),
        length: "TimeGeneratd".length,
      },
    ]);
  });

  it("checks columns by type: a string column is not a datetime", () => {
    expect(analyzeKql("AzureActivity | where Caller > ago(1h)").problems.map((p) => p.code)).toEqual([
      "KS106",
    ]);
    expect(analyzeKql("AzureActivity | where EventSubmissionTimestamp > ago(1h)").problems).toEqual([]);
  });

  it("holds members of the parsed trace message to the logging contract's fields, dotted or bracketed", () => {
    const query = [
      "ApiManagementGatewayLogs",
      "| mv-expand TraceRecord = TraceRecords",
      "| extend McpEvent = parse_json(tostring(TraceRecord.message))",
      '| project A = tostring(McpEvent.oid), B = tostring(McpEvent["tool"]), C = tostring(McpEvent.objectId),',
      '    D = tostring(McpEvent["sessionId"])',
    ].join("\n");
    const problems = analyzeKql(query).problems;
    expect(problems.map((p) => [p.code, query.slice(p.start, p.start + p.length)])).toEqual([
      ["MCPGW-TRACE-FIELD", "McpEvent.objectId"],
      ["MCPGW-TRACE-FIELD", 'McpEvent["sessionId"]'],
    ]);
  });

  it("resolves declared workspace functions, and only those", () => {
    const query = "DeniedKeyVaultCalls() | project TimeGenerated";
    expect(analyzeKql(query).problems.map((p) => p.code)).toEqual(["KS211"]);
    const functions = [
      {
        name: "DeniedKeyVaultCalls",
        parameters: "()",
        body: "{ AZKVAuditLogs | where HttpStatusCode == 403 }",
        reference: "test",
      },
    ];
    expect(analyzeKql(query, { functions })).toEqual({ problems: [], resultColumns: ["TimeGenerated"] });
  });

  it("refuses a forbidden column in tables.ts that the table does not have", () => {
    const tables = {
      T: { reference: "r", source: "s", columns: { A: "string" as const }, forbidden: ["B"] },
    };
    expect(() => analyzeKql("T", { tables })).toThrow(
      "tables.ts: T.forbidden names B, which is not a column",
    );
  });
});
