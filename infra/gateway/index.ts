import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as resources from "@pulumi/azure-native/resources";
import type { EnvironmentName, McpServerConfig, StackConfig } from "../config/schema";
import type { DiagnosticTarget, PrivateDnsZoneRef } from "../conventions/contracts";
import { resourceName, type NamingContext } from "../conventions/naming";
import type { StandardTags } from "../conventions/tags";
import {
  allowedClientAppIds,
  apiKeyHeaderNames,
  apiKeySecretNames,
  backendCredentials,
  backendId,
  mcpApiPolicyInput,
  namedValueName,
  type PolicyContext,
} from "./apis";
import {
  type ApiSpec,
  mcpApiSpec,
  mcpResourceUrl,
  POLICY_FORMAT,
  referencedNamedValues,
  renderGlobalPolicy,
  renderMcpApiPolicy,
  renderPrmOperationPolicy,
  renderWellKnownApiPolicy,
  wellKnownApiSpec,
} from "./policy";
import {
  assertVersionlessSecretUri,
  isClassicSku,
  managementLockdownTemplate,
  proxyHostname,
  requestLogging,
  securityCustomProperties,
  zoneProblems,
} from "./service-settings";

export * from "./apis";
export * from "./service-settings";

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

/** The Application Insights component the Logger writes to (monitoring component). */
export interface GatewayAppInsights {
  readonly id: pulumi.Input<string>;
  /** Its connection string; with local authentication disabled it is an address, not a credential. */
  readonly connectionString: pulumi.Input<string>;
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
  /** Key Vault secret name -> versionless secret URI, for every `apiKey` backend's `secretName`. */
  readonly namedValueSecrets: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Versionless secret URI of the custom hostname's certificate (`gateway.tlsCertificateName`). Omit it
   * only to create the service without its custom domain first (see docs/gateway.md, "Custom domain").
   */
  readonly tlsCertificateSecretUri?: pulumi.Input<string>;
  /** Monitoring hook: with it, a Logger and the `applicationinsights` diagnostic are added. */
  readonly appInsights?: GatewayAppInsights;
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
interface ServiceEntity {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
}

/** The type token the monitoring component selects log categories by. */
const SERVICE_TYPE = "azure-native:apimanagement:ApiManagementService";
const APP_INSIGHTS_LOGGER_ID = "appinsights";

/**
 * API Management in front of the MCP servers (GitHub issue 6): the hardened service (Internal VNet mode
 * on classic tiers, legacy TLS and weak ciphers off, management endpoints and portals closed, custom
 * hostname from Key Vault), the private DNS that lets the edge reach it by that hostname, one HTTP API
 * per MCP server with its policy, Backend entity and metadata operation, the anonymous well-known API,
 * the global policy, Key Vault named values and request logging.
 */
export class Gateway extends pulumi.ComponentResource {
  readonly serviceId: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  /** The address the edge sends traffic to: the internal load balancer (classic) or the private endpoint (v2). */
  readonly privateIpAddress: pulumi.Output<string>;
  readonly gatewayHostname: string;
  /** Server name -> ARM ID of its API. */
  readonly apiIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Server name -> its MCP endpoint `https://<hostname>/<server>/mcp` (the Entra identifier URI). */
  readonly mcpServerUrls: Readonly<Record<string, string>>;
  readonly wellKnownApiId: pulumi.Output<string>;
  /** Server name -> ARM ID of its Backend entity. */
  readonly backendIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** The service: the monitoring component attaches GatewayLogs / GatewayMCPLogs. */
  readonly diagnosticTargets: readonly DiagnosticTarget[];
  private readonly componentName: string;
  private readonly entity: ServiceEntity;
  private readonly componentArgs: GatewayArgs;
  private appInsightsAttached = false;

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:gateway:Gateway", name, {}, opts);
    checkArgs(args);
    const parent = { parent: this };
    const { resourceGroupName, gateway } = args;
    const classic = isClassicSku(gateway.sku);
    this.gatewayHostname = gateway.hostname;

    const service = this.service(name, args, classic);
    const serviceName = service.name;
    const entity: ServiceEntity = { resourceGroupName, serviceName };
    this.componentName = name;
    this.entity = entity;
    this.componentArgs = args;
    this.serviceId = service.id;
    this.serviceName = serviceName;

