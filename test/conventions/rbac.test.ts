/**
 * The role-assignment helper shared by the components (infra/conventions/rbac.ts). No Pulumi runtime.
 */
import { COGNITIVE_SERVICES_USER_ROLE_ID } from "../../infra/content-safety/rbac";
import { roleAssignmentName, roleDefinitionId } from "../../infra/conventions/rbac";
import { ACR_PULL_ROLE_ID } from "../../infra/workloads/rbac";

describe("role assignments and IDs", () => {
  test("role assignment names are stable GUIDs that differ per principal, scope and role", () => {
    const name = roleAssignmentName("tenant/prod", "crmcpgw", "workload-docs", ACR_PULL_ROLE_ID);
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(roleAssignmentName("tenant/prod", "crmcpgw", "workload-docs", ACR_PULL_ROLE_ID)).toBe(name);
    expect(roleAssignmentName("tenant/prod", "crmcpgw", "workload-tickets", ACR_PULL_ROLE_ID)).not.toBe(name);
    expect(roleAssignmentName("tenant/dev", "crmcpgw", "workload-docs", ACR_PULL_ROLE_ID)).not.toBe(name);
    expect(
      roleAssignmentName("tenant/prod", "crmcpgw", "workload-docs", COGNITIVE_SERVICES_USER_ROLE_ID),
    ).not.toBe(name);
    // Pinned: every deployed role assignment is named this way, so a change here would replace them all.
    expect(name).toBe("10e6c1c9-d3c7-5011-bf06-8dfd000af475");
  });

  test("role definition IDs live in the scope's subscription", () => {
    const scope =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/cr";
    expect(roleDefinitionId(scope, ACR_PULL_ROLE_ID)).toBe(
      `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE_ID}`,
    );
    expect(() => roleDefinitionId("/providers/x", ACR_PULL_ROLE_ID)).toThrow(/inside a subscription/);
  });
});
