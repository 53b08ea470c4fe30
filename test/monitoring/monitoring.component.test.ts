import { FORBIDDEN_LOG_HEADERS } from "../../infra/conventions/logging-contract";
import type { PlanResourceState } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { DIAGNOSTIC_CAPABLE_TYPES } from "../../policies/src/monitoring/diagnostic-settings";
import { isGuid } from "../../infra/conventions/uuid";
import { ALERT_RULES, loadQuery } from "../../infra/monitoring/alerts";
import {
  DIAGNOSTIC_CATALOGUE,
  diagnosticResourceUri,
  diagnosticSettingInputs,
  isDiagnosedResourceType,
  NO_DIAGNOSTIC_SETTING,
} from "../../infra/monitoring/diagnostics";
import { tableRetention } from "../../infra/monitoring/retention";
import { WORKBOOK_CATEGORY, WORKBOOK_DISPLAY_NAME } from "../../infra/monitoring/workbook";
import { inputAt, previewVariant, resourcesOfType, stackPlan, STACKS } from "../support/plans";
import { componentOf, idOf, logicalName, only, stackConfig, text } from "./plan-helpers";

const T = {
  workspace: "azure-native:operationalinsights:Workspace",
  appInsights: "azure-native:applicationinsights:Component",
  workbook: "azure-native:applicationinsights:Workbook",
  diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
  actionGroup: "azure-native:monitor:ActionGroup",
  queryRule: "azure-native:monitor:ScheduledQueryRule",
  ampls: "azure-native:monitor:PrivateLinkScope",
  amplsMember: "azure-native:monitor:PrivateLinkScopedResource",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  privateZone: "azure-native:privatedns:PrivateZone",
  lock: "azure-native:authorization:ManagementLockByScope",
  deployment: "azure-native:resources:Deployment",
  apimDiagnostic: "azure-native:apimanagement:Diagnostic",
  apiDiagnostic: "azure-native:apimanagement:ApiDiagnostic",
} as const;

/** Azure's AMPLS private DNS zones (Azure Monitor private link: "Review your endpoint's DNS settings"). */
const AMPLS_ZONES = [
  "privatelink.agentsvc.azure-automation.net",
  "privatelink.blob.core.windows.net",
  "privatelink.monitor.azure.com",
  "privatelink.ods.opinsights.azure.com",
  "privatelink.oms.opinsights.azure.com",
];

const MONITORING = "mcpgw:monitoring:Monitoring";

function tablesFilledBy(type: string): string[] {
  return isDiagnosedResourceType(type) ? [...DIAGNOSTIC_CATALOGUE[type].tables] : [];
}
const forbiddenHeaders = FORBIDDEN_LOG_HEADERS.map((header) => header.toLowerCase());

