import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { resourceName } from "../conventions/naming";
import type { GatewayArgs } from "./args";
import {
  assertVersionlessSecretUri,
  managementLockdownTemplate,
  proxyHostname,
  securityCustomProperties,
} from "./service-settings";

/** The hardened API Management service itself (tier, network mode, TLS settings, custom hostname). */
export function createService(
  parent: pulumi.Resource,
  name: string,
  args: GatewayArgs,
  classic: boolean,
): apimanagement.ApiManagementService {
  const { gateway } = args;
  const certificate = args.tlsCertificateSecretUri;
  return new apimanagement.ApiManagementService(
    `${name}-service`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      serviceName: resourceName("apiManagement", args.naming),
      publisherName: gateway.publisherName,
      publisherEmail: gateway.publisherEmail,
      sku: { name: gateway.sku, capacity: gateway.capacity },
      ...(gateway.zones.length > 0 ? { zones: [...gateway.zones] } : {}),
      identity: {
        type: apimanagement.ApimIdentityType.UserAssigned,
        userAssignedIdentities: pulumi.output(args.identity.id).apply((id) => ({ [id]: {} })),
      },
      ...(classic
        ? {
            // Internal: the gateway answers on a private IP only. The public IP Azure manages for the
            // instance carries control-plane traffic (port 3443) only; publicNetworkAccess cannot be
            // "Disabled" in this mode and is left to Azure.
            virtualNetworkType: apimanagement.VirtualNetworkType.Internal,
            virtualNetworkConfiguration: { subnetResourceId: args.subnetId! },
          }
        : {
            // v2 has no Internal mode: outbound VNet integration plus an inbound private endpoint.
            virtualNetworkType: apimanagement.VirtualNetworkType.External,
            virtualNetworkConfiguration: { subnetResourceId: args.integrationSubnetId! },
            publicNetworkAccess: args.publicNetworkAccess ?? apimanagement.PublicNetworkAccess.Disabled,
          }),
      customProperties: securityCustomProperties(gateway.sku),
      apiVersionConstraint: { minApiVersion: gateway.minApiVersion },
      ...(certificate === undefined
        ? {}
        : {
            hostnameConfigurations: [
              proxyHostname(
                gateway.hostname,
                pulumi
                  .output(certificate)
                  .apply((uri) => assertVersionlessSecretUri("tlsCertificateSecretUri", uri)),
                pulumi.output(args.identity.clientId),
              ),
            ],
          }),
      developerPortalStatus: apimanagement.DeveloperPortalStatus.Disabled,
      legacyPortalStatus: apimanagement.LegacyPortalStatus.Disabled,
      disableGateway: false,
      tags: args.tags,
    },
    { parent, protect: args.protect === true, dependsOn: [...(args.certificateAccess ?? [])] },
  );
}

/** Closes the direct management API and the Git configuration endpoint (ARM template: no SDK property). */
export function createManagementLockdown(
  parent: pulumi.Resource,
  name: string,
  args: GatewayArgs,
  service: apimanagement.ApiManagementService,
): resources.Deployment {
  return new resources.Deployment(
    `${name}-management-lockdown`,
    {
      resourceGroupName: args.resourceGroupName,
      deploymentName: `${resourceName("apiManagement", args.naming)}-lockdown`,
      properties: {
        mode: resources.DeploymentMode.Incremental,
        template: managementLockdownTemplate(resourceName("apiManagement", args.naming), args.gateway.sku),
      },
      tags: args.tags,
    },
    { parent, dependsOn: [service] },
  );
}

/** StandardV2: the inbound private endpoint (`Gateway` sub-resource) with its DNS zone group. */
export function createPrivateEndpoint(
  parent: pulumi.Resource,
  name: string,
  args: GatewayArgs,
  serviceId: pulumi.Input<string>,
): pulumi.Output<string> {
  const peName = resourceName("privateEndpoint", args.naming, "apim");
  const zone = args.apimDnsZone!;
  const endpoint = new network.PrivateEndpoint(
    `${name}-pe`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      privateEndpointName: peName,
      subnet: { id: args.privateEndpointSubnetId! },
      privateLinkServiceConnections: [
        { name: peName, privateLinkServiceId: serviceId, groupIds: ["Gateway"] },
      ],
      tags: args.tags,
    },
    { parent },
  );
  new network.PrivateDnsZoneGroup(
    `${name}-pe-dns`,
    {
      resourceGroupName: args.resourceGroupName,
      privateEndpointName: peName,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [{ name: zone.zoneName.replace(/\./g, "-"), privateDnsZoneId: zone.zoneId }],
    },
    { parent, dependsOn: [endpoint] },
  );
  return endpoint.customDnsConfigs.apply((configs) =>
    firstAddress(
      configs?.flatMap((config) => config.ipAddresses ?? []),
      "the private endpoint's customDnsConfigs",
    ),
  );
}

export function firstAddress(addresses: readonly string[] | undefined, what: string): string {
  const address = addresses?.[0];
  if (address === undefined)
    throw new Error(`API Management has no private IP address yet (${what} is empty)`);
  return address;
}
