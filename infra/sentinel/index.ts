import * as pulumi from "@pulumi/pulumi";
import * as securityinsights from "@pulumi/azure-native/securityinsights";
import type { NamingContext } from "../conventions/naming";
import { stableUuid } from "../conventions/uuid";
import { ANALYTICS_RULES, scheduledAlertRuleInputs, type DetectionParameters } from "./analytics-rules";
import { automationRuleInputs, containmentRuleInputs, type IncidentOwner } from "./automation-rule";

export * from "./analytics-rules";
export * from "./automation-rule";

/** Config-derived detection lists; the principal IDs are Outputs of the identity component. */
export interface SentinelDetectionArgs {
  /** Object IDs of the CI service principal(s) allowed to change API Management. */
  readonly ciPrincipalObjectIds: readonly pulumi.Input<string>[];
  /** Object IDs of the identities expected to read Key Vault secrets. */
  readonly expectedSecretReaders: readonly pulumi.Input<string>[];
  /** Tool names whose bursts are suspicious even when allowed. */
  readonly privilegedTools: readonly string[];
}

export interface SentinelArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  /** Seeds the rule and automation rule IDs (stable GUIDs per environment). */
  readonly naming: NamingContext;
  /** The monitoring component's workspace name (an Output: it carries the dependency on the workspace). */
  readonly workspaceName: pulumi.Input<string>;
  /** Tenant of the containment playbook. */
  readonly tenantId: string;
  readonly detection: SentinelDetectionArgs;
  /** `monitoring.incidentOwnerObjectId`: the SOC owner incidents are assigned to. */
  readonly incidentOwnerObjectId?: string;
  /** Whether that object ID is a user or a group (config does not say; a SOC group is the usual owner). */
  readonly incidentOwnerType?: IncidentOwner["ownerType"];
  /** `monitoring.containmentPlaybookId`: adds the High-severity containment automation rule. */
  readonly containmentPlaybookId?: string;
}

/**
 * Microsoft Sentinel on the monitoring workspace: onboarding, one scheduled analytics rule per
 * `ANALYTICS_RULES` entry, an automation rule that labels and assigns their incidents and, when a
 * playbook is configured, the containment hook. Data connectors that need subscription or tenant rights
 * (Azure Activity, Entra ID) are documented steps (docs/operations.md), not resources.
 */
export class Sentinel extends pulumi.ComponentResource {
  readonly onboardingStateId: pulumi.Output<string>;
  /** Analytics rule ID (catalogue `id`) -> resource ID. */
  readonly analyticsRuleIds: Readonly<Record<string, pulumi.Output<string>>>;
  readonly automationRuleIds: readonly pulumi.Output<string>[];

  constructor(name: string, args: SentinelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:sentinel:Sentinel", name, {}, opts);
    const { resourceGroupName, workspaceName, naming } = args;
    const workspace = { resourceGroupName, workspaceName };
    const seed = naming.uniquenessSeed;

    const onboarding = new securityinsights.SentinelOnboardingState(
      "onboarding",
      { ...workspace, sentinelOnboardingStateName: "default", customerManagedKey: false },
      { parent: this },
    );
    this.onboardingStateId = onboarding.id;
    const afterOnboarding = { parent: this, dependsOn: [onboarding] };

    // The lists come from the identity component (Outputs): render each query once they are known.
    const detection = pulumi
      .all([
        pulumi.all([...args.detection.ciPrincipalObjectIds]),
        pulumi.all([...args.detection.expectedSecretReaders]),
      ])
      .apply(([ciPrincipalObjectIds, expectedSecretReaders]): DetectionParameters => ({
        ciPrincipalObjectIds,
        expectedSecretReaders,
        privilegedTools: [...args.detection.privilegedTools],
      }));

    const ruleIds: Record<string, pulumi.Output<string>> = {};
    for (const rule of ANALYTICS_RULES) {
      const { query: _defaultQuery, ...inputs } = scheduledAlertRuleInputs(rule);
      const alertRule = new securityinsights.ScheduledAlertRule(
        `rule-${rule.id}`,
        {
          ...workspace,
          ruleId: stableUuid(["sentinel-analytics-rule", seed, rule.id]),
          ...inputs,
          query: detection.apply((parameters) => scheduledAlertRuleInputs(rule, parameters).query),
        },
        afterOnboarding,
      );
      ruleIds[rule.id] = alertRule.id;
    }
    this.analyticsRuleIds = ruleIds;
    const analyticsRuleIds = Object.values(ruleIds);

    const owner: IncidentOwner | undefined =
      args.incidentOwnerObjectId === undefined
        ? undefined
        : { objectId: args.incidentOwnerObjectId, ownerType: args.incidentOwnerType ?? "Group" };
    const automation = [
      new securityinsights.AutomationRule(
        "label-and-assign",
        {
          ...workspace,
          automationRuleId: stableUuid(["sentinel-automation-rule", seed, "label-and-assign"]),
          ...automationRuleInputs({ analyticsRuleIds, ...(owner ? { owner } : {}) }),
        },
        afterOnboarding,
      ),
    ];
    if (args.containmentPlaybookId !== undefined) {
      automation.push(
        new securityinsights.AutomationRule(
          "containment",
          {
            ...workspace,
            automationRuleId: stableUuid(["sentinel-automation-rule", seed, "containment"]),
            ...containmentRuleInputs({
              analyticsRuleIds,
              playbook: { logicAppResourceId: args.containmentPlaybookId, tenantId: args.tenantId },
            }),
          },
          afterOnboarding,
        ),
      );
    }
    this.automationRuleIds = automation.map((rule) => rule.id);

    this.registerOutputs({
      onboardingStateId: this.onboardingStateId,
      analyticsRuleIds: this.analyticsRuleIds,
      automationRuleIds: this.automationRuleIds,
    });
  }
}
