import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { ScheduledAlertRuleArgs } from "@pulumi/azure-native/securityinsights";
import * as sdkEnums from "@pulumi/azure-native/types/enums/securityinsights";
import { days, hours, minutes, parseIsoDuration } from "../../infra/conventions/duration";
import { templateParameters } from "../../infra/conventions/kql";
import { analyzeKql } from "../../tools/kql/analyzer";
import { kqlFiles } from "../../tools/kql/sources";
import {
  ANALYTICS_RULES,
  ATTACK_TACTICS,
  DEFAULT_DETECTION_PARAMETERS,
  type DetectionParameters,
  SENTINEL_QUERIES_DIR,
  scheduledAlertRuleInputs,
  TECHNIQUE_TACTICS,
} from "../../infra/sentinel/analytics-rules";
import { countBy } from "../support/count";

// Compile-time: the catalogue's tactics are SDK enum values, and rendered inputs fit the SDK's args.
const _tactics: readonly sdkEnums.AttackTactic[] = ATTACK_TACTICS;
const _args: Omit<ScheduledAlertRuleArgs, "resourceGroupName" | "workspaceName"> = scheduledAlertRuleInputs(
  ANALYTICS_RULES[0]!,
);

// The SDK's enum module is plain data (no resource classes), so the tests load it at runtime too.

/** Identifiers per entity type (Microsoft Sentinel entities reference). */
const ENTITY_IDENTIFIERS: Record<string, readonly string[]> = {
  Account: [
    "Name",
    "FullName",
    "NTDomain",
    "DnsDomain",
    "UPNSuffix",
    "Sid",
    "AadTenantId",
    "AadUserId",
    "PUID",
    "IsDomainJoined",
    "DisplayName",
    "ObjectGuid",
  ],
  IP: ["Address", "AddressScope"],
  AzureResource: ["ResourceId"],
  CloudApplication: ["AppId", "Name", "InstanceName"],
};

const DETECTION: DetectionParameters = {
  ciPrincipalObjectIds: ["11111111-1111-1111-1111-111111111111"],
  expectedSecretReaders: ["22222222-2222-2222-2222-222222222222"],
  privilegedTools: ["delete_repository"],
};

describe("analytics rule KQL files", () => {
  const files = kqlFiles(SENTINEL_QUERIES_DIR);

  it("exist", () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)(
    "%s is non-empty, starts with a header comment and is loaded by exactly one rule",
    (file) => {
      const text = readFileSync(path.join(SENTINEL_QUERIES_DIR, file), "utf8");
      expect(text.replace(/\/\/.*$/gm, "").trim().length).toBeGreaterThan(0);
      expect(text.startsWith("// ")).toBe(true);
      expect(countBy(ANALYTICS_RULES.map((rule) => rule.queryFile)).get(file)).toBe(1);
    },
  );
});

