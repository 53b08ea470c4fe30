import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import type { EnvironmentName, StackConfig } from "../config/schema";
import type { DiagnosticTarget, PrincipalGrant, PrivateDnsZoneRef } from "../conventions/contracts";
import { resourceName, type NamingContext } from "../conventions/naming";
import type { StandardTags } from "../conventions/tags";
import { stableUuid } from "../conventions/uuid";
import { ALERT_RULES, actionGroupInputs, scheduledQueryRuleInputs } from "./alerts";
import {
  DIAGNOSTIC_CATALOGUE,
  diagnosticResourceUri,
  diagnosticSettingInputs,
  isDiagnosedResourceType,
} from "./diagnostics";
import { queryStorage } from "./query-storage";
import { tableRetentionTemplate } from "./retention";
import {
  buildGatewayWorkbook,
  serializeWorkbook,
  WORKBOOK_CATEGORY,
  WORKBOOK_DISPLAY_NAME,
} from "./workbook";

export * from "./alerts";
export * from "./diagnostics";
export * from "./retention";
export * from "./workbook";

/** `config.monitoring`. */
export type MonitoringConfig = StackConfig["monitoring"];

/**
 * The private DNS zones an Azure Monitor Private Link Scope endpoint registers in, keyed as the network
 * component keys them. Every one is required: a missing zone leaves that endpoint family resolving to
 * public addresses, which PrivateOnly access then refuses.
 */
export const AMPLS_DNS_ZONES = {
  monitor: "privatelink.monitor.azure.com",
  monitorOms: "privatelink.oms.opinsights.azure.com",
  monitorOds: "privatelink.ods.opinsights.azure.com",
  monitorAgentService: "privatelink.agentsvc.azure-automation.net",
  blob: "privatelink.blob.core.windows.net",
} as const;
export type AmplsDnsZoneKey = keyof typeof AMPLS_DNS_ZONES;

/** The private-link sub-resource of an AMPLS. */
export const AMPLS_GROUP_ID = "azuremonitor";

/** Name of every diagnostic setting this component creates (unique per resource, so one name serves all). */
export const DIAGNOSTIC_SETTING_NAME = "send-to-log-analytics";

/** Monitoring Metrics Publisher: lets an identity send telemetry once local (key) authentication is off. */
export const MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb";

export interface MonitoringArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
  readonly environment: EnvironmentName;
  readonly monitoring: MonitoringConfig;
  /** `features.protectStatefulResources`: the workspace holds the security record. */
  readonly protect: boolean;
  /** `features.resourceLocks`: a CanNotDelete lock on the workspace. */
  readonly lock: boolean;
  /** The private-endpoints subnet (network component). */
  readonly privateEndpointSubnetId: pulumi.Input<string>;
  /** The network component's zones; the keys of `AMPLS_DNS_ZONES` are required, others are ignored. */
  readonly privateDnsZones: Readonly<Record<AmplsDnsZoneKey, PrivateDnsZoneRef>>;
  /** `readAlertWebhookUrl(config)`: a secret; the action group keeps it secret. */
  readonly alertWebhookUrl?: pulumi.Output<string>;
  /** Every component's resources that emit logs; the workspace's own setting is added here. */
  readonly diagnosticTargets: readonly DiagnosticTarget[];
  /** Identities that send telemetry to Application Insights (Entra ID auth, local auth is off). */
  readonly telemetryPublishers?: readonly PrincipalGrant[];
}

