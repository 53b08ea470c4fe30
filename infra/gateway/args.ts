import type * as pulumi from "@pulumi/pulumi";
import type { EnvironmentName, McpServerConfig, StackConfig } from "../config/schema";
import type { PrivateDnsZoneRef } from "../conventions/contracts";
import type { NamingContext } from "../conventions/naming";
import type { StandardTags } from "../conventions/tags";
import { isClassicSku, zoneProblems } from "./service-settings";

/** The gateway's user-assigned managed identity (identity component). */
export interface GatewayManagedIdentity {
  /** ARM resource ID. */
  readonly id: pulumi.Input<string>;
  readonly principalId: pulumi.Input<string>;
  readonly clientId: pulumi.Input<string>;
}

/** What the other components resolved for one MCP server. */
export interface GatewayServerEndpoint {
  /** Client ID of the server's own Entra API app (one app per server: v2 tokens carry it in `aud`). */
  readonly apiClientId: pulumi.Input<string>;
  /** The backend app's identifier URI (or client ID); required when `backendAuth.type` is `managedIdentity`. */
  readonly backendAudience?: pulumi.Input<string>;
  /** The MCP endpoint behind the gateway, `https://`: config `backendUrl`, or the workload's ingress. */
  readonly backendUrl: pulumi.Input<string>;
}

export interface GatewayArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
  readonly environment: EnvironmentName;
  readonly tenantId: string;
  /** `config.gateway`: tier, units, zones, hostname, publisher, minimum control-plane API version. */
  readonly gateway: StackConfig["gateway"];
  /** `config.gatewayPolicy`: origins, limits, session TTL, protocol versions. */
  readonly gatewayPolicy: StackConfig["gatewayPolicy"];
  readonly mcpServers: readonly McpServerConfig[];
  /** `config.identity.scopeValue`: the delegated scope the policy requires in `scp`. */
  readonly scopeValue: string;
  /** `config.identity.preAuthorizedClientIds`: client apps (`azp`) allowed to call. */
  readonly preAuthorizedClientIds: readonly string[];
  /** The first-party public client's ID, when `identity.firstPartyClient.enabled`. */
  readonly firstPartyClientId?: pulumi.Input<string>;
  /** Classic tiers: the gateway subnet API Management is injected into (Internal mode). */
  readonly subnetId?: pulumi.Input<string>;
  /** StandardV2: the subnet delegated to Microsoft.Web/serverFarms for outbound VNet integration. */
  readonly integrationSubnetId?: pulumi.Input<string>;
  /** StandardV2: the private-endpoint subnet for inbound private access. */
  readonly privateEndpointSubnetId?: pulumi.Input<string>;
  /**
   * The network component's API Management zone: classic tiers get `<service>.azure-api.net` (this
   * component adds its apex A record), StandardV2 gets `privatelink.azure-api.net` (for the private endpoint).
   */
  readonly apimDnsZone?: PrivateDnsZoneRef;
  /** The VNet the custom hostname's private zone is linked to (the edge resolves the gateway through it). */
  readonly vnetId: pulumi.Input<string>;
  readonly identity: GatewayManagedIdentity;
  /** One entry per `mcpServers[].name`. */
  readonly servers: Readonly<Record<string, GatewayServerEndpoint>>;
  /**
   * Versionless secret URI of the session-binding key (a generated Key Vault secret): the gateway signs the
   * session IDs it hands out with it (docs/gateway.md, step 6), through the `mcp-session-key` named value.
   */
  readonly sessionKeySecretUri: pulumi.Input<string>;
  /** Key Vault secret name -> versionless secret URI, for every `apiKey` backend's `secretName`. */
  readonly namedValueSecrets: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Versionless secret URI of the custom hostname's certificate (`gateway.tlsCertificate`). Omit it
   * only to create the service without its custom domain first (see docs/gateway.md, "Custom domain").
   */
  readonly tlsCertificateSecretUri?: pulumi.Input<string>;
  /**
   * What must exist before API Management reads the certificate: the secret, its read grant for
   * `identity` and the propagation wait (the key vault component's `certificateReady`). API Management
   * fetches the certificate while it is created and fails the deployment when Key Vault refuses.
   */
  readonly certificateAccess?: readonly pulumi.Resource[];
  /** Azure AI Content Safety endpoint; required when a server enables `contentSafety`. */
  readonly contentSafetyEndpoint?: pulumi.Input<string>;
  /**
   * StandardV2 only (classic tiers are Internal). Azure refuses "Disabled" while the service is created:
   * create with "Enabled", then switch to "Disabled" (the default) once the private endpoint exists.
   */
  readonly publicNetworkAccess?: "Enabled" | "Disabled";
  readonly protect?: boolean;
}

/** The inputs every API Management child entity starts with. */
export interface ServiceEntity {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
}

/** Argument problems found before any resource is declared (all at once). */
export function checkArgs(args: GatewayArgs): void {
  const problems = [...zoneProblems(args.gateway)];
  const classic = isClassicSku(args.gateway.sku);
  if (classic && args.subnetId === undefined)
    problems.push("subnetId is required for the classic tiers (Internal VNet mode)");
  if (!classic) {
    for (const key of ["integrationSubnetId", "privateEndpointSubnetId", "apimDnsZone"] as const) {
      if (args[key] === undefined)
        problems.push(`${key} is required for StandardV2 (VNet integration and private endpoint)`);
    }
  }
  for (const server of args.mcpServers) {
    if (args.servers[server.name] === undefined) problems.push(`servers.${server.name} is missing`);
    if (
      server.backendAuth.type === "apiKey" &&
      args.namedValueSecrets[server.backendAuth.secretName] === undefined
    ) {
      problems.push(
        `namedValueSecrets.${server.backendAuth.secretName} is missing (backend key of ${server.name})`,
      );
    }
  }
  const unknown = Object.keys(args.servers).filter(
    (key) => !args.mcpServers.some((server) => server.name === key),
  );
  if (unknown.length > 0) problems.push(`servers has entries for unknown MCP servers: ${unknown.join(", ")}`);
  if (problems.length > 0) throw new Error(`Gateway ${args.gateway.hostname}: ${problems.join("; ")}`);
}
