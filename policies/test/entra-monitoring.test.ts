import { T } from "../src/lib/types";
import { check, type Fixture, violations } from "./harness";

describe("entra rules", () => {
  test("entra-access-token-v2", async () => {
    expect(
      await check("entra-access-token-v2", T.entraApplication, {
        displayName: "mcp",
        api: { requestedAccessTokenVersion: 2 },
      }),
    ).toEqual([]);
    expect(
      await check("entra-access-token-v2", T.entraApplicationRegistration, {
        displayName: "mcp",
        requestedAccessTokenVersion: 2,
      }),
    ).toEqual([]);
    expect(
      (await check("entra-access-token-v2", T.entraApplication, { displayName: "mcp" }))[0]?.message,
    ).toMatch(/got missing/);
    expect(
      (
        await check("entra-access-token-v2", T.entraApplication, {
          displayName: "mcp",
          api: { requestedAccessTokenVersion: 1 },
        })
      )[0]?.message,
    ).toMatch(/got 1/);
  });

  test("entra-no-implicit-grant: not set is off; either token type enabled is a violation", async () => {
    const rule = "entra-no-implicit-grant";
    expect(await check(rule, T.entraApplication, { displayName: "mcp" })).toEqual([]);
    expect(
      await check(rule, T.entraApplication, {
        displayName: "mcp",
        web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
      }),
    ).toEqual([]);
    expect(
      await check(rule, T.entraApplication, {
        displayName: "mcp",
        web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: true } },
      }),
    ).toHaveLength(1);
    expect(
      await check(rule, T.entraApplicationRegistration, {
        displayName: "mcp",
        implicitAccessTokenIssuanceEnabled: "true",
      }),
    ).toHaveLength(1);
  });

  test("entra-assignment-required", async () => {
    const rule = "entra-assignment-required";
    expect(
      await check(rule, T.entraServicePrincipal, { clientId: "x", appRoleAssignmentRequired: true }),
    ).toEqual([]);
    expect(await check(rule, T.entraServicePrincipal, { clientId: "x" })).toHaveLength(1);
    expect(
      await check(rule, T.entraServicePrincipal, { clientId: "x", appRoleAssignmentRequired: false }),
    ).toHaveLength(1);
  });

  test("entra-federated-credential-issuers", async () => {
    const rule = "entra-federated-credential-issuers";
    const good = {
      issuer: "https://token.actions.githubusercontent.com",
      audiences: ["api://AzureADTokenExchange"],
      subject: "repo:contoso/mcp-azure-gateway:environment:prod",
    };
    const packConfig = { policies: { [rule]: { config: { allowedGitHubOwners: ["contoso"] } } } };
    expect(
      await check(
        rule,
        T.entraFederatedCredential,
        { ...good, applicationId: "/applications/x", displayName: "ci" },
        { packConfig },
      ),
    ).toEqual([]);
    expect(
      await check(rule, T.managedIdentityFederatedCredential, {
        ...good,
        issuer: "https://token.actions.githubusercontent.com/",
      }),
    ).toEqual([]);
    expect(
      (
        await check(
          rule,
          T.managedIdentityFederatedCredential,
          { ...good, subject: "repo:evil/fork:ref:refs/heads/main" },
          { packConfig },
        )
      )[0]?.message,
    ).toMatch(/owner evil/);
    expect(
      (
        await check(rule, T.managedIdentityFederatedCredential, {
          ...good,
          issuer: "https://attacker.example",
        })
      )[0]?.message,
    ).toMatch(/issuer/);
    expect(
      (
        await check(rule, T.managedIdentityFederatedCredential, {
          ...good,
          audiences: ["api://AzureADTokenExchange", "other"],
        })
      )[0]?.message,
    ).toMatch(/audiences/);
  });

  test("entra-no-custom-rbac-roles is advisory", async () => {
    const found = await check("entra-no-custom-rbac-roles", T.roleDefinition, { roleName: "custom" });
    expect(found).toHaveLength(1);
    expect(found[0]?.enforcementLevel).toBe("advisory");
  });
});

