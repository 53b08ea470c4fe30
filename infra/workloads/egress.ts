import type { McpServerConfig } from "../config/schema";

/**
 * Network rules for the workload subnet, as pure data for the network component (which owns the NSG
 * and any route table). Two honest facts shape them:
 *
 * - Every app of a Container Apps environment shares the environment's subnet, so subnet rules apply to
 *   all workloads at once: the egress allowance is the union over the servers in config. A server that
 *   needs an allowance the others must not have needs an environment (and subnet) of its own.
 * - An NSG filters by IP prefix and service tag, never by host name. In `nsg` mode a host is reachable
 *   only if it belongs to an Azure service with a service tag, and then the whole service (every
 *   customer's endpoints) is reachable on 443; other hosts are blocked. `firewall` mode routes egress
 *   through Azure Firewall, where application rules allow exactly the listed FQDNs.
 */

export type EgressMode = "nsg" | "firewall";

/**
 * One NSG security rule, as data. The same shape as the network component's `NsgRule`
 * (infra/network/nsg-rules.ts), so `infra/index.ts` can hand these rules to it unchanged and its
 * `toSecurityRules` turns them into azure-native inputs.
 */
export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: "Inbound" | "Outbound";
  readonly access: "Allow" | "Deny";
  readonly protocol: "Tcp" | "Udp" | "*";
  /** A CIDR, an IP or a service tag. */
  readonly source: string;
  readonly destination: string;
  /** Ports or ranges; `["*"]` for all. */
  readonly destinationPorts: readonly string[];
  readonly description: string;
}

/** An Azure Firewall application rule (firewall policy rule collection, `ApplicationRule`). */
export interface FirewallApplicationRule {
  readonly name: string;
  readonly sourceAddresses: readonly string[];
  readonly targetFqdns: readonly string[];
  readonly protocols: readonly { readonly protocolType: "Https"; readonly port: 443 }[];
  readonly description: string;
}

/** An Azure Firewall network rule by service tag (for services that have no stable FQDN list). */
export interface FirewallNetworkRule {
  readonly name: string;
  readonly sourceAddresses: readonly string[];
  readonly destinationAddresses: readonly string[];
  readonly destinationPorts: readonly string[];
  readonly ipProtocols: readonly ("TCP" | "UDP")[];
  readonly description: string;
}

export interface WorkloadSubnetRulesInput {
  readonly servers: readonly McpServerConfig[];
  /** `config.network.subnets`: the workload subnet and the private endpoint subnet. */
  readonly subnets: { readonly workloads: string; readonly privateEndpoints: string };
  /** Subnets the gateway calls workloads from (API Management's subnet, or its integration subnet on v2 tiers). */
  readonly gatewayCallerCidrs: readonly string[];
  readonly mode: EgressMode;
}

export interface WorkloadSubnetRules {
  readonly mode: EgressMode;
  readonly inbound: readonly NsgRule[];
  readonly outbound: readonly NsgRule[];
  /** Empty in `nsg` mode. */
  readonly firewallApplicationRules: readonly FirewallApplicationRule[];
  readonly firewallNetworkRules: readonly FirewallNetworkRule[];
  /** Host -> service tag it was widened to (`nsg` mode). */
  readonly serviceTagHosts: Readonly<Record<string, string>>;
  /** Hosts only a firewall can allow: unreachable in `nsg` mode (fail closed), listed so the gap is visible. */
  readonly blockedWithoutFirewall: readonly string[];
}

/**
 * Azure service domains and their service tags. Ordered most specific first; a host matches a suffix
 * when it ends with `.<suffix>` (or equals it when the entry is exact).
 */
export const SERVICE_TAG_DOMAINS: readonly {
  readonly suffix: string;
  readonly exact?: boolean;
  readonly tag: string;
}[] = [
  { suffix: "login.microsoftonline.com", exact: true, tag: "AzureActiveDirectory" },
  { suffix: "login.microsoft.com", exact: true, tag: "AzureActiveDirectory" },
  { suffix: "management.azure.com", exact: true, tag: "AzureResourceManager" },
  { suffix: "vault.azure.net", tag: "AzureKeyVault" },
  { suffix: "azurecr.io", tag: "AzureContainerRegistry" },
  { suffix: "blob.core.windows.net", tag: "Storage" },
  { suffix: "queue.core.windows.net", tag: "Storage" },
  { suffix: "table.core.windows.net", tag: "Storage" },
  { suffix: "file.core.windows.net", tag: "Storage" },
  { suffix: "servicebus.windows.net", tag: "ServiceBus" },
  { suffix: "documents.azure.com", tag: "AzureCosmosDB" },
  { suffix: "database.windows.net", tag: "Sql" },
  { suffix: "cognitiveservices.azure.com", tag: "CognitiveServicesFrontend" },
  { suffix: "openai.azure.com", tag: "CognitiveServicesFrontend" },
  { suffix: "monitor.azure.com", tag: "AzureMonitor" },
  { suffix: "applicationinsights.azure.com", tag: "AzureMonitor" },
];

