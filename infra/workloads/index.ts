import * as pulumi from "@pulumi/pulumi";
import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import type { EnvironmentName, McpServerConfig } from "../config/schema";
import type { DiagnosticTarget, PrivateDnsZoneRef } from "../conventions/contracts";
import { resourceName } from "../conventions/naming";
import { roleAssignmentName, roleDefinitionId } from "../conventions/rbac";
import type { Foundation } from "../foundation";
import { AUTH_CONFIG_NAME, easyAuthConfig } from "./easy-auth";
import { deployedImageReference, type ImagePromotion } from "./images";
import {
  MCP_PATH,
  SCRATCH_MOUNT_PATH,
  WORKLOAD_PROFILE,
  WorkloadPlanError,
  workloadPlans,
  type WorkloadPlan,
} from "./plan";
import { ACR_PULL_ROLE_ID } from "./rbac";

export * from "./easy-auth";
export * from "./egress";
export * from "./images";
export * from "./plan";

/** A user-assigned managed identity as the identity component hands it over. */
export interface WorkloadIdentityRef {
  /** ARM resource ID (for `identity.userAssignedIdentities`, registry pulls and Key Vault references). */
  readonly id: pulumi.Input<string>;
  /** Service principal object ID (for role assignments). */
  readonly principalId: pulumi.Input<string>;
  /** Client ID (`AZURE_CLIENT_ID` inside the container). */
  readonly clientId: pulumi.Input<string>;
}

/** The Entra backend app of one server: whose tokens the workload's Easy Auth accepts. */
export interface WorkloadBackendAuth {
  /** Client ID of the backend app (the `aud` of v2 tokens). */
  readonly backendClientId: pulumi.Input<string>;
  /** Identifier URI(s) of the backend app (what the gateway passes as `resource=`). */
  readonly audiences: readonly pulumi.Input<string>[];
}

/** A Key Vault secret a workload reads as an environment variable (the value never enters the program). */
export interface WorkloadSecretReference {
  /** Container app secret name: lower-case letters, digits and '-'. */
  readonly name: string;
  readonly environmentVariable: string;
  /** Versionless secret URI (`https://<vault>.vault.azure.net/secrets/<name>`), so rotation is picked up. */
  readonly keyVaultSecretUri: pulumi.Input<string>;
}

export interface WorkloadsArgs {
  readonly foundation: Pick<Foundation, "resourceGroupName" | "location" | "naming" | "tags">;
  /** `config.environment`: prod is zone-redundant. */
  readonly environment: EnvironmentName;
  readonly tenantId: string;
  /** `config.mcpServers`: the ones with `container` become container apps. */
  readonly mcpServers: readonly McpServerConfig[];
  /** The environment's infrastructure subnet (delegated to `Microsoft.App/environments`, at least /27). */
  readonly workloadSubnetId: pulumi.Input<string>;
  readonly privateEndpointSubnetId: pulumi.Input<string>;
  /** `privatelink.azurecr.io`, linked to the VNet by the network component. */
  readonly registryDnsZone: PrivateDnsZoneRef;
  /** Subnets the gateway calls from; the only sources each app's ingress admits. */
  readonly gatewayCallerCidrs: readonly string[];
  /**
   * VNets to link the environment's private DNS zone to, besides the workload subnet's own VNet
   * (hub-and-spoke: the VNet API Management lives in, if it is another one).
   */
  readonly additionalDnsLinkVirtualNetworkIds?: readonly pulumi.Input<string>[];
  /** Server name -> its own user-assigned identity (identity component, `workload-<server>`). */
  readonly workloadIdentities: Readonly<Record<string, WorkloadIdentityRef>>;
  /** Server name -> its Entra backend app (identity component). */
  readonly backendAuth: Readonly<Record<string, WorkloadBackendAuth>>;
  /** The gateway's managed identity: the only caller Easy Auth admits. */
  readonly gatewayIdentity: {
    readonly clientId: pulumi.Input<string>;
    readonly principalId: pulumi.Input<string>;
  };
  /** Server name -> Key Vault secrets it reads (its identity needs Key Vault Secrets User on each, granted by the Key Vault component). */
  readonly secrets?: Readonly<Record<string, readonly WorkloadSecretReference[]>>;
  /** `config.features.protectStatefulResources`: the registry holds the promoted images. */
  readonly protectStatefulResources?: boolean;
  /** `config.features.resourceLocks`: a CanNotDelete lock on the registry. */
  readonly resourceLocks?: boolean;
}

