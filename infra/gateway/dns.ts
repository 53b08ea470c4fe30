import type * as pulumi from "@pulumi/pulumi";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { resourceName } from "../conventions/naming";
import type { GatewayArgs } from "./args";

/**
 * A private zone named exactly the custom hostname, linked to the VNet, whose apex points at the
 * gateway: the edge (and anything else in the VNet) reaches API Management by the name its certificate
 * is issued for. Classic tiers also get the apex of the network component's `<service>.azure-api.net` zone.
 */
export function createGatewayDns(
  parent: pulumi.Resource,
  name: string,
  args: GatewayArgs,
  classic: boolean,
  privateIpAddress: pulumi.Input<string>,
): void {
  const { resourceGroupName, tags } = args;
  const hostname = args.gateway.hostname;
  const zone = new privatedns.PrivateZone(
    `${name}-hostname-zone`,
    { resourceGroupName, location: "global", privateZoneName: hostname, tags },
    { parent },
  );
  new privatedns.VirtualNetworkLink(
    `${name}-hostname-zone-link`,
    {
      resourceGroupName,
      location: "global",
      privateZoneName: hostname,
      virtualNetworkLinkName: resourceName("privateDnsZoneLink", args.naming, "gateway-host"),
      virtualNetwork: { id: args.vnetId },
      registrationEnabled: false,
      tags,
    },
    { parent, dependsOn: [zone] },
  );
  const apex = (logical: string, zoneName: string, dependsOn: pulumi.Resource[]): void => {
    new privatedns.PrivateRecordSet(
      logical,
      {
        resourceGroupName,
        privateZoneName: zoneName,
        recordType: "A",
        relativeRecordSetName: "@",
        ttl: 300,
        aRecords: [{ ipv4Address: privateIpAddress }],
      },
      { parent, dependsOn },
    );
  };
  apex(`${name}-hostname-a`, hostname, [zone]);
  if (classic && args.apimDnsZone) apex(`${name}-default-domain-a`, args.apimDnsZone.zoneName, []);
}
