import { SEED } from "../lib/metadata";
import { asArray, get, ieq, isReferenceSet, isTrue, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

/** Managed rule sets that count as a core rule set (OWASP CRS or Microsoft's Default Rule Set). */
const CORE_RULE_SETS = ["OWASP", "Microsoft_DefaultRuleSet"];

export const edgeWaf = resourceRule({
  name: "network-edge-waf-prevention",
  area: "network",
  description:
    "The edge filters what it lets in: the Application Gateway has a WAF policy, and WAF policies are enabled in Prevention mode with " +
    "request body inspection and a core managed rule set (OWASP CRS or the Default Rule Set).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Attach `firewallPolicy: { id }` to the gateway; set the policy\'s `policySettings: { state: "Enabled", mode: "Prevention", ' +
    'requestBodyCheck: true }` and `managedRules.managedRuleSets: [{ ruleSetType: "OWASP", ruleSetVersion: "3.2" }]` (or DRS 2.1).',
  seedControls: [SEED.inputValidation, SEED.rateLimiting],
  azureBuiltins: [],
  resourceTypes: [T.applicationGateway, T.webApplicationFirewallPolicy],
  validate: (props, args, report) => {
    if (canonicalType(args.type) === T.applicationGateway) {
      if (!isReferenceSet(props, "firewallPolicy.id"))
        report("firewallPolicy.id must reference a WAF policy.");
      return;
    }
    const state = get(props, "policySettings.state");
    const mode = get(props, "policySettings.mode");
    if (!ieq(state, "Enabled")) report(`policySettings.state must be "Enabled" (got ${show(state)}).`);
    if (!ieq(mode, "Prevention")) report(`policySettings.mode must be "Prevention" (got ${show(mode)}).`);
    const bodyCheck = get(props, "policySettings.requestBodyCheck");
    if (!isTrue(bodyCheck)) report(`policySettings.requestBodyCheck must be true (got ${show(bodyCheck)}).`);
    const sets = asArray(get(props, "managedRules.managedRuleSets"));
    if (!sets.some((set) => CORE_RULE_SETS.some((name) => ieq(get(set, "ruleSetType"), name)))) {
      report(`managedRules.managedRuleSets must include ${CORE_RULE_SETS.join(" or ")}.`);
    }
  },
});
