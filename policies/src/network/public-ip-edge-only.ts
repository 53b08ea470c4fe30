import { SEED } from "../lib/metadata";
import { refersTo } from "../lib/references";
import { canonicalType, ofType, stackRule } from "../lib/rule";
import { T } from "../lib/types";

/** Resources allowed to own a public IP, and the input that refers to it. */
const OWNERS: readonly { readonly type: string; readonly property: string }[] = [
  { type: T.applicationGateway, property: "frontendIPConfigurations" },
  // stv2 API Management injected in a virtual network needs a Standard public IP for its management endpoint (port 3443), even in Internal mode.
  { type: T.apimService, property: "publicIpAddressId" },
  { type: T.natGateway, property: "publicIpAddresses" },
  { type: T.azureFirewall, property: "ipConfigurations" },
  { type: T.bastionHost, property: "ipConfigurations" },
];

export const publicIpEdgeOnly = stackRule({
  name: "network-public-ip-edge-only",
  area: "network",
  description:
    "Public IP addresses belong to the edge and the platform's egress only: an Application Gateway frontend, the API Management " +
    "management endpoint, a NAT gateway, Azure Firewall or Bastion. Any other public IP (unattached, on a VM or NIC) is a way in " +
    "that bypasses the gateway.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove the public IP or attach it to the edge; reach workloads through the Application Gateway and API Management.",
  seedControls: [SEED.toolExecution, SEED.authorizationVerification],
  azureBuiltins: [],
  resourceTypes: [T.publicIpAddress, ...OWNERS.map((owner) => owner.type)],
  appliesTo: [T.publicIpAddress],
  validate: (resources, _args, report) => {
    const owners = resources.filter((resource) =>
      OWNERS.some((owner) => owner.type === canonicalType(resource.type)),
    );
    for (const ip of ofType(resources, T.publicIpAddress)) {
      const owned = owners.some((owner) =>
        OWNERS.filter((entry) => entry.type === canonicalType(owner.type)).some((entry) =>
          refersTo(owner, entry.property, ip),
        ),
      );
      if (!owned)
        report(
          `public IP ${ip.name} is not attached to the edge (Application Gateway) or an allowed platform owner.`,
          ip.urn,
        );
    }
  },
});
