import { FORBIDDEN_LOG_HEADERS } from "../../infra/conventions/logging-contract";
import { readFileSync } from "node:fs";
import type { DiagnosticArgs } from "@pulumi/azure-native/apimanagement";
import type { DiagnosticSettingArgs } from "@pulumi/azure-native/monitor";
import type { input } from "@pulumi/azure-native/types";
import {
  ACTIVITY_LOG_CATEGORIES,
  APIM_LOGGED_HEADERS,
  apimDiagnosticInputs,
  configuredSecretHeaders,
  DIAGNOSTIC_CATALOGUE,
  diagnosticResourceUri,
  diagnosticSettingInputs,
  NO_DIAGNOSTIC_SETTING,
  WAF_LOG_SCRUBBING,
} from "../../infra/monitoring/diagnostics";
import { DATA_CLASSES, tableRetention, tableRetentionTemplate } from "../../infra/monitoring/retention";
import { LOG_TABLES } from "../../tools/kql/tables";

const LOGGER_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim/loggers/azuremonitor";

// Compile-time: rendered inputs fit azure-native's args.
const _apim: Omit<DiagnosticArgs, "resourceGroupName" | "serviceName"> = apimDiagnosticInputs({
  loggerId: LOGGER_ID,
});
const _setting: Omit<DiagnosticSettingArgs, "resourceUri"> = diagnosticSettingInputs(
  "azure-native:keyvault:Vault",
);
const _scrubbing: input.network.PolicySettingsLogScrubbingArgs = {
  ...WAF_LOG_SCRUBBING,
  scrubbingRules: [...WAF_LOG_SCRUBBING.scrubbingRules],
};

/** The `__pulumiType` an azure-native resource module registers, read from its source (no module loading). */
function registeredType(token: string): string | undefined {
  const [, module, resource] = token.split(":");
  const file = require.resolve(
    `@pulumi/azure-native/${module}/${resource!.charAt(0).toLowerCase()}${resource!.slice(1)}.js`,
  );
  return /__pulumiType = '([^']+)'/.exec(readFileSync(file, "utf8"))?.[1];
}

const forbidden = new Set(FORBIDDEN_LOG_HEADERS.map((h) => h.toLowerCase()));

describe("diagnostic settings catalogue", () => {
  const entries = Object.entries(DIAGNOSTIC_CATALOGUE);

  it.each(entries.map(([token]) => [token]))("%s is a real azure-native type token", (token) => {
    expect(registeredType(token)).toBe(token);
  });

  it.each(entries)("%s selects logs explicitly and never ships metrics", (token, profile) => {
    expect(profile.logs.length).toBeGreaterThan(0);
    expect(profile.categories.length).toBeGreaterThan(0);
    for (const selection of profile.logs) {
      const keys = Object.keys(selection);
      expect(keys).toHaveLength(1);
      expect(["category", "categoryGroup"]).toContain(keys[0]);
    }
    // explicit categories must be among the documented ones
    for (const selection of profile.logs) {
      if ("category" in selection) expect(profile.categories).toContain(selection.category);
    }
    expect(profile.reference).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    const inputs = diagnosticSettingInputs(token);
    expect(inputs.metrics).toEqual([]);
    expect(inputs.logs.every((log) => log.enabled)).toBe(true);
    expect(inputs.logAnalyticsDestinationType).toBe(
      profile.destination === "Dedicated" ? "Dedicated" : undefined,
    );
    expect(profile.destination === "AzureDiagnostics").toBe(
      (profile.tables as readonly string[]).includes("AzureDiagnostics"),
    );
  });

  it("keeps LLM logs (prompt/completion text) out of API Management's setting", () => {
    const apim = diagnosticSettingInputs("azure-native:apimanagement:ApiManagementService");
    expect(apim.logs).toEqual([
      { category: "GatewayLogs", enabled: true },
      { category: "GatewayMCPLogs", enabled: true },
    ]);
    expect(JSON.stringify(apim)).not.toMatch(/allLogs|GatewayLlmLogs/);
  });

  it("uses the audit group for Key Vault and resource-specific tables where the queries need them", () => {
    expect(diagnosticSettingInputs("azure-native:keyvault:Vault")).toEqual({
      logs: [{ categoryGroup: "audit", enabled: true }],
      metrics: [],
      logAnalyticsDestinationType: "Dedicated",
    });
    for (const table of Object.keys(LOG_TABLES).filter((t) => t !== "AzureActivity")) {
      const profile = Object.values(DIAGNOSTIC_CATALOGUE).find((p) =>
        (p.tables as readonly string[]).includes(table),
      );
      expect(profile?.destination).toBe("Dedicated");
    }
  });

  it("explains the resource types that get no setting and refuses unknown ones", () => {
    expect(() => diagnosticSettingInputs("azure-native:applicationinsights:Component")).toThrow(
      /ingest everything twice/,
    );
    expect(() => diagnosticSettingInputs("azure-native:network:PrivateEndpoint")).toThrow(
      /no diagnostic profile/,
    );
    for (const token of Object.keys(NO_DIAGNOSTIC_SETTING))
      expect(DIAGNOSTIC_CATALOGUE).not.toHaveProperty(token);
  });

  it("attaches storage logs to the blob service, everything else to the resource itself", () => {
    const account =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st";
    expect(diagnosticResourceUri("azure-native:storage:StorageAccount", account)).toBe(
      `${account}/blobServices/default`,
    );
    expect(diagnosticResourceUri("azure-native:keyvault:Vault", LOGGER_ID)).toBe(LOGGER_ID);
    for (const [token, profile] of entries) {
      const suffix: string | undefined =
        "resourceUriSuffix" in profile ? profile.resourceUriSuffix : undefined;
      if (suffix !== undefined) expect(token).toBe("azure-native:storage:StorageAccount");
    }
  });

  it("lists the activity log categories AzureActivity needs", () => {
    expect(ACTIVITY_LOG_CATEGORIES).toContain("Administrative");
    expect(ACTIVITY_LOG_CATEGORIES).toContain("Security");
  });
});

