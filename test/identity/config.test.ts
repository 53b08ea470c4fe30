import { parseStackConfig, type ConfigProblem } from "../../infra/config";
import { inputAt, previewVariant, resourceNamed, resourcesOfType } from "../support/plans";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";

/**
 * Identity-specific config validation (more cases live in test/config/parse.test.ts) and the
 * end-to-end behaviour of the offline preview for identity config variants.
 */

const P = "mcp-azure-gateway:";
type Values = Record<string, unknown>;

function problemsAfter(mutate: (values: Values) => void): ConfigProblem[] {
  const engine = loadEngineConfig(stackFilePath("dev"));
  const values: Values = {};
  for (const [key, value] of Object.entries(engine.values)) {
    values[key] = value.trim().startsWith("{") || value.trim().startsWith("[") ? JSON.parse(value) : value;
  }
  mutate(values);
  const result = parseStackConfig({ values, secretKeys: new Set(engine.secretKeys) });
  if (result.ok) throw new Error("expected the config to be rejected");
  return result.problems;
}

const gateway = (v: Values): Values => v[`${P}gateway`] as Values;
const identity = (
  v: Values,
): { appRoles: Values[]; accessAssignments: Values[]; preAuthorizedClientIds: unknown[]; github: Values } =>
  v[`${P}identity`] as {
    appRoles: Values[];
    accessAssignments: Values[];
    preAuthorizedClientIds: unknown[];
    github: Values;
  };

describe("identity config validation", () => {
  const cases: Array<[string, (v: Values) => void, string, RegExp]> = [
    [
      "an http:// gateway URL instead of a host",
      (v) => (gateway(v)["hostname"] = "http://mcp.dev.contoso.com"),
      `${P}gateway.hostname`,
      /without https:\/\//,
    ],
    [
      "a gateway host on *.azure-api.net",
      (v) => (gateway(v)["hostname"] = "mcpgw-dev.azure-api.net"),
      `${P}gateway.hostname`,
      /verified in your Entra tenant/,
    ],
    [
      "a gateway host on *.azurewebsites.net",
      (v) => (gateway(v)["hostname"] = "mcp.azurewebsites.net"),
      `${P}gateway.hostname`,
      /cannot be Entra identifier URIs/,
    ],
    [
      "a gateway host on the tenant's onmicrosoft.com domain",
      (v) => (gateway(v)["hostname"] = "contoso.onmicrosoft.com"),
      `${P}gateway.hostname`,
      /verified in your Entra tenant/,
    ],
    [
      "a single-label gateway host",
      (v) => (gateway(v)["hostname"] = "mcp"),
      `${P}gateway.hostname`,
      /at least two labels/,
    ],
    [
      "duplicate app role values",
      (v) => (identity(v).appRoles[2]!["value"] = "MCP.Tools.Write"),
      `${P}identity.appRoles[2].value`,
      /defined twice; app role values must be unique/,
    ],
    [
      "an app role value with a space",
      (v) => (identity(v).appRoles[0]!["value"] = "MCP Tools"),
      `${P}identity.appRoles[0].value`,
      /Entra app role value/,
    ],
    [
      "a group given by name instead of object ID",
      (v) => (identity(v).accessAssignments[1]!["groupObjectId"] = "MCP Writers"),
      `${P}identity.accessAssignments[1].groupObjectId`,
      /must be a GUID/,
    ],
    [
      "a group assigned an undefined role",
      (v) => (identity(v).accessAssignments[0]!["role"] = "MCP.Tools.Delete"),
      `${P}identity.accessAssignments[0].role`,
      /not a defined app role \(allowed: MCP.Tools.Read, MCP.Tools.Write, MCP.Admin\)/,
    ],
    [
      "a pre-authorized client that is not a GUID",
      (v) => (identity(v).preAuthorizedClientIds[0] = "vscode"),
      `${P}identity.preAuthorizedClientIds[0]`,
      /must be a GUID/,
    ],
    [
      "a GitHub repository without an owner",
      (v) => (identity(v).github["repository"] = "mcp-azure-gateway"),
      `${P}identity.github.repository`,
      /<org>\/<repo>/,
    ],
  ];

  test.each(cases)("rejects %s, naming the key and what is allowed", (_title, mutate, key, allowed) => {
    const problem = problemsAfter(mutate).find((p) => p.key === key);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(allowed);
  });
});