    new resources.Deployment(
      `${name}-management-lockdown`,
      {
        resourceGroupName,
        deploymentName: `${resourceName("apiManagement", args.naming)}-lockdown`,
        properties: {
          mode: resources.DeploymentMode.Incremental,
          template: managementLockdownTemplate(resourceName("apiManagement", args.naming), gateway.sku),
        },
        tags: args.tags,
      },
      { parent: this, dependsOn: [service] },
    );

    this.privateIpAddress = classic
      ? service.privateIPAddresses.apply((ips) => firstAddress(ips, "the service's privateIPAddresses"))
      : this.privateEndpoint(name, args, service.id);
    this.privateDns(name, args, classic);

    // The default global policy forwards on its own; the MCP policies must only be uploaded after it is replaced.
    const globalPolicy = new apimanagement.Policy(
      `${name}-global-policy`,
      { ...entity, policyId: "policy", format: POLICY_FORMAT, value: renderGlobalPolicy() },
      parent,
    );

    const namedValues = new Map<string, apimanagement.NamedValue>();
    for (const secretName of apiKeySecretNames(args.mcpServers)) {
      const id = namedValueName(secretName);
      const uri = pulumi
        .output(args.namedValueSecrets[secretName]!)
        .apply((value) => assertVersionlessSecretUri(`namedValueSecrets.${secretName}`, value));
      namedValues.set(
        secretName,
        new apimanagement.NamedValue(
          `${name}-nv-${id}`,
          {
            ...entity,
            namedValueId: id,
            displayName: id,
            secret: true,
            keyVault: { secretIdentifier: uri, identityClientId: args.identity.clientId },
          },
          parent,
        ),
      );
    }

    const context = pulumi
      .all([args.identity.clientId, args.firstPartyClientId, args.contentSafetyEndpoint])
      .apply(([clientId, firstParty, contentSafety]): PolicyContext => ({
        sku: gateway.sku,
        gatewayHostname: gateway.hostname,
        tenantId: args.tenantId,
        scopeValue: args.scopeValue,
        allowedClientAppIds: allowedClientAppIds(args.preAuthorizedClientIds, firstParty),
        gatewayPolicy: args.gatewayPolicy,
        managedIdentityClientId: clientId,
        ...(contentSafety === undefined ? {} : { contentSafetyEndpoint: contentSafety }),
      }));

    const apiIds: Record<string, pulumi.Output<string>> = {};
    const backendIds: Record<string, pulumi.Output<string>> = {};
    const urls: Record<string, string> = {};
    for (const server of args.mcpServers) {
      const endpoint = args.servers[server.name]!;
      const secretName = server.backendAuth.type === "apiKey" ? server.backendAuth.secretName : undefined;
      const keyNamedValue = secretName === undefined ? [] : [namedValues.get(secretName)!];
      const credentials = backendCredentials(server);
      const backend = new apimanagement.Backend(
        `${name}-backend-${server.name}`,
        {
          ...entity,
          backendId: backendId(server.name),
          title: server.displayName,
          description: `MCP server ${server.name}`,
          type: apimanagement.BackendType.Single,
          protocol: apimanagement.BackendProtocol.Http,
          url: pulumi.output(endpoint.backendUrl).apply((url) => httpsUrl(server.name, url)),
          tls: { validateCertificateChain: true, validateCertificateName: true },
          ...(credentials === undefined ? {} : { credentials }),
        },
        { parent: this, dependsOn: keyNamedValue },
      );
      backendIds[server.name] = backend.id;

      const policy = pulumi
        .all([context, endpoint.apiClientId, endpoint.backendAudience])
        .apply(([ctx, apiClientId, backendAudience]) => {
          const input = mcpApiPolicyInput(
            server,
            { apiClientId, ...(backendAudience === undefined ? {} : { backendAudience }) },
            ctx,
          );
          const missing = referencedNamedValues(input).filter((nv) => !namedValues.has(nv));
          if (missing.length > 0)
            throw new Error(`policy of ${server.name} references unknown named values: ${missing}`);
          return renderMcpApiPolicy(input);
        });
      const prm = renderPrmOperationPolicy({
        serverName: server.name,
        gatewayHostname: gateway.hostname,
        tenantId: args.tenantId,
        scopeValue: args.scopeValue,
        resourceName: server.displayName,
      });
      const api = this.api(name, entity, mcpApiSpec(server.name, server.displayName), {
        serviceUrl: pulumi.output(endpoint.backendUrl).apply((url) => httpsUrl(server.name, url)),
        description: `MCP server ${server.displayName}: Streamable HTTP (POST/GET/DELETE) behind Entra ID token validation`,
        apiPolicy: policy,
        operationPolicy: prm,
        policyDependsOn: [globalPolicy, backend, ...keyNamedValue],
      });
      apiIds[server.name] = api.id;
      urls[server.name] = mcpResourceUrl(gateway.hostname, server.name);
    }