const SECRET_NAME = /^[a-z0-9][a-z0-9-]{0,251}[a-z0-9]$/;
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_ENV_VARS = new Set(["AZURE_CLIENT_ID", "PORT"]);

/** `/subscriptions/.../virtualNetworks/<vnet>/subnets/<subnet>` -> the VNet's ID. */
export function virtualNetworkIdOf(subnetId: string): string {
  const match =
    /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+)\/subnets\/[^/]+$/i.exec(
      subnetId,
    );
  if (!match) throw new Error(`"${subnetId}" is not a subnet resource ID`);
  return match[1]!;
}

/**
 * The sandbox MCP servers run in: an internal Container Apps environment in the workload subnet, one
 * container app per containerised server (own identity, own limits, Easy Auth, images by digest from a
 * private registry), and that registry behind a private endpoint.
 */
export class Workloads extends pulumi.ComponentResource {
  readonly environmentId: pulumi.Output<string>;
  /** `<unique>.<region>.azurecontainerapps.io`: every app's FQDN is `<app>.<defaultDomain>`. */
  readonly environmentDefaultDomain: pulumi.Output<string>;
  /** The environment's internal load balancer IP in the workload subnet. */
  readonly environmentStaticIp: pulumi.Output<string>;
  /** The private DNS zone (named after the default domain) that resolves the apps inside the VNet. */
  readonly environmentDnsZoneId: pulumi.Output<string>;
  readonly registryId: pulumi.Output<string>;
  readonly registryName: string;
  readonly registryLoginServer: pulumi.Output<string>;
  /** Server name -> `https://<app fqdn>/mcp`: the gateway's backend URL for the server. */
  readonly backendUrls: Readonly<Record<string, pulumi.Output<string>>>;
  readonly containerAppIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Server name -> the image CI must import into `registryName` before deploying (docs/workloads.md). */
  readonly imagePromotions: Readonly<Record<string, ImagePromotion>>;
  readonly plans: readonly WorkloadPlan[];
  readonly diagnosticTargets: readonly DiagnosticTarget[];

  constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:workloads:Workloads", name, {}, opts);
    const { resourceGroupName, location, naming, tags } = args.foundation;
    const plans = workloadPlans(args.mcpServers, naming);
    checkInputs(args, plans);
    this.plans = plans;
    const prod = args.environment === "prod";
    const child = { parent: this };

