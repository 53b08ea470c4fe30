import { subnetOf, type AddressPlan, type GatewaySku, type SubnetPurpose } from "./address-plan";

/**
 * NSG rule sets per subnet, as data. Every rule is explicit and says why it exists; every subnet
 * ends with an explicit inbound deny (priority 4096) so the Azure defaults (AllowVnetInBound,
 * AllowAzureLoadBalancerInBound) never apply. Sources: "Virtual network configuration reference:
 * API Management" (classic tiers), "Application Gateway infrastructure configuration", "Securing a
 * virtual network in Azure Container Apps" (workload profiles). See docs/network.md for the table.
 */

export type RuleDirection = "Inbound" | "Outbound";
export type RuleAccess = "Allow" | "Deny";
export type RuleProtocol = "Tcp" | "Udp" | "*";

export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: RuleDirection;
  readonly access: RuleAccess;
  readonly protocol: RuleProtocol;
  /** A CIDR or a service tag (Internet, ApiManagement, AzureLoadBalancer, GatewayManager, ...). */
  readonly source: string;
  readonly destination: string;
  readonly destinationPorts: readonly string[];
  readonly description: string;
}

export interface NsgRuleOptions {
  readonly gatewaySku: GatewaySku;
  /**
   * The MCP servers in the workloads subnet may call hosts on the internet (some container lists
   * `allowedEgressHosts`). Off: the workloads subnet has no internet egress at all.
   */
  readonly workloadInternetEgress: boolean;
}

/** Ports a client must never reach from `*` or `Internet`: management, SSH/RDP, APIM infrastructure. */
export const MANAGEMENT_PORTS: readonly string[] = ["22", "3389", "3443", "6390", "65200-65535"];

export const FINAL_DENY_PRIORITY = 4096;

const denyAll = (direction: RuleDirection): NsgRule => ({
  name: `Deny-All-${direction}`,
  priority: FINAL_DENY_PRIORITY,
  direction,
  access: "Deny",
  protocol: "*",
  source: "*",
  destination: "*",
  destinationPorts: ["*"],
  description: `Explicit final deny: anything not allowed above is dropped (overrides the Azure default ${direction === "Inbound" ? "AllowVnetInBound" : "AllowVnetOutBound/AllowInternetOutBound"}).`,
});

const allow = (
  priority: number,
  direction: RuleDirection,
  name: string,
  protocol: RuleProtocol,
  source: string,
  destination: string,
  destinationPorts: readonly string[],
  description: string,
): NsgRule => ({
  name,
  priority,
  direction,
  access: "Allow",
  protocol,
  source,
  destination,
  destinationPorts,
  description,
});

function cidrOf(plan: AddressPlan, purpose: SubnetPurpose): string {
  const subnet = subnetOf(plan, purpose);
  if (!subnet) throw new Error(`the address plan has no ${purpose} subnet`);
  return subnet.cidr;
}

/** Whether API Management runs injected in the gateway subnet (classic Developer/Premium, internal mode). */
export function isClassicGateway(sku: GatewaySku): boolean {
  return sku === "Developer" || sku === "Premium";
}

function edgeRules(plan: AddressPlan, options: NsgRuleOptions): NsgRule[] {
  const edge = cidrOf(plan, "edge");
  const toGateway = isClassicGateway(options.gatewaySku)
    ? [
        allow(
          100,
          "Outbound",
          "Allow-Https-To-Gateway",
          "Tcp",
          edge,
          cidrOf(plan, "gateway"),
          ["443"],
          "Backend: the API Management gateway (internal VNet mode).",
        ),
      ]
    : [];
  return [
    // Destination Any: Application Gateway v2 evaluates client traffic against its public frontend IP,
    // which the edge component owns; the subnet holds nothing but the gateway.
    allow(
      100,
      "Inbound",
      "Allow-Https-Internet",
      "Tcp",
      "Internet",
      "*",
      ["443"],
      "MCP clients reach the WAF listener over TLS (443 only; no plain HTTP).",
    ),
    allow(
      110,
      "Inbound",
      "Allow-GatewayManager",
      "Tcp",
      "GatewayManager",
      "*",
      ["65200-65535"],
      "Application Gateway v2 infrastructure ports, from the GatewayManager service tag only.",
    ),
    allow(
      120,
      "Inbound",
      "Allow-AzureLoadBalancer",
      "*",
      "AzureLoadBalancer",
      "*",
      ["*"],
      "Azure load balancer health probes of the gateway instances.",
    ),
    denyAll("Inbound"),
    // Application Gateway v2 needs outbound internet for its control plane (no outbound deny possible
    // without the network-isolation feature); the explicit rules document what the edge itself calls.
    ...toGateway,
    allow(
      110,
      "Outbound",
      "Allow-Https-To-PrivateEndpoints",
      "Tcp",
      edge,
      cidrOf(plan, "privateEndpoints"),
      ["443"],
      "Key Vault (TLS certificate) and, for v2 tiers, the API Management private endpoint.",
    ),
  ];
}

