import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type { EnvironmentName, McpServerConfig } from "../config/schema";
import { resourceName } from "../conventions/naming";
import { stableUuid } from "../conventions/uuid";
import type { Foundation } from "../foundation";
import {
  DEFAULT_ACCESS_ROLE_ID,
  identityModel,
  roleDefinitionResourceId,
  type IdentityConfig,
  type IdentityModel,
} from "./model";

export * from "./model";

export interface IdentityArgs {
  readonly tenantId: string;
  readonly environment: EnvironmentName;
  readonly namePrefix: string;
  /** `config.gateway.hostname`: the public MCP host, on a domain verified in the tenant. */
  readonly gatewayHostname: string;
  readonly identity: IdentityConfig;
  readonly mcpServers: readonly McpServerConfig[];
  readonly foundation: Pick<
    Foundation,
    "resourceGroupName" | "resourceGroupId" | "location" | "naming" | "tags"
  >;
  /** `config.features.protectStatefulResources`: the API apps and the deployer app carry client IDs others depend on. */
  readonly protect?: boolean;
}

/** A user-assigned managed identity as other components consume it. */
export interface ManagedIdentityRef {
  readonly name: string;
  /** ARM resource ID (for `identity.userAssignedIdentities`). */
  readonly id: pulumi.Output<string>;
  /** Service principal object ID (for role assignments). */
  readonly principalId: pulumi.Output<string>;
  /** Application (client) ID (for `client-id=` in policies and `identityClientId` in Key Vault references). */
  readonly clientId: pulumi.Output<string>;
}

export interface ManagedIdentities {
  readonly gateway: ManagedIdentityRef;
  readonly edge: ManagedIdentityRef;
  /** One per MCP server that runs as a container, keyed by server name. */
  readonly workloads: Readonly<Record<string, ManagedIdentityRef>>;
}

/** The Entra API app of one MCP server, as the gateway and the stack outputs consume it. */
export interface McpServerApi {
  /** The app's client ID: the `aud` of the v2 access tokens issued for this server (and no other). */
  readonly apiClientId: pulumi.Output<string>;
  readonly applicationObjectId: pulumi.Output<string>;
  readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** `[resourceUrl, api://<tenant>/<prefix>-<env>-<server>]`. */
  readonly identifierUris: readonly string[];
  /** `https://<host>/<server>/mcp`: the MCP endpoint, the RFC 8707 resource and PRM `resource`. */
  readonly resourceUrl: string;
  /** The full scope a client requests and PRM `scopes_supported` lists: `<resourceUrl>/<scopeValue>`. */
  readonly scope: string;
  /** ID of the delegated scope on this server's app. */
  readonly scopeId: string;
  /** App role value -> app role ID on this server's app (IDs differ between servers). */
  readonly roles: Readonly<Record<string, string>>;
}

/**
 * Entra ID and Azure identities of one environment: one MCP resource API app per MCP server (the
 * audience of the tokens clients get for that server only), who may get tokens for them, the managed
 * identities of gateway, edge and workloads, one backend audience per Entra-protected MCP server, and
 * the secretless CI deployment identity.
 */
export class Identity extends pulumi.ComponentResource {
  readonly tenantId: string;
  /** `https://login.microsoftonline.com/<tenant>/v2.0`: the issuer of v2 tokens and PRM `authorization_servers`. */
  readonly authorizationServer: string;
  /** Server name -> that server's API app. */
  readonly servers: Readonly<Record<string, McpServerApi>>;
  /** `config.identity.scopeValue`: the `scp` value every server's tokens carry. */
  readonly scopeValue: string;
  /** Server name -> identifier URI the gateway requests its managed-identity token for (`resource=`). */
  readonly backendAudiences: Readonly<Record<string, string>>;
  /** Server name -> client ID of the backend app: the `aud` of the gateway's (v2) tokens for it. */
  readonly backendClientIds: Readonly<Record<string, pulumi.Output<string>>>;
  readonly managedIdentities: ManagedIdentities;
  /** Client ID of the first-party public client, when enabled. */
  readonly firstPartyClientId: pulumi.Output<string> | undefined;
  /** `AZURE_CLIENT_ID` of the GitHub Actions deployment. */
  readonly ciClientId: pulumi.Output<string>;
  readonly ciPrincipalId: pulumi.Output<string>;
  /** The pure model the resources were declared from (for tests and docs). */
  readonly model: IdentityModel;

  constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:identity:Identity", name, {}, opts);
    const model = identityModel(args);
    this.model = model;
    const { foundation } = args;
    const parent = { parent: this };
    // Pinned to the configured tenant: Entra objects never land in whatever tenant the shell is logged in to.
    const provider = new azuread.Provider(`${name}-entra`, { tenantId: args.tenantId }, parent);
    const entra = { parent: this, provider };

    // --- MCP resource APIs: one app registration per MCP server ----------------------------------
    // ApplicationRegistration plus one resource per URI, scope, role, claim set and pre-authorization:
    // each Graph collection has exactly one owner in the program (no two resources patching the same
    // property, so no drift), and the resource type has no password block at all.
    const servers: Record<string, McpServerApi> = {};
    // What the first-party client needs of each server's app (declared below).
    const serverApps = new Map<
      string,
      { applicationId: pulumi.Output<string>; clientId: pulumi.Output<string>; scope: pulumi.Resource }
    >();
    for (const server of model.servers) {
      const base = `${name}-api-${server.server}`;
      const app = new azuread.ApplicationRegistration(
        base,
        {
          displayName: server.displayName,
          description: server.description,
          notes: server.notes,
          signInAudience: "AzureADMyOrg",
          // v2: `aud` is always this app's client ID, i.e. this server and no other.
          requestedAccessTokenVersion: 2,
          groupMembershipClaims: ["None"],
          implicitAccessTokenIssuanceEnabled: false,
          implicitIdTokenIssuanceEnabled: false,
        },
        { ...entra, protect: args.protect === true },
      );
      const uris = (
        [
          ["resource", server.resourceUrl],
          ["tenant", server.apiUri],
        ] as const
      ).map(
        ([key, uri]) =>
          new azuread.ApplicationIdentifierUri(
            `${base}-uri-${key}`,
            { applicationId: app.id, identifierUri: uri },
            entra,
          ),
      );
      const scope = new azuread.ApplicationPermissionScope(
        `${base}-scope`,
        {
          applicationId: app.id,
          scopeId: server.scope.id,
          value: server.scope.value,
          type: server.scope.type,
          adminConsentDisplayName: server.scope.adminConsentDisplayName,
          adminConsentDescription: server.scope.adminConsentDescription,
          userConsentDisplayName: server.scope.userConsentDisplayName,
          userConsentDescription: server.scope.userConsentDescription,
        },
        // A scope is requested as `<identifier URI>/<value>`: declare the URIs first, as the portal insists.
        { ...entra, dependsOn: uris },
      );
      const appRoles = server.appRoles.map(
        (role) =>
          new azuread.ApplicationAppRole(
            `${base}-role-${role.value}`,
            {
              applicationId: app.id,
              roleId: role.id,
              value: role.value,
              displayName: role.displayName,
              description: role.description,
              allowedMemberTypes: [...role.allowedMemberTypes],
            },
            entra,
          ),
      );
      new azuread.ApplicationOptionalClaims(
        `${base}-claims`,
        {
          applicationId: app.id,
          accessTokens: server.optionalAccessTokenClaims.map((claim) => ({ name: claim })),
        },
        entra,
      );
      const sp = new azuread.ServicePrincipal(
        `${base}-sp`,
        {
          clientId: app.clientId,
          appRoleAssignmentRequired: true,
          description: `Only users and groups assigned an MCP app role can obtain tokens for the ${server.server} MCP server.`,
        },
        entra,
      );
      for (const assignment of server.accessAssignments) {
        new azuread.AppRoleAssignment(
          `${base}-access-${assignment.key}`,
          {
            appRoleId: assignment.appRoleId,
            principalObjectId: assignment.groupObjectId,
            resourceObjectId: sp.objectId,
          },
          { ...entra, dependsOn: appRoles },
        );
      }
      for (const clientId of server.preAuthorizedClientIds) {
        new azuread.ApplicationPreAuthorized(
          `${base}-preauth-${clientId}`,
          { applicationId: app.id, authorizedClientId: clientId, permissionIds: [server.scope.id] },
          { ...entra, dependsOn: [scope] },
        );
      }
      serverApps.set(server.server, { applicationId: app.id, clientId: app.clientId, scope });
      servers[server.server] = {
        apiClientId: app.clientId,
        applicationObjectId: app.objectId,
        servicePrincipalObjectId: sp.objectId,
        identifierUris: server.identifierUris,
        resourceUrl: server.resourceUrl,
        scope: server.resourceScope,
        scopeId: server.scope.id,
        roles: Object.fromEntries(server.appRoles.map((role) => [role.value, role.id])),
      };
    }

