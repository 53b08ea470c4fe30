import { planResources } from "../../policies/check/plan";
import { days, minutes, parseIsoDuration } from "../../infra/conventions/duration";
import { isGuid } from "../../infra/conventions/uuid";
import { ANALYTICS_RULES, ATTACK_TACTICS } from "../../infra/sentinel/analytics-rules";
import {
  AUTOMATION_RULE_DISPLAY_NAME,
  CONTAINMENT_RULE_DISPLAY_NAME,
  INCIDENT_LABELS,
} from "../../infra/sentinel/automation-rule";
import { deterministicGuid } from "../../tools/offline/ids";
import { idOf, logicalName, only, stackConfig, text } from "../monitoring/plan-helpers";
import { inputAt, previewVariant, resourceNamed, resourcesOfType, stackPlan, STACKS } from "../support/plans";

const T = {
  onboarding: "azure-native:securityinsights:SentinelOnboardingState",
  rule: "azure-native:securityinsights:ScheduledAlertRule",
  automation: "azure-native:securityinsights:AutomationRule",
  workspace: "azure-native:operationalinsights:Workspace",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
} as const;

const SEVERITIES = ["High", "Medium", "Low", "Informational"];
const PLAYBOOK_ID =
  "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-soc/providers/Microsoft.Logic/workflows/mcp-contain";
const OWNER = "33333333-3333-4333-8333-333333333333";

interface Condition {
  conditionType: string;
  conditionProperties: { propertyName: string; operator: string; propertyValues: string[] };
}