    const serverNames = args.mcpServers.map((server) => server.name);
    const prmByOperation = new Map(
      args.mcpServers.map((server) => [
        `prm-${server.name}`,
        renderPrmOperationPolicy({
          serverName: server.name,
          gatewayHostname: gateway.hostname,
          tenantId: args.tenantId,
          scopeValue: args.scopeValue,
          resourceName: server.displayName,
        }),
      ]),
    );
    const wellKnown = this.api(name, entity, wellKnownApiSpec(serverNames), {
      description: "RFC 9728 Protected Resource Metadata of every MCP server; anonymous by design",
      apiPolicy: pulumi.output(renderWellKnownApiPolicy()),
      operationPolicy: (operation) => prmByOperation.get(operation)!,
      policyDependsOn: [globalPolicy],
    });

    if (args.appInsights) this.attachApplicationInsights(args.appInsights);

    this.apiIds = apiIds;
    this.backendIds = backendIds;
    this.mcpServerUrls = urls;
    this.wellKnownApiId = wellKnown.id;
    this.diagnosticTargets = [{ name: "api-management", type: SERVICE_TYPE, resourceId: service.id }];
    this.registerOutputs({
      serviceId: this.serviceId,
      serviceName: this.serviceName,
      privateIpAddress: this.privateIpAddress,
      gatewayHostname: this.gatewayHostname,
      apiIds: this.apiIds,
      mcpServerUrls: this.mcpServerUrls,
    });
  }