describe.each(STACKS)("monitoring in the %s stack", (stack) => {
  const plan = stackPlan(stack);
  const config = stackConfig(stack);
  const all = planResources(plan);
  const workspace = only(plan, T.workspace);
  const workspaceId = idOf(workspace);
  const appInsights = only(plan, T.appInsights);
  const actionGroup = only(plan, T.actionGroup);

  it("is one component holding the workspace, App Insights, AMPLS, alerts and workbook", () => {
    expect(resourcesOfType(plan, MONITORING)).toHaveLength(1);
    for (const type of [T.workspace, T.appInsights, T.ampls, T.actionGroup, T.workbook, T.queryRule]) {
      for (const resource of resourcesOfType(plan, type))
        expect(componentOf(plan, resource)).toBe(MONITORING);
    }
  });

  it("has a workspace without shared keys or public access, with retention and daily cap from config", () => {
    expect(inputAt(workspace, "features.disableLocalAuth")).toBe(true);
    expect(inputAt(workspace, "publicNetworkAccessForIngestion")).toBe("Disabled");
    expect(inputAt(workspace, "publicNetworkAccessForQuery")).toBe("Disabled");
    expect(inputAt(workspace, "sku.name")).toBe("PerGB2018");
    expect(inputAt(workspace, "retentionInDays")).toBe(config.monitoring.retentionDays);
    expect(inputAt(workspace, "workspaceCapping.dailyQuotaGb")).toBe(config.monitoring.dailyQuotaGb);
  });

  it("protects and locks the workspace as the features say", () => {
    expect(workspace.protect).toBe(config.features.protectStatefulResources);
    const locks = resourcesOfType(plan, T.lock).filter((lock) => inputAt(lock, "scope") === workspaceId);
    expect(locks).toHaveLength(config.features.resourceLocks ? 1 : 0);
    for (const lock of locks) expect(inputAt(lock, "level")).toBe("CanNotDelete");
  });

  it("has workspace-based Application Insights without local auth or public access", () => {
    expect(inputAt(appInsights, "workspaceResourceId")).toBe(workspaceId);
    expect(inputAt(appInsights, "ingestionMode")).toBe("LogAnalytics");
    expect(inputAt(appInsights, "disableLocalAuth")).toBe(true);
    expect(inputAt(appInsights, "disableIpMasking")).toBe(false);
    expect(inputAt(appInsights, "publicNetworkAccessForIngestion")).toBe("Disabled");
    expect(inputAt(appInsights, "publicNetworkAccessForQuery")).toBe("Disabled");
    expect(inputAt(appInsights, "kind")).toBe("web");
  });

  it("puts both behind a PrivateOnly AMPLS with one private endpoint registered in every AMPLS zone", () => {
    const ampls = only(plan, T.ampls);
    expect(inputAt(ampls, "accessModeSettings")).toEqual({
      ingestionAccessMode: "PrivateOnly",
      queryAccessMode: "PrivateOnly",
    });
    const members = resourcesOfType(plan, T.amplsMember);
    expect(members.map((member) => inputAt(member, "linkedResourceId")).sort()).toEqual(
      [workspaceId, idOf(appInsights)].sort(),
    );
    for (const member of members) expect(inputAt(member, "scopeName")).toBe(inputAt(ampls, "scopeName"));

    const endpoints = resourcesOfType(plan, T.privateEndpoint).filter((endpoint) =>
      text(inputAt(endpoint, "privateLinkServiceConnections")).includes(idOf(ampls)),
    );
    expect(endpoints).toHaveLength(1);
    const endpoint = endpoints[0]!;
    expect(inputAt(endpoint, "privateLinkServiceConnections")).toEqual([
      expect.objectContaining({ privateLinkServiceId: idOf(ampls), groupIds: ["azuremonitor"] }),
    ]);
    expect(String(inputAt(endpoint, "subnet.id"))).toMatch(/\/subnets\/[^/]*private-endpoints$/);

    const groups = resourcesOfType(plan, T.zoneGroup).filter(
      (group) => inputAt(group, "privateEndpointName") === inputAt(endpoint, "privateEndpointName"),
    );
    expect(groups).toHaveLength(1);
    const zoneIds = (inputAt(groups[0]!, "privateDnsZoneConfigs") as { privateDnsZoneId: string }[]).map(
      (zone) => zone.privateDnsZoneId,
    );
    const zones = resourcesOfType(plan, T.privateZone);
    const zoneNameById = new Map(zones.map((zone) => [idOf(zone), String(inputAt(zone, "privateZoneName"))]));
    expect(zoneIds.map((zoneId) => zoneNameById.get(zoneId)).sort()).toEqual(AMPLS_ZONES);
  });

  it("sends alerts to an action group with the configured e-mail receivers", () => {
    expect(inputAt(actionGroup, "enabled")).toBe(true);
    expect(
      (inputAt(actionGroup, "emailReceivers") as { emailAddress: string }[]).map((r) => r.emailAddress),
    ).toEqual(config.monitoring.alertEmails);
    expect(inputAt(actionGroup, "webhookReceivers")).toEqual([]); // no stack file names a webhook
  });

  it("has one scheduled query rule per alert, running the KQL from its file on the workspace", () => {
    const rules = resourcesOfType(plan, T.queryRule);
    expect(rules).toHaveLength(ALERT_RULES.length);
    for (const alert of ALERT_RULES) {
      const rule = rules.find((candidate) => logicalName(candidate) === `alert-${alert.id}`);
      expect(rule).toBeDefined();
      expect(inputAt(rule!, "kind")).toBe("LogAlert");
      expect(inputAt(rule!, "displayName")).toBe(alert.displayName);
      expect(inputAt(rule!, "severity")).toBe(alert.severity);
      expect(inputAt(rule!, "evaluationFrequency")).toBe(alert.evaluationFrequency);
      expect(inputAt(rule!, "windowSize")).toBe(alert.windowSize);
      expect(inputAt(rule!, "scopes")).toEqual([workspaceId]);
      expect(inputAt(rule!, "actions.actionGroups")).toEqual([idOf(actionGroup)]);
      const [condition] = inputAt(rule!, "criteria.allOf") as { query: string; threshold: number }[];
      expect(condition?.query).toBe(loadQuery(alert.queryFile, alert.parameters));
      expect(condition?.threshold).toBe(alert.threshold);
    }
  });

  it("has the gateway workbook on the workspace, named by a stable GUID", () => {
    const workbook = only(plan, T.workbook);
    expect(isGuid(String(inputAt(workbook, "resourceName")))).toBe(true);
    expect(inputAt(workbook, "category")).toBe(WORKBOOK_CATEGORY);
    expect(inputAt(workbook, "displayName")).toBe(`${WORKBOOK_DISPLAY_NAME} (${config.environment})`);
    expect(inputAt(workbook, "kind")).toBe("shared");
    expect(inputAt(workbook, "sourceId")).toBe(workspaceId);
    const document = JSON.parse(String(inputAt(workbook, "serializedData"))) as {
      fallbackResourceIds: string[];
    };
    expect(document.fallbackResourceIds).toEqual([workspaceId]);
  });

  it("applies the data-class retention to every table its diagnostic settings fill", () => {
    const deployment = resourcesOfType(plan, T.deployment).find((d) => logicalName(d) === "table-retention");
    expect(deployment).toBeDefined();
    expect(deployment!.dependencies).toContain(workspace.urn);
    const template = inputAt(deployment!, "properties.template") as {
      resources: { name: string; properties: { retentionInDays: number; totalRetentionInDays: number } }[];
    };
    const expected = new Map(tableRetention().map((row) => [row.tableName, row]));
    const workspaceName = String(inputAt(workspace, "workspaceName"));
    const set = new Map(
      template.resources.map((r) => [r.name.slice(workspaceName.length + 1), r.properties]),
    );
    for (const resource of template.resources)
      expect(resource.name.startsWith(`${workspaceName}/`)).toBe(true);
    const filled = new Set(all.flatMap((resource) => tablesFilledBy(resource.type)));
    expect([...set.keys()].sort()).toEqual([...filled].sort());
    for (const [table, properties] of set) {
      expect(properties).toEqual({
        retentionInDays: expected.get(table)?.retentionInDays,
        totalRetentionInDays: expected.get(table)?.totalRetentionInDays,
      });
    }
  });

  describe("diagnostic settings (stack-level)", () => {
    const settings = resourcesOfType(plan, T.diagnosticSetting);

    it.each(
      all
        .filter((resource) => isDiagnosedResourceType(resource.type))
        .map((r) => [logicalName(r), r] as const),
    )("%s sends its logs to the workspace", (_name, resource: PlanResourceState) => {
      const uri = diagnosticResourceUri(resource.type, idOf(resource));
      const covering = settings.filter((setting) => inputAt(setting, "resourceUri") === uri);
      expect(covering).toHaveLength(1);
      const setting = covering[0]!;
      expect(inputAt(setting, "workspaceId")).toBe(workspaceId);
      const expected = diagnosticSettingInputs(resource.type);
      expect(inputAt(setting, "logs")).toEqual(expected.logs);
      expect(inputAt(setting, "metrics")).toEqual([]);
      expect(inputAt(setting, "logAnalyticsDestinationType")).toBe(expected.logAnalyticsDestinationType);
    });

    it("covers the workspace itself and points every setting at a resource of this stack", () => {
      expect(settings.some((setting) => inputAt(setting, "resourceUri") === workspaceId)).toBe(true);
      const uris = new Set(
        all.filter((r) => isDiagnosedResourceType(r.type)).map((r) => diagnosticResourceUri(r.type, idOf(r))),
      );
      for (const setting of settings) expect(uris).toContain(inputAt(setting, "resourceUri"));
    });

    it("leaves no type the policy pack calls diagnostic-capable unclassified", () => {
      const present = new Set(all.map((resource) => resource.type));
      for (const type of DIAGNOSTIC_CAPABLE_TYPES.filter((t) => present.has(t))) {
        expect(isDiagnosedResourceType(type) || type in NO_DIAGNOSTIC_SETTING).toBe(true);
      }
    });

    it("never captures Authorization or another credential-bearing header", () => {
      for (const setting of settings) {
        const body = text(setting.inputs).toLowerCase();
        for (const header of forbiddenHeaders) expect(body).not.toContain(header);
      }
      for (const diagnostic of [
        ...resourcesOfType(plan, T.apimDiagnostic),
        ...resourcesOfType(plan, T.apiDiagnostic),
      ]) {
        for (const side of ["frontend", "backend"]) {
          for (const message of ["request", "response"]) {
            const logged = (inputAt(diagnostic, `${side}.${message}.headers`) as string[] | undefined) ?? [];
            for (const header of logged) expect(forbiddenHeaders).not.toContain(header.toLowerCase());
            expect(inputAt(diagnostic, `${side}.${message}.body.bytes`) ?? 0).toBe(0);
          }
        }
      }
    });
  });
});