describe("offline preview of identity config variants", () => {
  test("a bad host and a duplicate role fail before anything is declared, each named", () => {
    const run = previewVariant("dev", (config) => {
      gateway(config)["hostname"] = "mcp-dev.azurewebsites.net";
      identity(config).appRoles[2]!["value"] = "MCP.Tools.Read";
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/2 problems/);
    expect(run.stderr).toContain(`${P}gateway.hostname`);
    expect(run.stderr).toContain(`${P}identity.appRoles[2].value = "MCP.Tools.Read": is defined twice`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.plan).toBeUndefined();
  });

  test("a malformed group object ID fails with the key and the expected form", () => {
    const run = previewVariant("dev", (config) => {
      identity(config).accessAssignments[0]!["groupObjectId"] = "MCP Readers";
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `${P}identity.accessAssignments[0].groupObjectId = "MCP Readers": must be a GUID`,
    );
    expect(run.plan).toBeUndefined();
  });

  test("the first-party client: PKCE public client, loopback redirects only, no public-client flows, pre-authorized", () => {
    const run = previewVariant("dev", (config) => {
      (config[`${P}identity`] as Values)["firstPartyClient"] = { enabled: true, loopbackPorts: [33418] };
    });
    // Exit 1 would also flag other components' policy violations: assert on identity's own findings.
    expect([0, 1]).toContain(run.status);
    expect(run.stdout).not.toContain("mcpgw:identity:Identity$");
    expect(run.plan).toBeDefined();
    const plan = run.plan!;
    const client = resourceNamed(
      plan,
      "azuread:index/applicationRegistration:ApplicationRegistration",
      "identity-client",
    );
    const clientId = String(client.outputs["id"]);
    const redirects = resourcesOfType(plan, "azuread:index/applicationRedirectUris:ApplicationRedirectUris");
    expect(redirects).toHaveLength(1);
    expect(inputAt(redirects[0]!, "applicationId")).toBe(clientId);
    expect(inputAt(redirects[0]!, "type")).toBe("PublicClient");
    expect(inputAt(redirects[0]!, "redirectUris")).toEqual([
      "http://127.0.0.1:33418",
      "http://localhost:33418",
    ]);
    expect(
      inputAt(
        resourceNamed(
          plan,
          "azuread:index/applicationFallbackPublicClient:ApplicationFallbackPublicClient",
          "identity-client-public-flows",
        ),
        "enabled",
      ),
    ).toBe(false);
    // requiredResourceAccess to every server's API app (its scope only), and pre-authorized on each.
    const accesses = resourcesOfType(plan, "azuread:index/applicationApiAccess:ApplicationApiAccess");
    expect(accesses).toHaveLength(2);
    for (const server of ["docs", "weather"]) {
      const app = resourceNamed(
        plan,
        "azuread:index/applicationRegistration:ApplicationRegistration",
        `identity-api-${server}`,
      );
      const scopeId = inputAt(
        resourceNamed(
          plan,
          "azuread:index/applicationPermissionScope:ApplicationPermissionScope",
          `identity-api-${server}-scope`,
        ),
        "scopeId",
      );
      const access = resourceNamed(
        plan,
        "azuread:index/applicationApiAccess:ApplicationApiAccess",
        `identity-client-api-access-${server}`,
      );
      expect(inputAt(access, "applicationId")).toBe(clientId);
      const sp = resourceNamed(
        plan,
        "azuread:index/servicePrincipal:ServicePrincipal",
        `identity-api-${server}-sp`,
      );
      expect(inputAt(access, "apiClientId")).toBe(inputAt(sp, "clientId"));
      expect(inputAt(access, "scopeIds")).toEqual([scopeId]);
      expect(inputAt(access, "roleIds")).toBeUndefined();
      const preAuthorized = resourceNamed(
        plan,
        "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
        `identity-api-${server}-preauth-first-party`,
      );
      expect(inputAt(preAuthorized, "applicationId")).toBe(app.outputs["id"]);
      expect(preAuthorized.propertyDependencies?.["authorizedClientId"]).toEqual([client.urn]);
      expect(inputAt(preAuthorized, "permissionIds")).toEqual([scopeId]);
    }
    // Only members of the MCP access groups may sign in to the client at all.
    const clientSp = resourceNamed(
      plan,
      "azuread:index/servicePrincipal:ServicePrincipal",
      "identity-client-sp",
    );
    expect(inputAt(clientSp, "appRoleAssignmentRequired")).toBe(true);
    const groupAccess = resourcesOfType(plan, "azuread:index/appRoleAssignment:AppRoleAssignment").filter(
      (r) => inputAt(r, "resourceObjectId") === clientSp.outputs["id"],
    );
    expect(groupAccess.map((r) => inputAt(r, "principalObjectId")).sort()).toEqual(
      ["6d1f4b2a-8c3e-4f7a-9b5d-2e8c1a7f3b90", "9a7e3c1b-2d4f-4e8a-b6c5-1f0d9e8a7b62"].sort(),
    );
    for (const assignment of groupAccess) {
      expect(inputAt(assignment, "appRoleId")).toBe("00000000-0000-0000-0000-000000000000");
    }
  });
});
