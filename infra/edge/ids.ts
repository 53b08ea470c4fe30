/**
 * ARM IDs inside an Application Gateway. A gateway's listeners, rules and settings refer to each other
 * by sub-resource ID, and those IDs must exist before the gateway does, so they are computed from the
 * gateway's own (deterministic) resource ID instead of read back from Azure.
 */

/** The child collections of `Microsoft.Network/applicationGateways` that the edge refers to by ID. */
export type GatewaySubResourceKind =
  | "gatewayIPConfigurations"
  | "frontendIPConfigurations"
  | "frontendPorts"
  | "sslCertificates"
  | "trustedRootCertificates"
  | "httpListeners"
  | "backendAddressPools"
  | "backendHttpSettingsCollection"
  | "probes"
  | "rewriteRuleSets"
  | "requestRoutingRules";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Resource group names: 1-90 of letters, digits, `_`, `-`, `.`, `(`, `)`, not ending in `.`. */
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
/** Application Gateway and child names: 1-80 of letters, digits, `_`, `.`, `-`; starts alphanumeric, ends alphanumeric or `_`. */
const GATEWAY_NAME = /^[A-Za-z0-9](?:[\w.-]{0,78}[\w])?$/;
const GATEWAY_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/applicationGateways\/[^/]+$/;

export class InvalidGatewayIdError extends Error {}

/** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/applicationGateways/<name>` */
export function applicationGatewayId(
  subscriptionId: string,
  resourceGroupName: string,
  gatewayName: string,
): string {
  if (!GUID.test(subscriptionId))
    throw new InvalidGatewayIdError(`subscription ID "${subscriptionId}" is not a GUID`);
  if (!RESOURCE_GROUP.test(resourceGroupName)) {
    throw new InvalidGatewayIdError(
      `resource group name "${resourceGroupName}" is not a valid Azure resource group name`,
    );
  }
  if (!GATEWAY_NAME.test(gatewayName)) {
    throw new InvalidGatewayIdError(
      `application gateway name "${gatewayName}" is not a valid Application Gateway name`,
    );
  }
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Network/applicationGateways/${gatewayName}`;
}

/** The full ARM ID of one child of the gateway, e.g. `<gatewayId>/httpListeners/https-listener`. */
export function subResourceId(gatewayId: string, kind: GatewaySubResourceKind, name: string): string {
  if (!GATEWAY_ID.test(gatewayId)) {
    throw new InvalidGatewayIdError(`"${gatewayId}" is not an Application Gateway resource ID`);
  }
  if (!GATEWAY_NAME.test(name)) {
    throw new InvalidGatewayIdError(`${kind} name "${name}" is not a valid Application Gateway child name`);
  }
  return `${gatewayId}/${kind}/${name}`;
}