    // --- first-party client (optional) ----------------------------------------------------------
    let firstPartyClientId: pulumi.Output<string> | undefined;
    if (model.firstPartyClient) {
      const client = new azuread.ApplicationRegistration(
        `${name}-client`,
        {
          displayName: model.firstPartyClient.displayName,
          description:
            "First-party public client for internal MCP tools: authorization code with PKCE, loopback redirects only.",
          signInAudience: "AzureADMyOrg",
          requestedAccessTokenVersion: 2,
          implicitAccessTokenIssuanceEnabled: false,
          implicitIdTokenIssuanceEnabled: false,
        },
        entra,
      );
      new azuread.ApplicationRedirectUris(
        `${name}-client-redirects`,
        {
          applicationId: client.id,
          type: "PublicClient",
          redirectUris: [...model.firstPartyClient.redirectUris],
        },
        entra,
      );
      // Authorization code + PKCE works through the PublicClient redirect URIs; "public client flows"
      // would add device code and ROPC (password) grants, which this client has no use for.
      new azuread.ApplicationFallbackPublicClient(
        `${name}-client-public-flows`,
        { applicationId: client.id, enabled: false },
        entra,
      );
      const clientSp = new azuread.ServicePrincipal(
        `${name}-client-sp`,
        {
          clientId: client.clientId,
          appRoleAssignmentRequired: true,
          description: "Only members of the MCP access groups can sign in to this client.",
        },
        entra,
      );
      for (const groupObjectId of model.firstPartyClient.assignedGroupObjectIds) {
        new azuread.AppRoleAssignment(
          `${name}-client-access-${groupObjectId}`,
          {
            appRoleId: DEFAULT_ACCESS_ROLE_ID,
            principalObjectId: groupObjectId,
            resourceObjectId: clientSp.objectId,
          },
          entra,
        );
      }
      // requiredResourceAccess (one entry per server's API app) and pre-authorization on each of them.
      for (const [server, scopeId] of Object.entries(model.firstPartyClient.requiredScopeIds)) {
        const target = serverApps.get(server)!;
        new azuread.ApplicationApiAccess(
          `${name}-client-api-access-${server}`,
          { applicationId: client.id, apiClientId: target.clientId, scopeIds: [scopeId] },
          { ...entra, dependsOn: [target.scope] },
        );
        new azuread.ApplicationPreAuthorized(
          `${name}-api-${server}-preauth-first-party`,
          {
            applicationId: target.applicationId,
            authorizedClientId: client.clientId,
            permissionIds: [scopeId],
          },
          { ...entra, dependsOn: [target.scope] },
        );
      }
      firstPartyClientId = client.clientId;
    }

    // --- managed identities -------------------------------------------------------------------
    const identities = new Map<string, ManagedIdentityRef>();
    for (const mi of model.managedIdentities) {
      const miName = resourceName("userAssignedIdentity", foundation.naming, mi.key);
      const resource = new managedidentity.UserAssignedIdentity(
        `${name}-mi-${mi.key}`,
        {
          resourceName: miName,
          resourceGroupName: foundation.resourceGroupName,
          location: foundation.location,
          tags: { ...foundation.tags },
        },
        parent,
      );
      identities.set(mi.key, {
        name: miName,
        id: resource.id,
        principalId: resource.principalId,
        clientId: resource.clientId,
      });
    }
    const gatewayIdentity = identities.get("gateway")!;
    const workloads: Record<string, ManagedIdentityRef> = {};
    for (const mi of model.managedIdentities) {
      if (mi.role === "workload" && mi.server !== undefined) workloads[mi.server] = identities.get(mi.key)!;
    }

