import * as path from "node:path";
import type { IsoDuration } from "../conventions/duration";
import { type KqlParams, loadKqlFile } from "../conventions/kql";
import { clonePlain, type DeepMutable } from "../conventions/plain";

/**
 * Microsoft Sentinel scheduled analytics rules for MCP-specific threats, as a pure catalogue whose
 * rendered form uses azure-native's `securityinsights.ScheduledAlertRule` input names (API 2024-09-01).
 * The sentinel component adds resourceGroupName and workspaceName. Each query lives in `queries/`;
 * docs/operations.md lists what triggers each rule and what the responder does.
 */

export const SENTINEL_QUERIES_DIR = path.join(__dirname, "queries");

/** azure-native `enums.securityinsights.AttackTactic` values (a test keeps this list equal to the SDK's). */
export const ATTACK_TACTICS = [
  "Reconnaissance",
  "ResourceDevelopment",
  "InitialAccess",
  "Execution",
  "Persistence",
  "PrivilegeEscalation",
  "DefenseEvasion",
  "CredentialAccess",
  "Discovery",
  "LateralMovement",
  "Collection",
  "Exfiltration",
  "CommandAndControl",
  "Impact",
  "PreAttack",
  "ImpairProcessControl",
  "InhibitResponseFunction",
] as const;
export type AttackTactic = (typeof ATTACK_TACTICS)[number];

export type SentinelSeverity = "High" | "Medium" | "Low" | "Informational";

/**
 * MITRE ATT&CK (Enterprise) techniques the rules cite, with the tactics each belongs to. Sentinel takes
 * parent techniques only (`T1550`, not `T1550.004`); a test checks every cited technique has one of its
 * tactics on the rule.
 */
export const TECHNIQUE_TACTICS: Readonly<Record<string, readonly AttackTactic[]>> = {
  T1059: ["Execution"], // Command and Scripting Interpreter
  T1078: ["DefenseEvasion", "Persistence", "PrivilegeEscalation", "InitialAccess"], // Valid Accounts
  T1185: ["Collection"], // Browser Session Hijacking
  T1190: ["InitialAccess"], // Exploit Public-Facing Application
  T1526: ["Discovery"], // Cloud Service Discovery
  T1528: ["CredentialAccess"], // Steal Application Access Token
  T1550: ["DefenseEvasion", "LateralMovement"], // Use Alternate Authentication Material
  T1555: ["CredentialAccess"], // Credentials from Password Stores (.006 Cloud Secrets Management Stores)
  T1556: ["CredentialAccess", "DefenseEvasion", "Persistence"], // Modify Authentication Process
  T1562: ["DefenseEvasion"], // Impair Defenses
};

/** Entity types and identifiers the rules use (Sentinel entity reference: strong identifiers). */
export type EntityMapping =
  | {
      readonly entityType: "Account";
      readonly fieldMappings: readonly FieldMapping<"AadUserId" | "FullName" | "Name">[];
    }
  | { readonly entityType: "IP"; readonly fieldMappings: readonly FieldMapping<"Address">[] }
  | { readonly entityType: "AzureResource"; readonly fieldMappings: readonly FieldMapping<"ResourceId">[] }
  | { readonly entityType: "CloudApplication"; readonly fieldMappings: readonly FieldMapping<"AppId">[] };
export interface FieldMapping<Identifier extends string> {
  readonly identifier: Identifier;
  /** A column of the query's final `project`. */
  readonly columnName: string;
}

export interface GroupingConfiguration {
  readonly enabled: boolean;
  readonly reopenClosedIncident: boolean;
  /** How long after the first alert later alerts join the same incident (5 minutes to 7 days). */
  readonly lookbackDuration: IsoDuration;
  readonly matchingMethod: "AllEntities" | "AnyAlert" | "Selected";
  readonly groupByEntities: readonly EntityMapping["entityType"][];
}

