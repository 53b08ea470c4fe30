import type { GatewaySku } from "./address-plan";
import { isClassicGateway } from "./nsg-rules";

/**
 * The private DNS zones of every private endpoint (and internal endpoint) the deployment uses, as
 * data. Zone names are Azure's documented "Azure Private Endpoint private DNS zone values"; the
 * network component creates each zone once and links it to the VNet, and each component that owns a
 * PaaS resource adds its private endpoint with a DNS zone group pointing at the zone it needs.
 */

export type PrivateDnsZoneKey =
  | "keyVault"
  | "apim"
  | "monitor"
  | "monitorOms"
  | "monitorOds"
  | "monitorAgentService"
  | "blob"
  | "cognitiveServices"
  | "containerRegistry"
  | "containerApps"
  | "managedHsm";

export interface PrivateDnsZoneSpec {
  readonly key: PrivateDnsZoneKey;
  readonly zoneName: string;
  /** The private-link sub-resource (group ID) a private endpoint uses with this zone; none for an internal-mode zone. */
  readonly groupId?: string;
  readonly usedBy: string;
}

export interface DnsZoneOptions {
  readonly location: string;
  readonly gatewaySku: GatewaySku;
  /** API Management's service name: internal (classic) mode gets a zone of its own default domain. */
  readonly apimServiceName: string;
  readonly managedHsm: boolean;
}

/** Every zone the deployment needs for its config. Keys are unique; so are zone names. */
export function privateDnsZoneSpecs(options: DnsZoneOptions): PrivateDnsZoneSpec[] {
  const apim: PrivateDnsZoneSpec = isClassicGateway(options.gatewaySku)
    ? {
        key: "apim",
        // Internal mode registers no DNS: the gateway component adds A records for the gateway,
        // portal, developer, management and scm host names. A zone for this one instance (not all of
        // azure-api.net) keeps every other *.azure-api.net name resolving publicly from the VNet.
        zoneName: `${options.apimServiceName}.azure-api.net`,
        usedBy: "API Management internal VNet mode (A records added by the gateway component)",
      }
    : {
        key: "apim",
        zoneName: "privatelink.azure-api.net",
        groupId: "Gateway",
        usedBy: "API Management v2 private endpoint",
      };
  const zones: PrivateDnsZoneSpec[] = [
    {
      key: "keyVault",
      zoneName: "privatelink.vaultcore.azure.net",
      groupId: "vault",
      usedBy: "Key Vault private endpoint",
    },
    apim,
    {
      key: "monitor",
      zoneName: "privatelink.monitor.azure.com",
      groupId: "azuremonitor",
      usedBy: "Azure Monitor Private Link Scope",
    },
    {
      key: "monitorOms",
      zoneName: "privatelink.oms.opinsights.azure.com",
      groupId: "azuremonitor",
      usedBy: "Azure Monitor Private Link Scope (workspace queries)",
    },
    {
      key: "monitorOds",
      zoneName: "privatelink.ods.opinsights.azure.com",
      groupId: "azuremonitor",
      usedBy: "Azure Monitor Private Link Scope (ingestion)",
    },
    {
      key: "monitorAgentService",
      zoneName: "privatelink.agentsvc.azure-automation.net",
      groupId: "azuremonitor",
      usedBy: "Azure Monitor Private Link Scope (agent service)",
    },
    {
      key: "blob",
      zoneName: "privatelink.blob.core.windows.net",
      groupId: "blob",
      usedBy: "AMPLS solution packs and the flow-log storage account",
    },
    {
      key: "cognitiveServices",
      zoneName: "privatelink.cognitiveservices.azure.com",
      groupId: "account",
      usedBy: "Azure AI Content Safety",
    },
    {
      key: "containerRegistry",
      zoneName: "privatelink.azurecr.io",
      groupId: "registry",
      usedBy: "Azure Container Registry",
    },
    {
      key: "containerApps",
      zoneName: `privatelink.${options.location}.azurecontainerapps.io`,
      groupId: "managedEnvironments",
      usedBy: "Container Apps environment private endpoint",
    },
  ];
  if (options.managedHsm) {
    zones.push({
      key: "managedHsm",
      zoneName: "privatelink.managedhsm.azure.net",
      groupId: "managedhsm",
      usedBy: "Key Vault Managed HSM",
    });
  }
  return zones;
}