/**
 * What every Container Apps workload-profiles environment needs outbound (Microsoft Learn, "Integrate
 * with Azure Firewall" and "Securing a custom VNET ... with NSGs"): Microsoft Container Registry for
 * platform images, Entra ID for managed identity tokens, Azure Monitor for logs and metrics.
 */
export const PLATFORM_EGRESS_TAGS: readonly { readonly tag: string; readonly why: string }[] = [
  {
    tag: "AzureActiveDirectory",
    why: "managed identity tokens (image pull, Key Vault references, Easy Auth metadata)",
  },
  { tag: "MicrosoftContainerRegistry", why: "Container Apps platform images (mcr.microsoft.com)" },
  {
    tag: "AzureFrontDoor.FirstParty",
    why: "MCR content delivery (dependency of MicrosoftContainerRegistry)",
  },
  { tag: "AzureMonitor", why: "platform logs and metrics" },
];

/** The same dependencies as FQDNs, for Azure Firewall application rules. */
export const PLATFORM_EGRESS_FQDNS: readonly string[] = [
  "mcr.microsoft.com",
  "*.data.mcr.microsoft.com",
  "packages.aks.azure.com",
  "acs-mirror.azureedge.net",
  "login.microsoftonline.com",
  "*.login.microsoftonline.com",
  "login.microsoft.com",
  "*.login.microsoft.com",
  "*.identity.azure.net",
];

/** Port on which the environment's edge proxy answers HTTPS behind its internal load balancer. */
const EDGE_PROXY_HTTPS_PORT = "31443";
const AZURE_DNS = "168.63.129.16";
/** Every rule list ends with an explicit deny of everything at the last priority, as the network component's do. */
const FINAL_DENY_PRIORITY = 4096;

/** The service tag a host falls under, if any. */
export function serviceTagFor(host: string): string | undefined {
  const lower = host.toLowerCase();
  return SERVICE_TAG_DOMAINS.find((entry) =>
    entry.exact ? lower === entry.suffix : lower.endsWith(`.${entry.suffix}`),
  )?.tag;
}

/** Union of `allowedEgressHosts` over the container servers, sorted and de-duplicated. */
export function allowedEgressHosts(servers: readonly McpServerConfig[]): string[] {
  const hosts = servers
    .flatMap((server) => server.container?.allowedEgressHosts ?? [])
    .map((h) => h.toLowerCase());
  return [...new Set(hosts)].sort();
}

/** One NSG rule as a table row: priority, name, access, protocol, source, destination, ports, why. */
type RuleRow = readonly [
  number,
  string,
  NsgRule["access"],
  NsgRule["protocol"],
  string,
  string,
  readonly string[],
  string,
];

