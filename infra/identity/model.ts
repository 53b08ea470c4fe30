import type { McpServerConfig, StackConfig } from "../config/schema";
import { stableUuid } from "../conventions/uuid";

/**
 * The Entra ID and Azure identity model of one environment, as pure data derived from the stack
 * config: what `Identity` declares, and what the tests check without running Pulumi.
 * See docs/identity.md for the token flow these objects serve.
 */

/** App role ID of Entra's default access ("assigned to the app, no particular role"). */
export const DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000";

/** The application permission a backend app grants to the gateway's managed identity only. */
export const BACKEND_INVOKE_ROLE_VALUE = "Gateway.Invoke";

/**
 * Optional access-token claims the gateway reads: `idtyp` is `app` in app-only tokens (so the
 * gateway can refuse tokens that carry no user), `acct` is 0 for members and 1 for guests.
 */
export const ACCESS_TOKEN_OPTIONAL_CLAIMS = ["idtyp", "acct"] as const;

export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** Built-in Azure role definition IDs (the same GUID in every tenant and subscription). */
export const BUILT_IN_ROLES = {
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  roleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  keyVaultCertificateUser: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  cognitiveServicesUser: "a97b65f3-24c7-4388-baec-2e87135dc908",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
} as const;

/**
 * The only roles the CI identity may assign (to service principals, i.e. managed identities):
 * the data-plane roles this program grants its workloads. A component that grants a new role must
 * add it here, or the CI run fails with AuthorizationFailed (by design: it is a privilege change).
 */
export const CI_DELEGABLE_ROLE_IDS: readonly string[] = [
  BUILT_IN_ROLES.keyVaultSecretsUser,
  BUILT_IN_ROLES.keyVaultCertificateUser,
  BUILT_IN_ROLES.keyVaultCryptoUser,
  BUILT_IN_ROLES.keyVaultCryptoServiceEncryptionUser,
  BUILT_IN_ROLES.acrPull,
  BUILT_IN_ROLES.cognitiveServicesUser,
  BUILT_IN_ROLES.monitoringMetricsPublisher,
  BUILT_IN_ROLES.storageBlobDataContributor,
];

export type IdentityConfig = StackConfig["identity"];

export interface IdentityModelInput {
  readonly tenantId: string;
  readonly environment: string;
  readonly namePrefix: string;
  /** The public MCP host on a domain verified in the tenant (validated by the config schema). */
  readonly gatewayHostname: string;
  readonly identity: IdentityConfig;
  readonly mcpServers: readonly McpServerConfig[];
}

export interface PermissionScopeModel {
  readonly id: string;
  readonly value: string;
  /** `Admin`: only pre-authorized clients or an admin's tenant-wide consent can obtain it. */
  readonly type: "Admin";
  readonly adminConsentDisplayName: string;
  readonly adminConsentDescription: string;
  readonly userConsentDisplayName: string;
  readonly userConsentDescription: string;
}

export interface AppRoleModel {
  readonly id: string;
  readonly value: string;
  readonly displayName: string;
  readonly description: string;
  readonly allowedMemberTypes: readonly ("User" | "Application")[];
}

export interface AccessAssignmentModel {
  /** Stable logical-name suffix: `<role>-<group>` (order in config does not matter). */
  readonly key: string;
  readonly groupObjectId: string;
  readonly role: string;
  readonly appRoleId: string;
}

/**
 * The Entra API app of one MCP server: the audience of the tokens clients obtain for that server, and
 * of no other server's (v2 tokens carry this app's client ID in `aud`).
 */
export interface McpServerApiModel {
  /** `mcpServers[].name`. */
  readonly server: string;
  /** `MCP <server displayName> (<env>)`. */
  readonly displayName: string;
  readonly description: string;
  readonly notes: string;
  /** `https://<host>/<server>/mcp`: the MCP endpoint, the RFC 8707 resource and PRM `resource`. */
  readonly resourceUrl: string;
  /** `api://<tenantId>/<prefix>-<env>-<server>`: an identifier that does not depend on DNS. */
  readonly apiUri: string;
  /** `[resourceUrl, apiUri]`: the server URL first, as clients send it in `resource=`. */
  readonly identifierUris: readonly string[];
  readonly scope: PermissionScopeModel;
  /** `<resourceUrl>/<scopeValue>`: the scope a client requests and PRM `scopes_supported` lists. */
  readonly resourceScope: string;
  /** Every role of `identity.appRoles`, with IDs of this app (see docs/identity.md on unused roles). */
  readonly appRoles: readonly AppRoleModel[];
  readonly optionalAccessTokenClaims: readonly string[];
  readonly preAuthorizedClientIds: readonly string[];
  /** `identity.accessAssignments`, the same groups on every server's app, with this app's role IDs. */
  readonly accessAssignments: readonly AccessAssignmentModel[];
}

