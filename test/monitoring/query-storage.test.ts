import { LINKED_DATA_SOURCE_TYPES } from "../../infra/monitoring/query-storage";
import { inputAt, resourcesOfType, STACKS, stackPlan } from "../support/plans";
import { idOf, logicalName, only } from "./plan-helpers";

describe.each(STACKS)("customer-managed storage for saved and alert queries (%s)", (stack) => {
  const plan = stackPlan(stack);
  const workspace = only(plan, "azure-native:operationalinsights:Workspace");
  const account = resourcesOfType(plan, "azure-native:storage:StorageAccount").find(
    (resource) => logicalName(resource) === "query-storage",
  )!;

  test("the workspace keeps queries only in linked storage, for Query and Alerts", () => {
    expect(inputAt(workspace, "forceCmkForQuery")).toBe(true);
    const links = resourcesOfType(plan, "azure-native:operationalinsights:LinkedStorageAccount");
    expect(links.map((link) => inputAt(link, "dataSourceType")).sort()).toEqual(
      [...LINKED_DATA_SOURCE_TYPES].sort(),
    );
    expect(LINKED_DATA_SOURCE_TYPES).toEqual(["Query", "Alerts"]);
    for (const link of links) {
      expect(inputAt(link, "workspaceName")).toBe(inputAt(workspace, "workspaceName"));
      expect(inputAt(link, "storageAccountIds")).toEqual([idOf(account)]);
    }
  });

  test("the account is like the other storage: no keys, no anonymous access, deny-all firewall, private endpoint", () => {
    expect(inputAt(account, "allowSharedKeyAccess")).toBe(false);
    expect(inputAt(account, "allowBlobPublicAccess")).toBe(false);
    expect(inputAt(account, "networkRuleSet.defaultAction")).toBe("Deny");
    expect(inputAt(account, "networkRuleSet.ipRules")).toEqual([]);
    expect(inputAt(account, "networkRuleSet.virtualNetworkRules")).toEqual([]);
    expect(inputAt(account, "encryption.requireInfrastructureEncryption")).toBe(true);
    const endpoints = resourcesOfType(plan, "azure-native:network:PrivateEndpoint").filter(
      (endpoint) =>
        inputAt(endpoint, "privateLinkServiceConnections.0.privateLinkServiceId") === idOf(account),
    );
    expect(endpoints).toHaveLength(1);
    expect(inputAt(endpoints[0]!, "privateLinkServiceConnections.0.groupIds")).toEqual(["blob"]);
  });
});
