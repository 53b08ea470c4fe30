import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import type { DiagnosticTarget } from "../conventions/contracts";
import { checkArgs, type GatewayArgs, type ServiceEntity } from "./args";
import { createGatewayDns } from "./dns";
import { createMcpApis, createNamedValues } from "./mcp-apis";
import { POLICY_FORMAT, renderGlobalPolicy } from "./policy";
import { createManagementLockdown, createPrivateEndpoint, createService, firstAddress } from "./service";
import { isClassicSku } from "./service-settings";

export * from "./apis";
export * from "./args";
export * from "./logging";
export * from "./service-settings";

/** The type token the monitoring component selects log categories by. */
const SERVICE_TYPE = "azure-native:apimanagement:ApiManagementService";

/**
 * API Management in front of the MCP servers (GitHub issue 6): the hardened service (Internal VNet mode
 * on classic tiers, legacy TLS and weak ciphers off, management endpoints and portals closed, custom
 * hostname from Key Vault), the private DNS that lets the edge reach it by that hostname, one HTTP API
 * per MCP server with its policy, Backend entity and metadata operation, the anonymous well-known API,
 * the global policy and Key Vault named values. Each child type has its own module (`service.ts`,
 * `dns.ts`, `api.ts`, `mcp-apis.ts`); request logging to Application Insights is `GatewayLogging`.
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

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:gateway:Gateway", name, {}, opts);
    checkArgs(args);
    const { resourceGroupName, gateway } = args;
    const classic = isClassicSku(gateway.sku);
    this.gatewayHostname = gateway.hostname;

    const service = createService(this, name, args, classic);
    const entity: ServiceEntity = { resourceGroupName, serviceName: service.name };
    this.serviceId = service.id;
    this.serviceName = service.name;
    createManagementLockdown(this, name, args, service);

    this.privateIpAddress = classic
      ? service.privateIPAddresses.apply((ips) => firstAddress(ips, "the service's privateIPAddresses"))
      : createPrivateEndpoint(this, name, args, service.id);
    createGatewayDns(this, name, args, classic, this.privateIpAddress);

    // The default global policy forwards on its own; the MCP policies must only be uploaded after it is replaced.
    const globalPolicy = new apimanagement.Policy(
      `${name}-global-policy`,
      { ...entity, policyId: "policy", format: POLICY_FORMAT, value: renderGlobalPolicy() },
      { parent: this },
    );
    const namedValues = createNamedValues(this, name, args, entity);
    const apis = createMcpApis(this, name, args, entity, globalPolicy, namedValues);

    this.apiIds = apis.apiIds;
    this.backendIds = apis.backendIds;
    this.mcpServerUrls = apis.urls;
    this.wellKnownApiId = apis.wellKnownApiId;
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
}
