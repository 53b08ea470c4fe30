import { VS_CODE_CLIENT_ID, type McpServerConfig } from "../../infra/config";
import { isGuid } from "../../infra/conventions/uuid";
import {
  BACKEND_INVOKE_ROLE_VALUE,
  BUILT_IN_ROLES,
  CI_DELEGABLE_ROLE_IDS,
  delegatedRoleAssignmentCondition,
  federatedCredentialName,
  identityModel,
  IdentityModelError,
  loopbackRedirectUris,
  mcpResourceUrl,
  roleDefinitionResourceId,
  type IdentityModel,
  type IdentityModelInput,
} from "../../infra/identity/model";
import { modelFor, modelInput, stackConfig } from "./fixtures";

const STACKS = ["dev", "staging", "prod"] as const;

function allIds(model: IdentityModel): string[] {
  return [
    ...model.servers.flatMap((server) => [server.scope.id, ...server.appRoles.map((r) => r.id)]),
    ...model.backends.map((b) => b.invokeRole.id),
  ];
}

/** Every identifier URI of every app the model declares, with the app that owns it. */
function allIdentifierUris(model: IdentityModel): Array<[string, string]> {
  return [
    ...model.servers.flatMap((server) =>
      server.identifierUris.map((uri): [string, string] => [uri, `api ${server.server}`]),
    ),
    ...model.backends.map((backend): [string, string] => [
      backend.identifierUri,
      `backend ${backend.server}`,
    ]),
  ];
}

function withIdentity(
  input: IdentityModelInput,
  identity: Partial<IdentityModelInput["identity"]>,
): IdentityModelInput {
  return { ...input, identity: { ...input.identity, ...identity } };
}

