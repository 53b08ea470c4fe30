import type { PolicyResource } from "@pulumi/policy";
import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, inList, isFalse, isReferenceSet, isTrue, readSafely, tryGet, UNKNOWN } from "../lib/props";
import { refersTo } from "../lib/references";
import { canonicalType, ofType, stackRule } from "../lib/rule";
import { T } from "../lib/types";

/** Resource types this deployment creates that emit resource logs, each of which needs a diagnostic setting. */
export const DIAGNOSTIC_CAPABLE_TYPES = [
  T.vault,
  T.managedHsm,
  T.apimService,
  T.logAnalyticsWorkspace,
  T.appInsights,
  T.managedEnvironment,
  T.networkSecurityGroup,
  T.virtualNetwork,
  T.applicationGateway,
  T.publicIpAddress,
  T.containerRegistry,
  T.cognitiveServicesAccount,
  T.storageAccount,
  T.webApp,
  T.serviceBusNamespace,
  T.eventHubNamespace,
  T.redis,
  T.cosmosDbAccount,
];

/** Log categories (or category groups) that must be among the enabled ones, per type. */
const REQUIRED_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  [T.vault]: ["AuditEvent", "audit", "allLogs"],
  [T.managedHsm]: ["AuditEvent", "audit", "allLogs"],
  [T.apimService]: ["GatewayLogs", "audit", "allLogs"],
};

interface Config {
  readonly types: readonly string[];
}

const DEFAULTS: Config = { types: DIAGNOSTIC_CAPABLE_TYPES };

export const diagnosticSettings = stackRule({
  name: "monitoring-diagnostic-settings",
  area: "monitoring",
  description:
    "Every diagnostic-capable resource (Key Vault, Managed HSM, API Management, Log Analytics, Application Insights, Container Apps environments, " +
    "NSGs, virtual networks, Application Gateway, public IPs, registries, AI services, storage, and other data services) has a " +
    "diagnostic setting that sends its resource logs to the Log Analytics workspace: a monitor.DiagnosticSetting whose resourceUri " +
    "refers to it (by the engine's property dependencies or its ID), with workspaceId set and at least one log category or group " +
    "enabled (Key Vault: AuditEvent, audit or allLogs; API Management: GatewayLogs, audit or allLogs). Exception: a workspace-based " +
    "Application Insights component already writes to the workspace, so it needs no setting of its own.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create `monitor.DiagnosticSetting` with `resourceUri: <resource>.id`, `workspaceId: <workspace>.id`, `logs: [{ categoryGroup: " +
    '"allLogs", enabled: true }]` (API Management: GatewayLogs and GatewayMCPLogs, logAnalyticsDestinationType "Dedicated").',
  seedControls: [SEED.logging, SEED.continuousValidation],
  azureBuiltins: builtins(
    "Key Vault/AuditDiagnosticLog_Audit",
    "Key Vault/DataConnectorsAzureKeyVault",
    "Key Vault/DiagnosticLog_DINE",
    "Key Vault/ManagedHsm_AuditDiagnosticLog_Audit",
    "Key Vault/ManagedHsm_DiagnosticLog_DINE",
    "Monitoring/DS_LA_keyvault-managedhsms_DINE",
    "Monitoring/ManagedHsm_DeployDiagnosticLog_Deploy_LogAnalytics",
    "Monitoring/KeyVault_DeployDiagnosticLog_Deploy_LogAnalytics",
    "Monitoring/DS_LA_keyvault-vaults_DINE",
    "Monitoring/DS_LA_apimanagement-service_DINE",
    "Monitoring/DS_LA_operationalinsights-workspaces_DINE",
    "Monitoring/DS_LA_insights-components_DINE",
    "Monitoring/DS_LA_app-managedenvironments_DINE",
    "Monitoring/DS_LA_network-networksecuritygroups_DINE",
    "Monitoring/DS_LA_network-virtualnetworks_DINE",
    "Monitoring/DiagnosticSettingsForNSG_DINE",
    "Network/DataConnectorsAzureNSG_DINE",
    "App Service/ResourceLoggingMonitoring_Audit",
  ),
  rulesets: ["Azure.KeyVault.Logs"],
  resourceTypes: [...DIAGNOSTIC_CAPABLE_TYPES, T.diagnosticSetting],
  appliesTo: DIAGNOSTIC_CAPABLE_TYPES,
  configSchema: {
    properties: {
      types: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: DEFAULTS.types,
        description: "Type tokens that need a diagnostic setting.",
      },
    },
  },
  validate: (resources, args, report) => {
    const { types } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const settings = ofType(resources, T.diagnosticSetting);
    for (const target of resources.filter((resource) => types.includes(canonicalType(resource.type)))) {
      // Workspace-based Application Insights already writes its telemetry to the workspace; a setting would duplicate it.
      if (canonicalType(target.type) === T.appInsights && isReferenceSet(target.props, "workspaceResourceId"))
        continue;
      const covering = settings.filter((setting) => refersTo(setting, "resourceUri", target));
      if (covering.length === 0) {
        report(
          `${target.name} (${target.type}) has no diagnostic setting (a monitor.DiagnosticSetting whose resourceUri refers to it).`,
          target.urn,
        );
        continue;
      }
      const required = REQUIRED_CATEGORIES[canonicalType(target.type)];
      if (!covering.some((setting) => sendsLogs(setting, required))) {
        const what = required ? `one of ${required.join(", ")}` : "a log category or group";
        report(
          `${target.name}: no diagnostic setting sends ${what} to a Log Analytics workspace (workspaceId and an enabled log).`,
          target.urn,
        );
      }
    }
  },
});

function sendsLogs(setting: PolicyResource, required: readonly string[] | undefined): boolean {
  if (!isReferenceSet(setting.props, "workspaceId")) return false;
  const logs = tryGet(setting.props, "logs");
  if (logs === UNKNOWN) return true;
  const list = asArray(logs);
  for (let index = 0; index < list.length; index++) {
    const log = readSafely(list, String(index));
    if (log === UNKNOWN) return true;
    const enabled = tryGet(log, "enabled");
    if (isFalse(enabled) || (enabled !== UNKNOWN && !isTrue(enabled))) continue;
    const category = tryGet(log, "category");
    const group = tryGet(log, "categoryGroup");
    if (
      !required ||
      category === UNKNOWN ||
      group === UNKNOWN ||
      inList(category, required) ||
      inList(group, required)
    )
      return true;
  }
  return false;
}
