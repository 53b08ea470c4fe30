import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as network from "@pulumi/azure-native/network";
import type { DiagnosticTarget } from "../conventions/contracts";
import { resourceName, type NamingContext } from "../conventions/naming";
import type { StandardTags } from "../conventions/tags";
import { applicationGatewayId, subResourceId, type GatewaySubResourceKind } from "./ids";
import {
  edgeSslPolicy,
  wafBodyLimits,
  wafCustomRules,
  wafManagedRuleSets,
  wafPolicySettings,
} from "./policy";
import { rewriteRuleSet } from "./rewrite";
import {
  APIM_HEALTH_PATH,
  assertVersionlessSecretUri,
  BACKEND_REQUEST_TIMEOUT_SECONDS,
  backendAddresses,
  edgeCapacity,
  GATEWAY_CHILD_NAMES as N,
} from "./settings";

export { edgeSettingsFromConfig, type EdgeSettings } from "./settings";

/**
 * The CA that signs API Management's certificate, when it is not publicly trusted. Application
 * Gateway v2 already trusts the well-known public CAs: with a publicly issued certificate on API
 * Management (the recommended setup: the same certificate as the edge) leave this out.
 */
export type TrustedRootCertificate =
  { readonly keyVaultSecretId: pulumi.Input<string> } | { readonly data: pulumi.Input<string> };

export interface EdgeArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
  /** The public MCP host name (`gateway.hostname`); the only host the edge answers for. */
  readonly hostname: string;
  /** Autoscale bounds (`edge.minCapacity`/`edge.maxCapacity`). */
  readonly capacity: { readonly min: number; readonly max: number };
  /** Availability zones of the gateway and its public IP (`edge.zones`); empty for a regional deployment. */
  readonly zones: readonly string[];
  /** The dedicated Application Gateway subnet (network component). */
  readonly subnetId: pulumi.Input<string>;
  /** Resource ID of the edge's user-assigned identity; it needs Key Vault Secrets User on the certificate. */
  readonly identityId: pulumi.Input<string>;
  /** Versionless Key Vault secret URI of the TLS certificate (`https://<vault>.vault.azure.net/secrets/<name>`). */
  readonly certificateSecretUri: pulumi.Input<string>;
  /**
   * Host header and TLS SNI towards API Management: its custom gateway hostname, resolved privately
   * (a private DNS zone) so that API Management presents the certificate issued for it.
   */
  readonly backendHostname: string;
  /** API Management's private IP address(es) or an FQDN that resolves to it inside the VNet. */
  readonly backendAddresses: pulumi.Input<pulumi.Input<string>[]>;
  /** API Management's request body limit (`gatewayPolicy.maxRequestBodyBytes`); the WAF enforces the same. */
  readonly maxRequestBodyBytes: number;
  /** The WAF rate-limit rule's threshold per client address and minute (`edge.clientAddressRequestsPerMinute`). */
  readonly clientAddressRequestsPerMinute: number;
  /** The network component's DDoS Network Protection plan, when it has one. */
  readonly ddosProtectionPlanId?: pulumi.Input<string>;
  readonly trustedRootCertificate?: TrustedRootCertificate;
  /**
   * Resources the gateway must wait for, typically the identity's Key Vault role assignment: the
   * gateway reads the certificate while it is created and fails if it cannot.
   */
  readonly certificateAccess?: readonly pulumi.Resource[];
}

/**
 * The only public entry: Application Gateway v2 with WAF in prevention mode, TLS 1.3 only, in front
 * of API Management's private endpoint. No HTTP listener exists (docs/edge.md).
 */
export class Edge extends pulumi.ComponentResource {
  public readonly applicationGatewayId: pulumi.Output<string>;
  public readonly publicIpAddress: pulumi.Output<string | undefined>;
  public readonly publicIpId: pulumi.Output<string>;
  public readonly wafPolicyId: pulumi.Output<string>;
  public readonly diagnosticTargets: readonly DiagnosticTarget[];

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:edge:Edge", name, {}, opts);
    const child = { parent: this };
    const capacity = edgeCapacity(args.capacity.min, args.capacity.max);
    const zones = args.zones.length > 0 ? [...args.zones] : undefined;
    const tags = { ...args.tags };

