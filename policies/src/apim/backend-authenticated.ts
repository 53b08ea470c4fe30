import type { PolicyResource } from "@pulumi/policy";
import { policyDocument } from "../lib/apim";
import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, isRecord, isUnknownError, tryGet, UNKNOWN, urnName } from "../lib/props";
import { ofType, stackRule } from "../lib/rule";
import { T } from "../lib/types";
import { attribute, descendantsNamed } from "../lib/xml";

const POLICY_TYPES = [
  T.apimApiPolicy,
  T.apimApiOperationPolicy,
  T.apimProductPolicy,
  T.apimGlobalPolicy,
  T.apimWorkspaceApiPolicy,
  T.apimWorkspacePolicy,
];

export const backendAuthenticated = stackRule({
  name: "apim-backend-authenticated",
  area: "apim",
  description:
    "API Management authenticates to every backend: the backend carries credentials (client certificate, authorization header, " +
    "or a header whose value is a Key Vault named value), or the policies that route to it (set-backend-service backend-id) " +
    "authenticate with the gateway's managed identity.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Prefer `<authentication-managed-identity resource="..." />` in the policy that calls `<set-backend-service backend-id="<id>" />`; ' +
    "for third-party backends set `credentials.header` from a Key Vault named value (`{{name}}`) or a client certificate.",
  seedControls: [SEED.authentication, SEED.toolExecution],
  azureBuiltins: builtins("API Management/BackendAuth_AuditDeny"),
  resourceTypes: [T.apimBackend, T.apimWorkspaceBackend, ...POLICY_TYPES],
  appliesTo: [T.apimBackend, T.apimWorkspaceBackend],
  validate: (resources, _args, report) => {
    const managedIdentityBackends = backendsCalledWithManagedIdentity(ofType(resources, ...POLICY_TYPES));
    for (const backend of ofType(resources, T.apimBackend, T.apimWorkspaceBackend)) {
      if (hasCredentials(backend)) continue;
      const id = tryGet(backend.props, "backendId");
      const ids = [typeof id === "string" ? id : undefined, urnName(backend.urn)]
        .filter((v): v is string => !!v)
        .map((v) => v.toLowerCase());
      if (ids.some((candidate) => managedIdentityBackends.has(candidate)) || managedIdentityBackends.has("*"))
        continue;
      report(
        `backend ${backend.name} has no credentials and no policy authenticates to it with a managed identity.`,
        backend.urn,
      );
    }
  },
});

function hasCredentials(backend: PolicyResource): boolean {
  const credentials = tryGet(backend.props, "credentials");
  if (credentials === UNKNOWN) return true;
  if (!isRecord(credentials)) return false;
  const certificates = [
    ...asArray(tryGet(credentials, "certificate")),
    ...asArray(tryGet(credentials, "certificateIds")),
  ];
  const authorization = tryGet(credentials, "authorization");
  const header = tryGet(credentials, "header");
  const query = tryGet(credentials, "query");
  return (
    certificates.length > 0 ||
    authorization === UNKNOWN ||
    (isRecord(authorization) &&
      tryGet(authorization, "scheme") !== undefined &&
      tryGet(authorization, "parameter") !== undefined) ||
    (isRecord(header) && Object.keys(header).length > 0) ||
    (isRecord(query) && Object.keys(query).length > 0)
  );
}

/** Backend IDs named by set-backend-service in documents that also use authentication-managed-identity. */
function backendsCalledWithManagedIdentity(policies: readonly PolicyResource[]): Set<string> {
  const ids = new Set<string>();
  for (const policy of policies) {
    let document;
    try {
      document = policyDocument(policy.props);
    } catch (error) {
      // A policy computed from values unknown at preview may route anywhere: give every backend the benefit of the doubt.
      if (!isUnknownError(error)) throw error;
      ids.add("*");
      continue;
    }
    if (document.kind !== "inline") continue;
    if (descendantsNamed(document.root, "authentication-managed-identity").length === 0) continue;
    for (const route of descendantsNamed(document.root, "set-backend-service")) {
      const id = attribute(route, "backend-id");
      if (id !== undefined) ids.add(id.startsWith("@") ? "*" : id.toLowerCase());
    }
  }
  return ids;
}
