import type { ComponentControls } from "../../tools/controls/types";

/** The controls the identity component (Entra ID objects, managed identities, CI identity) implements; see docs/identity.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:identity:Identity",
  folder: "infra/identity",
  controls: {
    "MUST-1": {
      how: "one API app per environment with v2 tokens; every MCP server URL is an identifier URI, so tokens carry this app as audience",
      resources: [
        "azuread:index/applicationRegistration:ApplicationRegistration",
        "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
      ],
      tests: ["test/identity/model.test.ts", "test/identity/plan.test.ts"],
      docs: ["docs/identity.md#token-flow"],
    },
    "MUST-3": {
      how: "the delegated scope is admin-consent only; only the clients config pre-authorizes (VS Code by default) get tokens without an admin's consent",
      resources: [
        "azuread:index/applicationPermissionScope:ApplicationPermissionScope",
        "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
      ],
      tests: ["test/identity/model.test.ts"],
      docs: ["docs/identity.md#what-a-tenant-administrator-does"],
    },
    "P2.1": {
      how: "authentication is Entra ID's: app registrations without credentials, managed identities, a federated credential for CI",
      resources: [
        "azuread:index/applicationRegistration:ApplicationRegistration",
        "azuread:index/servicePrincipal:ServicePrincipal",
        "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
        "azure-native:managedidentity:UserAssignedIdentity",
      ],
      tests: ["test/identity/model.test.ts", "test/identity/plan.test.ts"],
    },
    "P2.2": {
      how: "app roles per tool group, assigned to Entra groups; appRoleAssignmentRequired so users without a role get no token",
      resources: [
        "azuread:index/applicationAppRole:ApplicationAppRole",
        "azuread:index/appRoleAssignment:AppRoleAssignment",
        "azuread:index/servicePrincipal:ServicePrincipal",
      ],
      tests: ["test/identity/model.test.ts", "test/identity/config.test.ts"],
    },
    "P2.3": {
      how: "requestedAccessTokenVersion 2, no implicit grant, no client secrets anywhere; token lifetime is Entra's (short-lived access tokens)",
      resources: ["azuread:index/applicationRegistration:ApplicationRegistration"],
      tests: ["test/identity/model.test.ts"],
    },
    "P7.2": {
      how: "identifier URIs equal the MCP server URLs (RFC 8707 resource) plus api://<tenant>/<app>",
      resources: ["azuread:index/applicationIdentifierUri:ApplicationIdentifierUri"],
      tests: ["test/identity/model.test.ts"],
    },
    "P7.3": {
      how: "roles, scp, oid and the optional claims idtyp and acct are what the gateway authorizes on",
      resources: [
        "azuread:index/applicationAppRole:ApplicationAppRole",
        "azuread:index/applicationOptionalClaims:ApplicationOptionalClaims",
      ],
      tests: ["test/identity/model.test.ts"],
    },
    "P10.2": {
      how: "one user-assigned identity per workload, one for the gateway, one for the edge; backend apps accept only the gateway identity",
      resources: [
        "azure-native:managedidentity:UserAssignedIdentity",
        "azuread:index/appRoleAssignment:AppRoleAssignment",
      ],
      tests: ["test/identity/plan.test.ts"],
    },
    "P12.3": {
      how: "the deployer's federated credential trusts exactly one repository and GitHub environment",
      resources: [
        "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
      ],
      tests: ["test/identity/plan.test.ts"],
    },
    "ZT.1": {
      how: "every caller is an Entra principal: users by app role, services by managed identity, CI by OIDC federation (no standing secrets)",
      resources: [
        "azure-native:managedidentity:UserAssignedIdentity",
        "azuread:index/servicePrincipal:ServicePrincipal",
      ],
      tests: ["test/identity/plan.test.ts"],
    },
  },
};
