import { stableUuid } from "./uuid";

/** `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>` for a scope inside that subscription. */
export function roleDefinitionId(scopeId: string, roleGuid: string): string {
  const match = /^\/subscriptions\/([0-9a-fA-F-]{36})(\/|$)/.exec(scopeId);
  if (!match) throw new Error(`"${scopeId}" is not a resource ID inside a subscription`);
  return `/subscriptions/${match[1]}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/**
 * Role assignment names must be GUIDs; deriving them from what the assignment means (stack, scope,
 * principal, role) keeps them stable across runs and makes a duplicate assignment a name clash
 * instead of a silent second grant (see ./uuid.ts).
 */
export function roleAssignmentName(
  uniquenessSeed: string,
  scopeName: string,
  principalKey: string,
  roleGuid: string,
): string {
  return stableUuid(["role-assignment", uniquenessSeed, scopeName, principalKey, roleGuid]);
}