/** Catalogue entry: ScheduledAlertRule inputs plus the query file, its parameters and the runbook. */
export interface AnalyticsRuleDefinition {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly severity: SentinelSeverity;
  readonly queryFile: string;
  readonly parameters: KqlParams;
  readonly queryFrequency: IsoDuration;
  readonly queryPeriod: IsoDuration;
  readonly triggerOperator: "GreaterThan";
  readonly triggerThreshold: number;
  readonly tactics: readonly AttackTactic[];
  readonly techniques: readonly string[];
  readonly entityMappings: readonly EntityMapping[];
  readonly customDetails: Readonly<Record<string, string>>;
  readonly alertDetailsOverride?: {
    readonly alertDisplayNameFormat?: string;
    readonly alertDescriptionFormat?: string;
    readonly alertSeverityColumnName?: string;
  };
  readonly eventGroupingSettings: { readonly aggregationKind: "AlertPerResult" | "SingleAlert" };
  /** Suppression stops the whole rule after an alert; only used where repeats add nothing. */
  readonly suppressionEnabled: boolean;
  readonly suppressionDuration: IsoDuration;
  readonly incidentConfiguration: {
    readonly createIncident: boolean;
    readonly groupingConfiguration: GroupingConfiguration;
  };
  readonly runbook: { readonly trigger: string; readonly response: string };
}

const account = (columnName: string): EntityMapping => ({
  entityType: "Account",
  fieldMappings: [{ identifier: "AadUserId", columnName }],
});
const ip = (columnName: string): EntityMapping => ({
  entityType: "IP",
  fieldMappings: [{ identifier: "Address", columnName }],
});
const azureResource = (columnName: string): EntityMapping => ({
  entityType: "AzureResource",
  fieldMappings: [{ identifier: "ResourceId", columnName }],
});

const groupBy = (
  entities: readonly EntityMapping["entityType"][],
  lookbackDuration: IsoDuration = "PT12H",
): AnalyticsRuleDefinition["incidentConfiguration"] => ({
  createIncident: true,
  groupingConfiguration: {
    enabled: true,
    reopenClosedIncident: false,
    lookbackDuration,
    matchingMethod: "Selected",
    groupByEntities: entities,
  },
});

