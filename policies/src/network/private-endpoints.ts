import type { PolicyResource } from "@pulumi/policy";
import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, tryGet, UNKNOWN } from "../lib/props";
import { refersTo } from "../lib/references";
import { canonicalType, ofType, stackRule } from "../lib/rule";
import { T } from "../lib/types";

/** Services reached over private link, with the sub-resource (group ID) the endpoint targets. */
export const PRIVATE_LINK_GROUPS: Readonly<Record<string, readonly string[]>> = {
  [T.vault]: ["vault"],
  [T.managedHsm]: ["managedhsm"],
  [T.storageAccount]: ["blob", "file", "queue", "table", "dfs", "web"],
  [T.webApp]: ["sites"],
  [T.containerRegistry]: ["registry"],
  [T.cognitiveServicesAccount]: ["account"],
  [T.privateLinkScope]: ["azuremonitor"],
};

interface Config {
  readonly requiredFor: readonly string[];
}

const DEFAULTS: Config = { requiredFor: Object.keys(PRIVATE_LINK_GROUPS) };

export const privateEndpoints = stackRule({
  name: "network-private-endpoints",
  area: "network",
  description:
    "Key vaults, Managed HSMs, storage accounts, App Service apps, container registries, AI services and Azure Monitor Private Link Scopes are reached through a private endpoint " +
    "(group ID for the service) that has a private DNS zone group, so their names resolve to the private address.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create a `network.PrivateEndpoint` in the private-endpoints subnet with `privateLinkServiceConnections: [{ privateLinkServiceId: " +
    "<resource ID>, groupIds: [<group>] }]` and a `network.PrivateDnsZoneGroup` on it pointing at the service's privatelink zone " +
    "(e.g. privatelink.vaultcore.azure.net).",
  seedControls: [SEED.secureStorage, SEED.toolExecution],
  azureBuiltins: builtins(
    "Key Vault/Should_Use_PrivateEndpoint_Audit",
    "Key Vault/Should_Use_PrivateEndpoint_DINE",
    "Key Vault/PrivateEndpointEnabled_Audit",
    "Key Vault/AutoConfigure_PrivateDNSZone_DINE",
    "Storage/StorageAccountPrivateEndpointEnabled_Audit",
    "Storage/StoragePrivateDnsZoneGroup_Blob",
    "App Service/PrivateEndpoint_AINE",
    "App Service/PrivateZoneGroup_DINE",
    "Key Vault/ManagedHsm_PrivateEndpointEnabled_Audit",
    "Key Vault/ManagedHsm_Should_Use_PrivateEndpoint_DINE",
    "Monitoring/AzureMonitorPrivateLinkScopes_PrivateEndpoints_AINE",
    "Monitoring/AzureMonitorPrivateLinkScopes_PrivateDNSZones_DINE",
  ),
  resourceTypes: [...Object.keys(PRIVATE_LINK_GROUPS), T.privateEndpoint, T.privateDnsZoneGroup],
  appliesTo: Object.keys(PRIVATE_LINK_GROUPS),
  configSchema: {
    properties: {
      requiredFor: {
        type: "array",
        items: { type: "string", enum: Object.keys(PRIVATE_LINK_GROUPS) },
        default: DEFAULTS.requiredFor,
        description: "Resource types that must have a private endpoint.",
      },
    },
  },
  validate: (resources, args, report) => {
    const { requiredFor } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const endpoints = ofType(resources, T.privateEndpoint);
    const zoneGroups = ofType(resources, T.privateDnsZoneGroup);
    for (const target of resources.filter((resource) => requiredFor.includes(canonicalType(resource.type)))) {
      const groups = PRIVATE_LINK_GROUPS[canonicalType(target.type)] ?? [];
      const endpoint = endpoints.find(
        (candidate) =>
          (refersTo(candidate, "privateLinkServiceConnections", target) ||
            refersTo(candidate, "manualPrivateLinkServiceConnections", target)) &&
          targetsGroup(candidate, groups),
      );
      if (!endpoint) {
        report(
          `${target.name} has no private endpoint (group ${groups.join(" or ")}) whose privateLinkServiceId refers to it.`,
          target.urn,
        );
      } else if (
        !zoneGroups.some(
          (group) => refersTo(group, "privateEndpointName", endpoint) || group.parent === endpoint,
        )
      ) {
        report(
          `private endpoint ${endpoint.name} for ${target.name} has no private DNS zone group.`,
          endpoint.urn,
        );
      }
    }
  },
});

function targetsGroup(endpoint: PolicyResource, groups: readonly string[]): boolean {
  for (const property of ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"]) {
    const connections = tryGet(endpoint.props, property);
    if (connections === UNKNOWN) return true;
    for (let index = 0; index < asArray(connections).length; index++) {
      const ids = tryGet(connections, `${index}.groupIds`);
      if (ids === UNKNOWN) return true;
      if (asArray(ids).some((id) => typeof id === "string" && groups.includes(id.toLowerCase()))) return true;
    }
  }
  return false;
}
