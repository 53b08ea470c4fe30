import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import * as network from "@pulumi/azure-native/network";
import type { DiagnosticTarget, PrivateDnsZoneRef } from "../conventions/contracts";
import { resourceName } from "../conventions/naming";
import { roleAssignmentName, roleDefinitionId } from "../conventions/rbac";
import type { Foundation } from "../foundation";
import { shieldPromptUrl } from "./prompt-shields";
import { COGNITIVE_SERVICES_USER_ROLE_ID } from "./rbac";

export * from "./prompt-shields";

export interface ContentSafetyArgs {
  readonly foundation: Pick<Foundation, "resourceGroupName" | "location" | "naming" | "tags">;
  readonly privateEndpointSubnetId: pulumi.Input<string>;
  /** `privatelink.cognitiveservices.azure.com`, linked to the VNet by the network component. */
  readonly dnsZone: PrivateDnsZoneRef;
  /** Object ID of the gateway's managed identity: granted Cognitive Services User, nothing else is. */
  readonly gatewayPrincipalId: pulumi.Input<string>;
  /**
   * Region of the account when Prompt Shields is not offered in the stack's region (the private
   * endpoint stays in the VNet's region either way). Defaults to `foundation.location`.
   */
  readonly location?: string;
}

/**
 * An Azure AI Content Safety account that only the gateway can call: Entra ID auth only (no keys),
 * no public network access, a private endpoint in the VNet. Create it only when some server in
 * config enables `contentSafety` (`serversWithPromptShields`).
 */
export class ContentSafety extends pulumi.ComponentResource {
  readonly accountId: pulumi.Output<string>;
  readonly accountName: string;
  /** `https://<custom subdomain>.cognitiveservices.azure.com/` (resolves privately inside the VNet). */
  readonly endpoint: pulumi.Output<string>;
  /** The URL the gateway's policy fragment POSTs `tools/call` arguments to. */
  readonly shieldPromptUrl: pulumi.Output<string>;
  readonly diagnosticTargets: readonly DiagnosticTarget[];

  constructor(name: string, args: ContentSafetyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:content-safety:ContentSafety", name, {}, opts);
    const { resourceGroupName, location, naming, tags } = args.foundation;
    const child = { parent: this };

    // The custom subdomain is what makes Entra ID tokens and private endpoints work; it is global, so
    // it carries the tenant-seeded suffix (naming kind `cognitiveServices`).
    this.accountName = resourceName("cognitiveServices", naming, "safety");
    const account = new cognitiveservices.Account(
      `${name}-account`,
      {
        accountName: this.accountName,
        resourceGroupName,
        location: args.location ?? location,
        tags,
        kind: "ContentSafety",
        sku: { name: "S0" },
        properties: {
          customSubDomainName: this.accountName,
          disableLocalAuth: true,
          publicNetworkAccess: "Disabled",
          networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [] },
          // Content Safety analyses what it is sent and calls nothing: no outbound destinations at all.
          restrictOutboundNetworkAccess: true,
        },
      },
      child,
    );

    const endpointName = resourceName("privateEndpoint", naming, "content-safety");
    const privateEndpoint = new network.PrivateEndpoint(
      `${name}-account-pe`,
      {
        privateEndpointName: endpointName,
        customNetworkInterfaceName: `${endpointName}-nic`,
        resourceGroupName,
        location,
        tags,
        subnet: { id: args.privateEndpointSubnetId },
        privateLinkServiceConnections: [
          { name: "account", privateLinkServiceId: account.id, groupIds: ["account"] },
        ],
      },
      child,
    );
    new network.PrivateDnsZoneGroup(
      `${name}-account-dns`,
      {
        privateEndpointName: privateEndpoint.name,
        privateDnsZoneGroupName: "default",
        resourceGroupName,
        privateDnsZoneConfigs: [
          { name: args.dnsZone.zoneName.replace(/\./g, "-"), privateDnsZoneId: args.dnsZone.zoneId },
        ],
      },
      child,
    );

    new authorization.RoleAssignment(
      `${name}-gateway-cognitive-services-user`,
      {
        roleAssignmentName: roleAssignmentName(
          naming.uniquenessSeed,
          this.accountName,
          "gateway",
          COGNITIVE_SERVICES_USER_ROLE_ID,
        ),
        scope: account.id,
        roleDefinitionId: account.id.apply((id) => roleDefinitionId(id, COGNITIVE_SERVICES_USER_ROLE_ID)),
        principalId: args.gatewayPrincipalId,
        principalType: "ServicePrincipal",
        description: "The MCP gateway screens tools/call arguments with Prompt Shields",
      },
      child,
    );

    this.accountId = account.id;
    this.endpoint = account.properties.apply((properties) => properties.endpoint);
    this.shieldPromptUrl = this.endpoint.apply(shieldPromptUrl);
    this.diagnosticTargets = [
      { name: "content-safety", type: "azure-native:cognitiveservices:Account", resourceId: account.id },
    ];
    this.registerOutputs({
      accountId: this.accountId,
      endpoint: this.endpoint,
      shieldPromptUrl: this.shieldPromptUrl,
    });
  }
}