export const ANALYTICS_RULES: readonly AnalyticsRuleDefinition[] = [
  {
    id: "mcp-token-audience-issuer-failures",
    displayName: "MCP: tokens for the wrong audience or issuer from one caller",
    description:
      "One client IP presented at least 10 access tokens that API Management refused for their audience or issuer within an hour: token replay, tokens stolen from another application, or confused-deputy probing.",
    severity: "Medium",
    queryFile: "token-audience-issuer-failures.kql",
    parameters: { minFailures: 10 },
    queryFrequency: "PT15M",
    queryPeriod: "PT1H",
    triggerOperator: "GreaterThan",
    triggerThreshold: 0,
    tactics: ["CredentialAccess", "DefenseEvasion", "LateralMovement"],
    techniques: ["T1528", "T1550"],
    entityMappings: [ip("ClientIp")],
    customDetails: {
      Failures: "Failures",
      AudienceFailures: "AudienceFailures",
      IssuerFailures: "IssuerFailures",
      Apis: "Apis",
    },
    alertDetailsOverride: {
      alertDisplayNameFormat: "MCP: {{Failures}} wrong-audience/issuer tokens from {{ClientIp}}",
    },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    suppressionEnabled: true,
    suppressionDuration: "PT1H",
    incidentConfiguration: groupBy(["IP"]),
    runbook: {
      trigger: "At least 10 tokens refused for audience or issuer (401) from one client IP within 1 hour.",
      response:
        "Decode nothing from the logs (tokens are never logged); use the IP. Check AGWAccessLogs for what else the IP requested and whether any request from it succeeded. Block the IP with a WAF custom rule if it is not a known client. If it is a known client, its token request uses the wrong resource/scope: fix the client configuration. If tokens from another of your applications are being replayed, rotate that application's credentials and revoke the affected users' sessions.",
    },
  },
  {
    id: "mcp-session-hijack",
    displayName: "MCP: session or task ID used by several users, or session sprawl",
    description:
      "An MCP session hash was presented by more than one user (session ID leaked or replayed), a user presented task IDs issued to someone else (2026-07-28 Tasks), or one user held an unusual number of sessions within an hour.",
    severity: "High",
    queryFile: "session-hijack.kql",
    parameters: { maxSessionsPerUser: 25, minForeignTaskRefusals: 3 },
    queryFrequency: "PT15M",
    queryPeriod: "PT1H",
    triggerOperator: "GreaterThan",
    triggerThreshold: 0,
    tactics: ["LateralMovement", "DefenseEvasion", "Collection"],
    techniques: ["T1550", "T1185"],
    entityMappings: [account("Oid"), ip("ClientIp")],
    customDetails: {
      Signal: "Signal",
      Sessions: "Sessions",
      OwnerMismatches: "OwnerMismatches",
      McpServers: "McpServers",
      SessionHashes: "SessionHashes",
    },
    alertDetailsOverride: { alertDisplayNameFormat: "MCP session anomaly ({{Signal}}) for {{Oid}}" },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    // High severity: never suppressed; incident grouping folds the overlapping runs into one incident.
    suppressionEnabled: false,
    suppressionDuration: "PT1H",
    incidentConfiguration: groupBy(["Account"], "P1D"),
    runbook: {
      trigger:
        "A session hash seen with two or more oids (including refused session_owner_mismatch attempts), one oid with at least 3 task_unbound refusals on 2026-07-28, or one oid with at least 25 sessions, within 1 hour.",
      response:
        "For session_shared_across_users: list every oid on the SessionHashes in the gateway logs; the first oid is normally the owner. Revoke sign-in sessions for all of them (Entra ID > user > Revoke sessions), run the containment playbook for the non-owners, and find how the session ID left the owner's client (logs, proxies, shared machines). For many_sessions_for_user: ask the user; an automated client without session reuse is benign, unknown clients mean token theft: revoke sessions and reset credentials. For task_not_issued_to_user: the gateway refused every such request; find where the task IDs came from (another user's client, logs, a shared agent) and treat the user as for session_shared_across_users.",
    },
  },
  {
    id: "mcp-tool-abuse-enumeration",
    displayName: "MCP: tool abuse or enumeration",
    description:
      "A user made repeated tools/call requests the gateway refused (unknown tool, missing role), tried many distinct refused tools, or called privileged tools in a burst within an hour.",
    severity: "Medium",
    queryFile: "tool-abuse-enumeration.kql",
    parameters: { minRefusedCalls: 10, minDistinctRefusedTools: 5, maxPrivilegedCalls: 50 },
    queryFrequency: "PT15M",
    queryPeriod: "PT1H",
    triggerOperator: "GreaterThan",
    triggerThreshold: 0,
    tactics: ["Discovery", "Execution", "PrivilegeEscalation"],
    techniques: ["T1526", "T1059", "T1078"],
    entityMappings: [account("Oid"), ip("ClientIp")],
    customDetails: {
      RefusedCalls: "RefusedCalls",
      DistinctRefusedTools: "DistinctRefusedTools",
      PrivilegedCalls: "PrivilegedCalls",
      RefusedTools: "RefusedTools",
      McpServers: "McpServers",
    },
    alertDetailsOverride: {
      alertDisplayNameFormat: "MCP tool abuse by {{Oid}}: {{RefusedCalls}} refused calls",
    },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    suppressionEnabled: true,
    suppressionDuration: "PT1H",
    incidentConfiguration: groupBy(["Account"]),
    runbook: {
      trigger:
        "For one user within 1 hour: at least 10 refused tools/call (unknown_tool or missing_role), or at least 5 distinct refused tool names, or at least 50 calls to the configured privileged tools.",
      response:
        "Review RefusedTools against the server's tool list and the user's app roles. An agent driven by injected instructions shows bursts right after it read external content: check prompt_shield events for the same user. Unexplained privileged-tool bursts: run the containment playbook (remove the user from the access group), then review what the privileged calls changed in the backend.",
    },
  },
  {
    id: "mcp-prompt-shield-detections",
    displayName: "MCP: Prompt Shields blocked a prompt-injection attack",
    description:
      "Azure AI Content Safety Prompt Shields flagged tools/call arguments as an attack and the gateway refused the call (403 prompt_shield). Severity becomes High from 5 detections per user.",
    severity: "Medium",
    queryFile: "prompt-shield-detections.kql",
    parameters: { highSeverityDetections: 5 },
    queryFrequency: "PT10M",
    queryPeriod: "PT30M",
    triggerOperator: "GreaterThan",
    triggerThreshold: 0,
    tactics: ["InitialAccess", "Execution"],
    techniques: ["T1190", "T1059"],
    entityMappings: [account("Oid"), ip("ClientIp")],
    customDetails: {
      Detections: "Detections",
      Tools: "Tools",
      McpServers: "McpServers",
      Sessions: "Sessions",
    },
    alertDetailsOverride: {
      alertDisplayNameFormat: "MCP prompt injection blocked for {{Oid}} ({{Detections}} detections)",
      alertSeverityColumnName: "AlertSeverity",
    },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    suppressionEnabled: true,
    suppressionDuration: "PT30M",
    incidentConfiguration: groupBy(["Account"]),
    runbook: {
      trigger: "Any prompt_shield refusal within 30 minutes (High from 5 detections for one user).",
      response:
        "The attack was blocked; find its source. Ask the user which document, web page or message the agent processed just before the Tools listed, and quarantine that content. Repeated detections across sessions mean the poisoned source is still in the agent's context: have the user reset the conversation. If the same content reaches several users, raise the incident to High and notify the content owner.",
    },
  },
  {
    id: "keyvault-unexpected-secret-read",
    displayName: "Key Vault: secret read by an unexpected identity",
    description:
      "A Key Vault secret was read (SecretGet or SecretBackup succeeded) by an identity that is not one of the expected runtime readers (gateway and workload managed identities).",
    severity: "High",
    queryFile: "keyvault-unexpected-secret-read.kql",
    parameters: {},
    queryFrequency: "PT15M",
    queryPeriod: "PT1H",
    triggerOperator: "GreaterThan",
    triggerThreshold: 0,
    tactics: ["CredentialAccess"],
    techniques: ["T1555"],
    entityMappings: [account("CallerOid"), ip("CallerIpAddress"), azureResource("VaultResourceId")],
    customDetails: {
      Reads: "Reads",
      Secrets: "Secrets",
      Operations: "Operations",
      CallerAppId: "CallerAppId",
    },
    alertDetailsOverride: {
      alertDisplayNameFormat: "Key Vault secrets read by unexpected identity {{CallerOid}}",
    },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    suppressionEnabled: false,
    suppressionDuration: "PT1H",
    incidentConfiguration: groupBy(["Account", "AzureResource"], "P1D"),
    runbook: {
      trigger: "Any successful SecretGet or SecretBackup by an identity outside the expected-readers list.",
      response:
        "Identify CallerOid and CallerAppId. A person or pipeline with a legitimate need: record it and add the identity to the expected readers through a reviewed change. Otherwise assume the secrets in the Secrets list are compromised: rotate each at its source, update the secret config and redeploy, remove the caller's role assignment on the vault, and check the caller's other activity (AzureActivity, SigninLogs) for the same period.",
    },
  },
  {
    id: "apim-config-change-outside-ci",
    displayName: "API Management: policy or security configuration changed outside CI",
    description:
      "A write or delete to API Management policies, policy fragments, named values, diagnostics, loggers, backends, APIs, certificates or the service itself, made by an identity other than the CI deployment principal.",
    severity: "High",
    queryFile: "apim-config-change-outside-ci.kql",
    parameters: {},
    queryFrequency: "PT30M",
    queryPeriod: "PT2H",
    triggerOperator: "GreaterThan",
    triggerThreshold: 0,
    tactics: ["DefenseEvasion", "Persistence", "CredentialAccess"],
    techniques: ["T1562", "T1556"],
    entityMappings: [account("CallerOid"), ip("CallerIpAddress"), azureResource("ServiceResourceId")],
    customDetails: {
      Caller: "Caller",
      Changes: "Changes",
      Operations: "Operations",
      ChangedResources: "ChangedResources",
    },
    alertDetailsOverride: { alertDisplayNameFormat: "API Management changed outside CI by {{Caller}}" },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    suppressionEnabled: false,
    suppressionDuration: "PT2H",
    incidentConfiguration: groupBy(["Account", "AzureResource"], "P1D"),
    runbook: {
      trigger:
        "A successful API Management write/delete on policies, policy fragments, named values, diagnostics, loggers, backends, APIs, certificates or the service, by a caller whose oid is not a CI principal.",
      response:
        "Ask the caller (Caller column) why. Whatever the answer, the change is drift: run `pulumi preview` from main to see the difference and `pulumi up` from CI to restore the reviewed policy. If the caller cannot explain it, treat the account as compromised: revoke sessions, remove its role assignments on the resource group, and review the gateway logs since the change for requests the weakened policy let through.",
    },
  },
];

