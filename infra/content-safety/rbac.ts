import { stableUuid } from "../conventions/uuid";

/** "Cognitive Services User": call the data plane with an Entra token, nothing on the control plane. */
export const COGNITIVE_SERVICES_USER_ROLE_ID = "a97b65f3-24c7-4388-baec-2e87135dc908";

/** `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>` for a scope inside that subscription. */
export function roleDefinitionId(scopeId: string, roleGuid: string): string {
  const match = /^\/subscriptions\/([0-9a-fA-F-]{36})(\/|$)/.exec(scopeId);
  if (!match) throw new Error(`"${scopeId}" is not a resource ID inside a subscription`);
  return `/subscriptions/${match[1]}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/** A stable GUID name for a role assignment, derived from what it grants (see infra/conventions/uuid.ts). */
export function roleAssignmentName(
  uniquenessSeed: string,
  scopeName: string,
  principalKey: string,
  roleGuid: string,
): string {
  return stableUuid(["role-assignment", uniquenessSeed, scopeName, principalKey, roleGuid]);
}
