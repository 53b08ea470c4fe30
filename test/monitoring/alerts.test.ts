import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { ActionGroupArgs, ScheduledQueryRuleArgs } from "@pulumi/azure-native/monitor";
import {
  ACTION_GROUP_SHORT_NAME,
  ALERT_RULES,
  actionGroupInputs,
  QUERIES_DIR,
  scheduledQueryRuleInputs,
} from "../../infra/monitoring/alerts";
import { days, minutes, parseIsoDuration } from "../../infra/conventions/duration";
import { templateParameters } from "../../infra/conventions/kql";
import { analyzeKql } from "../../tools/kql/analyzer";
import { kqlFiles } from "../../tools/kql/sources";
import { countBy } from "../support/count";

// Compile-time: rendered inputs fit azure-native's args once the component adds its own inputs.
type RuleArgsFromCatalogue = Omit<ScheduledQueryRuleArgs, "resourceGroupName">;
const _ruleArgs: RuleArgsFromCatalogue = scheduledQueryRuleInputs(ALERT_RULES[0]!);
const _groupArgs: Omit<ActionGroupArgs, "resourceGroupName"> = actionGroupInputs({
  emails: ["soc@contoso.com"],
});

const LOG_ALERT_FREQUENCIES = [
  "PT1M",
  "PT5M",
  "PT10M",
  "PT15M",
  "PT30M",
  "PT45M",
  "PT1H",
  "PT2H",
  "PT3H",
  "PT4H",
  "PT5H",
  "PT6H",
  "P1D",
];

describe("alert rule KQL files", () => {
  const files = kqlFiles(QUERIES_DIR);

  it("exist", () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  it.each(files)(
    "%s is non-empty, starts with a header comment and is loaded by exactly one rule",
    (file) => {
      const text = readFileSync(path.join(QUERIES_DIR, file), "utf8");
      const code = text.replace(/\/\/.*$/gm, "").trim();
      expect(code.length).toBeGreaterThan(0);
      expect(text.startsWith("// ")).toBe(true);
      expect(countBy(ALERT_RULES.map((rule) => rule.queryFile)).get(file)).toBe(1);
    },
  );

  it("every rule's query file exists", () => {
    for (const rule of ALERT_RULES) expect(files).toContain(rule.queryFile);
  });
});

describe("alert rule catalogue", () => {
  it("has unique IDs and display names", () => {
    expect(new Set(ALERT_RULES.map((r) => r.id)).size).toBe(ALERT_RULES.length);
    expect(new Set(ALERT_RULES.map((r) => r.displayName)).size).toBe(ALERT_RULES.length);
    for (const rule of ALERT_RULES) expect(rule.id).toMatch(/^[a-z][a-z0-9-]{2,60}$/);
  });

  it.each(ALERT_RULES.map((rule) => [rule.id, rule] as const))("%s", (_id, rule) => {
    // severity and schedule
    expect([0, 1, 2, 3, 4]).toContain(rule.severity);
    expect(LOG_ALERT_FREQUENCIES).toContain(rule.evaluationFrequency);
    const frequency = parseIsoDuration(rule.evaluationFrequency);
    const window = parseIsoDuration(rule.windowSize);
    expect(window).toBeGreaterThanOrEqual(frequency);
    expect(window).toBeGreaterThanOrEqual(minutes(1));
    expect(window).toBeLessThanOrEqual(days(2));
    if (rule.muteActionsDuration !== undefined) {
      expect(parseIsoDuration(rule.muteActionsDuration)).toBeGreaterThanOrEqual(frequency);
      expect(rule.autoMitigate).toBe(false); // muting only applies to stateless rules
    }
    if (!rule.autoMitigate && window > frequency) expect(rule.muteActionsDuration).toBeDefined();
    expect(Number.isFinite(rule.threshold)).toBe(true);
    if (rule.timeAggregation !== "Count") expect(rule.metricMeasureColumn).toBeDefined();

    // parameters: defaults cover exactly the template's own placeholders
    const template = readFileSync(path.join(QUERIES_DIR, rule.queryFile), "utf8");
    expect(Object.keys(rule.parameters).sort()).toEqual(templateParameters(template).sort());

    // the rendered query: schema, output columns, runbook
    const inputs = scheduledQueryRuleInputs(rule);
    const condition = inputs.criteria.allOf[0]!;
    // Microsoft's analyzer against tools/kql/tables.ts (npm run check:kql does the same over the plans)
    const { problems, resultColumns: output } = analyzeKql(condition.query);
    expect(problems).toEqual([]);
    expect(output).toContain("TimeGenerated");
    for (const dimension of rule.dimensions) expect(output).toContain(dimension);
    if (rule.metricMeasureColumn !== undefined) expect(output).toContain(rule.metricMeasureColumn);
    expect(rule.runbook.trigger.length).toBeGreaterThan(20);
    expect(rule.runbook.response.length).toBeGreaterThan(40);
  });

  it("renders LogAlert inputs with the rule's settings and parameter overrides", () => {
    const rule = ALERT_RULES.find((r) => r.id === "gateway-unknown-tool-refusals")!;
    const inputs = scheduledQueryRuleInputs(rule, { minRefusals: 42 });
    expect(inputs.kind).toBe("LogAlert");
    expect(inputs.enabled).toBe(true);
    expect(inputs.criteria.allOf).toHaveLength(1);
    const condition = inputs.criteria.allOf[0]!;
    expect(condition.query).toContain("Refusals >= 42");
    expect(condition.query).not.toContain("{{");
    expect(condition.operator).toBe("GreaterThan");
    expect(condition.dimensions).toEqual([{ name: "Oid", operator: "Include", values: ["*"] }]);
    expect(condition.failingPeriods).toEqual({ numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 });
  });

  it("returns copies, so a caller cannot change the catalogue", () => {
    const inputs = scheduledQueryRuleInputs(ALERT_RULES[0]!);
    inputs.criteria.allOf[0]!.dimensions.push({ name: "X", operator: "Include", values: [] });
    expect(scheduledQueryRuleInputs(ALERT_RULES[0]!).criteria.allOf[0]!.dimensions).toHaveLength(1);
  });

  it("covers the alerts issue 7 asks for", () => {
    const ids = ALERT_RULES.map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "gateway-auth-denials-spike",
        "gateway-rate-limit-flood",
        "edge-waf-blocks",
        "gateway-session-binding-refusals",
        "gateway-unknown-tool-refusals",
        "keyvault-access-denied",
        "keyvault-expiry",
      ]),
    );
  });
});

describe("action group", () => {
  it("maps alert e-mails and webhooks to receivers with the common alert schema", () => {
    const group = actionGroupInputs({
      emails: ["a@contoso.com", "b@contoso.com"],
      webhooks: [{ name: "itsm", serviceUri: "https://itsm.contoso.com/hook" }],
    });
    expect(group.groupShortName).toBe(ACTION_GROUP_SHORT_NAME);
    expect(group.groupShortName.length).toBeLessThanOrEqual(12);
    expect(group.enabled).toBe(true);
    expect(group.emailReceivers).toEqual([
      { name: "email-1", emailAddress: "a@contoso.com", useCommonAlertSchema: true },
      { name: "email-2", emailAddress: "b@contoso.com", useCommonAlertSchema: true },
    ]);
    expect(group.webhookReceivers).toEqual([
      { name: "itsm", serviceUri: "https://itsm.contoso.com/hook", useCommonAlertSchema: true },
    ]);
  });

  it("refuses an action group nobody receives", () => {
    expect(() => actionGroupInputs({ emails: [] })).toThrow(/at least one e-mail/);
  });
});