/** Config-derived query parameters shared by the analytics rules. */
export interface DetectionParameters {
  /** Object IDs of the CI service principal(s) that deploy API Management. */
  readonly ciPrincipalObjectIds: readonly string[];
  /** Object IDs of identities expected to read Key Vault secrets (gateway and workload managed identities). */
  readonly expectedSecretReaders: readonly string[];
  /** Tool names whose bursts are suspicious even when allowed (administrative or destructive tools). */
  readonly privilegedTools: readonly string[];
}

/**
 * Fail-safe defaults: with empty lists every APIM change and every secret read alerts, so a missing
 * parameter produces noise, never silence.
 */
export const DEFAULT_DETECTION_PARAMETERS: DetectionParameters = {
  ciPrincipalObjectIds: [],
  expectedSecretReaders: [],
  privilegedTools: [],
};

interface ScheduledAlertRuleSpec extends Omit<
  AnalyticsRuleDefinition,
  "id" | "queryFile" | "parameters" | "runbook"
> {
  readonly kind: "Scheduled";
  readonly enabled: boolean;
  readonly query: string;
}

/** ScheduledAlertRule inputs, named as azure-native names them (minus resourceGroupName and workspaceName). */
export type ScheduledAlertRuleInputs = DeepMutable<ScheduledAlertRuleSpec>;

export function loadAnalyticsQuery(file: string, params: KqlParams): string {
  return loadKqlFile(path.join(SENTINEL_QUERIES_DIR, file), params);
}

/** Renders a catalogue entry; `detection` supplies the config-derived lists, `overrides` any threshold. */
export function scheduledAlertRuleInputs(
  rule: AnalyticsRuleDefinition,
  detection: DetectionParameters = DEFAULT_DETECTION_PARAMETERS,
  overrides: KqlParams = {},
): ScheduledAlertRuleInputs {
  const { id: _id, queryFile, parameters, runbook: _runbook, ...inputs } = rule;
  return clonePlain<ScheduledAlertRuleSpec>({
    kind: "Scheduled",
    enabled: true,
    ...inputs,
    query: loadAnalyticsQuery(queryFile, { ...parameters, ...detection, ...overrides }),
  });
}
