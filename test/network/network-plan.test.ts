import type { PlanResourceState } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { REQUIRED_TAG_KEYS } from "../../infra/conventions/tags";
import {
  addressPlan,
  nsgRulesFor,
  privateDnsZoneSpecs,
  toSecurityRules,
  SUBNET_NAME_FRAGMENT,
} from "../../infra/network";
import { resourceName } from "../../infra/conventions/naming";
import { namingContextFor } from "../../infra/config/placement";
import { cidrContains, cidrsOverlap, parseCidr } from "../../infra/config/cidr";
import { inputAt, resourcesOfType, STACKS } from "../support/plans";
import { offlinePlan, parseStackVariant } from "./offline-plans";
import { mockOutputs } from "../../tools/offline/mock-outputs";

const text = (value: unknown): string => JSON.stringify(value) ?? "";

const NETWORK_URN = "mcpgw:network:Network";
const WORKLOADS_URN = "mcpgw:workloads:Workloads";
const GATEWAY_URN = "mcpgw:gateway:Gateway";

/** Azure Monitor private link's DNS zones ("Review your endpoint's DNS settings"), sorted. */
const AMPLS_ZONES = [
  "privatelink.agentsvc.azure-automation.net",
  "privatelink.blob.core.windows.net",
  "privatelink.monitor.azure.com",
  "privatelink.ods.opinsights.azure.com",
  "privatelink.oms.opinsights.azure.com",
];