function gatewayRules(plan: AddressPlan, options: NsgRuleOptions): NsgRule[] {
  const gateway = cidrOf(plan, "gateway");
  if (!isClassicGateway(options.gatewaySku)) {
    // StandardV2 is reached through a private endpoint and integrates outbound through its own
    // delegated subnet: the gateway subnet stays reserved and closed.
    return [denyAll("Inbound"), denyAll("Outbound")];
  }
  return [
    allow(
      100,
      "Inbound",
      "Allow-Https-From-Edge",
      "Tcp",
      cidrOf(plan, "edge"),
      gateway,
      ["443"],
      "Client traffic, only through the Application Gateway (WAF).",
    ),
    allow(
      110,
      "Inbound",
      "Allow-ApiManagement-Management",
      "Tcp",
      "ApiManagement",
      "VirtualNetwork",
      ["3443"],
      "Management endpoint for the Azure portal and ARM (required, internal mode).",
    ),
    allow(
      120,
      "Inbound",
      "Allow-AzureLoadBalancer",
      "Tcp",
      "AzureLoadBalancer",
      "VirtualNetwork",
      ["6390"],
      "Azure infrastructure load balancer (required from Premium scale-out).",
    ),
    allow(
      130,
      "Inbound",
      "Allow-RateLimit-Sync",
      "Udp",
      gateway,
      gateway,
      ["4290"],
      "rate-limit counter sync between gateway units (the MCP rate limits rely on it).",
    ),
    denyAll("Inbound"),
    allow(
      100,
      "Outbound",
      "Allow-Storage",
      "Tcp",
      "VirtualNetwork",
      "Storage",
      ["443"],
      "Dependency on Azure Storage (required).",
    ),
    allow(
      110,
      "Outbound",
      "Allow-Sql",
      "Tcp",
      "VirtualNetwork",
      "Sql",
      ["1433"],
      "Access to Azure SQL endpoints (required).",
    ),
    allow(
      120,
      "Outbound",
      "Allow-KeyVault",
      "Tcp",
      "VirtualNetwork",
      "AzureKeyVault",
      ["443"],
      "Access to Azure Key Vault (required; named values and certificates).",
    ),
    allow(
      130,
      "Outbound",
      "Allow-AzureMonitor",
      "Tcp",
      "VirtualNetwork",
      "AzureMonitor",
      ["1886", "443"],
      "Diagnostics logs, metrics and resource health (required).",
    ),
    allow(
      140,
      "Outbound",
      "Allow-EntraId",
      "Tcp",
      "VirtualNetwork",
      "AzureActiveDirectory",
      ["443"],
      "Entra ID: validate-azure-ad-token fetches the tenant's signing keys.",
    ),
    allow(
      150,
      "Outbound",
      "Allow-Https-To-Workloads",
      "Tcp",
      gateway,
      cidrOf(plan, "workloads"),
      ["443"],
      "Backends: the MCP servers in the workloads subnet.",
    ),
    allow(
      160,
      "Outbound",
      "Allow-Https-To-PrivateEndpoints",
      "Tcp",
      gateway,
      cidrOf(plan, "privateEndpoints"),
      ["443"],
      "Key Vault, Content Safety and Monitor through their private endpoints.",
    ),
    allow(
      170,
      "Outbound",
      "Allow-RateLimit-Sync",
      "Udp",
      gateway,
      gateway,
      ["4290"],
      "rate-limit counter sync between gateway units.",
    ),
    allow(
      180,
      "Outbound",
      "Allow-Http-Certificate-Validation",
      "Tcp",
      "VirtualNetwork",
      "Internet",
      ["80"],
      "CRL/OCSP download for certificate validation (required).",
    ),
    allow(
      190,
      "Outbound",
      "Allow-Https-Internet",
      "Tcp",
      "VirtualNetwork",
      "Internet",
      ["443"],
      "External MCP backends and API Management platform dependencies published by FQDN (PKI, diagnostics); narrow with an egress firewall.",
    ),
    allow(
      200,
      "Outbound",
      "Allow-Ntp",
      "Udp",
      "VirtualNetwork",
      "Internet",
      ["123"],
      "Time sync of the gateway units (platform requirement).",
    ),
    denyAll("Outbound"),
  ];
}

