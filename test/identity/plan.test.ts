import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { VS_CODE_CLIENT_ID } from "../../infra/config";
import { isGuid } from "../../infra/conventions/uuid";
import { BUILT_IN_ROLES } from "../../infra/identity/model";
import {
  inputAt,
  resourceNamed,
  resourcesOfType,
  STACKS,
  stackPlan,
  stackPreviewLog,
} from "../support/plans";
import { modelFor, stackConfig } from "./fixtures";

/** Offline-plan checks of the Identity component: what `pulumi preview` would create, per stack. */

const AD = {
  registration: "azuread:index/applicationRegistration:ApplicationRegistration",
  identifierUri: "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
  scope: "azuread:index/applicationPermissionScope:ApplicationPermissionScope",
  appRole: "azuread:index/applicationAppRole:ApplicationAppRole",
  claims: "azuread:index/applicationOptionalClaims:ApplicationOptionalClaims",
  preAuthorized: "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
  servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
  assignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  federated: "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
} as const;
const CREDENTIAL_TYPES = [
  "azuread:index/applicationPassword:ApplicationPassword",
  "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
  "azuread:index/applicationCertificate:ApplicationCertificate",
  "azuread:index/servicePrincipalCertificate:ServicePrincipalCertificate",
  "azuread:index/servicePrincipalTokenSigningCertificate:ServicePrincipalTokenSigningCertificate",
  "azuread:index/synchronizationSecret:SynchronizationSecret",
];
const MI = "azure-native:managedidentity:UserAssignedIdentity";
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";

const idOf = (resource: PlanResourceState): string => String(resource.outputs["id"]);
const named = (plan: PreviewPlan, type: string, name: string): PlanResourceState =>
  resourceNamed(plan, type, name);
const ofApp = (plan: PreviewPlan, type: string, app: PlanResourceState): PlanResourceState[] =>
  resourcesOfType(plan, type).filter((r) => inputAt(r, "applicationId") === idOf(app));

/** Every key anywhere in a value, for "no credential input" checks. */
function keysDeep(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => keysDeep(v, into));
  else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      into.push(key);
      keysDeep(inner, into);
    }
  }
  return into;
}

