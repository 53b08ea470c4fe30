import type { Output } from "@pulumi/pulumi";
import type { AutomationRuleArgs } from "@pulumi/azure-native/securityinsights";
import {
  automationRuleInputs,
  containmentRuleInputs,
  INCIDENT_LABELS,
} from "../../infra/sentinel/automation-rule";

const RULE_IDS = [
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/alertRules/a",
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/alertRules/b",
];
const PLAYBOOK = {
  logicAppResourceId: "/subscriptions/s/resourceGroups/soc/providers/Microsoft.Logic/workflows/mcp-contain",
  tenantId: "00000000-0000-0000-0000-000000000000",
};

// Compile-time: plain IDs and Outputs (the rules' `id`) both give valid AutomationRule args.
type Args = Omit<AutomationRuleArgs, "resourceGroupName" | "workspaceName">;
const _plain: Args = automationRuleInputs({ analyticsRuleIds: RULE_IDS });
declare const outputIds: Output<string>[];
const _fromOutputs = (): Args => containmentRuleInputs({ analyticsRuleIds: outputIds, playbook: PLAYBOOK });

describe("incident automation rule", () => {
  it("labels and assigns every incident from the analytics rules", () => {
    const rule = automationRuleInputs({
      analyticsRuleIds: RULE_IDS,
      owner: { objectId: "33333333-3333-3333-3333-333333333333", ownerType: "Group" },
    });
    expect(rule.triggeringLogic).toEqual({
      isEnabled: true,
      triggersOn: "Incidents",
      triggersWhen: "Created",
      conditions: [
        {
          conditionType: "Property",
          conditionProperties: {
            propertyName: "IncidentRelatedAnalyticRuleIds",
            operator: "Contains",
            propertyValues: RULE_IDS,
          },
        },
      ],
    });
    expect(rule.actions).toEqual([
      {
        order: 1,
        actionType: "ModifyProperties",
        actionConfiguration: {
          labels: INCIDENT_LABELS.map((labelName) => ({ labelName })),
          owner: { objectId: "33333333-3333-3333-3333-333333333333", ownerType: "Group" },
        },
      },
    ]);
    expect(rule.order).toBeGreaterThanOrEqual(1);
    expect(rule.order).toBeLessThanOrEqual(1000);
  });

  it("still labels incidents when no owner is configured", () => {
    const rule = automationRuleInputs({ analyticsRuleIds: RULE_IDS });
    expect(rule.actions[0]).toEqual({
      order: 1,
      actionType: "ModifyProperties",
      actionConfiguration: { labels: INCIDENT_LABELS.map((labelName) => ({ labelName })) },
    });
  });

  it("refuses a rule that would match no incident", () => {
    expect(() => automationRuleInputs({ analyticsRuleIds: [] })).toThrow(/at least one analytics rule/);
  });
});

describe("containment playbook hook", () => {
  it("runs the playbook only for High-severity incidents, after labelling", () => {
    const labelling = automationRuleInputs({ analyticsRuleIds: RULE_IDS });
    const containment = containmentRuleInputs({ analyticsRuleIds: RULE_IDS, playbook: PLAYBOOK });
    expect(containment.order).toBeGreaterThan(labelling.order);
    expect(containment.triggeringLogic.conditions).toContainEqual({
      conditionType: "Property",
      conditionProperties: { propertyName: "IncidentSeverity", operator: "Equals", propertyValues: ["High"] },
    });
    expect(containment.actions).toEqual([
      { order: 1, actionType: "RunPlaybook", actionConfiguration: PLAYBOOK },
    ]);
  });
});