describe("API Management request logging", () => {
  const diagnostic = apimDiagnosticInputs({ loggerId: LOGGER_ID });
  const messages = [
    diagnostic.frontend.request,
    diagnostic.frontend.response,
    diagnostic.backend.request,
    diagnostic.backend.response,
  ];

  it("never logs Authorization or any other credential-bearing header", () => {
    for (const message of messages) {
      for (const header of message.headers) expect(forbidden.has(header.toLowerCase())).toBe(false);
    }
    expect(JSON.stringify(APIM_LOGGED_HEADERS).toLowerCase()).not.toContain("authorization");
    expect(forbidden.has("authorization")).toBe(true);
  });

  it("logs 0 bytes of every body, samples everything and lets information traces through", () => {
    for (const message of messages) expect(message.body).toEqual({ bytes: 0 });
    expect(diagnostic.sampling).toEqual({ samplingType: "fixed", percentage: 100 });
    expect(diagnostic.verbosity).toBe("information");
    expect(diagnostic.alwaysLog).toBe("allErrors");
    expect(diagnostic.logClientIp).toBe(true);
    expect(diagnostic.diagnosticId).toBe("azuremonitor");
    expect(diagnostic.loggerId).toBe(LOGGER_ID);
  });

  it("masks credential-like query parameters and keeps the X-Forwarded-For chain", () => {
    for (const message of messages) {
      expect(message.dataMasking.queryParams).toContainEqual({ value: "access_token", mode: "Hide" });
      expect(message.dataMasking.headers).toContainEqual({ value: "Authorization", mode: "Hide" });
    }
    expect(diagnostic.frontend.request.headers).toContain("X-Forwarded-For");
  });

  it("refuses to log a configured backend API-key header", () => {
    const config = {
      mcpServers: [
        { backendAuth: { type: "managedIdentity" as const } },
        { backendAuth: { type: "apiKey" as const, headerName: "Content-Type", secretName: "k" } },
      ],
    } as unknown as Parameters<typeof configuredSecretHeaders>[0]; // only backendAuth matters here
    const extra = configuredSecretHeaders(config);
    expect(extra).toEqual(["Content-Type"]);
    expect(() => apimDiagnosticInputs({ loggerId: LOGGER_ID, extraForbiddenHeaders: extra })).toThrow(
      /Content-Type must never be logged/,
    );
  });
});

describe("WAF log scrubbing", () => {
  it("scrubs Authorization and every argument value", () => {
    expect(WAF_LOG_SCRUBBING.state).toBe("Enabled");
    const rules = WAF_LOG_SCRUBBING.scrubbingRules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        matchVariable: "RequestHeaderNames",
        selector: "Authorization",
        selectorMatchOperator: "Equals",
      }),
    );
    for (const variable of [
      "RequestArgNames",
      "RequestPostArgNames",
      "RequestJSONArgNames",
      "RequestCookieNames",
    ]) {
      expect(rules).toContainEqual(
        expect.objectContaining({ matchVariable: variable, selectorMatchOperator: "EqualsAny" }),
      );
    }
    for (const rule of rules) {
      if (rule.selectorMatchOperator === "EqualsAny") expect(rule).not.toHaveProperty("selector");
    }
  });
});

describe("retention per data class", () => {
  it("gives every table a single class with sane retention", () => {
    const rows = tableRetention();
    expect(new Set(rows.map((r) => r.tableName)).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.retentionInDays).toBeGreaterThanOrEqual(4);
      expect(row.retentionInDays).toBeLessThanOrEqual(730);
      expect(row.totalRetentionInDays).toBeGreaterThanOrEqual(row.retentionInDays);
    }
  });

  it("renders an ARM template that only updates retention, for classified tables only", () => {
    const template = tableRetentionTemplate("log-x", [
      "AZKVAuditLogs",
      "NotATable",
      "AZKVAuditLogs",
      "AGWAccessLogs",
    ]);
    expect(template.resources).toEqual([
      {
        type: "Microsoft.OperationalInsights/workspaces/tables",
        apiVersion: "2022-10-01",
        name: "log-x/AGWAccessLogs",
        properties: { retentionInDays: 90, totalRetentionInDays: 180 },
      },
      {
        type: "Microsoft.OperationalInsights/workspaces/tables",
        apiVersion: "2022-10-01",
        name: "log-x/AZKVAuditLogs",
        properties: { retentionInDays: 90, totalRetentionInDays: 365 },
      },
    ]);
    expect(template).not.toHaveProperty("parameters");
  });

  it("classifies every table the queries read and every table the diagnostic settings fill", () => {
    const classified = new Set(Object.values(DATA_CLASSES).flatMap((c) => [...c.tables]));
    for (const table of Object.keys(LOG_TABLES)) expect(classified).toContain(table);
    for (const profile of Object.values(DIAGNOSTIC_CATALOGUE)) {
      for (const table of profile.tables) expect(classified).toContain(table);
    }
  });
});