function privateEndpointRules(plan: AddressPlan): NsgRule[] {
  const pe = cidrOf(plan, "privateEndpoints");
  const clients: Array<[SubnetPurpose, string]> = [
    ["edge", "Application Gateway reads its TLS certificate from Key Vault."],
    ["gateway", "API Management reads named values from Key Vault and calls Content Safety."],
    ["workloads", "MCP servers pull images (ACR), read secrets and send telemetry (Monitor)."],
    ["gatewayIntegration", "API Management v2 outbound integration."],
  ];
  const rules: NsgRule[] = [];
  let priority = 100;
  for (const [purpose, why] of clients) {
    const source = subnetOf(plan, purpose);
    if (!source) continue;
    const name = `Allow-Https-From-${purpose[0]!.toUpperCase()}${purpose.slice(1)}`;
    rules.push(allow(priority, "Inbound", name, "Tcp", source.cidr, pe, ["443"], why));
    priority += 10;
  }
  // Private endpoints never open connections; NSGs are stateful, so replies still flow.
  return [...rules, denyAll("Inbound"), denyAll("Outbound")];
}

function workloadRules(plan: AddressPlan, options: NsgRuleOptions): NsgRule[] {
  const workloads = cidrOf(plan, "workloads");
  const callers = isClassicGateway(options.gatewaySku)
    ? cidrOf(plan, "gateway")
    : cidrOf(plan, "gatewayIntegration");
  const rules: NsgRule[] = [
    allow(
      100,
      "Inbound",
      "Allow-Https-From-Gateway",
      "Tcp",
      callers,
      workloads,
      ["443"],
      "Only API Management may call the MCP servers.",
    ),
    allow(
      110,
      "Inbound",
      "Allow-AzureLoadBalancer",
      "*",
      "AzureLoadBalancer",
      workloads,
      ["*"],
      "Health probes of the environment's internal load balancer (required).",
    ),
    allow(
      120,
      "Inbound",
      "Allow-Environment-Internal",
      "*",
      workloads,
      workloads,
      ["*"],
      "Traffic inside the Container Apps environment (ingress proxies to replicas; required).",
    ),
    denyAll("Inbound"),
    allow(
      100,
      "Outbound",
      "Allow-Environment-Internal",
      "*",
      workloads,
      workloads,
      ["*"],
      "Traffic inside the Container Apps environment (required).",
    ),
    allow(
      110,
      "Outbound",
      "Allow-Https-To-PrivateEndpoints",
      "Tcp",
      workloads,
      cidrOf(plan, "privateEndpoints"),
      ["443"],
      "ACR, Key Vault and Monitor through their private endpoints.",
    ),
    allow(
      120,
      "Outbound",
      "Allow-MicrosoftContainerRegistry",
      "Tcp",
      workloads,
      "MicrosoftContainerRegistry",
      ["443"],
      "Container Apps system images (required).",
    ),
    allow(
      130,
      "Outbound",
      "Allow-AzureFrontDoor-FirstParty",
      "Tcp",
      workloads,
      "AzureFrontDoor.FirstParty",
      ["443"],
      "Dependency of MicrosoftContainerRegistry (required).",
    ),
    allow(
      140,
      "Outbound",
      "Allow-EntraId",
      "Tcp",
      workloads,
      "AzureActiveDirectory",
      ["443"],
      "Managed identity token requests (required).",
    ),
    allow(
      150,
      "Outbound",
      "Allow-AzureMonitor",
      "Tcp",
      workloads,
      "AzureMonitor",
      ["443"],
      "Container Apps platform telemetry.",
    ),
  ];
  if (options.workloadInternetEgress) {
    rules.push(
      allow(
        160,
        "Outbound",
        "Allow-Https-Internet",
        "Tcp",
        workloads,
        "Internet",
        ["443"],
        "MCP servers with allowedEgressHosts call them over TLS; enforce the host list with an egress firewall.",
      ),
    );
  }
  return [...rules, denyAll("Outbound")];
}

