import { checkPlans, formatFinding, type KqlReport } from "../../../tools/kql/check";
import { indexQuerySources } from "../../../tools/kql/sources";
import { stackPlan } from "../../support/plans";
import { seedFault } from "./seed";

/**
 * Each seeded fault is made in a copy of one `.kql` file and in the deployed text of the dev plan; the
 * check must report it with the analyzer's message at that file and line, for every resource deploying it,
 * and report nothing else.
 */
function check(
  file: string,
  from: string,
  to: string,
  resource?: string,
): { report: KqlReport; file: string; line: number } {
  const seeded = seedFault(stackPlan("dev"), file, from, to, resource);
  const report = checkPlans([{ stack: "dev", plan: seeded.plan }], {
    sources: indexQuerySources(seeded.dirs, seeded.partialDir),
  });
  return { report, file: seeded.file, line: seeded.line };
}

describe("seeded faults are caught at their source file and line", () => {
  it("a misspelt column in an alert rule query", () => {
    const { report, file, line } = check(
      "infra/monitoring/queries/auth-denials-spike.kql",
      "| where ResponseCode in (401, 403)",
      "| where ResponseCod in (401, 403)",
    );
    expect(report.findings).toHaveLength(1);
    const [finding] = report.findings;
    expect(finding).toMatchObject({
      stack: "dev",
      resourceType: "azure-native:monitor:ScheduledQueryRule",
      resource: "alert-gateway-auth-denials-spike",
      location: "criteria.allOf[0].query",
      source: { file, line },
      code: "KS142",
      message: "The name 'ResponseCod' does not refer to any known column, table, variable or function.",
    });
    expect(formatFinding(finding!)).toContain(`${file}:${line}: dev azure-native:monitor:ScheduledQueryRule`);
  });

  it("a wrong table in an analytics rule query", () => {
    const { report, file, line } = check(
      "infra/sentinel/queries/keyvault-unexpected-secret-read.kql",
      "AZKVAuditLogs",
      "AzureKeyVaultAuditLogs",
      "rule-keyvault-unexpected-secret-read",
    );
    expect(report.findings.map((f) => [f.resource, f.source, f.code])).toEqual([
      ["rule-keyvault-unexpected-secret-read", { file, line }, "KS204"],
    ]);
    expect(report.findings[0]!.message).toMatch(/'AzureKeyVaultAuditLogs' does not refer to any known table/);
  });

  it("a type error in a workbook query (inside the workbook's serialized JSON)", () => {
    const { report, file, line } = check(
      "infra/monitoring/workbook/latency.kql",
      '| where Method == "POST" and ResponseCode < 400',
      '| where Method == "POST" and ResponseCode < "400"',
    );
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      resourceType: "azure-native:applicationinsights:Workbook",
      resource: "gateway-workbook",
      source: { file, line },
      code: "KS106",
      message: "The operator '<' is not defined for the operand types int and string.",
    });
    expect(report.findings[0]!.location).toMatch(/^serializedData items\[\d+\]\.content\.query$/);
  });

  it("a function that does not exist, in the shared partial: every query that inlines it, at the partial's line", () => {
    const { report, file, line } = check(
      "infra/conventions/kql-partials/mcp-gateway-events.kql",
      "    | extend McpEvent = parse_json(tostring(TraceRecord.message))",
      "    | extend McpEvent = parse_jsn(tostring(TraceRecord.message))",
    );
    expect(report.findings.length).toBeGreaterThanOrEqual(10);
    for (const finding of report.findings) {
      expect(finding.source).toEqual({ file, line });
      expect(finding.code).toBe("KS211");
      expect(finding.message).toBe("The name 'parse_jsn' does not refer to any known function.");
    }
    const resources = new Set(report.findings.map((f) => f.resource));
    expect(resources).toEqual(
      new Set([
        "alert-gateway-session-binding-refusals",
        "alert-gateway-unknown-tool-refusals",
        "rule-mcp-prompt-shield-detections",
        "rule-mcp-session-hijack",
        "rule-mcp-token-audience-issuer-failures",
        "rule-mcp-tool-abuse-enumeration",
        "gateway-workbook",
      ]),
    );
  });

  it("a trace field the gateway does not write", () => {
    const { report, file, line } = check(
      "infra/conventions/kql-partials/mcp-gateway-events.kql",
      "        Oid = tostring(McpEvent.oid),",
      "        Oid = tostring(McpEvent.objectId),",
    );
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      expect(finding.source).toEqual({ file, line });
      expect(finding.code).toBe("MCPGW-TRACE-FIELD");
      expect(finding.message).toMatch(/^McpEvent\.objectId is not a field of the gateway's audit trace/);
    }
  });

  it("a forbidden column, even when renamed", () => {
    const { report, file, line } = check(
      "infra/monitoring/queries/waf-blocks.kql",
      "| project TimeGenerated, ClientIp, RuleId, Message, Hostname, TransactionId",
      "| project TimeGenerated, ClientIp, RuleId, Message, Hostname, TransactionId, Matched = DetailedData",
    );
    expect(report.findings.map((f) => [f.resource, f.source, f.code])).toEqual([
      ["alert-edge-waf-blocks", { file, line }, "MCPGW-FORBIDDEN-COLUMN"],
    ]);
    expect(report.findings[0]!.message).toMatch(/^AGWFirewallLogs\.DetailedData must never be read/);
  });
});
