import * as path from "node:path";
import type { IsoDuration } from "../conventions/duration";
import { type KqlParams, loadKqlFile } from "../conventions/kql";
import { clonePlain, type DeepMutable } from "../conventions/plain";

/**
 * Azure Monitor log alert rules (`monitor:ScheduledQueryRule`, kind LogAlert) for the MCP gateway:
 * a pure catalogue the monitoring component turns into resources. Each rule's KQL lives in
 * `queries/<queryFile>`; `docs/operations.md` lists what triggers each rule and what the responder does.
 */

export const QUERIES_DIR = path.join(__dirname, "queries");

/**
 * Criteria operators as the scheduledQueryRules API spells them. Do not use azure-native's
 * `enums.monitor.ConditionOperator` here: in 3.28 that enum holds another API's values ("gt", "eq").
 */
export type AlertOperator = "GreaterThan" | "GreaterThanOrEqual" | "LessThan" | "LessThanOrEqual" | "Equals";
export type AlertAggregation = "Count" | "Total" | "Average" | "Minimum" | "Maximum";
/** 0 is the most severe (Critical), 4 the least (Verbose). */
export type AlertSeverity = 0 | 1 | 2 | 3 | 4;

export interface AlertRuleDefinition {
  /** Stable kebab-case ID; the component derives the resource name from it. */
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly severity: AlertSeverity;
  /** File name under `queries/`. */
  readonly queryFile: string;
  /** Defaults for the query's `{{name}}` placeholders; callers may override. */
  readonly parameters: KqlParams;
  /** How often the rule runs. */
  readonly evaluationFrequency: IsoDuration;
  /** Time range each run queries (the aggregation granularity). */
  readonly windowSize: IsoDuration;
  /** `Count` counts result rows; other aggregations need `metricMeasureColumn`. */
  readonly timeAggregation: AlertAggregation;
  readonly metricMeasureColumn?: string;
  readonly operator: AlertOperator;
  readonly threshold: number;
  /** Result columns that split the alert (one alert instance per value), e.g. per user. */
  readonly dimensions: readonly string[];
  /** Stateful alerts resolve themselves and do not re-notify while still firing. */
  readonly autoMitigate: boolean;
  /** For stateless rules whose window overlaps the next run: silence the duplicate notification. */
  readonly muteActionsDuration?: IsoDuration;
  /** Runbook text rendered into docs/operations.md. */
  readonly runbook: { readonly trigger: string; readonly response: string };
}