describe.each(STACKS)("Sentinel in the %s stack", (stack) => {
  const plan = stackPlan(stack);
  const config = stackConfig(stack);
  const workspace = only(plan, T.workspace);
  const workspaceName = String(inputAt(workspace, "workspaceName"));

  if (!config.features.sentinel) {
    it("is absent", () => expect(resourcesOfType(plan, T.onboarding)).toEqual([]));
    return;
  }
  const onboarding = only(plan, T.onboarding);
  const rules = resourcesOfType(plan, T.rule);
  const automation = resourcesOfType(plan, T.automation);

  it("onboards the monitoring workspace", () => {
    expect(inputAt(onboarding, "sentinelOnboardingStateName")).toBe("default");
    expect(inputAt(onboarding, "workspaceName")).toBe(workspaceName);
    expect(onboarding.dependencies).toContain(workspace.urn);
  });

  it("has one scheduled analytics rule per catalogue entry, with stable unique GUIDs", () => {
    expect(rules.map(logicalName).sort()).toEqual(ANALYTICS_RULES.map((rule) => `rule-${rule.id}`).sort());
    const ids = rules.map((rule) => String(inputAt(rule, "ruleId")));
    for (const id of ids) expect(isGuid(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(ANALYTICS_RULES.map((rule) => [rule.id, rule] as const))(
    "%s has tactics, severity, entity mappings and a schedule in range",
    (id, definition) => {
      const rule = rules.find((candidate) => logicalName(candidate) === `rule-${id}`)!;
      expect(inputAt(rule, "kind")).toBe("Scheduled");
      expect(inputAt(rule, "enabled")).toBe(true);
      expect(inputAt(rule, "workspaceName")).toBe(workspaceName);
      expect(inputAt(rule, "displayName")).toBe(definition.displayName);
      expect(SEVERITIES).toContain(inputAt(rule, "severity"));
      const tactics = inputAt(rule, "tactics") as string[];
      expect(tactics.length).toBeGreaterThan(0);
      for (const tactic of tactics) expect(ATTACK_TACTICS).toContain(tactic);
      const mappings = inputAt(rule, "entityMappings") as { entityType: string; fieldMappings: unknown[] }[];
      expect(mappings.length).toBeGreaterThan(0);
      for (const mapping of mappings) expect(mapping.fieldMappings.length).toBeGreaterThan(0);
      const frequency = parseIsoDuration(String(inputAt(rule, "queryFrequency")));
      const period = parseIsoDuration(String(inputAt(rule, "queryPeriod")));
      for (const value of [frequency, period]) {
        expect(value).toBeGreaterThanOrEqual(minutes(5));
        expect(value).toBeLessThanOrEqual(days(14));
      }
      expect(frequency).toBeLessThanOrEqual(period);
      const query = String(inputAt(rule, "query"));
      expect(query.length).toBeGreaterThan(0);
      expect(query).not.toContain("{{");
      expect(rule.dependencies).toContain(onboarding.urn);
    },
  );

  it("renders the detection lists from the identity component's principals", () => {
    const ciPrincipal = idOf(resourceNamed(plan, T.servicePrincipal, "identity-ci-sp"));
    const gatewayPrincipal = deterministicGuid(
      `${idOf(resourceNamed(plan, T.identity, "identity-mi-gateway"))}/principal`,
    );
    const query = (id: string) =>
      String(
        inputAt(
          rules.find((rule) => logicalName(rule) === `rule-${id}`)!,
          "query",
        ),
      );
    expect(query("apim-config-change-outside-ci")).toContain(`"${ciPrincipal}"`);
    expect(query("keyvault-unexpected-secret-read")).toContain(`"${gatewayPrincipal}"`);
  });

  it("labels and assigns every incident of those rules, after onboarding", () => {
    expect(automation).toHaveLength(config.monitoring.containmentPlaybookId ? 2 : 1);
    const labelling = automation.find((rule) => logicalName(rule) === "label-and-assign")!;
    expect(isGuid(String(inputAt(labelling, "automationRuleId")))).toBe(true);
    expect(inputAt(labelling, "displayName")).toBe(AUTOMATION_RULE_DISPLAY_NAME);
    expect(inputAt(labelling, "workspaceName")).toBe(workspaceName);
    const [condition] = inputAt(labelling, "triggeringLogic.conditions") as Condition[];
    expect(condition?.conditionProperties.propertyName).toBe("IncidentRelatedAnalyticRuleIds");
    expect([...(condition?.conditionProperties.propertyValues ?? [])].sort()).toEqual(rules.map(idOf).sort());
    expect(text(inputAt(labelling, "actions"))).toContain(INCIDENT_LABELS[0]);
    expect(labelling.dependencies).toContain(onboarding.urn);
  });
});

describe("Sentinel options", () => {
  let withOwnerAndPlaybook: ReturnType<typeof previewVariant>;
  let disabled: ReturnType<typeof previewVariant>;
  beforeAll(() => {
    withOwnerAndPlaybook = previewVariant("dev", (config) => {
      const monitoring = config["mcp-azure-gateway:monitoring"] as Record<string, unknown>;
      monitoring["incidentOwnerObjectId"] = OWNER;
      monitoring["containmentPlaybookId"] = PLAYBOOK_ID;
    });
    disabled = previewVariant("dev", (config) => {
      const features = config["mcp-azure-gateway:features"] as Record<string, unknown>;
      features["sentinel"] = false;
    });
  });

  it("assigns incidents to the configured owner and runs the containment playbook on High incidents", () => {
    const plan = withOwnerAndPlaybook.plan!;
    expect(plan).toBeDefined();
    const automation = resourcesOfType(plan, T.automation);
    const labelling = automation.find((rule) => logicalName(rule) === "label-and-assign")!;
    expect(text(inputAt(labelling, "actions"))).toContain(`"objectId":"${OWNER}"`);
    const containment = automation.find((rule) => logicalName(rule) === "containment")!;
    expect(inputAt(containment, "displayName")).toBe(CONTAINMENT_RULE_DISPLAY_NAME);
    expect(inputAt(containment, "actions")).toEqual([
      {
        order: 1,
        actionType: "RunPlaybook",
        actionConfiguration: { logicAppResourceId: PLAYBOOK_ID, tenantId: stackConfig("dev").tenantId },
      },
    ]);
    expect(text(inputAt(containment, "triggeringLogic.conditions"))).toContain('"IncidentSeverity"');
    expect(Number(inputAt(containment, "order"))).toBeGreaterThan(Number(inputAt(labelling, "order")));
  });

  it("creates no Sentinel resource when features.sentinel is false, and keeps the monitoring", () => {
    const plan = disabled.plan!;
    expect(plan).toBeDefined();
    expect(
      planResources(plan).filter((resource) => resource.type.startsWith("azure-native:securityinsights:")),
    ).toEqual([]);
    expect(resourcesOfType(plan, T.workspace)).toHaveLength(1);
  });
});