describe.each(STACKS)("identity in the offline preview of %s", (stack) => {
  const plan = stackPlan(stack);
  const config = stackConfig(stack);
  const model = modelFor(stack);
  /** Each server's API app and service principal, in config order. */
  const apis = model.servers.map((server) => ({
    server,
    app: named(plan, AD.registration, `identity-api-${server.server}`),
    sp: named(plan, AD.servicePrincipal, `identity-api-${server.server}-sp`),
  }));

  test("the component is there, its Entra provider pinned to the configured tenant", () => {
    expect(resourcesOfType(plan, "mcpgw:identity:Identity")).toHaveLength(1);
    expect(inputAt(named(plan, "pulumi:providers:azuread", "identity-entra"), "tenantId")).toBe(
      config.tenantId,
    );
  });

  test("one API app per MCP server, and no other app registration with identifier URIs", () => {
    expect(apis).toHaveLength(config.mcpServers.length);
    if (stack === "dev") expect(apis).toHaveLength(2);
    for (const { server, app } of apis) {
      const configured = config.mcpServers.find((s) => s.name === server.server)!;
      expect(inputAt(app, "displayName")).toBe(`MCP ${configured.displayName} (${stack})`);
    }
    const backendApps = model.backends.map((b) =>
      idOf(named(plan, AD.registration, `identity-backend-${b.server}`)),
    );
    const owners = new Set(
      resourcesOfType(plan, AD.identifierUri).map((r) => String(inputAt(r, "applicationId"))),
    );
    expect([...owners].sort()).toEqual([...apis.map(({ app }) => idOf(app)), ...backendApps].sort());
  });

  test("each API app's identifier URIs are that server's URL from config, then its tenant api:// URI", () => {
    for (const { server, app } of apis) {
      const uris = ofApp(plan, AD.identifierUri, app);
      const byKey = (key: string): unknown =>
        inputAt(named(plan, AD.identifierUri, `identity-api-${server.server}-uri-${key}`), "identifierUri");
      expect(uris).toHaveLength(2);
      expect(byKey("resource")).toBe(`https://${config.gateway.hostname}/${server.server}/mcp`);
      expect(byKey("tenant")).toBe(`api://${config.tenantId}/mcpgw-${stack}-${server.server}`);
      expect(uris.map((r) => inputAt(r, "identifierUri")).sort()).toEqual([...server.identifierUris].sort());
    }
  });

  test("no two apps share an identifier URI or a client ID", () => {
    const uris = resourcesOfType(plan, AD.identifierUri).map((r) =>
      String(inputAt(r, "identifierUri")).toLowerCase(),
    );
    expect(new Set(uris).size).toBe(uris.length);
    // A preview knows an app's client ID through its consumers: every app has one service principal.
    const principals = resourcesOfType(plan, AD.servicePrincipal);
    expect(principals).toHaveLength(resourcesOfType(plan, AD.registration).length);
    const clientIds = principals.map((sp) => String(inputAt(sp, "clientId")));
    for (const clientId of clientIds) expect(isGuid(clientId)).toBe(true);
    expect(new Set(clientIds).size).toBe(clientIds.length);
  });

  test("v2 tokens, no group claims, no implicit grant, single tenant", () => {
    for (const app of resourcesOfType(plan, AD.registration)) {
      expect(inputAt(app, "signInAudience")).toBe("AzureADMyOrg");
      expect(inputAt(app, "implicitAccessTokenIssuanceEnabled")).toBe(false);
      expect(inputAt(app, "implicitIdTokenIssuanceEnabled")).toBe(false);
    }
    for (const app of [...apis.map((a) => a.app), named(plan, AD.registration, "identity-backend-docs")]) {
      expect(inputAt(app, "requestedAccessTokenVersion")).toBe(2);
      expect(inputAt(app, "groupMembershipClaims")).toEqual(["None"]);
      expect(ofApp(plan, "azuread:index/applicationRedirectUris:ApplicationRedirectUris", app)).toHaveLength(
        0,
      );
    }
  });

  test("scope and role IDs are the derived GUIDs (stable, unique across servers, never random)", () => {
    const ids: string[] = [];
    for (const { server, app } of apis) {
      const scope = ofApp(plan, AD.scope, app);
      expect(scope).toHaveLength(1);
      expect(inputAt(scope[0]!, "scopeId")).toBe(server.scope.id);
      expect(inputAt(scope[0]!, "value")).toBe(config.identity.scopeValue);
      expect(inputAt(scope[0]!, "type")).toBe("Admin");
      const roles = ofApp(plan, AD.appRole, app);
      expect(Object.fromEntries(roles.map((r) => [inputAt(r, "value"), inputAt(r, "roleId")]))).toEqual(
        Object.fromEntries(server.appRoles.map((r) => [r.value, r.id])),
      );
      expect(roles.map((r) => inputAt(r, "value")).sort()).toEqual(
        config.identity.appRoles.map((r) => r.value).sort(),
      );
      ids.push(String(inputAt(scope[0]!, "scopeId")), ...roles.map((r) => String(inputAt(r, "roleId"))));
    }
    expect(ids).toHaveLength(apis.length * (1 + config.identity.appRoles.length));
    for (const id of ids) expect(isGuid(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // The plan's one random resource is the gateway's session key generator (a secret, not an ID).
    expect(
      planResources(plan)
        .filter((r) => r.type.startsWith("random:"))
        .map((r) => r.type),
    ).toEqual(["random:index/randomPassword:RandomPassword"]);
  });

  test("the gateway's optional claims are requested in every server's access tokens", () => {
    for (const { app } of apis) {
      const claims = ofApp(plan, AD.claims, app);
      expect(claims).toHaveLength(1);
      expect(inputAt(claims[0]!, "accessTokens")).toEqual(expect.arrayContaining([{ name: "idtyp" }]));
    }
  });

  test("every server's service principal requires assignment; each configured group gets its role on each", () => {
    for (const { server, app, sp } of apis) {
      expect(sp.propertyDependencies?.["clientId"]).toEqual([app.urn]);
      expect(inputAt(sp, "appRoleAssignmentRequired")).toBe(true);
      const assignments = resourcesOfType(plan, AD.assignment).filter(
        (r) => inputAt(r, "resourceObjectId") === idOf(sp),
      );
      const roleIds = new Map(server.appRoles.map((r) => [r.value, r.id]));
      expect(
        assignments.map((a) => [inputAt(a, "principalObjectId"), inputAt(a, "appRoleId")]).sort(),
      ).toEqual(config.identity.accessAssignments.map((a) => [a.groupObjectId, roleIds.get(a.role)]).sort());
    }
  });

  test("VS Code is pre-authorized on every server's app, for that app's scope only", () => {
    for (const { server, app } of apis) {
      const preAuthorized = ofApp(plan, AD.preAuthorized, app);
      expect(preAuthorized.map((p) => inputAt(p, "authorizedClientId"))).toEqual([VS_CODE_CLIENT_ID]);
      expect(inputAt(preAuthorized[0]!, "permissionIds")).toEqual([server.scope.id]);
    }
  });

  test("no password, secret or certificate resource, and no credential input on any Entra object", () => {
    for (const type of CREDENTIAL_TYPES) expect(resourcesOfType(plan, type)).toHaveLength(0);
    const entra = planResources(plan).filter((r) => r.type.startsWith("azuread:"));
    expect(entra.length).toBeGreaterThan(0);
    for (const resource of entra) {
      const keys = keysDeep(resource.inputs).map((k) => k.toLowerCase());
      for (const forbidden of [
        "password",
        "passwordcredentials",
        "keycredentials",
        "clientsecret",
        "certificate",
      ]) {
        expect(keys).not.toContain(forbidden);
      }
    }
  });

  test("managed identities for gateway, edge and each containerised server, named and tagged", () => {
    const component = resourcesOfType(plan, "mcpgw:identity:Identity")[0]!;
    const identities = resourcesOfType(plan, MI).filter((r) => r.parent === component.urn);
    const expected = [
      "gateway",
      "edge",
      ...config.mcpServers.filter((s) => s.container).map((s) => `workload-${s.name}`),
    ];
    expect(identities.map((r) => inputAt(r, "resourceName")).sort()).toEqual(
      expected.map((purpose) => `id-mcpgw-${stack}-weu-${purpose}`).sort(),
    );
    for (const identity of identities) expect(inputAt(identity, "tags.environment")).toBe(stack);
  });

  test("each Entra-protected backend has its own audience that only the gateway's managed identity can get tokens for", () => {
    const gatewayMi = named(plan, MI, "identity-mi-gateway");
    for (const backend of model.backends) {
      const app = named(plan, AD.registration, `identity-backend-${backend.server}`);
      const sp = named(plan, AD.servicePrincipal, `identity-backend-${backend.server}-sp`);
      expect(ofApp(plan, AD.identifierUri, app).map((r) => inputAt(r, "identifierUri"))).toEqual([
        backend.identifierUri,
      ]);
      expect(inputAt(sp, "appRoleAssignmentRequired")).toBe(true);
      const grants = resourcesOfType(plan, AD.assignment).filter(
        (r) => inputAt(r, "resourceObjectId") === idOf(sp),
      );
      expect(grants).toHaveLength(1);
      expect(inputAt(grants[0]!, "appRoleId")).toBe(backend.invokeRole.id);
      expect(grants[0]!.propertyDependencies?.["principalObjectId"]).toEqual([gatewayMi.urn]);
    }
  });

  test("CI: one federated credential for this environment, and the two resource-group roles", () => {
    const credentials = resourcesOfType(plan, AD.federated);
    expect(credentials).toHaveLength(1);
    expect(inputAt(credentials[0]!, "subject")).toBe(`repo:contoso/mcp-azure-gateway:environment:${stack}`);
    expect(inputAt(credentials[0]!, "issuer")).toBe("https://token.actions.githubusercontent.com");
    expect(inputAt(credentials[0]!, "audiences")).toEqual(["api://AzureADTokenExchange"]);

    const deployerSp = named(plan, AD.servicePrincipal, "identity-ci-sp");
    const resourceGroup = named(plan, "azure-native:resources:ResourceGroup", "resource-group");
    const grants = resourcesOfType(plan, ROLE_ASSIGNMENT).filter(
      (r) => inputAt(r, "principalId") === idOf(deployerSp),
    );
    expect(grants.map((g) => String(inputAt(g, "roleDefinitionId")).split("/").pop()).sort()).toEqual(
      [BUILT_IN_ROLES.contributor, BUILT_IN_ROLES.roleBasedAccessControlAdministrator].sort(),
    );
    for (const grant of grants) {
      expect(inputAt(grant, "scope")).toBe(idOf(resourceGroup));
      expect(inputAt(grant, "principalType")).toBe("ServicePrincipal");
      expect(isGuid(String(inputAt(grant, "roleAssignmentName")))).toBe(true);
    }
    const rbac = grants.find((g) =>
      String(inputAt(g, "roleDefinitionId")).endsWith(BUILT_IN_ROLES.roleBasedAccessControlAdministrator),
    )!;
    expect(inputAt(rbac, "conditionVersion")).toBe("2.0");
    expect(String(inputAt(rbac, "condition"))).toContain("'ServicePrincipal'");
  });

  test("the API and deployer apps are protected where stateful resources are", () => {
    for (const name of [...apis.map(({ server }) => `identity-api-${server.server}`), "identity-ci"]) {
      expect(named(plan, AD.registration, name).protect).toBe(config.features.protectStatefulResources);
    }
  });

  test("the policy pack finds nothing on identity resources", () => {
    expect(stackPreviewLog(stack)).not.toContain("mcpgw:identity:Identity$");
  });

  test("stack outputs carry each server's URL and API client ID, and the deployer's client ID", () => {
    const outputs = plan.steps[0]?.newState?.outputs ?? {};
    expect(outputs["mcpServerUrls"]).toEqual(
      Object.fromEntries(
        config.mcpServers.map((s) => [s.name, `https://${config.gateway.hostname}/${s.name}/mcp`]),
      ),
    );
    expect(outputs["apiClientIds"]).toEqual(
      Object.fromEntries(apis.map(({ server, sp }) => [server.server, inputAt(sp, "clientId")])),
    );
    for (const clientId of Object.values(outputs["apiClientIds"] as Record<string, unknown>)) {
      expect(isGuid(String(clientId))).toBe(true);
    }
    expect(outputs["apiClientId"]).toBeUndefined();
    expect(outputs["identifierUris"]).toBeUndefined();
    expect(isGuid(String(outputs["deployerClientId"]))).toBe(true);
  });
});