    const bodyLimits = wafBodyLimits(args.maxRequestBodyBytes);
    if (bodyLimits.clamped) {
      pulumi.log.warn(
        `the WAF accepts request bodies of ${bodyLimits.maxRequestBodySizeInKb} KB at most; ` +
          `API Management allows ${args.maxRequestBodyBytes} bytes, so the edge is the tighter limit`,
        this,
      );
    }

    const publicIp = new network.PublicIPAddress(
      `${name}-public-ip`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        publicIpAddressName: resourceName("publicIp", args.naming, "edge"),
        sku: { name: network.PublicIPAddressSkuName.Standard, tier: network.PublicIPAddressSkuTier.Regional },
        publicIPAllocationMethod: network.IPAllocationMethod.Static,
        publicIPAddressVersion: network.IPVersion.IPv4,
        zones,
        // With a plan, protect this address explicitly instead of relying on the VNet's association.
        ddosSettings:
          args.ddosProtectionPlanId === undefined
            ? { protectionMode: network.DdosSettingsProtectionMode.VirtualNetworkInherited }
            : {
                protectionMode: network.DdosSettingsProtectionMode.Enabled,
                ddosProtectionPlan: { id: args.ddosProtectionPlanId },
              },
        tags,
      },
      child,
    );

    const wafPolicy = new network.WebApplicationFirewallPolicy(
      `${name}-waf-policy`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        policyName: resourceName("wafPolicy", args.naming, "edge"),
        policySettings: wafPolicySettings(args.maxRequestBodyBytes),
        managedRules: { managedRuleSets: wafManagedRuleSets() },
        customRules: wafCustomRules(args.clientAddressRequestsPerMinute),
        tags,
      },
      child,
    );

    const gatewayName = resourceName("applicationGateway", args.naming, "edge");
    const clientConfig = authorization.getClientConfigOutput({ parent: this });
    const gatewayId = pulumi
      .all([clientConfig.subscriptionId, args.resourceGroupName])
      .apply(([subscriptionId, resourceGroupName]) =>
        applicationGatewayId(subscriptionId, resourceGroupName, gatewayName),
      );
    const ref = (kind: GatewaySubResourceKind, childName: string): { id: pulumi.Output<string> } => ({
      id: gatewayId.apply((id) => subResourceId(id, kind, childName)),
    });

    // Plain values are checked now, so a mistake fails before anything is declared; outputs when known.
    checkNow(args.certificateSecretUri, assertVersionlessSecretUri);
    checkNow(args.backendAddresses, (values) => {
      if (values.every((value): value is string => typeof value === "string")) backendAddresses(values);
    });
    const certificateSecretId = pulumi.output(args.certificateSecretUri).apply(assertVersionlessSecretUri);
    const trustedRoots =
      args.trustedRootCertificate === undefined
        ? []
        : [{ name: N.trustedRootCertificate, ...args.trustedRootCertificate }];

    const gateway = new network.ApplicationGateway(
      `${name}-application-gateway`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        applicationGatewayName: gatewayName,
        sku: { name: network.ApplicationGatewaySkuName.WAF_v2, tier: network.ApplicationGatewayTier.WAF_v2 },
        autoscaleConfiguration: { minCapacity: capacity.min, maxCapacity: capacity.max },
        zones,
        identity: {
          type: network.ResourceIdentityType.UserAssigned,
          userAssignedIdentities: [args.identityId],
        },
        enableHttp2: true,
        // The WAF needs whole requests (request buffering cannot be turned off with WAF); responses are
        // streamed so that SSE events reach the client as API Management sends them.
        globalConfiguration: { enableRequestBuffering: true, enableResponseBuffering: false },
        firewallPolicy: { id: wafPolicy.id },
        forceFirewallPolicyAssociation: true,
        sslPolicy: edgeSslPolicy(),
        gatewayIPConfigurations: [{ name: N.gatewayIpConfiguration, subnet: { id: args.subnetId } }],
        frontendIPConfigurations: [{ name: N.frontendIp, publicIPAddress: { id: publicIp.id } }],
        // 443 only: no HTTP listener exists, so plain HTTP is never answered (not even with a redirect).
        frontendPorts: [{ name: N.frontendPort, port: 443 }],
        sslCertificates: [{ name: N.sslCertificate, keyVaultSecretId: certificateSecretId }],
        trustedRootCertificates: trustedRoots.length > 0 ? trustedRoots : undefined,
        httpListeners: [
          {
            name: N.listener,
            protocol: network.ApplicationGatewayProtocol.Https,
            frontendIPConfiguration: ref("frontendIPConfigurations", N.frontendIp),
            frontendPort: ref("frontendPorts", N.frontendPort),
            sslCertificate: ref("sslCertificates", N.sslCertificate),
            hostName: args.hostname,
            requireServerNameIndication: true,
            firewallPolicy: { id: wafPolicy.id },
          },
        ],
        backendAddressPools: [
          {
            name: N.backendPool,
            backendAddresses: pulumi
              .output(args.backendAddresses)
              .apply((values) => backendAddresses(values)),
          },
        ],
        backendHttpSettingsCollection: [
          {
            name: N.backendSettings,
            protocol: network.ApplicationGatewayProtocol.Https,
            port: 443,
            // Host header and SNI are API Management's custom hostname, whatever address the pool holds,
            // so API Management routes the request and its certificate name validates.
            hostName: args.backendHostname,
            pickHostNameFromBackendAddress: false,
            cookieBasedAffinity: network.ApplicationGatewayCookieBasedAffinity.Disabled,
            requestTimeout: BACKEND_REQUEST_TIMEOUT_SECONDS,
            probe: ref("probes", N.probe),
            trustedRootCertificates:
              trustedRoots.length > 0
                ? [ref("trustedRootCertificates", N.trustedRootCertificate)]
                : undefined,
          },
        ],
        probes: [
          {
            name: N.probe,
            protocol: network.ApplicationGatewayProtocol.Https,
            path: APIM_HEALTH_PATH,
            pickHostNameFromBackendHttpSettings: true,
            interval: 30,
            timeout: 30,
            unhealthyThreshold: 3,
            match: { statusCodes: ["200-399"] },
          },
        ],
        rewriteRuleSets: [rewriteRuleSet(N.rewriteRuleSet)],
        requestRoutingRules: [
          {
            name: N.routingRule,
            ruleType: network.ApplicationGatewayRequestRoutingRuleType.Basic,
            priority: 100,
            httpListener: ref("httpListeners", N.listener),
            backendAddressPool: ref("backendAddressPools", N.backendPool),
            backendHttpSettings: ref("backendHttpSettingsCollection", N.backendSettings),
            rewriteRuleSet: ref("rewriteRuleSets", N.rewriteRuleSet),
          },
        ],
        tags,
      },
      { parent: this, dependsOn: [...(args.certificateAccess ?? [])] },
    );

    this.applicationGatewayId = gateway.id;
    this.publicIpAddress = publicIp.ipAddress;
    this.publicIpId = publicIp.id;
    this.wafPolicyId = wafPolicy.id;
    this.diagnosticTargets = [
      {
        name: `${name}-application-gateway`,
        type: "azure-native:network:ApplicationGateway",
        resourceId: gateway.id,
      },
      { name: `${name}-public-ip`, type: "azure-native:network:PublicIPAddress", resourceId: publicIp.id },
    ];
    this.registerOutputs({
      applicationGatewayId: this.applicationGatewayId,
      publicIpAddress: this.publicIpAddress,
      publicIpId: this.publicIpId,
      wafPolicyId: this.wafPolicyId,
    });
  }
}

/** Runs `check` at once on a plain (not yet wrapped) input value. */
function checkNow<T>(value: pulumi.Input<T>, check: (plain: T) => unknown): void {
  if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) check(value as T);
}