/**
 * The security record of the deployment: a Log Analytics workspace reachable only through an Azure
 * Monitor Private Link Scope, workspace-based Application Insights, one diagnostic setting per
 * log-emitting resource, the alert rules and action group, the gateway workbook and per-table
 * retention by data class. docs/operations.md, "Resources", explains each decision.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly workspaceId: pulumi.Output<string>;
  readonly workspaceName: pulumi.Output<string>;
  /** The workspace's customer ID (GUID), e.g. for traffic analytics. */
  readonly workspaceCustomerId: pulumi.Output<string>;
  readonly appInsightsId: pulumi.Output<string>;
  /**
   * Not a secret: with local authentication disabled the instrumentation key in it cannot ingest
   * anything; senders also need an Entra token and Monitoring Metrics Publisher.
   */
  readonly appInsightsConnectionString: pulumi.Output<string>;
  readonly actionGroupId: pulumi.Output<string>;
  readonly privateLinkScopeId: pulumi.Output<string>;
  readonly workbookId: pulumi.Output<string>;
  /** The storage account linked for saved queries and alert queries. */
  readonly queryStorageAccountId: pulumi.Output<string>;
  /** Diagnostic settings created: one per target plus the workspace's own. */
  readonly diagnosticSettingCount: number;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:monitoring:Monitoring", name, {}, opts);
    const parent = { parent: this };
    const { resourceGroupName, location, naming, tags, monitoring } = args;
    checkDnsZones(args.privateDnsZones);

    const workspaceName = resourceName("logAnalyticsWorkspace", naming);
    const workspace = new operationalinsights.Workspace(
      "workspace",
      {
        resourceGroupName,
        location,
        workspaceName,
        sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
        retentionInDays: monitoring.retentionDays,
        workspaceCapping: { dailyQuotaGb: monitoring.dailyQuotaGb },
        features: {
          // Workspace keys would let anyone holding one write forged records or read the logs.
          disableLocalAuth: true,
          enableLogAccessUsingOnlyResourcePermissions: true,
        },
        publicNetworkAccessForIngestion: operationalinsights.PublicNetworkAccessType.Disabled,
        publicNetworkAccessForQuery: operationalinsights.PublicNetworkAccessType.Disabled,
        // Saved and alert queries only in the linked customer storage (query-storage.ts).
        forceCmkForQuery: true,
        tags,
      },
      { ...parent, protect: args.protect },
    );
    const linkedStorage = queryStorage(
      {
        resourceGroupName,
        location,
        naming,
        tags,
        workspaceName: workspace.name,
        privateEndpointSubnetId: args.privateEndpointSubnetId,
        blobDnsZoneId: args.privateDnsZones.blob.zoneId,
      },
      this,
    );
    this.queryStorageAccountId = linkedStorage.accountId;
    this.workspaceId = workspace.id;
    this.workspaceName = workspace.name;
    this.workspaceCustomerId = workspace.customerId;

    if (args.lock) {
      new authorization.ManagementLockByScope(
        "workspace-lock",
        {
          scope: workspace.id,
          lockName: resourceName("managementLock", naming, "workspace"),
          level: authorization.LockLevel.CanNotDelete,
          notes:
            "Holds the security record (audit, gateway and Sentinel data); deleting it loses the evidence.",
        },
        parent,
      );
    }

    const appInsights = new applicationinsights.Component(
      "app-insights",
      {
        resourceGroupName,
        location,
        resourceName: resourceName("applicationInsights", naming),
        kind: "web",
        applicationType: applicationinsights.ApplicationType.Web,
        workspaceResourceId: workspace.id,
        ingestionMode: applicationinsights.IngestionMode.LogAnalytics,
        disableLocalAuth: true,
        // Keep Azure's default of masking client IPs in telemetry: the gateway logs already hold them.
        disableIpMasking: false,
        publicNetworkAccessForIngestion: applicationinsights.PublicNetworkAccessType.Disabled,
        publicNetworkAccessForQuery: applicationinsights.PublicNetworkAccessType.Disabled,
        tags,
      },
      parent,
    );
    this.appInsightsId = appInsights.id;
    this.appInsightsConnectionString = appInsights.connectionString;
    for (const grant of args.telemetryPublishers ?? []) this.telemetryPublisher(grant, appInsights.id);

    this.privateLinkScopeId = this.privateLinkScope(args, workspace, appInsights);

    const actionGroup = new monitor.ActionGroup(
      "action-group",
      {
        resourceGroupName,
        location: "global",
        actionGroupName: resourceName("actionGroup", naming),
        ...actionGroupInputs({ emails: monitoring.alertEmails }),
        // Webhook URLs embed a token: rendered inside the secret Output so the input stays secret.
        webhookReceivers: args.alertWebhookUrl
          ? pulumi.secret(args.alertWebhookUrl).apply(
              (serviceUri) =>
                actionGroupInputs({
                  emails: monitoring.alertEmails,
                  webhooks: [{ name: "webhook", serviceUri }],
                }).webhookReceivers,
            )
          : [],
        tags,
      },
      { ...parent, additionalSecretOutputs: ["webhookReceivers"] },
    );
    this.actionGroupId = actionGroup.id;

    for (const rule of ALERT_RULES) {
      new monitor.ScheduledQueryRule(
        `alert-${rule.id}`,
        {
          resourceGroupName,
          location,
          ruleName: resourceName("alertRule", naming, rule.id),
          ...scheduledQueryRuleInputs(rule),
          scopes: [workspace.id],
          actions: { actionGroups: [actionGroup.id] },
          // A resource-specific table is only queryable once its first record arrives (the edge may be
          // deployed after this rule); the queries are checked by npm run check:kql (tools/kql).
          skipQueryValidation: true,
          // The rule's query is kept in the workspace's linked Alerts storage (query-storage.ts), never elsewhere.
          checkWorkspaceAlertsStorageConfigured: true,
          tags,
        },
        { ...parent, dependsOn: [...linkedStorage.links] },
      );
    }

    const workbook = new applicationinsights.Workbook(
      "gateway-workbook",
      {
        resourceGroupName,
        location,
        // Workbook names must be GUIDs: derived, so the same environment always updates the same workbook.
        resourceName: stableUuid(["workbook", naming.uniquenessSeed, naming.prefix, "mcp-gateway"]),
        kind: applicationinsights.WorkbookSharedTypeKind.Shared,
        category: WORKBOOK_CATEGORY,
        // The environment in the title: the Workbooks gallery lists every resource group's workbooks together.
        displayName: `${WORKBOOK_DISPLAY_NAME} (${args.environment})`,
        sourceId: workspace.id,
        serializedData: workspace.id.apply((workspaceResourceId) =>
          serializeWorkbook(buildGatewayWorkbook({ workspaceResourceId })),
        ),
        tags,
      },
      parent,
    );
    this.workbookId = workbook.id;

    const targets: DiagnosticTarget[] = [
      ...args.diagnosticTargets,
      {
        name: "log-analytics-workspace",
        type: "azure-native:operationalinsights:Workspace",
        resourceId: workspace.id,
      },
      {
        name: "query-storage",
        type: "azure-native:storage:StorageAccount",
        resourceId: this.queryStorageAccountId,
      },
    ];
    checkTargets(targets);
    for (const target of targets) {
      new monitor.DiagnosticSetting(
        `diag-${target.name}`,
        {
          name: DIAGNOSTIC_SETTING_NAME,
          resourceUri: pulumi.output(target.resourceId).apply((id) => diagnosticResourceUri(target.type, id)),
          workspaceId: workspace.id,
          ...diagnosticSettingInputs(target.type),
        },
        parent,
      );
    }
    this.diagnosticSettingCount = targets.length;

    // Per-table retention by data class, for the tables this stack's own diagnostic settings fill.
    const tables = targets.flatMap((target) =>
      isDiagnosedResourceType(target.type) ? [...DIAGNOSTIC_CATALOGUE[target.type].tables] : [],
    );
    new resources.Deployment(
      "table-retention",
      {
        resourceGroupName,
        deploymentName: `${workspaceName}-table-retention`,
        properties: {
          mode: resources.DeploymentMode.Incremental,
          template: tableRetentionTemplate(workspaceName, tables),
        },
        tags,
      },
      { ...parent, dependsOn: [workspace] },
    );

    this.registerOutputs({
      workspaceId: this.workspaceId,
      workspaceName: this.workspaceName,
      workspaceCustomerId: this.workspaceCustomerId,
      appInsightsId: this.appInsightsId,
      actionGroupId: this.actionGroupId,
      privateLinkScopeId: this.privateLinkScopeId,
      workbookId: this.workbookId,
      diagnosticSettingCount: this.diagnosticSettingCount,
    });
  }

  /** AMPLS (PrivateOnly both ways) with the workspace and App Insights in it, reached through one private endpoint. */
  private privateLinkScope(
    args: MonitoringArgs,
    workspace: operationalinsights.Workspace,
    appInsights: applicationinsights.Component,
  ): pulumi.Output<string> {
    const parent = { parent: this };
    const { resourceGroupName, location, naming, tags } = args;
    const scope = new monitor.PrivateLinkScope(
      "private-link-scope",
      {
        resourceGroupName,
        location: "global",
        scopeName: resourceName("privateLinkScope", naming),
        // PrivateOnly: clients on this network reach only resources in the scope (no exfiltration to other workspaces).
        accessModeSettings: {
          ingestionAccessMode: monitor.AccessMode.PrivateOnly,
          queryAccessMode: monitor.AccessMode.PrivateOnly,
        },
        tags,
      },
      parent,
    );
    const scoped = [
      { key: "workspace", id: workspace.id, name: workspace.name },
      { key: "app-insights", id: appInsights.id, name: appInsights.name },
    ].map(
      (member) =>
        new monitor.PrivateLinkScopedResource(
          `ampls-${member.key}`,
          {
            resourceGroupName,
            scopeName: scope.name,
            name: member.name,
            linkedResourceId: member.id,
            kind: monitor.ScopedResourceKind.Resource,
          },
          parent,
        ),
    );

    const endpointName = resourceName("privateEndpoint", naming, "ampls");
    const endpoint = new network.PrivateEndpoint(
      "ampls-pe",
      {
        resourceGroupName,
        location,
        privateEndpointName: endpointName,
        subnet: { id: args.privateEndpointSubnetId },
        privateLinkServiceConnections: [
          { name: endpointName, privateLinkServiceId: scope.id, groupIds: [AMPLS_GROUP_ID] },
        ],
        tags,
      },
      // Members first: the endpoint's DNS records include per-workspace names of the resources in the scope.
      { ...parent, dependsOn: scoped },
    );
    new network.PrivateDnsZoneGroup(
      "ampls-pe-dns",
      {
        resourceGroupName,
        privateEndpointName: endpoint.name,
        privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: (Object.keys(AMPLS_DNS_ZONES) as AmplsDnsZoneKey[]).map((key) => ({
          name: AMPLS_DNS_ZONES[key].replace(/\./g, "-"),
          privateDnsZoneId: args.privateDnsZones[key].zoneId,
        })),
      },
      parent,
    );
    return scope.id;
  }

  private telemetryPublisher(grant: PrincipalGrant, scope: pulumi.Output<string>): void {
    new authorization.RoleAssignment(
      `appi-publisher-${grant.name}`,
      {
        scope,
        principalId: grant.principalId,
        principalType: grant.principalType,
        roleDefinitionId: scope.apply(
          (id) =>
            `/subscriptions/${subscriptionOf(id)}/providers/Microsoft.Authorization/roleDefinitions/${MONITORING_METRICS_PUBLISHER}`,
        ),
        roleAssignmentName: pulumi
          .all([scope, grant.principalId])
          .apply(([scopeId, principalId]) =>
            stableUuid([
              "role-assignment",
              scopeId.toLowerCase(),
              principalId.toLowerCase(),
              MONITORING_METRICS_PUBLISHER,
            ]),
          ),
        description: `${grant.name}: Monitoring Metrics Publisher on Application Insights`,
      },
      { parent: this },
    );
  }
}

