/**
 * Constants of the read-only CI identities the bootstrap creates (`ciReaders`), shared by the program,
 * its tests and the workflows' tests: one source for the environment naming and the permissions.
 */

/** GitHub's OIDC issuer and the audience Entra expects for workload identity federation. */
export const GITHUB_OIDC = {
  issuer: "https://token.actions.githubusercontent.com",
  audience: "api://AzureADTokenExchange",
} as const;

/** The GitHub environment a reader's credential trusts: no reviewers, pull requests allowed. */
export function readerEnvironment(environment: string): string {
  return `${environment}-readonly`;
}

/** Microsoft Graph's application (client) ID, the same in every tenant. */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/**
 * Graph application permissions of a reader (app role IDs are fixed by Microsoft). `Application.Read.All`
 * reads applications and service principals, including their federated credentials and app role
 * assignments: everything the identity component creates. No write permission.
 */
export const READER_GRAPH_APP_ROLES = {
  "application-read-all": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
} as const;

/**
 * ABAC condition on Storage Blob Data Contributor (condition version 2.0): every read, but writes and
 * deletes only under `.pulumi/locks/`, where the self-managed backend keeps the lock of a running
 * operation. A reader can neither change nor delete a checkpoint.
 */
export const STATE_LOCKS_ONLY_CONDITION = [
  "(",
  " (",
  "  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})",
  "  AND",
  "  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'})",
  "  AND",
  "  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})",
  " )",
  " OR",
  " (",
  "  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '.pulumi/locks/'",
  " )",
  ")",
].join("\n");
