import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as storage from "@pulumi/azure-native/storage";
import type * as inputs from "@pulumi/azure-native/types/input";
import type { DiagnosticTarget, PrivateDnsZoneRef } from "../conventions/contracts";
import { resourceName, type NamingContext } from "../conventions/naming";
import type { StandardTags } from "../conventions/tags";
import { stableUuid } from "../conventions/uuid";
import {
  addressPlan,
  SUBNET_NAME_FRAGMENT,
  type AddressPlan,
  type GatewaySku,
  type NetworkConfig,
  type SubnetPurpose,
} from "./address-plan";
import { privateDnsZoneSpecs, type PrivateDnsZoneKey, type PrivateDnsZoneSpec } from "./dns-zones";
import { nsgRulesFor, ruleSetProblems, type NsgRule } from "./nsg-rules";

export * from "./address-plan";
export * from "./dns-zones";
export * from "./nsg-rules";

/** Storage Blob Data Contributor: the flow-log identity writes its blobs with Entra ID, never a key. */
const STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

/** Where traffic analytics sends its aggregates (the monitoring component's workspace). */
export interface TrafficAnalyticsTarget {
  readonly workspaceResourceId: pulumi.Input<string>;
  /** The workspace's customer ID (GUID). */
  readonly workspaceId: pulumi.Input<string>;
  readonly workspaceRegion: string;
  /** Minutes between aggregations: 10 or 60. */
  readonly intervalMinutes?: 10 | 60;
}

/** The regional Network Watcher. Azure creates `NetworkWatcher_<region>` in `NetworkWatcherRG` when the first VNet appears. */
export interface NetworkWatcherRef {
  readonly name: string;
  readonly resourceGroupName: string;
}

export interface NetworkArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
  /** `config.network`: address plan, DDoS protection and flow logs. */
  readonly network: NetworkConfig;
  /** `config.gateway.sku`: decides internal-mode vs private-endpoint API Management networking. */
  readonly gatewaySku: GatewaySku;
  /** `config.keyVault.managedHsm`: adds the Managed HSM private DNS zone. */
  readonly managedHsm: boolean;
  /** Some MCP server container lists `allowedEgressHosts`: opens TCP 443 to Internet from the workloads subnet. */
  readonly workloadInternetEgress: boolean;
  /** Days the flow-log blobs are kept (1-365). */
  readonly flowLogRetentionDays: number;
  readonly trafficAnalytics?: TrafficAnalyticsTarget;
  readonly networkWatcher?: NetworkWatcherRef;
}

export type SubnetIds = Readonly<
  Record<Exclude<SubnetPurpose, "gatewayIntegration">, pulumi.Output<string>>
> & {
  readonly gatewayIntegration?: pulumi.Output<string>;
};

/** Every zone except the Managed HSM one is always present; that one only when `managedHsm` is on. */
export type PrivateDnsZones = Readonly<
  Record<Exclude<PrivateDnsZoneKey, "managedHsm">, PrivateDnsZoneRef>
> & {
  readonly managedHsm?: PrivateDnsZoneRef;
};

export function defaultNetworkWatcher(location: string): NetworkWatcherRef {
  return { name: `NetworkWatcher_${location}`, resourceGroupName: "NetworkWatcherRG" };
}

/** azure-native security rule inputs for a rule list (one port: `destinationPortRange`, several: `...Ranges`). */
export function toSecurityRules(rules: readonly NsgRule[]): inputs.network.SecurityRuleArgs[] {
  return rules.map((rule) => ({
    name: rule.name,
    priority: rule.priority,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol,
    sourceAddressPrefix: rule.source,
    sourcePortRange: "*",
    destinationAddressPrefix: rule.destination,
    ...(rule.destinationPorts.length === 1
      ? { destinationPortRange: rule.destinationPorts[0]! }
      : { destinationPortRanges: [...rule.destinationPorts] }),
    description: rule.description,
  }));
}