export const ALERT_RULES: readonly AlertRuleDefinition[] = [
  {
    id: "gateway-auth-denials-spike",
    displayName: "MCP gateway: spike of 401/403 refusals",
    description:
      "More than 100 requests refused with 401 (token missing or invalid) or 403 (scope, role, tool, session, origin) on one API within 5 minutes.",
    severity: 2,
    queryFile: "auth-denials-spike.kql",
    parameters: {},
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    timeAggregation: "Count",
    operator: "GreaterThan",
    threshold: 100,
    dimensions: ["ApiId"],
    autoMitigate: true,
    runbook: {
      trigger: "More than 100 responses with status 401 or 403 on one API in 5 minutes.",
      response:
        "Open the gateway workbook (Denials by reason) to see which reason dominates. token_invalid from many IPs: check for a client release with a wrong audience or an expired app secret; from one IP: block it at the WAF. insufficient_scope or missing_role: check recent app-role or group changes in Entra ID. Escalate to Sentinel if the MCP token or session analytics rules fire at the same time.",
    },
  },
  {
    id: "gateway-rate-limit-flood",
    displayName: "MCP gateway: flood of 429 throttling",
    description:
      "More than 200 requests throttled (rate-limit-by-key or quota-by-key on the validated oid) on one API within 5 minutes.",
    severity: 3,
    queryFile: "rate-limit-flood.kql",
    parameters: {},
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    timeAggregation: "Count",
    operator: "GreaterThan",
    threshold: 200,
    dimensions: ["ApiId"],
    autoMitigate: true,
    runbook: {
      trigger: "More than 200 responses with status 429 on one API in 5 minutes.",
      response:
        "Find the throttled users in the workbook (Most-refused callers, reason rate_limited). One user: contact the owner, look for a runaway agent loop; disable the user's access if it is abusive. Many users: the limits may be too low for real load; raise gatewayPolicy.rateLimits through a reviewed change, never in the portal.",
    },
  },
  {
    id: "edge-waf-blocks",
    displayName: "MCP edge: WAF blocking requests",
    description:
      "More than 25 requests from one client IP blocked by the Application Gateway WAF within 5 minutes.",
    severity: 2,
    queryFile: "waf-blocks.kql",
    parameters: {},
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    timeAggregation: "Count",
    operator: "GreaterThan",
    threshold: 25,
    dimensions: ["ClientIp"],
    autoMitigate: true,
    runbook: {
      trigger: "More than 25 WAF blocks (Action Blocked) from one client IP in 5 minutes.",
      response:
        "Look up the RuleId values in AGWFirewallLogs for the IP. Scanner or exploit attempts: add the IP (or range) to a WAF custom block rule and check whether the same IP reached API Management before the block. A legitimate client tripping a rule: raise a false-positive exclusion through a reviewed change to the WAF policy.",
    },
  },
  {
    id: "gateway-session-binding-refusals",
    displayName: "MCP gateway: session-binding refusals",
    description:
      "A user presented an MCP session owned by another user (session_owner_mismatch, answered 404), or many unknown session IDs (404 session_unknown), within 15 minutes.",
    severity: 1,
    queryFile: "session-binding-refusals.kql",
    parameters: { minUnknownSessions: 20 },
    evaluationFrequency: "PT5M",
    windowSize: "PT15M",
    timeAggregation: "Count",
    operator: "GreaterThan",
    threshold: 0,
    dimensions: ["Oid"],
    autoMitigate: true,
    runbook: {
      trigger:
        "Any session_owner_mismatch refusal, or at least 20 session_unknown refusals for one user, in 15 minutes.",
      response:
        "Treat session_owner_mismatch as a possible hijack: the Oid in the alert presented someone else's session ID. Check the Sentinel incident from the session-hijack rule, identify the session owner (same SessionHash with another Oid), revoke both users' sessions in Entra ID and ask how the session ID left the client. session_unknown alone: usually a client reusing IDs after the session TTL; contact the client owner.",
    },
  },
  {
    id: "gateway-unknown-tool-refusals",
    displayName: "MCP gateway: calls to unknown tools",
    description: "A user called at least 5 tools that are not on the gateway's allowlist within 15 minutes.",
    severity: 2,
    queryFile: "unknown-tool-refusals.kql",
    parameters: { minRefusals: 5 },
    evaluationFrequency: "PT5M",
    windowSize: "PT15M",
    timeAggregation: "Count",
    operator: "GreaterThan",
    threshold: 0,
    dimensions: ["Oid"],
    autoMitigate: true,
    runbook: {
      trigger: "At least 5 unknown_tool refusals for one user in 15 minutes.",
      response:
        "Compare the Tools list with the server's real tool list. Names of tools that exist on the backend but are not allowlisted: a client or server release is ahead of the allowlist; fix it through a reviewed config change. Random or probing names: treat as enumeration, check the tool-abuse Sentinel incident and consider disabling the user.",
    },
  },
  {
    id: "keyvault-access-denied",
    displayName: "Key Vault: access denied",
    description:
      "Key Vault answered 403 (authenticated caller without permission, or a request from outside the network rules).",
    severity: 2,
    queryFile: "keyvault-access-denied.kql",
    parameters: {},
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    timeAggregation: "Count",
    operator: "GreaterThan",
    threshold: 0,
    dimensions: ["CallerOid"],
    autoMitigate: true,
    runbook: {
      trigger: "Any HTTP 403 in the Key Vault audit log.",
      response:
        "Identify CallerOid (Entra ID > Enterprise applications or Users). One of our managed identities: a role assignment or network rule is missing, and the gateway or a workload will fail at its next secret refresh; fix it in code and redeploy. Anyone else: check what they tried (OperationName), whether any request succeeded, and follow the Key Vault secret-read incident playbook.",
    },
  },
  {
    id: "keyvault-expiry",
    displayName: "Key Vault: key, secret or certificate near expiry",
    description:
      "Key Vault published a near-expiry or expired notification for a key, secret or certificate.",
    severity: 2,
    queryFile: "keyvault-expiry.kql",
    parameters: {},
    evaluationFrequency: "PT1H",
    windowSize: "PT2H",
    timeAggregation: "Count",
    operator: "GreaterThan",
    threshold: 0,
    dimensions: [],
    autoMitigate: false,
    // The 2-hour window overlaps the next hourly run to tolerate ingestion delay; mute the repeat.
    muteActionsDuration: "PT2H",
    runbook: {
      trigger:
        "Any KeyNearExpiry, SecretNearExpiry, CertificateNearExpiry (or *Expired) event in the Key Vault audit log.",
      response:
        "Check ObjectUri. Keys with a rotation policy rotate themselves: confirm a new version exists and that the disk/storage encryption picked it up. Secrets: rotate the value at its source, then `pulumi config set --secret` and redeploy (API Management picks up new named-value versions within 4 hours). Expired: treat as an outage and rotate immediately.",
    },
  },
];