  private service(name: string, args: GatewayArgs, classic: boolean): apimanagement.ApiManagementService {
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
      { parent: this, protect: args.protect === true },
    );
  }

  /** StandardV2: the inbound private endpoint (`Gateway` sub-resource) with its DNS zone group. */
  private privateEndpoint(
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
      { parent: this },
    );
    new network.PrivateDnsZoneGroup(
      `${name}-pe-dns`,
      {
        resourceGroupName: args.resourceGroupName,
        privateEndpointName: peName,
        privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: [{ name: zone.zoneName.replace(/\./g, "-"), privateDnsZoneId: zone.zoneId }],
      },
      { parent: this, dependsOn: [endpoint] },
    );
    return endpoint.customDnsConfigs.apply((configs) =>
      firstAddress(
        configs?.flatMap((config) => config.ipAddresses ?? []),
        "the private endpoint's customDnsConfigs",
      ),
    );
  }

  /**
   * A private zone named exactly the custom hostname, linked to the VNet, whose apex points at the
   * gateway: the edge (and anything else in the VNet) reaches API Management by the name its certificate
   * is issued for. Classic tiers also get the apex of the network component's `<service>.azure-api.net` zone.
   */
  private privateDns(name: string, args: GatewayArgs, classic: boolean): void {
    const { resourceGroupName, tags } = args;
    const hostname = args.gateway.hostname;
    const zone = new privatedns.PrivateZone(
      `${name}-hostname-zone`,
      { resourceGroupName, location: "global", privateZoneName: hostname, tags },
      { parent: this },
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
      { parent: this, dependsOn: [zone] },
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
          aRecords: [{ ipv4Address: this.privateIpAddress }],
        },
        { parent: this, dependsOn },
      );
    };
    apex(`${name}-hostname-a`, hostname, [zone]);
    if (classic && args.apimDnsZone) apex(`${name}-default-domain-a`, args.apimDnsZone.zoneName, []);
  }

  /** One API with its operations, its API-scope policy and the metadata operations' policies. */
  private api(
    name: string,
    entity: ServiceEntity,
    spec: ApiSpec,
    options: {
      readonly serviceUrl?: pulumi.Input<string>;
      readonly description: string;
      readonly apiPolicy: pulumi.Input<string>;
      readonly operationPolicy: string | ((operationName: string) => string);
      readonly policyDependsOn: pulumi.Resource[];
    },
  ): apimanagement.Api {
    const api = new apimanagement.Api(
      `${name}-api-${spec.name}`,
      {
        ...entity,
        apiId: spec.name,
        displayName: spec.displayName,
        description: options.description,
        path: spec.path,
        apiType: apimanagement.ApiType.Http,
        protocols: [apimanagement.Protocol.Https],
        // Callers are identified by their Entra token; a subscription key would be a shared secret.
        subscriptionRequired: false,
        isCurrent: true,
        ...(options.serviceUrl === undefined ? {} : { serviceUrl: options.serviceUrl }),
      },
      { parent: this },
    );
    new apimanagement.ApiPolicy(
      `${name}-api-${spec.name}-policy`,
      { ...entity, apiId: api.name, policyId: "policy", format: POLICY_FORMAT, value: options.apiPolicy },
      { parent: this, dependsOn: options.policyDependsOn },
    );
    for (const operation of spec.operations) {
      const op = new apimanagement.ApiOperation(
        `${name}-api-${spec.name}-op-${operation.name}`,
        {
          ...entity,
          apiId: api.name,
          operationId: operation.name,
          displayName: operation.displayName,
          method: operation.method,
          urlTemplate: operation.urlTemplate,
        },
        { parent: this },
      );
      if (operation.policy !== "protectedResourceMetadata") continue;
      const value =
        typeof options.operationPolicy === "string"
          ? options.operationPolicy
          : options.operationPolicy(operation.name);
      new apimanagement.ApiOperationPolicy(
        `${name}-api-${spec.name}-op-${operation.name}-policy`,
        {
          ...entity,
          apiId: api.name,
          operationId: op.name,
          policyId: "policy",
          format: POLICY_FORMAT,
          value,
        },
        { parent: this, dependsOn: options.policyDependsOn },
      );
    }
    return api;
  }

  /**
   * The monitoring hook: the Application Insights Logger (managed-identity credentials: the gateway
   * identity needs Monitoring Metrics Publisher on the component) and the service-wide
   * `applicationinsights` diagnostic. Pass `args.appInsights`, or call this once after constructing the
   * monitoring component when that component needs the gateway's `diagnosticTargets` first.
   */
  attachApplicationInsights(appInsights: GatewayAppInsights): void {
    if (this.appInsightsAttached) throw new Error("Application Insights is already attached to this gateway");
    this.appInsightsAttached = true;
    const name = this.componentName;
    const entity = this.entity;
    const args = this.componentArgs;
    const logger = new apimanagement.Logger(
      `${name}-logger-appinsights`,
      {
        ...entity,
        loggerId: APP_INSIGHTS_LOGGER_ID,
        loggerType: apimanagement.LoggerType.ApplicationInsights,
        description: "Application Insights, authenticated with the gateway's managed identity",
        resourceId: appInsights.id,
        isBuffered: true,
        credentials: {
          connectionString: appInsights.connectionString,
          identityClientId: args.identity.clientId,
        },
      },
      { parent: this },
    );
    new apimanagement.Diagnostic(
      `${name}-diagnostic-appinsights`,
      {
        ...entity,
        diagnosticId: "applicationinsights",
        loggerId: logger.id,
        alwaysLog: apimanagement.AlwaysLog.AllErrors,
        logClientIp: true,
        verbosity: apimanagement.Verbosity.Information,
        httpCorrelationProtocol: apimanagement.HttpCorrelationProtocol.W3C,
        operationNameFormat: apimanagement.OperationNameFormat.Name,
        sampling: { samplingType: apimanagement.SamplingType.Fixed, percentage: 100 },
        ...requestLogging(apiKeyHeaderNames(args.mcpServers)),
      },
      { parent: this },
    );
  }
}

/** Argument problems found before any resource is declared (all at once). */
function checkArgs(args: GatewayArgs): void {
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

function httpsUrl(serverName: string, url: string): string {
  if (!/^https:\/\/[^/\s]+/i.test(url)) {
    throw new Error(`backendUrl of ${serverName} must be an https:// URL (got "${url}")`);
  }
  return url;
}

function firstAddress(addresses: readonly string[] | undefined, what: string): string {
  const address = addresses?.[0];
  if (address === undefined)
    throw new Error(`API Management has no private IP address yet (${what} is empty)`);
  return address;
}
