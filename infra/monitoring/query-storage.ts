import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import { resourceName, type NamingContext } from "../conventions/naming";
import type { StandardTags } from "../conventions/tags";

/**
 * The workspace's data source types kept in customer-managed storage: saved queries (`Query`) and the
 * queries of log alert rules (`Alerts`). With `forceCmkForQuery` on the workspace, Log Analytics keeps
 * them only there, encrypted under the account's keys ("Saved-queries in Azure Monitor should be saved
 * in customer storage account for logs encryption", fa298e57). azure-native 3.28 types
 * `dataSourceType` as a string: these are the ARM names (`workspaces/linkedStorageAccounts/{Query,Alerts}`).
 */
export const LINKED_DATA_SOURCE_TYPES = ["Query", "Alerts"] as const;

export interface QueryStorageArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
  readonly workspaceName: pulumi.Input<string>;
  readonly privateEndpointSubnetId: pulumi.Input<string>;
  readonly blobDnsZoneId: pulumi.Input<string>;
}

export interface QueryStorage {
  readonly accountId: pulumi.Output<string>;
  /** The workspace links; alert rules that require linked storage depend on them. */
  readonly links: readonly operationalinsights.LinkedStorageAccount[];
}

/** The storage account Log Analytics writes saved and alert queries to, and its two links. */
export function queryStorage(args: QueryStorageArgs, parent: pulumi.Resource): QueryStorage {
  const account = new storage.StorageAccount(
    "query-storage",
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      accountName: resourceName("storageAccount", args.naming, "query"),
      kind: storage.Kind.StorageV2,
      sku: { name: storage.SkuName.Standard_ZRS },
      // Log Analytics signs in with its own identity: no account keys, no anonymous access.
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
      // Log Analytics reaches a linked account through the trusted-services exception, which a storage
      // account only honours while public network access is "Enabled" with a Deny default (as the flow-log
      // account): no IP or VNet rule opens it, and nothing else reads it.
      publicNetworkAccess: storage.PublicNetworkAccess.Enabled,
      networkRuleSet: {
        defaultAction: storage.DefaultAction.Deny,
        bypass: storage.Bypass.AzureServices,
        ipRules: [],
        virtualNetworkRules: [],
      },
      encryption: {
        keySource: storage.KeySource.Microsoft_Storage,
        requireInfrastructureEncryption: true,
        services: {
          blob: { enabled: true, keyType: storage.KeyType.Account },
          file: { enabled: true, keyType: storage.KeyType.Account },
        },
      },
      tags: args.tags,
    },
    { parent },
  );
  // Operators read saved queries' blobs (if ever) only through the VNet, as every other PaaS endpoint.
  const endpointName = resourceName("privateEndpoint", args.naming, "query-blob");
  const endpoint = new network.PrivateEndpoint(
    "query-storage-pe",
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      privateEndpointName: endpointName,
      subnet: { id: args.privateEndpointSubnetId },
      privateLinkServiceConnections: [
        { name: endpointName, privateLinkServiceId: account.id, groupIds: ["blob"] },
      ],
      tags: args.tags,
    },
    { parent },
  );
  new network.PrivateDnsZoneGroup(
    "query-storage-pe-dns",
    {
      resourceGroupName: args.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [
        { name: "privatelink-blob-core-windows-net", privateDnsZoneId: args.blobDnsZoneId },
      ],
    },
    { parent },
  );
  const links = LINKED_DATA_SOURCE_TYPES.map(
    (dataSourceType) =>
      new operationalinsights.LinkedStorageAccount(
        `workspace-linked-storage-${dataSourceType.toLowerCase()}`,
        {
          resourceGroupName: args.resourceGroupName,
          workspaceName: args.workspaceName,
          dataSourceType,
          storageAccountIds: [account.id],
        },
        { parent },
      ),
  );
  return { accountId: account.id, links };
}