function gatewayIntegrationRules(plan: AddressPlan): NsgRule[] {
  const integration = cidrOf(plan, "gatewayIntegration");
  return [
    denyAll("Inbound"),
    allow(
      100,
      "Outbound",
      "Allow-Https-To-Workloads",
      "Tcp",
      integration,
      cidrOf(plan, "workloads"),
      ["443"],
      "Backends: the MCP servers.",
    ),
    allow(
      110,
      "Outbound",
      "Allow-Https-To-PrivateEndpoints",
      "Tcp",
      integration,
      cidrOf(plan, "privateEndpoints"),
      ["443"],
      "Key Vault and Content Safety through their private endpoints.",
    ),
    allow(
      120,
      "Outbound",
      "Allow-Https-Internet",
      "Tcp",
      integration,
      "Internet",
      ["443"],
      "External MCP backends.",
    ),
    denyAll("Outbound"),
  ];
}

/** The rule set of one subnet's NSG. */
export function nsgRulesFor(purpose: SubnetPurpose, plan: AddressPlan, options: NsgRuleOptions): NsgRule[] {
  switch (purpose) {
    case "edge":
      return edgeRules(plan, options);
    case "gateway":
      return gatewayRules(plan, options);
    case "privateEndpoints":
      return privateEndpointRules(plan);
    case "workloads":
      return workloadRules(plan, options);
    case "gatewayIntegration":
      return gatewayIntegrationRules(plan);
  }
}

/** Problems with a rule set: duplicate priorities or names, inbound from anywhere to a management port, no final deny. */
export function ruleSetProblems(rules: readonly NsgRule[]): string[] {
  const problems: string[] = [];
  for (const direction of ["Inbound", "Outbound"] as const) {
    const own = rules.filter((rule) => rule.direction === direction);
    const priorities = new Set<number>();
    const names = new Set<string>();
    for (const rule of own) {
      if (priorities.has(rule.priority))
        problems.push(`${direction} priority ${rule.priority} is used twice`);
      if (names.has(rule.name)) problems.push(`${direction} rule name ${rule.name} is used twice`);
      if (rule.priority < 100 || rule.priority > 4096)
        problems.push(`${rule.name}: priority ${rule.priority} is outside 100-4096`);
      priorities.add(rule.priority);
      names.add(rule.name);
    }
  }
  const inbound = rules.filter((rule) => rule.direction === "Inbound");
  const last = [...inbound].sort((a, b) => b.priority - a.priority)[0];
  if (!last || last.access !== "Deny" || last.source !== "*" || last.priority !== FINAL_DENY_PRIORITY) {
    problems.push("the inbound rules do not end with an explicit deny-all at priority 4096");
  }
  for (const rule of inbound) {
    if (rule.access !== "Allow" || !["*", "Internet", "0.0.0.0/0"].includes(rule.source)) continue;
    const exposed = MANAGEMENT_PORTS.filter((port) => portsOverlap(rule.destinationPorts, port));
    if (exposed.length > 0)
      problems.push(`${rule.name} allows ${rule.source} to management port(s) ${exposed.join(", ")}`);
  }
  return problems;
}

function portRange(text: string): [number, number] {
  if (text === "*") return [0, 65535];
  const [low, high] = text.split("-").map(Number);
  return [low!, high ?? low!];
}

/** True when any of `ports` overlaps the port or range `port`. */
export function portsOverlap(ports: readonly string[], port: string): boolean {
  const [low, high] = portRange(port);
  return ports.some((candidate) => {
    const [a, b] = portRange(candidate);
    return a <= high && low <= b;
  });
}