    // --- private registry ---
    this.registryName = resourceName("containerRegistry", naming);
    const registry = new containerregistry.Registry(
      `${name}-registry`,
      {
        registryName: this.registryName,
        resourceGroupName,
        location,
        tags,
        sku: { name: "Premium" }, // private endpoints and export policy need Premium
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        publicNetworkAccess: "Disabled",
        networkRuleSet: { defaultAction: "Deny" },
        // Trusted Azure services (`az acr import`, Defender for Containers scanning) still authenticate
        // with Entra ID and RBAC; without the bypass, promotion by import into this registry fails.
        networkRuleBypassOptions: "AzureServices",
        dataEndpointEnabled: true,
        ...(prod ? { zoneRedundancy: "Enabled" } : {}),
        policies: {
          // Images leave only by pull through the VNet: no `acr import`/transfer out of this registry.
          exportPolicy: { status: "disabled" },
        },
      },
      { ...child, protect: args.protectStatefulResources === true },
    );
    if (args.resourceLocks) {
      new authorization.ManagementLockByScope(
        `${name}-registry-lock`,
        {
          scope: registry.id,
          lockName: resourceName("managementLock", naming, "registry"),
          level: "CanNotDelete",
          notes: "Holds the digests every workload runs; delete only with the lock removed on purpose.",
        },
        child,
      );
    }
    const registryEndpointName = resourceName("privateEndpoint", naming, "acr");
    const registryEndpoint = new network.PrivateEndpoint(
      `${name}-registry-pe`,
      {
        privateEndpointName: registryEndpointName,
        customNetworkInterfaceName: `${registryEndpointName}-nic`,
        resourceGroupName,
        location,
        tags,
        subnet: { id: args.privateEndpointSubnetId },
        privateLinkServiceConnections: [
          { name: "registry", privateLinkServiceId: registry.id, groupIds: ["registry"] },
        ],
      },
      child,
    );
    const registryDns = new network.PrivateDnsZoneGroup(
      `${name}-registry-dns`,
      {
        privateEndpointName: registryEndpoint.name,
        privateDnsZoneGroupName: "default",
        resourceGroupName,
        privateDnsZoneConfigs: [
          {
            name: args.registryDnsZone.zoneName.replace(/\./g, "-"),
            privateDnsZoneId: args.registryDnsZone.zoneId,
          },
        ],
      },
      child,
    );

    // --- environment ---
    const environment = new app.ManagedEnvironment(
      `${name}-environment`,
      {
        environmentName: resourceName("containerAppsEnvironment", naming),
        resourceGroupName,
        location,
        tags,
        vnetConfiguration: { infrastructureSubnetId: args.workloadSubnetId, internal: true },
        publicNetworkAccess: "Disabled",
        workloadProfiles: [{ name: WORKLOAD_PROFILE, workloadProfileType: WORKLOAD_PROFILE }],
        zoneRedundant: prod,
        // Logs go through a diagnostic setting (monitoring component): no workspace shared key here.
        appLogsConfiguration: { destination: "azure-monitor" },
        peerTrafficConfiguration: { encryption: { enabled: true } },
      },
      child,
    );

    // The default domain resolves only through a private zone pointing at the internal load balancer.
    const zone = new privatedns.PrivateZone(
      `${name}-environment-dns`,
      { privateZoneName: environment.defaultDomain, resourceGroupName, location: "global", tags },
      child,
    );
    new privatedns.PrivateRecordSet(
      `${name}-environment-dns-wildcard`,
      {
        privateZoneName: zone.name,
        resourceGroupName,
        recordType: "A",
        relativeRecordSetName: "*",
        ttl: 300,
        aRecords: [{ ipv4Address: environment.staticIp }],
      },
      child,
    );
    const linkedVnets = [
      pulumi.output(args.workloadSubnetId).apply(virtualNetworkIdOf),
      ...(args.additionalDnsLinkVirtualNetworkIds ?? []),
    ];
    linkedVnets.forEach((vnetId, index) => {
      new privatedns.VirtualNetworkLink(
        `${name}-environment-dns-link-${index}`,
        {
          privateZoneName: zone.name,
          virtualNetworkLinkName: `vnetlink-${index}`,
          resourceGroupName,
          location: "global",
          tags,
          registrationEnabled: false,
          virtualNetwork: { id: vnetId },
        },
        child,
      );
    });