describe("monitoring rules", () => {
  test("monitoring-local-auth-disabled", async () => {
    const rule = "monitoring-local-auth-disabled";
    expect(
      await check(rule, T.appInsights, { kind: "web", applicationType: "web", disableLocalAuth: true }),
    ).toEqual([]);
    expect(await check(rule, T.logAnalyticsWorkspace, { features: { disableLocalAuth: true } })).toEqual([]);
    expect(await check(rule, T.appInsights, { kind: "web", applicationType: "web" })).toHaveLength(1);
    expect(
      await check(rule, T.logAnalyticsWorkspace, { features: { disableLocalAuth: "False" } }),
    ).toHaveLength(1);
  });

  test("monitoring-app-insights-workspace", async () => {
    expect(
      await check("monitoring-app-insights-workspace", T.appInsights, { workspaceResourceId: "[unknown]" }),
    ).toEqual([]);
    expect(
      await check("monitoring-app-insights-workspace", T.appInsights, { workspaceResourceId: "" }),
    ).toHaveLength(1);
  });

  test("monitoring-customer-managed-storage (advisory) and monitoring-private-link-scope-private-only", async () => {
    const advisory = await check("monitoring-customer-managed-storage", T.logAnalyticsWorkspace, {});
    expect(advisory.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    expect(
      await check("monitoring-customer-managed-storage", T.scheduledQueryRule, {
        checkWorkspaceAlertsStorageConfigured: true,
      }),
    ).toEqual([]);
    const rule = "monitoring-private-link-scope-private-only";
    expect(
      await check(rule, T.privateLinkScope, {
        accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "privateonly" },
      }),
    ).toEqual([]);
    expect(
      await check(rule, T.privateLinkScope, {
        accessModeSettings: { ingestionAccessMode: "Open", queryAccessMode: "PrivateOnly" },
      }),
    ).toHaveLength(1);
  });

  describe("monitoring-diagnostic-settings (stack policy)", () => {
    const rule = "monitoring-diagnostic-settings";
    const kv: Fixture = {
      type: T.vault,
      name: "kv",
      inputs: {},
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
    };
    const law: Fixture = { type: T.logAnalyticsWorkspace, name: "law", inputs: {} };
    const setting = (name: string, target: string, logs: unknown, extra: Partial<Fixture> = {}): Fixture => ({
      type: T.diagnosticSetting,
      name,
      inputs: { resourceUri: "[unknown]", workspaceId: "[unknown]", logs },
      dependsOn: { resourceUri: [target], workspaceId: ["law"] },
      ...extra,
    });

    test("every capable resource covered (by property dependency); Key Vault AuditEvent", async () => {
      const fixtures = [
        kv,
        law,
        setting("diag-kv", "kv", [{ category: "AuditEvent", enabled: true }]),
        setting("diag-law", "law", [{ categoryGroup: "allLogs", enabled: true }]),
      ];
      expect(await violations(rule, fixtures)).toEqual([]);
    });

    test("matched by resource ID when there are no property dependencies (ID case-insensitive)", async () => {
      const byId: Fixture = {
        type: T.diagnosticSetting,
        name: "diag-kv",
        inputs: {
          resourceUri: kv.id?.toUpperCase(),
          workspaceId: "/x/law",
          logs: [{ categoryGroup: "audit", enabled: true }],
        },
      };
      expect(
        await violations(rule, [kv, byId], {
          packConfig: { policies: { [rule]: { config: { types: [T.vault] } } } },
        }),
      ).toEqual([]);
    });

    test("one resource without a setting among covered ones", async () => {
      const nsg: Fixture = { type: T.networkSecurityGroup, name: "nsg", inputs: {} };
      const fixtures = [
        kv,
        law,
        nsg,
        setting("diag-kv", "kv", [{ category: "AuditEvent", enabled: true }]),
        setting("diag-law", "law", [{ categoryGroup: "allLogs", enabled: true }]),
      ];
      expect((await violations(rule, fixtures)).map((v) => v.urn)).toEqual([
        expect.stringContaining("::nsg"),
      ]);
    });

    test("a setting without a workspace, with logs disabled, or without the Key Vault audit category", async () => {
      const noWorkspace: Fixture = {
        ...setting("diag-kv", "kv", [{ category: "AuditEvent", enabled: true }]),
        inputs: { resourceUri: "[unknown]", logs: [{ category: "AuditEvent", enabled: true }] },
      };
      const only = { packConfig: { policies: { [rule]: { config: { types: [T.vault] } } } } };
      expect(await violations(rule, [kv, law, noWorkspace], only)).toHaveLength(1);
      expect(
        await violations(
          rule,
          [kv, law, setting("diag-kv", "kv", [{ category: "AuditEvent", enabled: false }])],
          only,
        ),
      ).toHaveLength(1);
      expect(
        await violations(
          rule,
          [kv, law, setting("diag-kv", "kv", [{ category: "AzurePolicyEvaluationDetails", enabled: true }])],
          only,
        ),
      ).toHaveLength(1);
    });

    test("workspace-based Application Insights needs no setting; a classic component does", async () => {
      const only = { packConfig: { policies: { [rule]: { config: { types: [T.appInsights] } } } } };
      expect(
        await violations(
          rule,
          [{ type: T.appInsights, name: "appi", inputs: { workspaceResourceId: "[unknown]" } }],
          only,
        ),
      ).toEqual([]);
      expect(await violations(rule, [{ type: T.appInsights, name: "appi", inputs: {} }], only)).toHaveLength(
        1,
      );
    });

    test("the workspace a setting sends to is not thereby covered", async () => {
      const fixtures = [kv, law, setting("diag-kv", "kv", [{ category: "AuditEvent", enabled: true }])];
      expect((await violations(rule, fixtures)).map((v) => v.urn)).toEqual([
        expect.stringContaining("::law"),
      ]);
    });
  });
});