describe("analytics rule catalogue", () => {
  it("mirrors the SDK's enums", () => {
    expect([...ATTACK_TACTICS].sort()).toEqual(Object.values(sdkEnums.AttackTactic).sort());
  });

  it("has unique IDs and display names", () => {
    expect(new Set(ANALYTICS_RULES.map((r) => r.id)).size).toBe(ANALYTICS_RULES.length);
    expect(new Set(ANALYTICS_RULES.map((r) => r.displayName)).size).toBe(ANALYTICS_RULES.length);
  });

  it.each(ANALYTICS_RULES.map((rule) => [rule.id, rule] as const))("%s", (_id, rule) => {
    const inputs = scheduledAlertRuleInputs(rule, DETECTION);

    // identity of the rule
    expect(inputs.kind).toBe("Scheduled");
    expect(inputs.enabled).toBe(true);
    expect(Object.values(sdkEnums.AlertSeverity)).toContain(inputs.severity);
    expect(Object.values(sdkEnums.TriggerOperator)).toContain(inputs.triggerOperator);
    expect(inputs.triggerThreshold).toBeGreaterThanOrEqual(0);
    expect(inputs.displayName.length).toBeLessThanOrEqual(256);
    expect(inputs.description.length).toBeGreaterThan(40);

    // MITRE ATT&CK
    expect(inputs.tactics.length).toBeGreaterThan(0);
    for (const tactic of inputs.tactics) expect(Object.values(sdkEnums.AttackTactic)).toContain(tactic);
    expect(inputs.techniques.length).toBeGreaterThan(0);
    for (const technique of inputs.techniques) {
      expect(technique).toMatch(/^T\d{4}$/);
      const tacticsOfTechnique = TECHNIQUE_TACTICS[technique];
      expect(tacticsOfTechnique).toBeDefined();
      expect(tacticsOfTechnique!.some((tactic) => inputs.tactics.includes(tactic))).toBe(true);
    }

    // scheduling: both 5 minutes to 14 days, frequency no longer than the period
    const frequency = parseIsoDuration(inputs.queryFrequency);
    const period = parseIsoDuration(inputs.queryPeriod);
    for (const value of [frequency, period]) {
      expect(value).toBeGreaterThanOrEqual(minutes(5));
      expect(value).toBeLessThanOrEqual(days(14));
    }
    expect(frequency).toBeLessThanOrEqual(period);

    // suppression: set explicitly, at most 24 hours; never on High-severity rules
    expect(typeof inputs.suppressionEnabled).toBe("boolean");
    expect(parseIsoDuration(inputs.suppressionDuration)).toBeGreaterThanOrEqual(minutes(5));
    expect(parseIsoDuration(inputs.suppressionDuration)).toBeLessThanOrEqual(hours(24));
    if (inputs.severity === "High") expect(inputs.suppressionEnabled).toBe(false);

    // incidents and grouping
    expect(inputs.incidentConfiguration.createIncident).toBe(true);
    const grouping = inputs.incidentConfiguration.groupingConfiguration;
    expect(grouping.enabled).toBe(true);
    expect(Object.values(sdkEnums.MatchingMethod)).toContain(grouping.matchingMethod);
    expect(parseIsoDuration(grouping.lookbackDuration)).toBeGreaterThanOrEqual(minutes(5));
    expect(parseIsoDuration(grouping.lookbackDuration)).toBeLessThanOrEqual(days(7));
    if (grouping.matchingMethod === "Selected") expect(grouping.groupByEntities.length).toBeGreaterThan(0);
    const mappedTypes = inputs.entityMappings.map((m) => m.entityType);
    for (const entity of grouping.groupByEntities) expect(mappedTypes).toContain(entity);
    expect(Object.values(sdkEnums.EventGroupingAggregationKind)).toContain(
      inputs.eventGroupingSettings.aggregationKind,
    );

    // the query: length, no search/union *, known tables and columns, parameters covered
    expect(inputs.query.length).toBeGreaterThan(0);
    expect(inputs.query.length).toBeLessThanOrEqual(10_000);
    expect(inputs.query).not.toMatch(/\b(search|union)\s+\*/);
    expect(inputs.query).not.toContain("{{");
    const analysis = analyzeKql(inputs.query);
    expect(analysis.problems).toEqual([]);
    const template = readFileSync(path.join(SENTINEL_QUERIES_DIR, rule.queryFile), "utf8");
    const detectionKeys = Object.keys(DEFAULT_DETECTION_PARAMETERS);
    expect(Object.keys(rule.parameters).sort()).toEqual(
      templateParameters(template)
        .filter((name) => !detectionKeys.includes(name))
        .sort(),
    );

    // entities, custom details and overrides map to columns the query returns
    const output = analysis.resultColumns;
    expect(output.length).toBeGreaterThan(0);
    expect(inputs.entityMappings.length).toBeGreaterThan(0);
    expect(inputs.entityMappings.length).toBeLessThanOrEqual(5);
    for (const mapping of inputs.entityMappings) {
      expect(Object.values(sdkEnums.EntityMappingType)).toContain(mapping.entityType);
      expect(mapping.fieldMappings.length).toBeGreaterThan(0);
      expect(mapping.fieldMappings.length).toBeLessThanOrEqual(3);
      for (const field of mapping.fieldMappings) {
        expect(ENTITY_IDENTIFIERS[mapping.entityType]).toContain(field.identifier);
        expect(output).toContain(field.columnName);
      }
    }
    expect(Object.keys(inputs.customDetails).length).toBeLessThanOrEqual(20);
    for (const [key, column] of Object.entries(inputs.customDetails)) {
      expect(key).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,19}$/);
      expect(output).toContain(column);
    }
    const override = inputs.alertDetailsOverride;
    if (override?.alertSeverityColumnName !== undefined)
      expect(output).toContain(override.alertSeverityColumnName);
    for (const placeholder of (override?.alertDisplayNameFormat ?? "").matchAll(/\{\{(\w+)\}\}/g)) {
      expect(output).toContain(placeholder[1]);
    }

    // runbook for docs/operations.md
    expect(rule.runbook.trigger.length).toBeGreaterThan(20);
    expect(rule.runbook.response.length).toBeGreaterThan(40);
  });

  it("maps the user as an Account by Entra object ID, and the caller's IP, on every gateway rule", () => {
    for (const rule of ANALYTICS_RULES) {
      const ipMapped = rule.entityMappings.some((m) => m.entityType === "IP");
      expect(ipMapped).toBe(true);
      const gatewayRule = readFileSync(path.join(SENTINEL_QUERIES_DIR, rule.queryFile), "utf8").includes(
        "{{> mcp-gateway-events}}",
      );
      const tokenRule = rule.id === "mcp-token-audience-issuer-failures"; // a refused token's claims are not trusted
      if (gatewayRule && !tokenRule) {
        expect(rule.entityMappings).toContainEqual({
          entityType: "Account",
          fieldMappings: [{ identifier: "AadUserId", columnName: "Oid" }],
        });
      }
    }
  });

  it("covers the threats issue 7 asks for", () => {
    expect(ANALYTICS_RULES.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        "mcp-token-audience-issuer-failures",
        "mcp-session-hijack",
        "mcp-tool-abuse-enumeration",
        "mcp-prompt-shield-detections",
        "keyvault-unexpected-secret-read",
        "apim-config-change-outside-ci",
      ]),
    );
  });

  it("renders config lists as KQL literals and keeps fail-safe defaults", () => {
    const ci = ANALYTICS_RULES.find((r) => r.id === "apim-config-change-outside-ci")!;
    expect(scheduledAlertRuleInputs(ci, DETECTION).query).toContain(
      'let CiPrincipals = dynamic(["11111111-1111-1111-1111-111111111111"]);',
    );
    expect(scheduledAlertRuleInputs(ci).query).toContain("let CiPrincipals = dynamic([]);");
    const tools = ANALYTICS_RULES.find((r) => r.id === "mcp-tool-abuse-enumeration")!;
    expect(scheduledAlertRuleInputs(tools, DETECTION, { minRefusedCalls: 3 }).query).toContain(
      "RefusedCalls >= 3",
    );
  });
});