export interface FirstPartyClientModel {
  readonly displayName: string;
  readonly redirectUris: readonly string[];
  /** The groups of `accessAssignments`: only MCP users may sign in to the client (assignment required). */
  readonly assignedGroupObjectIds: readonly string[];
  /** Server name -> the delegated scope ID the client requires on that server's API app. */
  readonly requiredScopeIds: Readonly<Record<string, string>>;
}

export type ManagedIdentityRole = "gateway" | "edge" | "workload";

export interface ManagedIdentityModel {
  /** `gateway`, `edge` or `workload-<server>`: also the naming purpose. */
  readonly key: string;
  readonly role: ManagedIdentityRole;
  readonly server?: string;
}

export interface BackendAppModel {
  readonly server: string;
  readonly displayName: string;
  /**
   * `api://<tenantId>/<prefix>-<env>-<server>-backend`: what the gateway passes as `resource=`. The
   * suffix keeps it apart from the server's API app, which owns `api://<tenantId>/<prefix>-<env>-<server>`.
   */
  readonly identifierUri: string;
  readonly invokeRole: AppRoleModel;
}

export interface FederatedCredentialModel {
  readonly displayName: string;
  readonly description: string;
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly subject: string;
}

export interface CiRoleAssignmentModel {
  readonly key: string;
  readonly roleDefinitionGuid: string;
  readonly description: string;
  readonly condition?: string;
  readonly conditionVersion?: "2.0";
}

export interface CiIdentityModel {
  readonly displayName: string;
  readonly notes: string;
  readonly federatedCredential: FederatedCredentialModel;
  readonly roleAssignments: readonly CiRoleAssignmentModel[];
}

export interface IdentityModel {
  readonly tenantId: string;
  /** `https://login.microsoftonline.com/<tenant>/v2.0`: PRM `authorization_servers` and the v2 `iss`. */
  readonly authorizationServer: string;
  /** One API app per MCP server, in config order. */
  readonly servers: readonly McpServerApiModel[];
  readonly firstPartyClient: FirstPartyClientModel | undefined;
  readonly managedIdentities: readonly ManagedIdentityModel[];
  readonly backends: readonly BackendAppModel[];
  readonly ci: CiIdentityModel;
}

/** The model cannot be built from this config (problems the schema does not catch). */
export class IdentityModelError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`identity configuration: ${problems.join("; ")}`);
    this.name = "IdentityModelError";
  }
}

/** The public URL of one MCP server: its RFC 8707 resource and an Entra identifier URI. */
export function mcpResourceUrl(gatewayHostname: string, server: string): string {
  return `https://${gatewayHostname}/${server}/mcp`;
}

/** `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>` for a scope inside that subscription. */
export function roleDefinitionResourceId(scopeId: string, roleDefinitionGuid: string): string {
  const match = /^\/subscriptions\/([0-9a-fA-F-]{36})(\/|$)/.exec(scopeId);
  if (!match) throw new Error(`"${scopeId}" is not a scope inside a subscription`);
  return `/subscriptions/${match[1]}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionGuid}`;
}

/**
 * The ABAC condition (version 2.0) on the CI identity's "Role Based Access Control Administrator"
 * assignment: it may create and delete role assignments only for the listed roles and only for
 * service principals (managed identities), so it can never grant Owner, itself more rights, or a user access.
 */
export function delegatedRoleAssignmentCondition(roleDefinitionGuids: readonly string[]): string {
  if (roleDefinitionGuids.length === 0) throw new Error("the CI identity must be allowed at least one role");
  const roles = `{${[...roleDefinitionGuids].sort().join(", ")}}`;
  const clause = (action: "write" | "delete", source: "Request" | "Resource"): string =>
    [
      "(",
      ` (!(ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'}))`,
      " OR",
      ` (@${source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${roles}`,
      `  AND @${source}[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'})`,
      ")",
    ].join("\n");
  return `${clause("write", "Request")}\nAND\n${clause("delete", "Resource")}`;
}

