/**
 * Sentinel automation rules for incidents raised by this deployment's analytics rules. Pure: the
 * sentinel component passes the analytics rules' resource IDs (Outputs are fine: `Id` is generic).
 *
 * - `automationRuleInputs`: every such incident is labelled and assigned to the SOC owner.
 * - `containmentRuleInputs` (the playbook hook): High-severity incidents also run the containment
 *   playbook, a Logic App with a Microsoft Sentinel incident trigger that, for the incident's Account
 *   entities, removes the user from the gateway's access groups and revokes their sign-in sessions
 *   (docs/operations.md, "Containment playbook"). Sentinel needs the "Microsoft Sentinel Automation
 *   Contributor" role on the playbook's resource group to run it. Deploy it only once the playbook exists.
 */

export const INCIDENT_LABELS = ["mcp-gateway", "auto-triaged"] as const;

export interface IncidentOwner {
  /** Entra object ID of the SOC user or group that owns MCP incidents. */
  readonly objectId: string;
  readonly ownerType: "User" | "Group";
}

export interface PlaybookHook {
  /** ARM ID of the containment Logic App (Microsoft.Logic/workflows). */
  readonly logicAppResourceId: string;
  readonly tenantId: string;
}

export interface AutomationRuleOptions<Id> {
  /** Resource IDs of the analytics rules whose incidents this rule handles. */
  readonly analyticsRuleIds: readonly Id[];
  readonly owner?: IncidentOwner;
}

interface ModifyPropertiesAction {
  readonly order: number;
  readonly actionType: "ModifyProperties";
  readonly actionConfiguration: {
    readonly labels: { readonly labelName: string }[];
    readonly owner?: IncidentOwner;
  };
}

interface RunPlaybookAction {
  readonly order: number;
  readonly actionType: "RunPlaybook";
  readonly actionConfiguration: PlaybookHook;
}

type PropertyCondition<Id> =
  | {
      readonly conditionType: "Property";
      readonly conditionProperties: {
        readonly propertyName: "IncidentRelatedAnalyticRuleIds";
        readonly operator: "Contains";
        readonly propertyValues: Id[];
      };
    }
  | {
      readonly conditionType: "Property";
      readonly conditionProperties: {
        readonly propertyName: "IncidentSeverity";
        readonly operator: "Equals";
        readonly propertyValues: ("High" | "Medium" | "Low" | "Informational")[];
      };
    };

/** Inputs for `securityinsights.AutomationRule` except resourceGroupName and workspaceName. */
export interface AutomationRuleInputs<Id> {
  readonly displayName: string;
  /** Lower runs first; leaves room for SOC-wide rules before it. */
  readonly order: number;
  readonly triggeringLogic: {
    readonly isEnabled: boolean;
    readonly triggersOn: "Incidents";
    readonly triggersWhen: "Created";
    readonly conditions: PropertyCondition<Id>[];
  };
  readonly actions: (ModifyPropertiesAction | RunPlaybookAction)[];
}

export const AUTOMATION_RULE_DISPLAY_NAME = "MCP gateway: label and assign";
export const CONTAINMENT_RULE_DISPLAY_NAME = "MCP gateway: contain High-severity incidents";

function fromRules<Id>(analyticsRuleIds: readonly Id[]): PropertyCondition<Id> {
  if (analyticsRuleIds.length === 0) {
    throw new Error("an automation rule needs at least one analytics rule ID to match incidents");
  }
  return {
    conditionType: "Property",
    conditionProperties: {
      propertyName: "IncidentRelatedAnalyticRuleIds",
      operator: "Contains",
      propertyValues: [...analyticsRuleIds],
    },
  };
}

/** Labels every incident from the given rules and assigns it to the owner (when one is configured). */
export function automationRuleInputs<Id>(options: AutomationRuleOptions<Id>): AutomationRuleInputs<Id> {
  return {
    displayName: AUTOMATION_RULE_DISPLAY_NAME,
    order: 100,
    triggeringLogic: {
      isEnabled: true,
      triggersOn: "Incidents",
      triggersWhen: "Created",
      conditions: [fromRules(options.analyticsRuleIds)],
    },
    actions: [
      {
        order: 1,
        actionType: "ModifyProperties",
        actionConfiguration: {
          labels: INCIDENT_LABELS.map((labelName) => ({ labelName })),
          ...(options.owner === undefined ? {} : { owner: options.owner }),
        },
      },
    ],
  };
}

/**
 * The playbook hook: runs the containment playbook on High-severity incidents from the given rules.
 * Ordered after the labelling rule so the playbook sees the owner and labels.
 */
export function containmentRuleInputs<Id>(options: {
  readonly analyticsRuleIds: readonly Id[];
  readonly playbook: PlaybookHook;
}): AutomationRuleInputs<Id> {
  return {
    displayName: CONTAINMENT_RULE_DISPLAY_NAME,
    order: 110,
    triggeringLogic: {
      isEnabled: true,
      triggersOn: "Incidents",
      triggersWhen: "Created",
      conditions: [
        fromRules(options.analyticsRuleIds),
        {
          conditionType: "Property",
          conditionProperties: {
            propertyName: "IncidentSeverity",
            operator: "Equals",
            propertyValues: ["High"],
          },
        },
      ],
    },
    actions: [{ order: 1, actionType: "RunPlaybook", actionConfiguration: options.playbook }],
  };
}