function subscriptionOf(resourceId: string): string {
  const match = /^\/subscriptions\/([^/]+)\//i.exec(resourceId);
  if (!match) throw new Error(`"${resourceId}" is not a subscription-scoped resource ID`);
  return match[1]!;
}

/** Every AMPLS zone is present and is the zone its key names (a swapped zone would break name resolution silently). */
function checkDnsZones(zones: Readonly<Record<string, PrivateDnsZoneRef | undefined>>): void {
  for (const [key, zoneName] of Object.entries(AMPLS_DNS_ZONES)) {
    const zone = zones[key];
    if (zone === undefined)
      throw new Error(`monitoring: privateDnsZones.${key} (${zoneName}) is required for the AMPLS endpoint`);
    if (zone.zoneName !== zoneName) {
      throw new Error(`monitoring: privateDnsZones.${key} is ${zone.zoneName}, expected ${zoneName}`);
    }
  }
}

/** Target names must be unique (they name the settings) and every type must have a profile (fails at preview). */
function checkTargets(targets: readonly DiagnosticTarget[]): void {
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.name))
      throw new Error(`monitoring: diagnostic target "${target.name}" is listed twice`);
    seen.add(target.name);
    diagnosticSettingInputs(target.type); // throws, naming the catalogue, for a type without a profile
  }
}