/** NSG and firewall rules for the workload subnet. Pure: the network component declares them. */
export function workloadSubnetRules(input: WorkloadSubnetRulesInput): WorkloadSubnetRules {
  if (input.gatewayCallerCidrs.length === 0) {
    throw new Error("workload subnet rules need at least one gateway caller CIDR");
  }
  const subnet = input.subnets.workloads;
  const hosts = allowedEgressHosts(input.servers);
  const https = ["443"];

  const gatewayRows = input.gatewayCallerCidrs.map((cidr, index): RuleRow => [
    100 + index,
    `allow-gateway-https-${index + 1}`,
    "Allow",
    "Tcp",
    cidr,
    subnet,
    ["443", EDGE_PROXY_HTTPS_PORT],
    "The gateway calls workloads over HTTPS through the environment's internal load balancer",
  ]);
  // prettier-ignore
  const inbound: RuleRow[] = [
    ...gatewayRows,
    [150, "allow-load-balancer-probes", "Allow", "Tcp", "AzureLoadBalancer", subnet, ["30000-32767"], "Load balancer health probes"],
    [160, "allow-intra-subnet", "Allow", "*", subnet, subnet, ["*"], "Container Apps infrastructure inside the subnet"],
    [FINAL_DENY_PRIORITY, "deny-all-inbound", "Deny", "*", "*", "*", ["*"], "Nothing else may reach workloads (overrides AllowVnetInBound)"],
  ];
  // prettier-ignore
  const outbound: RuleRow[] = [
    [200, "allow-intra-subnet-out", "Allow", "*", subnet, subnet, ["*"], "Container Apps infrastructure inside the subnet"],
    [210, "allow-private-endpoints", "Allow", "Tcp", subnet, input.subnets.privateEndpoints, https, "Registry, Key Vault and other private endpoints"],
    [220, "allow-azure-dns", "Allow", "*", subnet, AZURE_DNS, ["53"], "Azure DNS (private DNS zones)"],
  ];
  const serviceTagHosts: Record<string, string> = {};
  const blockedWithoutFirewall: string[] = [];
  let firewallApplicationRules: FirewallApplicationRule[] = [];
  let firewallNetworkRules: FirewallNetworkRule[] = [];

  if (input.mode === "nsg") {
    PLATFORM_EGRESS_TAGS.forEach(({ tag, why }, index) =>
      outbound.push([
        230 + index * 10,
        `allow-platform-${slug(tag)}`,
        "Allow",
        "Tcp",
        subnet,
        tag,
        https,
        `Platform: ${why}`,
      ]),
    );
    const tags = new Map<string, string[]>();
    for (const host of hosts) {
      const tag = serviceTagFor(host);
      if (tag === undefined) {
        blockedWithoutFirewall.push(host);
        continue;
      }
      serviceTagHosts[host] = tag;
      tags.set(tag, [...(tags.get(tag) ?? []), host]);
    }
    const platformTags = new Set(PLATFORM_EGRESS_TAGS.map((entry) => entry.tag));
    [...tags.entries()]
      .filter(([tag]) => !platformTags.has(tag))
      .sort(([a], [b]) => a.localeCompare(b))
      .forEach(([tag, tagHosts], index) => {
        const why = `Config allowedEgressHosts: ${tagHosts.join(", ")} (the whole ${tag} service tag)`;
        outbound.push([
          300 + index * 10,
          `allow-config-${slug(tag)}`,
          "Allow",
          "Tcp",
          subnet,
          tag,
          https,
          why,
        ]);
      });
  } else {
    // Egress leaves through the firewall (route table 0.0.0.0/0 -> firewall): the NSG lets HTTPS out and
    // the firewall decides by FQDN. The NSG still refuses every other port and protocol.
    // prettier-ignore
    outbound.push(
      [230, "allow-https-to-firewall", "Allow", "Tcp", subnet, "Internet", https, "HTTPS egress, filtered by FQDN in Azure Firewall"],
    );
    const fqdnRule = (
      name: string,
      targetFqdns: readonly string[],
      description: string,
    ): FirewallApplicationRule => ({
      name,
      sourceAddresses: [subnet],
      targetFqdns,
      protocols: [{ protocolType: "Https", port: 443 }],
      description,
    });
    firewallApplicationRules = [
      fqdnRule("container-apps-platform", PLATFORM_EGRESS_FQDNS, "Container Apps platform dependencies"),
      ...(hosts.length > 0
        ? [fqdnRule("mcp-workloads", hosts, "Config allowedEgressHosts (union over servers)")]
        : []),
    ];
    firewallNetworkRules = [
      {
        name: "azure-monitor",
        sourceAddresses: [subnet],
        destinationAddresses: ["AzureMonitor"],
        destinationPorts: https,
        ipProtocols: ["TCP"],
        description: "Platform logs and metrics",
      },
    ];
  }
  // prettier-ignore
  outbound.push([FINAL_DENY_PRIORITY, "deny-all-outbound", "Deny", "*", "*", "*", ["*"], "Everything else is refused (fail closed)"]);

  return {
    mode: input.mode,
    inbound: inbound.map((row) => toRule("Inbound", row)),
    outbound: outbound.map((row) => toRule("Outbound", row)),
    firewallApplicationRules,
    firewallNetworkRules,
    serviceTagHosts,
    blockedWithoutFirewall,
  };
}

function toRule(direction: NsgRule["direction"], row: RuleRow): NsgRule {
  const [priority, name, access, protocol, source, destination, destinationPorts, description] = row;
  return { name, priority, direction, access, protocol, source, destination, destinationPorts, description };
}

function slug(tag: string): string {
  return tag.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