/** Loopback redirect URIs for the first-party public client (Entra ignores the port on loopback). */
export function loopbackRedirectUris(ports: readonly number[]): string[] {
  if (ports.length === 0) return ["http://127.0.0.1", "http://localhost"];
  return [...new Set(ports)]
    .sort((a, b) => a - b)
    .flatMap((port) => [`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

/** A federated credential's name: 3-120 letters, digits, '-' or '_' (GitHub environment names may hold '.'). */
export function federatedCredentialName(githubEnvironment: string): string {
  return `github-${githubEnvironment.replace(/[^A-Za-z0-9_-]/g, "-")}`.slice(0, 120);
}

/**
 * Appended to a backend app's `api://<tenantId>/<prefix>-<env>-<server>` identifier: the bare form is
 * the server's API app (identifier URIs are unique across a tenant).
 */
export const BACKEND_URI_SUFFIX = "-backend";

export function identityModel(input: IdentityModelInput): IdentityModel {
  const { tenantId, environment, namePrefix, gatewayHostname, identity, mcpServers } = input;
  const stack = `${namePrefix}-${environment}`;
  const id = (...parts: string[]): string => stableUuid([tenantId, environment, ...parts]);
  const problems: string[] = [];

  // Entra shares one namespace between scope and role values (and the schema does not know the scope).
  if (identity.appRoles.some((role) => role.value === identity.scopeValue)) {
    problems.push(
      `app role value "${identity.scopeValue}" is also the delegated scope (identity.scopeValue); rename one of them`,
    );
  }

  const roleValues = new Set(identity.appRoles.map((role) => role.value));
  const seenAssignments = new Set<string>();
  const assignments: Omit<AccessAssignmentModel, "appRoleId">[] = [];
  for (const assignment of identity.accessAssignments) {
    const groupObjectId = assignment.groupObjectId.toLowerCase();
    const key = `${assignment.role}-${groupObjectId}`;
    if (!roleValues.has(assignment.role)) {
      problems.push(`access assignment of group ${groupObjectId} names undefined role "${assignment.role}"`);
      continue;
    }
    if (seenAssignments.has(key)) {
      problems.push(`group ${groupObjectId} is assigned role "${assignment.role}" twice`);
      continue;
    }
    seenAssignments.add(key);
    assignments.push({ key, groupObjectId, role: assignment.role });
  }

  const preAuthorizedClientIds = [
    ...new Set(identity.preAuthorizedClientIds.map((clientId) => clientId.toLowerCase())),
  ];

  // One app per server: a token's `aud` (this app's client ID) then names exactly one MCP server, so a
  // token obtained for one server is refused by every other (MCP: accept only tokens issued for you).
  const servers: McpServerApiModel[] = mcpServers.map((server) => {
    const resourceUrl = mcpResourceUrl(gatewayHostname, server.name);
    const apiUri = `api://${tenantId}/${stack}-${server.name}`;
    // Seeded with the server: the same role value is a different role (and ID) on each server's app.
    const appRoles: AppRoleModel[] = identity.appRoles.map((role) => ({
      id: id("api", server.name, "app-role", role.value),
      value: role.value,
      displayName: role.displayName,
      description: role.description,
      allowedMemberTypes: ["User"],
    }));
    const roleIds = new Map(appRoles.map((role) => [role.value, role.id]));
    const name = `the ${server.displayName} MCP server`;
    return {
      server: server.name,
      displayName: `MCP ${server.displayName} (${environment})`,
      description: `${name} at ${resourceUrl}: the audience of the tokens MCP clients obtain for this server, and for no other.`,
      notes: `Managed by Pulumi (mcp-azure-gateway, stack ${environment}, prefix ${namePrefix}). The identifier URIs are the MCP server URL and a tenant-scoped api:// URI; change them in the stack config, not here.`,
      resourceUrl,
      apiUri,
      identifierUris: [resourceUrl, apiUri],
      scope: {
        id: id("api", server.name, "scope", identity.scopeValue),
        value: identity.scopeValue,
        type: "Admin",
        adminConsentDisplayName: `Use ${name} (${stack}) as the signed-in user`,
        adminConsentDescription:
          `Allows the application to call ${name} at ${resourceUrl} on behalf of the signed-in user. ` +
          "It grants no tool by itself: which tools a user can call is decided by the app roles assigned to the user or their groups.",
        userConsentDisplayName: `Use ${name} (${stack}) as you`,
        userConsentDescription: `Allows the application to call ${name} at ${resourceUrl} for you, limited to the tools your assigned roles allow.`,
      },
      resourceScope: `${resourceUrl}/${identity.scopeValue}`,
      appRoles,
      optionalAccessTokenClaims: [...ACCESS_TOKEN_OPTIONAL_CLAIMS],
      preAuthorizedClientIds,
      accessAssignments: assignments.flatMap((assignment) => {
        const appRoleId = roleIds.get(assignment.role);
        return appRoleId === undefined ? [] : [{ ...assignment, appRoleId }];
      }),
    };
  });

  const firstPartyClient: FirstPartyClientModel | undefined = identity.firstPartyClient.enabled
    ? {
        displayName: `MCP client (${stack})`,
        redirectUris: loopbackRedirectUris(identity.firstPartyClient.loopbackPorts),
        assignedGroupObjectIds: [
          ...new Set(assignments.map((assignment) => assignment.groupObjectId)),
        ].sort(),
        requiredScopeIds: Object.fromEntries(servers.map((server) => [server.server, server.scope.id])),
      }
    : undefined;

  const managedIdentities: ManagedIdentityModel[] = [
    { key: "gateway", role: "gateway" },
    { key: "edge", role: "edge" },
    ...mcpServers
      .filter((server) => server.container !== undefined)
      .map((server): ManagedIdentityModel => ({
        key: `workload-${server.name}`,
        role: "workload",
        server: server.name,
      })),
  ];

  // Only servers that authenticate the gateway with Entra tokens get an audience of their own; an
  // external server behind an API key would never validate one.
  const backends: BackendAppModel[] = mcpServers
    .filter((server) => server.backendAuth.type === "managedIdentity")
    .map((server) => ({
      server: server.name,
      displayName: `MCP backend ${server.name} (${stack})`,
      identifierUri: `api://${tenantId}/${stack}-${server.name}${BACKEND_URI_SUFFIX}`,
      invokeRole: {
        id: id("backend", server.name, "app-role", BACKEND_INVOKE_ROLE_VALUE),
        value: BACKEND_INVOKE_ROLE_VALUE,
        displayName: "Invoke through the MCP gateway",
        description: `Lets the ${stack} MCP gateway call the ${server.name} MCP server with its own token.`,
        allowedMemberTypes: ["Application"],
      },
    }));

  // Identifier URIs are unique across the tenant: a server named `<x>-backend` next to a managed-identity
  // server `<x>` would claim the latter's backend URI, which Entra refuses only at deployment.
  const uriOwners = new Map<string, string>();
  const claimUri = (uri: string, owner: string): void => {
    const previous = uriOwners.get(uri.toLowerCase());
    if (previous !== undefined) {
      problems.push(
        `identifier URI ${uri} would belong to both ${previous} and ${owner}; rename one MCP server`,
      );
    } else {
      uriOwners.set(uri.toLowerCase(), owner);
    }
  };
  for (const server of servers) {
    for (const uri of server.identifierUris) claimUri(uri, `the API app of server "${server.server}"`);
  }
  for (const backend of backends)
    claimUri(backend.identifierUri, `the backend app of server "${backend.server}"`);

  if (problems.length > 0) throw new IdentityModelError(problems);

  const repository = identity.github.repository;
  const ci: CiIdentityModel = {
    displayName: `${stack}-deployer`,
    notes: `Deploys the ${stack} stack from GitHub Actions (${repository}, environment ${identity.github.environment}) through OIDC. No secrets or certificates: federated credentials only.`,
    federatedCredential: {
      displayName: federatedCredentialName(identity.github.environment),
      description: `GitHub Actions jobs of ${repository} that run in the environment ${identity.github.environment}`,
      issuer: GITHUB_OIDC_ISSUER,
      audiences: [TOKEN_EXCHANGE_AUDIENCE],
      subject: `repo:${repository}:environment:${identity.github.environment}`,
    },
    roleAssignments: [
      {
        key: "contributor",
        roleDefinitionGuid: BUILT_IN_ROLES.contributor,
        description: `${stack} CI: create and update the stack's resources in this resource group`,
      },
      {
        key: "rbac-administrator",
        roleDefinitionGuid: BUILT_IN_ROLES.roleBasedAccessControlAdministrator,
        description: `${stack} CI: assign the workloads' data-plane roles only (ABAC condition), never to users`,
        condition: delegatedRoleAssignmentCondition(CI_DELEGABLE_ROLE_IDS),
        conditionVersion: "2.0",
      },
    ],
  };

  return {
    tenantId,
    authorizationServer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
    servers,
    firstPartyClient,
    managedIdentities,
    backends,
    ci,
  };
}