/**
 * One VNet per environment with a dedicated subnet (and NSG) per purpose, the private DNS zones of
 * every private endpoint the deployment uses (linked to the VNet), optional DDoS protection and
 * VNet flow logs. Subnets are declared inline on the VNet (see docs/network.md, "Why inline subnets").
 */
export class Network extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly vnetName: pulumi.Output<string>;
  readonly addressPlan: AddressPlan;
  readonly subnetIds: SubnetIds;
  /** Subnet CIDRs by purpose (for NSG-aware consumers and docs). */
  readonly subnetCidrs: Readonly<Partial<Record<SubnetPurpose, string>>>;
  readonly networkSecurityGroupIds: Readonly<Partial<Record<SubnetPurpose, pulumi.Output<string>>>>;
  readonly privateDnsZones: PrivateDnsZones;
  readonly ddosProtectionPlanId: pulumi.Output<string> | undefined;
  readonly flowLogStorageAccountId: pulumi.Output<string> | undefined;
  readonly diagnosticTargets: readonly DiagnosticTarget[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:network:Network", name, {}, opts);
    const parent = { parent: this };
    const { naming, tags, resourceGroupName, location } = args;

    const plan = addressPlan(args.network, args.gatewaySku);
    this.addressPlan = plan;
    const ruleOptions = { gatewaySku: args.gatewaySku, workloadInternetEgress: args.workloadInternetEgress };

    const nsgIds: Partial<Record<SubnetPurpose, pulumi.Output<string>>> = {};
    const diagnosticTargets: DiagnosticTarget[] = [];
    const subnets: inputs.network.SubnetArgs[] = [];
    const subnetNames: Partial<Record<SubnetPurpose, string>> = {};
    for (const subnet of plan.subnets) {
      const rules = nsgRulesFor(subnet.purpose, plan, ruleOptions);
      const problems = ruleSetProblems(rules);
      if (problems.length > 0)
        throw new Error(`NSG rules of the ${subnet.purpose} subnet: ${problems.join("; ")}`);
      const fragment = SUBNET_NAME_FRAGMENT[subnet.purpose];
      const nsg = new network.NetworkSecurityGroup(
        `nsg-${fragment}`,
        {
          resourceGroupName,
          location,
          networkSecurityGroupName: resourceName("networkSecurityGroup", naming, fragment),
          // Inline rules: the NSG owns its whole rule list, so a rule added by hand is reverted.
          securityRules: toSecurityRules(rules),
          tags,
        },
        parent,
      );
      nsgIds[subnet.purpose] = nsg.id;
      diagnosticTargets.push({
        name: `nsg-${fragment}`,
        type: "azure-native:network:NetworkSecurityGroup",
        resourceId: nsg.id,
      });
      const subnetName = resourceName("subnet", naming, fragment);
      subnetNames[subnet.purpose] = subnetName;
      subnets.push({
        name: subnetName,
        addressPrefix: subnet.cidr,
        networkSecurityGroup: { id: nsg.id },
        // No implicit internet egress from any subnet: outbound needs an explicit path (public IP, NAT, firewall).
        defaultOutboundAccess: false,
        privateEndpointNetworkPolicies: subnet.privateEndpointNetworkPolicies,
        ...(subnet.delegation
          ? { delegations: [{ name: subnet.delegation.replace("/", "."), serviceName: subnet.delegation }] }
          : {}),
      });
    }

    const ddosPlan = args.network.ddosProtection
      ? new network.DdosProtectionPlan(
          "ddos-plan",
          { resourceGroupName, location, ddosProtectionPlanName: resourceName("ddosPlan", naming), tags },
          // A DDoS plan costs a fixed monthly fee and guards public IPs; deleting it by accident removes protection.
          { ...parent, protect: true },
        )
      : undefined;
    this.ddosProtectionPlanId = ddosPlan?.id;

    const vnet = new network.VirtualNetwork(
      "vnet",
      {
        resourceGroupName,
        location,
        virtualNetworkName: resourceName("virtualNetwork", naming),
        addressSpace: { addressPrefixes: [plan.addressSpace] },
        subnets,
        enableDdosProtection: ddosPlan !== undefined,
        ...(ddosPlan ? { ddosProtectionPlan: { id: ddosPlan.id } } : {}),
        tags,
      },
      parent,
    );
    this.vnetId = vnet.id;
    this.vnetName = vnet.name;
    diagnosticTargets.unshift({
      name: "vnet",
      type: "azure-native:network:VirtualNetwork",
      resourceId: vnet.id,
    });

    // Subnet IDs are derived, not looked up: inline subnets have exactly this ARM ID.
    const subnetId = (purpose: SubnetPurpose): pulumi.Output<string> =>
      pulumi.interpolate`${vnet.id}/subnets/${subnetNames[purpose]!}`;
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const subnet of plan.subnets) ids[subnet.purpose] = subnetId(subnet.purpose);
    this.subnetIds = ids as unknown as SubnetIds; // every required purpose is in the plan (the schema requires them)
    this.subnetCidrs = Object.fromEntries(plan.subnets.map((subnet) => [subnet.purpose, subnet.cidr]));
    this.networkSecurityGroupIds = nsgIds;

    const zoneSpecs = privateDnsZoneSpecs({
      location,
      gatewaySku: args.gatewaySku,
      apimServiceName: resourceName("apiManagement", naming),
      managedHsm: args.managedHsm,
    });
    const zones: Partial<Record<PrivateDnsZoneKey, PrivateDnsZoneRef>> = {};
    for (const spec of zoneSpecs) zones[spec.key] = this.privateZone(spec, args, vnet.id);
    this.privateDnsZones = zones as PrivateDnsZones; // privateDnsZoneSpecs always returns every required key

    this.flowLogStorageAccountId = args.network.flowLogs
      ? this.flowLogs(args, vnet.id, ids["privateEndpoints"]!, zones.blob!)
      : undefined;
    this.diagnosticTargets = diagnosticTargets;

    this.registerOutputs({
      vnetId: this.vnetId,
      subnetIds: this.subnetIds,
      privateDnsZones: Object.fromEntries(Object.entries(zones).map(([key, zone]) => [key, zone.zoneName])),
    });
  }

  private privateZone(
    spec: PrivateDnsZoneSpec,
    args: NetworkArgs,
    vnetId: pulumi.Input<string>,
  ): PrivateDnsZoneRef {
    const zone = new privatedns.PrivateZone(
      `pdns-${kebab(spec.key)}`,
      {
        resourceGroupName: args.resourceGroupName,
        location: "global",
        privateZoneName: spec.zoneName,
        tags: args.tags,
      },
      { parent: this },
    );
    new privatedns.VirtualNetworkLink(
      `pdns-${kebab(spec.key)}-link`,
      {
        resourceGroupName: args.resourceGroupName,
        location: "global",
        privateZoneName: spec.zoneName,
        virtualNetworkLinkName: resourceName("privateDnsZoneLink", args.naming, kebab(spec.key)),
        virtualNetwork: { id: vnetId },
        // Records come from private endpoint DNS zone groups (or the gateway component), never from VM auto-registration.
        registrationEnabled: false,
        tags: args.tags,
      },
      { parent: this, dependsOn: [zone] },
    );
    return { zoneName: spec.zoneName, zoneId: zone.id };
  }

  /**
   * VNet flow logs (NSG flow logs are retired: no new ones since June 2025) into a storage account
   * reachable only by trusted Azure services and its private endpoint, written with a managed
   * identity (shared keys are off). Returns the storage account ID.
   */
  private flowLogs(
    args: NetworkArgs,
    vnetId: pulumi.Output<string>,
    peSubnetId: pulumi.Output<string>,
    blobZone: PrivateDnsZoneRef,
  ): pulumi.Output<string> {
    const parent = { parent: this };
    const { naming, tags, resourceGroupName, location } = args;
    const account = new storage.StorageAccount(
      "flow-log-storage",
      {
        resourceGroupName,
        location,
        accountName: resourceName("storageAccount", naming, "flow"),
        kind: storage.Kind.StorageV2,
        sku: { name: storage.SkuName.Standard_ZRS },
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        allowBlobPublicAccess: false,
        allowCrossTenantReplication: false,
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
        // Network Watcher writes through the trusted-services exception, which a storage account only
        // honours while public network access is "Enabled" with a Deny default: no IP or VNet rule opens it.
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
        tags,
      },
      parent,
    );
    const peName = resourceName("privateEndpoint", naming, "flow-log-blob");
    const endpoint = new network.PrivateEndpoint(
      "flow-log-storage-pe",
      {
        resourceGroupName,
        location,
        privateEndpointName: peName,
        subnet: { id: peSubnetId },
        privateLinkServiceConnections: [
          { name: peName, privateLinkServiceId: account.id, groupIds: ["blob"] },
        ],
        tags,
      },
      parent,
    );
    new network.PrivateDnsZoneGroup(
      "flow-log-storage-pe-dns",
      {
        resourceGroupName,
        // The endpoint's name output (not the string) records the dependency the policy pack and engine follow.
        privateEndpointName: endpoint.name,
        privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: [
          { name: blobZone.zoneName.replace(/\./g, "-"), privateDnsZoneId: blobZone.zoneId },
        ],
      },
      { parent: this },
    );

    const writer = new managedidentity.UserAssignedIdentity(
      "flow-log-identity",
      {
        resourceGroupName,
        location,
        resourceName: resourceName("userAssignedIdentity", naming, "flow-logs"),
        tags,
      },
      parent,
    );
    const roleDefinitionId = account.id.apply(
      (id) =>
        `${subscriptionScope(id)}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
    );
    const grant = new authorization.RoleAssignment(
      "flow-log-identity-blob-writer",
      {
        scope: account.id,
        principalId: writer.principalId,
        principalType: authorization.PrincipalType.ServicePrincipal,
        roleDefinitionId,
        roleAssignmentName: pulumi
          .all([account.id, writer.principalId])
          .apply(([scope, principal]) =>
            stableUuid([
              "role-assignment",
              scope.toLowerCase(),
              principal.toLowerCase(),
              STORAGE_BLOB_DATA_CONTRIBUTOR,
            ]),
          ),
        description: "VNet flow logs write their blobs with this identity (shared keys are disabled).",
      },
      parent,
    );

    const watcher = args.networkWatcher ?? defaultNetworkWatcher(location);
    const analytics = args.trafficAnalytics;
    new network.FlowLog(
      "vnet-flow-log",
      {
        // The flow log is a child of the regional Network Watcher, which lives in its own resource group.
        resourceGroupName: watcher.resourceGroupName,
        networkWatcherName: watcher.name,
        flowLogName: resourceName("networkWatcherFlowLog", naming, "vnet"),
        location,
        targetResourceId: vnetId,
        storageId: account.id,
        enabled: true,
        format: { type: network.FlowLogFormatType.JSON, version: 2 },
        retentionPolicy: { enabled: true, days: args.flowLogRetentionDays },
        identity: { type: network.ResourceIdentityType.UserAssigned, userAssignedIdentities: [writer.id] },
        ...(analytics
          ? {
              flowAnalyticsConfiguration: {
                networkWatcherFlowAnalyticsConfiguration: {
                  enabled: true,
                  trafficAnalyticsInterval: analytics.intervalMinutes ?? 10,
                  workspaceId: analytics.workspaceId,
                  workspaceRegion: analytics.workspaceRegion,
                  workspaceResourceId: analytics.workspaceResourceId,
                },
              },
            }
          : {}),
        tags,
      },
      { parent: this, dependsOn: [grant] },
    );
    return account.id;
  }
}

function kebab(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function subscriptionScope(resourceId: string): string {
  const match = /^\/subscriptions\/[0-9a-fA-F-]{36}/.exec(resourceId);
  if (!match) throw new Error(`"${resourceId}" is not an ARM resource ID inside a subscription`);
  return match[0];
}