    // --- backend audiences: the gateway calls backends with its own token, never the client's ---
    const backendClientIds: Record<string, pulumi.Output<string>> = {};
    for (const backend of model.backends) {
      const base = `${name}-backend-${backend.server}`;
      const app = new azuread.ApplicationRegistration(
        base,
        {
          displayName: backend.displayName,
          description: `Audience of the tokens the MCP gateway presents to the ${backend.server} MCP server.`,
          signInAudience: "AzureADMyOrg",
          // v2: `aud` is always this app's client ID, whichever identifier the gateway asked for.
          requestedAccessTokenVersion: 2,
          groupMembershipClaims: ["None"],
          implicitAccessTokenIssuanceEnabled: false,
          implicitIdTokenIssuanceEnabled: false,
        },
        entra,
      );
      const uri = new azuread.ApplicationIdentifierUri(
        `${base}-uri`,
        { applicationId: app.id, identifierUri: backend.identifierUri },
        entra,
      );
      const role = new azuread.ApplicationAppRole(
        `${base}-role`,
        {
          applicationId: app.id,
          roleId: backend.invokeRole.id,
          value: backend.invokeRole.value,
          displayName: backend.invokeRole.displayName,
          description: backend.invokeRole.description,
          allowedMemberTypes: [...backend.invokeRole.allowedMemberTypes],
        },
        { ...entra, dependsOn: [uri] },
      );
      const sp = new azuread.ServicePrincipal(
        `${base}-sp`,
        {
          clientId: app.clientId,
          // Entra then issues tokens for this audience only to principals holding Gateway.Invoke.
          appRoleAssignmentRequired: true,
          description: `Only the ${args.namePrefix}-${args.environment} gateway's managed identity may obtain tokens for this backend.`,
        },
        entra,
      );
      new azuread.AppRoleAssignment(
        `${base}-gateway`,
        {
          appRoleId: backend.invokeRole.id,
          principalObjectId: gatewayIdentity.principalId,
          resourceObjectId: sp.objectId,
        },
        { ...entra, dependsOn: [role] },
      );
      backendClientIds[backend.server] = app.clientId;
    }

    // --- CI deployment identity (GitHub Actions OIDC, no secret or certificate) ----------------
    const deployer = new azuread.ApplicationRegistration(
      `${name}-ci`,
      {
        displayName: model.ci.displayName,
        description: "GitHub Actions deployment identity (workload identity federation).",
        notes: model.ci.notes,
        signInAudience: "AzureADMyOrg",
        requestedAccessTokenVersion: 2,
        implicitAccessTokenIssuanceEnabled: false,
        implicitIdTokenIssuanceEnabled: false,
      },
      { ...entra, protect: args.protect === true },
    );
    // Nobody needs a token *for* the deployer; requiring assignment makes sure nobody gets one.
    const deployerSp = new azuread.ServicePrincipal(
      `${name}-ci-sp`,
      { clientId: deployer.clientId, appRoleAssignmentRequired: true },
      entra,
    );
    const fic = model.ci.federatedCredential;
    new azuread.ApplicationFederatedIdentityCredential(
      `${name}-ci-${fic.displayName}`,
      {
        applicationId: deployer.id,
        displayName: fic.displayName,
        description: fic.description,
        issuer: fic.issuer,
        audiences: [...fic.audiences],
        subject: fic.subject,
      },
      entra,
    );
    for (const grant of model.ci.roleAssignments) {
      new authorization.RoleAssignment(
        `${name}-ci-${grant.key}`,
        {
          // guid(scope, principal, role), as Bicep does: a new principal gets a new name instead of a conflict.
          roleAssignmentName: pulumi
            .all([foundation.resourceGroupId, deployerSp.objectId])
            .apply(([scopeId, principalId]) =>
              stableUuid(["role-assignment", scopeId, principalId, grant.roleDefinitionGuid]),
            ),
          scope: foundation.resourceGroupId,
          roleDefinitionId: foundation.resourceGroupId.apply((scopeId) =>
            roleDefinitionResourceId(scopeId, grant.roleDefinitionGuid),
          ),
          principalId: deployerSp.objectId,
          principalType: "ServicePrincipal",
          description: grant.description,
          ...(grant.condition !== undefined
            ? { condition: grant.condition, conditionVersion: grant.conditionVersion }
            : {}),
        },
        parent,
      );
    }

    this.tenantId = model.tenantId;
    this.authorizationServer = model.authorizationServer;
    this.servers = servers;
    this.scopeValue = args.identity.scopeValue;
    this.backendAudiences = Object.fromEntries(
      model.backends.map((backend) => [backend.server, backend.identifierUri]),
    );
    this.backendClientIds = backendClientIds;
    this.managedIdentities = { gateway: gatewayIdentity, edge: identities.get("edge")!, workloads };
    this.firstPartyClientId = firstPartyClientId;
    this.ciClientId = deployer.clientId;
    this.ciPrincipalId = deployerSp.objectId;

    this.registerOutputs({
      tenantId: this.tenantId,
      servers: this.servers,
      scopeValue: this.scopeValue,
      backendAudiences: this.backendAudiences,
      backendClientIds: this.backendClientIds,
      gatewayIdentityClientId: gatewayIdentity.clientId,
      ciClientId: this.ciClientId,
    });
  }
}