    // --- one container app per containerised server ---
    const backendUrls: Record<string, pulumi.Output<string>> = {};
    const containerAppIds: Record<string, pulumi.Output<string>> = {};
    const imagePromotions: Record<string, ImagePromotion> = {};
    for (const plan of plans) {
      const identity = args.workloadIdentities[plan.server]!;
      const auth = args.backendAuth[plan.server]!;
      const secrets = args.secrets?.[plan.server] ?? [];
      imagePromotions[plan.server] = plan.promotion;

      const acrPull = new authorization.RoleAssignment(
        `${name}-${plan.server}-acr-pull`,
        {
          roleAssignmentName: roleAssignmentName(
            naming.uniquenessSeed,
            this.registryName,
            `workload-${plan.server}`,
            ACR_PULL_ROLE_ID,
          ),
          scope: registry.id,
          roleDefinitionId: registry.id.apply((id) => roleDefinitionId(id, ACR_PULL_ROLE_ID)),
          principalId: identity.principalId,
          principalType: "ServicePrincipal",
          description: `MCP workload ${plan.server} pulls its image from the deployment's registry`,
        },
        child,
      );

      const containerApp = new app.ContainerApp(
        `${name}-${plan.server}`,
        {
          containerAppName: plan.appName,
          resourceGroupName,
          location,
          tags: { ...tags, "mcp-server": plan.server },
          environmentId: environment.id,
          workloadProfileName: WORKLOAD_PROFILE,
          identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
          configuration: {
            activeRevisionsMode: "Single",
            ingress: {
              // In an internal environment "external" means reachable from the VNet through the
              // environment's internal load balancer; `external: false` would admit callers inside the
              // environment only, and the gateway is outside it. There is no public endpoint either way.
              external: true,
              allowInsecure: false,
              targetPort: plan.targetPort,
              transport: "http",
              ipSecurityRestrictions: args.gatewayCallerCidrs.map((cidr, index) => ({
                name: `gateway-${index + 1}`,
                action: "Allow",
                ipAddressRange: cidr,
                description: "API Management (the only caller)",
              })),
              traffic: [{ latestRevision: true, weight: 100 }],
            },
            registries: [{ server: registry.loginServer, identity: identity.id }],
            secrets: secrets.map((secret) => ({
              name: secret.name,
              keyVaultUrl: secret.keyVaultSecretUri,
              identity: identity.id,
            })),
          },
          template: {
            containers: [
              {
                name: plan.server,
                image: registry.loginServer.apply((server) => deployedImageReference(server, plan.image)),
                resources: { cpu: plan.cpu, memory: plan.memory },
                env: [
                  { name: "AZURE_CLIENT_ID", value: identity.clientId },
                  { name: "PORT", value: String(plan.targetPort) },
                  ...secrets.map((secret) => ({ name: secret.environmentVariable, secretRef: secret.name })),
                ],
                probes: [
                  {
                    type: "Startup",
                    tcpSocket: { port: plan.targetPort },
                    periodSeconds: 5,
                    failureThreshold: 24,
                  },
                  {
                    type: "Liveness",
                    tcpSocket: { port: plan.targetPort },
                    periodSeconds: 10,
                    failureThreshold: 3,
                  },
                  {
                    type: "Readiness",
                    tcpSocket: { port: plan.targetPort },
                    periodSeconds: 5,
                    failureThreshold: 3,
                  },
                ],
                volumeMounts: [{ volumeName: "scratch", mountPath: SCRATCH_MOUNT_PATH }],
              },
            ],
            volumes: [{ name: "scratch", storageType: "EmptyDir" }],
            scale: {
              minReplicas: plan.minReplicas,
              maxReplicas: plan.maxReplicas,
              rules: [{ name: "http-concurrency", http: { metadata: { concurrentRequests: "20" } } }],
            },
          },
        },
        // The first revision pulls at creation: the pull grant and the registry's DNS must exist first.
        { ...child, dependsOn: [acrPull, registryDns] },
      );

      new app.ContainerAppsAuthConfig(
        `${name}-${plan.server}-auth`,
        {
          containerAppName: containerApp.name,
          resourceGroupName,
          authConfigName: AUTH_CONFIG_NAME,
          ...easyAuthConfig({
            tenantId: args.tenantId,
            backendClientId: auth.backendClientId,
            audiences: auth.audiences,
            gatewayClientId: args.gatewayIdentity.clientId,
            gatewayPrincipalId: args.gatewayIdentity.principalId,
          }),
        },
        child,
      );

      containerAppIds[plan.server] = containerApp.id;
      backendUrls[plan.server] = pulumi
        .all([containerApp.configuration, environment.defaultDomain])
        .apply(
          ([configuration, domain]) =>
            `https://${configuration?.ingress?.fqdn ?? `${plan.appName}.${domain}`}${MCP_PATH}`,
        );
    }