/** Reads a query file from `queries/` and renders it with `params` (missing parameters throw). */
export function loadQuery(file: string, params: KqlParams = {}): string {
  return loadKqlFile(path.join(QUERIES_DIR, file), params);
}

/** The criteria condition of a log alert, shaped like azure-native's `monitor.ConditionArgs`. */
export interface LogAlertCondition {
  readonly query: string;
  readonly timeAggregation: AlertAggregation;
  readonly metricMeasureColumn?: string;
  readonly operator: AlertOperator;
  readonly threshold: number;
  readonly dimensions: readonly {
    readonly name: string;
    readonly operator: "Include";
    readonly values: readonly string[];
  }[];
  readonly failingPeriods: {
    readonly numberOfEvaluationPeriods: number;
    readonly minFailingPeriodsToAlert: number;
  };
}

interface ScheduledQueryRuleSpec {
  readonly kind: "LogAlert";
  readonly displayName: string;
  readonly description: string;
  readonly severity: AlertSeverity;
  readonly enabled: boolean;
  readonly evaluationFrequency: IsoDuration;
  readonly windowSize: IsoDuration;
  readonly autoMitigate: boolean;
  readonly muteActionsDuration?: IsoDuration;
  readonly criteria: { readonly allOf: readonly LogAlertCondition[] };
}

/**
 * Inputs for `monitor.ScheduledQueryRule` except the deployment-specific ones the component adds:
 * resourceGroupName, location, scopes (the workspace ID), actions (the action group ID) and tags.
 */
export type ScheduledQueryRuleInputs = DeepMutable<ScheduledQueryRuleSpec>;

/** Renders one catalogue entry into ScheduledQueryRule inputs; `params` override the rule's defaults. */
export function scheduledQueryRuleInputs(
  rule: AlertRuleDefinition,
  params: KqlParams = {},
): ScheduledQueryRuleInputs {
  const condition: LogAlertCondition = {
    query: loadQuery(rule.queryFile, { ...rule.parameters, ...params }),
    timeAggregation: rule.timeAggregation,
    ...(rule.metricMeasureColumn === undefined ? {} : { metricMeasureColumn: rule.metricMeasureColumn }),
    operator: rule.operator,
    threshold: rule.threshold,
    dimensions: rule.dimensions.map((name) => ({ name, operator: "Include" as const, values: ["*"] })),
    failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
  };
  return clonePlain<ScheduledQueryRuleSpec>({
    kind: "LogAlert",
    displayName: rule.displayName,
    description: rule.description,
    severity: rule.severity,
    enabled: true,
    evaluationFrequency: rule.evaluationFrequency,
    windowSize: rule.windowSize,
    autoMitigate: rule.autoMitigate,
    ...(rule.muteActionsDuration === undefined ? {} : { muteActionsDuration: rule.muteActionsDuration }),
    criteria: { allOf: [condition] },
  });
}

// ---------------------------------------------------------------------------------------------
// Action group
// ---------------------------------------------------------------------------------------------

export interface ActionGroupOptions {
  /** `monitoring.alertEmails` from the stack config. */
  readonly emails: readonly string[];
  /**
   * Webhook endpoints (ITSM, chat). Their URLs usually embed a token: pass them from secret config
   * and keep the resulting resource input secret.
   */
  readonly webhooks?: readonly { readonly name: string; readonly serviceUri: string }[];
}

interface ActionGroupSpec {
  readonly groupShortName: string;
  readonly enabled: boolean;
  readonly emailReceivers: readonly {
    readonly name: string;
    readonly emailAddress: string;
    readonly useCommonAlertSchema: boolean;
  }[];
  readonly webhookReceivers: readonly {
    readonly name: string;
    readonly serviceUri: string;
    readonly useCommonAlertSchema: boolean;
  }[];
}

/** Inputs for `monitor.ActionGroup` except resourceGroupName, location and tags. */
export type ActionGroupInputs = DeepMutable<ActionGroupSpec>;

/** Short name shown in SMS/e-mail notifications; Azure allows at most 12 characters. */
export const ACTION_GROUP_SHORT_NAME = "mcpgw-sec";

export function actionGroupInputs(options: ActionGroupOptions): ActionGroupInputs {
  if (options.emails.length === 0) throw new Error("the action group needs at least one e-mail receiver");
  return clonePlain<ActionGroupSpec>({
    groupShortName: ACTION_GROUP_SHORT_NAME,
    enabled: true,
    emailReceivers: options.emails.map((emailAddress, index) => ({
      name: `email-${index + 1}`,
      emailAddress,
      useCommonAlertSchema: true,
    })),
    webhookReceivers: (options.webhooks ?? []).map((hook) => ({
      name: hook.name,
      serviceUri: hook.serviceUri,
      useCommonAlertSchema: true,
    })),
  });
}