describe("monitoring with an alert webhook", () => {
  // The webhook URL embeds a token: it must reach the action group only as a secret.
  let run: ReturnType<typeof previewVariant>;
  beforeAll(() => {
    run = previewVariant("dev", (config) => {
      const monitoring = config["mcp-azure-gateway:monitoring"] as Record<string, unknown>;
      monitoring["alertWebhookSecretKey"] = "alertWebhookUrl";
    });
  });

  it("keeps the webhook URL secret at its leaf and never writes it into the plan", () => {
    expect(run.stderr).not.toMatch(/SECRET LEAK/);
    // A stack with a webhook is deployable: no mandatory policy violation (exit 0).
    expect(run.status).toBe(0);
    expect(run.plan).toBeDefined();
    const actionGroup = only(run.plan!, T.actionGroup);
    // Only the URL is withheld; the receiver around it stays readable.
    expect(inputAt(actionGroup, "webhookReceivers")).toEqual([
      { name: "webhook", serviceUri: "[secret]", useCommonAlertSchema: true },
    ]);
    expect(inputAt(actionGroup, "emailReceivers")).toEqual(
      stackConfig("dev").monitoring.alertEmails.map((emailAddress, index) => ({
        name: `email-${index + 1}`,
        emailAddress,
        useCommonAlertSchema: true,
      })),
    );
    // Neither the stand-in URL nor any other secret stand-in reaches the plan or the CLI's output.
    for (const output of [text(run.plan), run.stdout, run.stderr])
      expect(output).not.toContain("offline-secret-placeholder");
  });
});
