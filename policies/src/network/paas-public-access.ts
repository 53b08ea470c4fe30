import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, ieq, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

/** Per type: inputs that must equal the given value (case-insensitively) for the service to be private. */
const CHECKS: Readonly<Record<string, readonly { readonly path: string; readonly value: string }[]>> = {
  // publicNetworkAccess is checked separately: see checkStorage.
  [T.storageAccount]: [{ path: "networkRuleSet.defaultAction", value: "Deny" }],
  [T.containerRegistry]: [{ path: "publicNetworkAccess", value: "Disabled" }],
  [T.cognitiveServicesAccount]: [{ path: "properties.publicNetworkAccess", value: "Disabled" }],
  [T.webApp]: [{ path: "publicNetworkAccess", value: "Disabled" }],
  [T.sqlServer]: [{ path: "publicNetworkAccess", value: "Disabled" }],
  [T.serviceBusNamespace]: [{ path: "publicNetworkAccess", value: "Disabled" }],
  [T.eventHubNamespace]: [{ path: "publicNetworkAccess", value: "Disabled" }],
  [T.redis]: [{ path: "publicNetworkAccess", value: "Disabled" }],
  [T.cosmosDbAccount]: [{ path: "publicNetworkAccess", value: "Disabled" }],
  [T.appInsights]: [
    { path: "publicNetworkAccessForIngestion", value: "Disabled" },
    { path: "publicNetworkAccessForQuery", value: "Disabled" },
  ],
  [T.logAnalyticsWorkspace]: [
    { path: "publicNetworkAccessForIngestion", value: "Disabled" },
    { path: "publicNetworkAccessForQuery", value: "Disabled" },
  ],
};

export const paasPublicAccess = resourceRule({
  name: "network-no-public-paas-access",
  area: "network",
  description:
    "Only the edge is public: data, secrets, registry, AI and monitoring services disable public network access (storage also " +
    "denies by default with no IP rules; exception: a storage account may keep its endpoint for trusted Azure services only, " +
    "the path Network Watcher flow logs write through; App Insights and Log Analytics disable public ingestion and query, used through Azure " +
    "Monitor Private Link Scope); API Management is reachable only inside the virtual network (Internal mode) or with public access " +
    "disabled behind a private endpoint.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `publicNetworkAccess: "Disabled"` (`properties.publicNetworkAccess` for AI services; `publicNetworkAccessForIngestion` and ' +
    "`publicNetworkAccessForQuery` for monitoring, linked to an AMPLS) and reach the service through a private endpoint; storage also " +
    '`networkRuleSet: { defaultAction: "Deny" }`; API Management `virtualNetworkType: "Internal"` behind the Application Gateway.',
  seedControls: [SEED.toolExecution, SEED.secureStorage],
  azureBuiltins: builtins(
    "Storage/StoragePublicNetworkAccess_AuditDeny",
    "Storage/Storage_NetworkAcls_Audit",
    "Storage/StorageAccountOnlyVnetRulesEnabled_Audit",
    "App Service/WebApp_PublicNetworkAccess_Audit",
    "App Service/FunctionApp_PublicNetworkAccess_Audit",
    "Monitoring/ApplicationInsightsComponents_NetworkAccessEnabled_Deny",
    "Monitoring/LogAnalyticsWorkspaces_NetworkAccessEnabled_Deny",
  ),
  rulesets: ["CKV_AZURE_174", "CKV_AZURE_59", "CKV_AZURE_35", "CKV_AZURE_222", "Azure.Storage.Firewall"],
  resourceTypes: [...Object.keys(CHECKS), T.apimService],
  validate: (props, args, report) => {
    const type = canonicalType(args.type);
    if (type === T.apimService) {
      const vnetType = get(props, "virtualNetworkType");
      const access = get(props, "publicNetworkAccess");
      if (!ieq(vnetType, "Internal") && !ieq(access, "Disabled")) {
        report(
          `API Management must be internal (virtualNetworkType "Internal", got ${show(vnetType)}) or have publicNetworkAccess "Disabled" (got ${show(access)}).`,
        );
      }
      return;
    }
    for (const { path, value } of CHECKS[type] ?? []) {
      const actual = get(props, path);
      if (!ieq(actual, value)) report(`${path} must be "${value}" (got ${show(actual)}).`);
    }
    if (type === T.storageAccount) checkStorage(props, report);
  },
});

/**
 * Storage: public network access disabled, or (the one exception) enabled only for trusted Azure
 * services behind a deny-by-default firewall with no IP rules. Network Watcher writes flow logs
 * through the trusted-service path, which a disabled public endpoint does not honour.
 */
function checkStorage(props: unknown, report: (message: string) => void): void {
  const access = get(props, "publicNetworkAccess");
  const bypass = get(props, "networkRuleSet.bypass");
  const trustedOnly =
    ieq(access, "Enabled") && typeof bypass === "string" && /\bAzureServices\b/i.test(bypass);
  if (!ieq(access, "Disabled") && !trustedOnly) {
    report(
      `publicNetworkAccess must be "Disabled", or "Enabled" only for trusted services (networkRuleSet.bypass "AzureServices", defaultAction "Deny") (got ${show(access)}, bypass ${show(bypass)}).`,
    );
  }
  if (asArray(get(props, "networkRuleSet.ipRules")).length > 0)
    report("networkRuleSet.ipRules must be empty.");
}