describe.each(STACKS)("identity model of %s", (stack) => {
  const config = stackConfig(stack);
  const model = modelFor(stack);

  test("one API app per MCP server, in config order, named after the server", () => {
    expect(model.servers.map((s) => s.server)).toEqual(config.mcpServers.map((s) => s.name));
    for (const [index, server] of config.mcpServers.entries()) {
      expect(model.servers[index]!.displayName).toBe(`MCP ${server.displayName} (${stack})`);
    }
  });

  test("each app's identifier URIs are that server's URL on the gateway host, then its tenant-scoped api:// URI", () => {
    for (const server of config.mcpServers) {
      const api = model.servers.find((s) => s.server === server.name)!;
      const url = `https://${config.gateway.hostname}/${server.name}/mcp`;
      expect(api.resourceUrl).toBe(url);
      expect(api.resourceUrl).toBe(mcpResourceUrl(config.gateway.hostname, server.name));
      expect(api.identifierUris).toEqual([url, `api://${config.tenantId}/mcpgw-${stack}-${server.name}`]);
      expect(api.resourceScope).toBe(`${url}/${config.identity.scopeValue}`);
      expect(new URL(api.identifierUris[0]!).host).toBe(config.gateway.hostname);
    }
  });

  test("no two apps (API or backend) share an identifier URI", () => {
    const uris = allIdentifierUris(model).map(([uri]) => uri.toLowerCase());
    expect(new Set(uris).size).toBe(uris.length);
  });

  test("one delegated scope per server, admin-consent type, whose consent text names that server", () => {
    for (const api of model.servers) {
      expect(api.scope.value).toBe(config.identity.scopeValue);
      expect(api.scope.type).toBe("Admin");
      expect(api.scope.adminConsentDescription).toContain(api.resourceUrl);
      expect(api.scope.adminConsentDescription).toMatch(/app roles/);
    }
  });

  test("every server's app carries every configured app role, for users and groups only", () => {
    for (const api of model.servers) {
      expect(api.appRoles.map((r) => r.value)).toEqual(config.identity.appRoles.map((r) => r.value));
      for (const role of api.appRoles) expect(role.allowedMemberTypes).toEqual(["User"]);
    }
  });

  test("every scope and role ID is a GUID, unique across servers and backends, and the same on every build", () => {
    const ids = allIds(model);
    expect(ids).toHaveLength(
      config.mcpServers.length * (1 + config.identity.appRoles.length) + model.backends.length,
    );
    for (const id of ids) expect(isGuid(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(allIds(modelFor(stack))).toEqual(ids);
  });

  test("every server's app gets every group assignment, mapped to that app's role IDs", () => {
    for (const api of model.servers) {
      const roleIds = new Map(api.appRoles.map((r) => [r.value, r.id]));
      expect(api.accessAssignments.map((a) => [a.groupObjectId, a.role])).toEqual(
        config.identity.accessAssignments.map((a) => [a.groupObjectId.toLowerCase(), a.role]),
      );
      for (const assignment of api.accessAssignments) {
        expect(assignment.appRoleId).toBe(roleIds.get(assignment.role));
        expect(isGuid(assignment.groupObjectId)).toBe(true);
      }
    }
  });

  test("VS Code is pre-authorized on every server; optional claims include idtyp", () => {
    for (const api of model.servers) {
      expect(api.preAuthorizedClientIds).toContain(VS_CODE_CLIENT_ID);
      expect(api.optionalAccessTokenClaims).toContain("idtyp");
    }
  });

  test("managed identities for gateway, edge and each containerised server", () => {
    const containerised = config.mcpServers.filter((s) => s.container).map((s) => `workload-${s.name}`);
    expect(model.managedIdentities.map((m) => m.key)).toEqual(["gateway", "edge", ...containerised]);
  });

  test("a backend audience for each server that takes managed-identity tokens, invocable by applications only", () => {
    const entraBackends = config.mcpServers
      .filter((s) => s.backendAuth.type === "managedIdentity")
      .map((s) => s.name);
    expect(model.backends.map((b) => b.server)).toEqual(entraBackends);
    for (const backend of model.backends) {
      expect(backend.identifierUri).toBe(`api://${config.tenantId}/mcpgw-${stack}-${backend.server}-backend`);
      expect(backend.invokeRole.value).toBe(BACKEND_INVOKE_ROLE_VALUE);
      expect(backend.invokeRole.allowedMemberTypes).toEqual(["Application"]);
    }
  });

  test("CI trusts exactly this environment's GitHub jobs", () => {
    expect(model.ci.federatedCredential).toEqual(
      expect.objectContaining({
        issuer: "https://token.actions.githubusercontent.com",
        audiences: ["api://AzureADTokenExchange"],
        subject: `repo:${config.identity.github.repository}:environment:${config.identity.github.environment}`,
      }),
    );
    expect(config.identity.github.environment).toBe(stack);
  });
});

describe("identity model across stacks and edits", () => {
  const dev = modelInput(stackConfig("dev"));

  test("IDs differ between environments, tenants and servers, but not with display text, order or other servers", () => {
    const base = identityModel(dev);
    const [docs, weather] = [base.servers[0]!, base.servers[1]!];
    expect(identityModel({ ...dev, environment: "staging" }).servers[0]!.scope.id).not.toBe(docs.scope.id);
    expect(
      identityModel({ ...dev, tenantId: "11111111-2222-4333-8444-555555555555" }).servers[0]!.appRoles[0]!.id,
    ).not.toBe(docs.appRoles[0]!.id);
    // The same scope and role values are different objects (and IDs) on each server's app.
    expect(weather.scope.id).not.toBe(docs.scope.id);
    expect(weather.appRoles[0]!.value).toBe(docs.appRoles[0]!.value);
    expect(weather.appRoles[0]!.id).not.toBe(docs.appRoles[0]!.id);

    const reworded = withIdentity(dev, {
      appRoles: [...dev.identity.appRoles]
        .reverse()
        .map((role) => ({ ...role, displayName: `${role.displayName} (renamed)` })),
    });
    const byServer = (m: IdentityModel): Record<string, Record<string, string>> =>
      Object.fromEntries(
        m.servers.map((s) => [
          s.server,
          Object.fromEntries([[s.scope.value, s.scope.id], ...s.appRoles.map((r) => [r.value, r.id])]),
        ]),
      );
    expect(byServer(identityModel(reworded))).toEqual(byServer(base));
    // Reordering, renaming or removing one server leaves the other's IDs alone.
    const reordered = identityModel({
      ...dev,
      mcpServers: [{ ...dev.mcpServers[1]!, displayName: "Renamed" }, dev.mcpServers[0]!],
    });
    expect(byServer(reordered)).toEqual(byServer(base));
    expect(byServer(identityModel({ ...dev, mcpServers: [dev.mcpServers[0]!] }))["docs"]).toEqual(
      byServer(base)["docs"],
    );
  });

  test("a role valued like the scope is refused (Entra shares one namespace)", () => {
    const clash = withIdentity(dev, {
      appRoles: [
        ...dev.identity.appRoles,
        { value: dev.identity.scopeValue, displayName: "x", description: "x" },
      ],
    });
    expect(() => identityModel(clash)).toThrow(IdentityModelError);
    expect(() => identityModel(clash)).toThrow(/is also the delegated scope \(identity.scopeValue\)/);
  });

  test("a duplicated group assignment or an unknown role is refused with the group named", () => {
    const first = dev.identity.accessAssignments[0]!;
    expect(() =>
      identityModel(
        withIdentity(dev, {
          accessAssignments: [first, { ...first, groupObjectId: first.groupObjectId.toUpperCase() }],
        }),
      ),
    ).toThrow(new RegExp(`group ${first.groupObjectId} is assigned role "${first.role}" twice`));
    expect(() =>
      identityModel(withIdentity(dev, { accessAssignments: [{ ...first, role: "Nope" }] })),
    ).toThrow(/undefined role "Nope"/);
  });

  test("pre-authorized client IDs are de-duplicated case-insensitively", () => {
    const model = identityModel(
      withIdentity(dev, { preAuthorizedClientIds: [VS_CODE_CLIENT_ID, VS_CODE_CLIENT_ID.toUpperCase()] }),
    );
    for (const api of model.servers) expect(api.preAuthorizedClientIds).toEqual([VS_CODE_CLIENT_ID]);
  });

  test("the first-party client exists only when enabled and redirects to loopback only", () => {
    expect(identityModel(dev).firstPartyClient).toBeUndefined();
    const enabled = identityModel(
      withIdentity(dev, { firstPartyClient: { enabled: true, loopbackPorts: [8400, 3000, 8400] } }),
    );
    expect(enabled.firstPartyClient?.redirectUris).toEqual([
      "http://127.0.0.1:3000",
      "http://localhost:3000",
      "http://127.0.0.1:8400",
      "http://localhost:8400",
    ]);
    expect(enabled.firstPartyClient?.assignedGroupObjectIds).toEqual(
      [...new Set(dev.identity.accessAssignments.map((a) => a.groupObjectId))].sort(),
    );
    // requiredResourceAccess: the scope of every server's API app.
    expect(enabled.firstPartyClient?.requiredScopeIds).toEqual(
      Object.fromEntries(enabled.servers.map((s) => [s.server, s.scope.id])),
    );
    expect(loopbackRedirectUris([])).toEqual(["http://127.0.0.1", "http://localhost"]);
    for (const uri of [...loopbackRedirectUris([]), ...loopbackRedirectUris([1024, 65535])]) {
      expect(uri).toMatch(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/);
    }
  });

  test("an external server reached with managed identity gets a backend audience but no workload identity", () => {
    const external: McpServerConfig = {
      ...dev.mcpServers[1]!,
      name: "tickets",
      backendUrl: "https://tickets.contoso.com/mcp",
      backendAuth: { type: "managedIdentity" },
    };
    const model = identityModel({ ...dev, mcpServers: [...dev.mcpServers, external] });
    expect(model.backends.map((b) => b.server)).toContain("tickets");
    expect(model.managedIdentities.map((m) => m.key)).not.toContain("workload-tickets");
    expect(model.servers.find((s) => s.server === "tickets")?.identifierUris[0]).toBe(
      "https://mcp.dev.contoso.com/tickets/mcp",
    );
  });

  test("a server named like another server's backend is refused before Entra would refuse its URI", () => {
    const docs = dev.mcpServers[0]!;
    expect(docs.backendAuth.type).toBe("managedIdentity");
    const clash: McpServerConfig = { ...dev.mcpServers[1]!, name: `${docs.name}-backend` };
    expect(() => identityModel({ ...dev, mcpServers: [...dev.mcpServers, clash] })).toThrow(
      new RegExp(
        `identifier URI api://${dev.tenantId}/mcpgw-dev-docs-backend would belong to both the API app of server "docs-backend" and the backend app of server "docs"`,
      ),
    );
  });

  test("federated credential names are valid for any GitHub environment name", () => {
    expect(federatedCredentialName("dev")).toBe("github-dev");
    expect(federatedCredentialName("prod.eu-1")).toBe("github-prod-eu-1");
    expect(federatedCredentialName("x".repeat(255))).toHaveLength(120);
    expect(federatedCredentialName("staging_2")).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
  });
});

describe("CI role assignments", () => {
  const model = modelFor("dev");

  test("Contributor plus an ABAC-conditioned Role Based Access Control Administrator", () => {
    expect(model.ci.roleAssignments.map((r) => r.roleDefinitionGuid)).toEqual([
      BUILT_IN_ROLES.contributor,
      BUILT_IN_ROLES.roleBasedAccessControlAdministrator,
    ]);
    const rbac = model.ci.roleAssignments[1]!;
    expect(rbac.conditionVersion).toBe("2.0");
    expect(rbac.condition).toBe(delegatedRoleAssignmentCondition(CI_DELEGABLE_ROLE_IDS));
  });

  test("the condition limits both creating and deleting assignments to data-plane roles for service principals", () => {
    const condition = delegatedRoleAssignmentCondition(CI_DELEGABLE_ROLE_IDS);
    expect(condition).toContain("!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})");
    expect(condition).toContain("!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})");
    expect(condition).toContain(
      "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {",
    );
    expect(condition).toContain(
      "@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {",
    );
    expect(
      condition.match(/PrincipalType\] ForAnyOfAnyValues:StringEqualsIgnoreCase \{'ServicePrincipal'\}/g),
    ).toHaveLength(2);
    for (const id of CI_DELEGABLE_ROLE_IDS) expect(condition.split(id)).toHaveLength(3);
    const privileged = [
      "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
      "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
      BUILT_IN_ROLES.roleBasedAccessControlAdministrator,
      BUILT_IN_ROLES.contributor,
    ];
    for (const id of privileged) expect(condition).not.toContain(id);
    // Balanced parentheses: ARM rejects a malformed condition only at deployment time.
    let depth = 0;
    for (const char of condition.replace(/\{[^}]*\}/g, "")) {
      depth += char === "(" ? 1 : char === ")" ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  test("role definition IDs are subscription-scoped", () => {
    const rg = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mcpgw-dev-weu";
    expect(roleDefinitionResourceId(rg, BUILT_IN_ROLES.contributor)).toBe(
      `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES.contributor}`,
    );
    expect(() =>
      roleDefinitionResourceId(
        "/providers/Microsoft.Management/managementGroups/x",
        BUILT_IN_ROLES.contributor,
      ),
    ).toThrow(/not a scope inside a subscription/);
  });
});