    this.environmentId = environment.id;
    this.environmentDefaultDomain = environment.defaultDomain;
    this.environmentStaticIp = environment.staticIp;
    this.environmentDnsZoneId = zone.id;
    this.registryId = registry.id;
    this.registryLoginServer = registry.loginServer;
    this.backendUrls = backendUrls;
    this.containerAppIds = containerAppIds;
    this.imagePromotions = imagePromotions;
    this.diagnosticTargets = [
      {
        name: "workloads-environment",
        type: "azure-native:app:ManagedEnvironment",
        resourceId: environment.id,
      },
      {
        name: "workloads-registry",
        type: "azure-native:containerregistry:Registry",
        resourceId: registry.id,
      },
    ];
    this.registerOutputs({
      environmentId: this.environmentId,
      environmentDefaultDomain: this.environmentDefaultDomain,
      environmentStaticIp: this.environmentStaticIp,
      registryId: this.registryId,
      registryLoginServer: this.registryLoginServer,
      backendUrls: this.backendUrls,
    });
  }
}

/** Wiring mistakes that would otherwise surface as half-deployed apps: every problem at once. */
function checkInputs(args: WorkloadsArgs, plans: readonly WorkloadPlan[]): void {
  const problems: string[] = [];
  if (plans.length === 0)
    problems.push("no MCP server in config has a container: do not create the workloads component");
  if (args.gatewayCallerCidrs.length === 0)
    problems.push("gatewayCallerCidrs is empty: no caller could reach any workload");
  const servers = new Map(args.mcpServers.map((server) => [server.name, server]));
  for (const plan of plans) {
    if (args.workloadIdentities[plan.server] === undefined)
      problems.push(`${plan.server}: no workload identity (identity component, workload-${plan.server})`);
    if (args.backendAuth[plan.server] === undefined)
      problems.push(`${plan.server}: no Entra backend app for Easy Auth`);
    if (servers.get(plan.server)?.backendAuth.type !== "managedIdentity") {
      problems.push(
        `${plan.server}: a container server must use backendAuth managedIdentity (Easy Auth validates the gateway's Entra token)`,
      );
    }
    const seen = new Set<string>();
    for (const secret of args.secrets?.[plan.server] ?? []) {
      if (!SECRET_NAME.test(secret.name))
        problems.push(
          `${plan.server}: secret name "${secret.name}" must be lower-case letters, digits and '-'`,
        );
      if (
        !ENV_VAR_NAME.test(secret.environmentVariable) ||
        RESERVED_ENV_VARS.has(secret.environmentVariable)
      ) {
        problems.push(
          `${plan.server}: "${secret.environmentVariable}" is not a usable environment variable name`,
        );
      }
      if (seen.has(secret.name)) problems.push(`${plan.server}: secret "${secret.name}" is listed twice`);
      seen.add(secret.name);
    }
  }
  // One identity per server: a shared identity would let one workload act with another's grants.
  const owners = new Map<unknown, string>();
  for (const plan of plans) {
    const identity = args.workloadIdentities[plan.server];
    if (identity === undefined) continue;
    const keys: unknown[] =
      typeof identity.id === "string" ? [identity, identity.id.toLowerCase()] : [identity];
    const owner = keys.map((key) => owners.get(key)).find((found) => found !== undefined);
    if (owner !== undefined)
      problems.push(`${plan.server}: shares its workload identity with ${owner} (each server needs its own)`);
    keys.forEach((key) => owners.set(key, plan.server));
  }
  for (const server of Object.keys(args.secrets ?? {})) {
    if (!plans.some((plan) => plan.server === server))
      problems.push(`secrets given for "${server}", which is not a container server`);
  }
  if (problems.length > 0) throw new WorkloadPlanError(problems);
}