function configOf(stack: (typeof STACKS)[number]) {
  const result = parseStackVariant(stack, () => undefined);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

function only(resources: PlanResourceState[]): PlanResourceState {
  expect(resources).toHaveLength(1);
  return resources[0]!;
}

const id = (resource: PlanResourceState): string => String(resource.outputs["id"]);

describe.each(STACKS)("network of %s under mocks", (stack) => {
  const config = configOf(stack);
  const plan = offlinePlan(stack);
  const naming = namingContextFor(config);
  const vnet = only(resourcesOfType(plan, "azure-native:network:VirtualNetwork"));
  const subnets = inputAt(vnet, "subnets") as Array<Record<string, unknown>>;
  const expectedPlan = addressPlan(config.network, config.gateway.sku);

  test("is one component with the VNet and its NSGs as children", () => {
    const component = only(planResources(plan).filter((r) => r.type === NETWORK_URN));
    expect(vnet.parent).toBe(component.urn);
    for (const nsg of resourcesOfType(plan, "azure-native:network:NetworkSecurityGroup"))
      expect(nsg.parent).toBe(component.urn);
  });

  test("one VNet with the configured address space and every subnet inline, private, and with its own NSG", () => {
    expect(inputAt(vnet, "addressSpace.addressPrefixes")).toEqual([config.network.addressSpace]);
    expect(subnets.map((subnet) => subnet["addressPrefix"])).toEqual(
      expectedPlan.subnets.map((subnet) => subnet.cidr),
    );
    const nsgIds = new Set(resourcesOfType(plan, "azure-native:network:NetworkSecurityGroup").map(id));
    const seen = new Set<string>();
    for (const subnet of subnets) {
      expect(subnet["defaultOutboundAccess"]).toBe(false);
      const nsgId = (subnet["networkSecurityGroup"] as { id: string }).id;
      expect(nsgIds.has(nsgId)).toBe(true);
      expect(seen.has(nsgId)).toBe(false); // one NSG per subnet
      seen.add(nsgId);
    }
  });

  test("subnets fit the address space and do not overlap", () => {
    const space = parseCidr(config.network.addressSpace)!;
    const cidrs = subnets.map((subnet) => parseCidr(String(subnet["addressPrefix"]))!);
    for (const cidr of cidrs) expect(cidrContains(space, cidr)).toBe(true);
    for (let i = 0; i < cidrs.length; i++)
      for (let j = i + 1; j < cidrs.length; j++) expect(cidrsOverlap(cidrs[i]!, cidrs[j]!)).toBe(false);
  });

  test("delegations and private-endpoint policies per subnet", () => {
    const byName = new Map(subnets.map((subnet) => [String(subnet["name"]), subnet]));
    const workloads = byName.get(resourceName("subnet", naming, SUBNET_NAME_FRAGMENT.workloads))!;
    expect(workloads["delegations"]).toEqual([
      { name: "Microsoft.App.environments", serviceName: "Microsoft.App/environments" },
    ]);
    const pe = byName.get(resourceName("subnet", naming, SUBNET_NAME_FRAGMENT.privateEndpoints))!;
    expect(pe["privateEndpointNetworkPolicies"]).toBe("Enabled");
    for (const purpose of ["edge", "gateway"] as const)
      expect(
        byName.get(resourceName("subnet", naming, SUBNET_NAME_FRAGMENT[purpose]))!["delegations"],
      ).toBeUndefined();
  });

  test("each NSG carries exactly the pure rule set of its subnet (explicit final deny, nothing from Internet on management ports)", () => {
    const options = {
      gatewaySku: config.gateway.sku,
      workloadInternetEgress: config.mcpServers.some(
        (server) => (server.container?.allowedEgressHosts.length ?? 0) > 0,
      ),
    };
    for (const subnet of expectedPlan.subnets) {
      const nsg = resourcesOfType(plan, "azure-native:network:NetworkSecurityGroup").find(
        (resource) =>
          inputAt(resource, "networkSecurityGroupName") ===
          resourceName("networkSecurityGroup", naming, SUBNET_NAME_FRAGMENT[subnet.purpose]),
      )!;
      const rules = inputAt(nsg, "securityRules") as Array<Record<string, unknown>>;
      expect(rules).toEqual(toSecurityRules(nsgRulesFor(subnet.purpose, expectedPlan, options)));
      expect(
        rules.some(
          (rule) =>
            rule["direction"] === "Inbound" &&
            rule["access"] === "Deny" &&
            rule["priority"] === 4096 &&
            rule["sourceAddressPrefix"] === "*",
        ),
      ).toBe(true);
      for (const rule of rules.filter((r) => r["direction"] === "Inbound" && r["access"] === "Allow")) {
        if (rule["sourceAddressPrefix"] === "Internet" || rule["sourceAddressPrefix"] === "*") {
          expect(rule["destinationPortRange"]).toBe("443");
        }
      }
    }
    const gatewayNsg = resourcesOfType(plan, "azure-native:network:NetworkSecurityGroup").find((r) =>
      String(inputAt(r, "networkSecurityGroupName")).endsWith("-gateway"),
    )!;
    const gatewayRules = inputAt(gatewayNsg, "securityRules") as Array<Record<string, unknown>>;
    expect(gatewayRules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          direction: "Inbound",
          access: "Allow",
          sourceAddressPrefix: "ApiManagement",
          destinationPortRange: "3443",
        }),
        expect.objectContaining({
          direction: "Inbound",
          access: "Allow",
          sourceAddressPrefix: "AzureLoadBalancer",
          destinationPortRange: "6390",
        }),
      ]),
    );
  });

  test("every private DNS zone the deployment uses exists and is linked to the VNet without auto-registration", () => {
    const component = only(planResources(plan).filter((r) => r.type === NETWORK_URN));
    const specs = privateDnsZoneSpecs({
      location: config.location,
      gatewaySku: config.gateway.sku,
      apimServiceName: resourceName("apiManagement", naming),
      managedHsm: config.keyVault.managedHsm,
    });
    const zones = resourcesOfType(plan, "azure-native:privatedns:PrivateZone");
    const networkZones = zones.filter((zone) => zone.parent === component.urn);
    expect(networkZones.map((zone) => inputAt(zone, "privateZoneName")).sort()).toEqual(
      specs.map((spec) => spec.zoneName).sort(),
    );
    for (const zone of zones) expect(inputAt(zone, "location")).toBe("global");
    const links = resourcesOfType(plan, "azure-native:privatedns:VirtualNetworkLink");
    const linkOf = (zoneName: string): PlanResourceState =>
      only(links.filter((candidate) => inputAt(candidate, "privateZoneName") === zoneName));
    for (const spec of specs) {
      const link = linkOf(spec.zoneName);
      expect(link.parent).toBe(component.urn);
      expect(inputAt(link, "virtualNetwork.id")).toBe(id(vnet));
      expect(inputAt(link, "registrationEnabled")).toBe(false);
    }
    expect(networkZones.map((zone) => inputAt(zone, "privateZoneName"))).toContain(
      "privatelink.vaultcore.azure.net",
    );
  });

  test("the workloads and gateway components add their own zones, linked to the VNet without auto-registration", () => {
    const componentUrn = (type: string): string | undefined =>
      planResources(plan).find((r) => r.type === type)?.urn;
    const network = componentUrn(NETWORK_URN)!;
    const workloads = componentUrn(WORKLOADS_URN);
    const gateway = componentUrn(GATEWAY_URN)!;
    const zones = resourcesOfType(plan, "azure-native:privatedns:PrivateZone");
    const zoneNamesOf = (parent: string | undefined): string[] =>
      zones.filter((zone) => zone.parent === parent).map((zone) => String(inputAt(zone, "privateZoneName")));
    // No zone belongs to any other component.
    expect(zones.filter((zone) => ![network, workloads, gateway].includes(zone.parent))).toEqual([]);

    // Workloads: one zone per Container Apps environment, named after its default domain (mock output).
    const environments = resourcesOfType(plan, "azure-native:app:ManagedEnvironment");
    expect(environments.length).toBe(workloads ? 1 : 0);
    const defaultDomains = environments.map(
      (environment) =>
        mockOutputs(environment.type, {
          name: environment.urn.slice(environment.urn.lastIndexOf("::") + 2),
          azureName: id(environment).split("/").pop()!,
          id: id(environment),
          inputs: environment.inputs,
          tenantId: config.tenantId,
        })["defaultDomain"] as string,
    );
    expect(zoneNamesOf(workloads)).toEqual(defaultDomains);
    for (const domain of defaultDomains)
      expect(domain).toMatch(/^[a-z0-9-]+\.[a-z0-9]+\.azurecontainerapps\.io$/);
    // The zone is the one the backends' URLs resolve in: every workload backend is <app>.<default domain>.
    const stackOutputs = planResources(plan).find((r) => r.type === "pulumi:pulumi:Stack")!.outputs;
    for (const url of Object.values(stackOutputs["workloadBackendUrls"] as Record<string, string>))
      expect(defaultDomains.some((domain) => new URL(url).hostname.endsWith(`.${domain}`))).toBe(true);

    // Gateway: one zone named exactly the custom hostname the edge reaches it by.
    expect(zoneNamesOf(gateway)).toEqual([config.gateway.hostname]);

    const links = resourcesOfType(plan, "azure-native:privatedns:VirtualNetworkLink");
    for (const [parent, zoneNames] of [
      [workloads, defaultDomains],
      [gateway, [config.gateway.hostname]],
    ] as const) {
      for (const zoneName of zoneNames) {
        const link = only(links.filter((candidate) => inputAt(candidate, "privateZoneName") === zoneName));
        expect(link.parent).toBe(parent);
        expect(inputAt(link, "virtualNetwork.id")).toBe(id(vnet));
        expect(inputAt(link, "registrationEnabled")).toBe(false);
        expect(inputAt(link, "location")).toBe("global");
      }
    }
  });

  test("every private endpoint sits in the private-endpoint subnet with a DNS zone group on the right zones", () => {
    const peSubnetId = `${id(vnet)}/subnets/${resourceName("subnet", naming, SUBNET_NAME_FRAGMENT.privateEndpoints)}`;
    const zoneIdByName = new Map(
      resourcesOfType(plan, "azure-native:privatedns:PrivateZone").map((zone) => [
        String(inputAt(zone, "privateZoneName")),
        id(zone),
      ]),
    );
    const groups = resourcesOfType(plan, "azure-native:network:PrivateDnsZoneGroup");
    const specs = privateDnsZoneSpecs({
      location: config.location,
      gatewaySku: config.gateway.sku,
      apimServiceName: "unused",
      managedHsm: true,
    });
    // An AMPLS endpoint registers every Azure Monitor zone, plus blob for the solution packs' storage.
    const zonesForGroupId = (groupId: string): string[] =>
      groupId === "azuremonitor"
        ? AMPLS_ZONES
        : specs.filter((spec) => spec.groupId === groupId).map((spec) => spec.zoneName);
    const endpoints = resourcesOfType(plan, "azure-native:network:PrivateEndpoint");
    expect(endpoints.length).toBeGreaterThan(0);
    expect(
      endpoints.filter((endpoint) =>
        text(inputAt(endpoint, "privateLinkServiceConnections")).includes('"azuremonitor"'),
      ),
    ).toHaveLength(1);
    for (const endpoint of endpoints) {
      expect(inputAt(endpoint, "subnet.id")).toBe(peSubnetId);
      const connections = inputAt(endpoint, "privateLinkServiceConnections") as Array<{
        groupIds: string[];
        privateLinkServiceId: string;
      }>;
      expect(connections).toHaveLength(1);
      expect(connections[0]!.groupIds).toHaveLength(1);
      const groupId = connections[0]!.groupIds[0]!;
      const expectedZones = zonesForGroupId(groupId);
      // One zone per group ID, except the AMPLS's five.
      expect(expectedZones).toHaveLength(groupId === "azuremonitor" ? 5 : 1);
      const expectedZoneIds = expectedZones.map((zoneName) => {
        const zoneId = zoneIdByName.get(zoneName);
        expect(zoneId).toBeDefined(); // the zone exists in the plan
        return zoneId!;
      });
      const group = only(
        groups.filter(
          (candidate) =>
            inputAt(candidate, "privateEndpointName") === inputAt(endpoint, "privateEndpointName"),
        ),
      );
      const configs = inputAt(group, "privateDnsZoneConfigs") as Array<{ privateDnsZoneId: string }>;
      expect(configs.map((c) => c.privateDnsZoneId).sort()).toEqual([...expectedZoneIds].sort());
    }
  });

  test("every PaaS resource of the network and vault has a private endpoint", () => {
    const targets = [
      ...resourcesOfType(plan, "azure-native:keyvault:Vault"),
      ...resourcesOfType(plan, "azure-native:keyvault:ManagedHsm"),
      ...resourcesOfType(plan, "azure-native:storage:StorageAccount"),
    ];
    const linked = new Set(
      resourcesOfType(plan, "azure-native:network:PrivateEndpoint").flatMap((endpoint) =>
        (inputAt(endpoint, "privateLinkServiceConnections") as Array<{ privateLinkServiceId: string }>).map(
          (c) => c.privateLinkServiceId,
        ),
      ),
    );
    for (const target of targets) expect(linked.has(id(target))).toBe(true);
  });

  test(`DDoS protection ${config.network.ddosProtection ? "is on" : "is off"} as the stack says`, () => {
    const plans = resourcesOfType(plan, "azure-native:network:DdosProtectionPlan");
    expect(inputAt(vnet, "enableDdosProtection")).toBe(config.network.ddosProtection);
    if (config.network.ddosProtection) {
      expect(inputAt(vnet, "ddosProtectionPlan.id")).toBe(id(only(plans)));
      expect(plans[0]!.protect).toBe(true);
    } else {
      expect(plans).toHaveLength(0);
    }
  });

  test(`VNet flow logs ${config.network.flowLogs ? "go to a locked-down storage account" : "are off"} as the stack says`, () => {
    const flowLogs = resourcesOfType(plan, "azure-native:network:FlowLog");
    // The network's own storage (flow logs); Monitoring's linked query storage is tested in test/monitoring.
    const component = only(planResources(plan).filter((r) => r.type === NETWORK_URN));
    const accounts = resourcesOfType(plan, "azure-native:storage:StorageAccount").filter(
      (account) => account.parent === component.urn,
    );
    if (!config.network.flowLogs) {
      expect(flowLogs).toHaveLength(0);
      expect(accounts).toHaveLength(0);
      return;
    }
    const flowLog = only(flowLogs);
    const account = only(accounts);
    expect(inputAt(flowLog, "targetResourceId")).toBe(id(vnet)); // a VNet flow log, not a (retired) NSG flow log
    expect(inputAt(flowLog, "storageId")).toBe(id(account));
    expect(inputAt(flowLog, "enabled")).toBe(true);
    expect(inputAt(flowLog, "resourceGroupName")).toBe("NetworkWatcherRG");
    expect(inputAt(flowLog, "networkWatcherName")).toBe(`NetworkWatcher_${config.location}`);
    expect(inputAt(flowLog, "identity.type")).toBe("UserAssigned");
    expect(inputAt(account, "allowSharedKeyAccess")).toBe(false);
    expect(inputAt(account, "minimumTlsVersion")).toBe("TLS1_2");
    expect(inputAt(account, "enableHttpsTrafficOnly")).toBe(true);
    expect(inputAt(account, "allowBlobPublicAccess")).toBe(false);
    expect(inputAt(account, "networkRuleSet")).toEqual({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [],
      virtualNetworkRules: [],
    });
    const writer = resourcesOfType(plan, "azure-native:authorization:RoleAssignment").find(
      (r) => inputAt(r, "scope") === id(account),
    );
    expect(String(inputAt(writer!, "roleDefinitionId"))).toMatch(
      /\/roleDefinitions\/ba92f5b4-2d11-453d-a403-e96b0029c9fe$/,
    );
  });

  test("every taggable network resource carries the standard tags", () => {
    const component = only(planResources(plan).filter((r) => r.type === NETWORK_URN));
    const children = planResources(plan).filter(
      (r) => r.parent === component.urn && r.type.startsWith("azure-native:"),
    );
    const untaggable = new Set([
      "azure-native:network:PrivateDnsZoneGroup",
      "azure-native:authorization:RoleAssignment",
    ]);
    for (const resource of children.filter((r) => !untaggable.has(r.type))) {
      const tags = resource.inputs["tags"] as Record<string, string> | undefined;
      for (const key of REQUIRED_TAG_KEYS) expect(tags?.[key]).toBeTruthy();
    }
  });
});
