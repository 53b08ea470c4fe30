/**
 * Every deliberate deviation from the Microsoft cloud security benchmark, declared once (pure data, no
 * Pulumi imports). The same entries produce:
 *   - the Azure Policy exemptions (`Microsoft.Authorization/policyExemptions`) that the Governance
 *     component creates against the benchmark assignments (`infra/governance/index.ts`), and
 *   - the CrossGuard pack's own exemptions (`policies/src/lib/exemptions.ts`): a `Waiver` silences the
 *     pack rules that mirror the definition on the same resources; a `Mitigated` entry names the pack
 *     rules that verify the mitigation, which stay in force.
 * `docs/azure-policy.md` shows each with its justification (`npm run docs:controls`); see
 * docs/governance.md for how to add one. It lives in the pack because a published pack
 * (`pulumi policy publish` ships `policies/` alone) must carry it; the program reads it from here.
 */

export const EXEMPTION_CATEGORIES = ["Mitigated", "Waiver"] as const;
export type ExemptionCategory = (typeof EXEMPTION_CATEGORIES)[number];
export type ExemptionEnvironment = "dev" | "staging" | "prod";

export interface ExemptionDeclaration {
  /** Stable kebab-case ID: the exemption resource's name is derived from it. */
  readonly id: string;
  /** GUID of the built-in policy definition (`../shared/reference/azure-policy/INDEX.tsv`). */
  readonly definitionId: string;
  readonly category: ExemptionCategory;
  /** Why the deviation is acceptable (Mitigated: how the risk is covered instead). */
  readonly justification: string;
  /** YYYY-MM-DD: Azure reports the resource again after this date; review before it passes. */
  readonly expiresOn: string;
  readonly environments: readonly ExemptionEnvironment[];
  /** The resources it covers: an azure-native type token, optionally narrowed to logical names. */
  readonly resources: { readonly type: string; readonly names?: readonly string[] };
  /** Mitigated only: the pack rules that verify the mitigation (they stay mandatory). */
  readonly mitigatedBy?: readonly string[];
}

export const EXEMPTIONS: readonly ExemptionDeclaration[] = [
  {
    id: "apim-backend-auth-in-policy",
    definitionId: "c15dcc82-b93c-4dcb-9332-fbf121685b54",
    category: "Mitigated",
    justification:
      "The gateway authenticates to every MCP backend in policy, which the definition cannot see: a managed-identity token " +
      "(authentication-managed-identity) for container backends and a Key Vault-backed named value header for the API-key " +
      "backend. The definition only accepts a client certificate or an Authorization scheme and parameter on the Backend " +
      "entity; API Management 2024-05-01 (azure-native 3.28) has no managed-identity Backend credential, and a static " +
      "Authorization parameter would be a long-lived secret in place of a short-lived token. The pack rule " +
      "apim-backend-authenticated verifies the policy-side authentication on every backend.",
    expiresOn: "2027-06-30",
    environments: ["dev", "staging", "prod"],
    resources: { type: "azure-native:apimanagement:Backend" },
    mitigatedBy: ["apim-backend-authenticated"],
  },
  {
    id: "trusted-service-storage",
    definitionId: "b2982f36-99f2-4db5-8eff-283140c09693",
    category: "Mitigated",
    justification:
      "Network Watcher writes VNet flow logs, and Log Analytics saved and alert queries, to these accounts through the " +
      "trusted Microsoft services path, which requires " +
      "public network access to be Enabled with a deny-by-default firewall (no IP or VNet rules, AzureServices bypass). " +
      "Shared keys and anonymous blob access are disabled, so no caller outside the trusted services can reach it; the " +
      "pack rule network-no-public-paas-access verifies the deny-by-default firewall.",
    expiresOn: "2027-06-30",
    environments: ["dev", "staging", "prod"],
    resources: { type: "azure-native:storage:StorageAccount", names: ["flow-log-storage", "query-storage"] },
    mitigatedBy: ["network-no-public-paas-access"],
  },
  {
    id: "nsg-flow-logs-retired",
    definitionId: "c251913d-7d24-4958-af87-478ed3b9ba41",
    category: "Mitigated",
    justification:
      "Azure retired NSG flow logs (no new ones since 30 June 2025); the stack records the same traffic with a VNet flow " +
      "log on the virtual network that holds every subnet and its NSG, which the pack rule network-flow-logs verifies.",
    expiresOn: "2027-06-30",
    environments: ["prod"],
    resources: { type: "azure-native:network:NetworkSecurityGroup" },
    mitigatedBy: ["network-flow-logs"],
  },
  {
    id: "non-prod-nsg-flow-logs",
    definitionId: "c251913d-7d24-4958-af87-478ed3b9ba41",
    category: "Waiver",
    justification:
      "Cost exception for non-production stacks: no flow logs (NSG flow logs are retired and VNet flow logs with traffic " +
      "analytics cost per GB); dev and staging carry no production traffic.",
    expiresOn: "2027-06-30",
    environments: ["dev", "staging"],
    resources: { type: "azure-native:network:NetworkSecurityGroup" },
  },
  {
    id: "non-prod-vnet-flow-logs",
    definitionId: "4c3c6c5f-0d47-4402-99b8-aa543dd8bcee",
    category: "Waiver",
    justification:
      "Cost exception for non-production stacks: VNet flow logs with traffic analytics cost per GB processed; dev and " +
      "staging carry no production traffic (not in the benchmark: a pack-only waiver).",
    expiresOn: "2027-06-30",
    environments: ["dev", "staging"],
    resources: { type: "azure-native:network:VirtualNetwork" },
  },
  {
    id: "non-prod-ddos-standard",
    definitionId: "94de2ad3-e0c1-4caf-ad78-5d47bbc83d3d",
    category: "Waiver",
    justification:
      "Cost exception for non-production stacks: a DDoS Network Protection plan costs about USD 2,900 a month. Dev and " +
      "staging hold no production data, sit behind the same WAF and keep Azure's default infrastructure DDoS protection.",
    expiresOn: "2027-06-30",
    environments: ["dev", "staging"],
    resources: { type: "azure-native:network:VirtualNetwork" },
  },
  {
    id: "non-prod-ddos-protection",
    definitionId: "a7aca53f-2ed4-4466-a25e-0b45ade68efd",
    category: "Waiver",
    justification:
      "Cost exception for non-production stacks: a DDoS Network Protection plan costs about USD 2,900 a month. Dev and " +
      "staging hold no production data, sit behind the same WAF and keep Azure's default infrastructure DDoS protection.",
    expiresOn: "2027-06-30",
    environments: ["dev", "staging"],
    resources: { type: "azure-native:network:VirtualNetwork" },
  },
  {
    id: "non-prod-zone-redundancy-apim",
    definitionId: "42daa904-5969-47ef-92cb-b75df946195a",
    category: "Waiver",
    justification:
      "Cost exception for non-production stacks: zone redundancy needs API Management Premium with a unit per zone; dev " +
      "and staging run a single-zone Developer or Premium unit and accept a zone outage.",
    expiresOn: "2027-06-30",
    environments: ["dev", "staging"],
    resources: { type: "azure-native:apimanagement:ApiManagementService" },
  },
  {
    id: "non-prod-zone-redundancy-container-apps",
    definitionId: "42daa904-5969-47ef-92fb-b75df946195a",
    category: "Waiver",
    justification:
      "Cost exception for non-production stacks: a zone-redundant Container Apps environment needs a larger " +
      "infrastructure subnet and at least three replicas; dev and staging accept a zone outage.",
    expiresOn: "2027-06-30",
    environments: ["dev", "staging"],
    resources: { type: "azure-native:app:ManagedEnvironment" },
  },
];

/** Problems with a declaration list (empty when valid): checked by tests and before any resource is declared. */
export function exemptionProblems(
  exemptions: readonly ExemptionDeclaration[],
  options: { readonly today?: string } = {},
): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [index, exemption] of exemptions.entries()) {
    const at = `exemptions[${index}] (${exemption.id})`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(exemption.id) || exemption.id.length > 48)
      problems.push(`${at}.id: must be kebab-case, at most 48 characters`);
    if (ids.has(exemption.id)) problems.push(`${at}.id: duplicate`);
    ids.add(exemption.id);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(exemption.definitionId))
      problems.push(
        `${at}.definitionId: must be a lower-case definition GUID, got '${exemption.definitionId}'`,
      );
    if (!(EXEMPTION_CATEGORIES as readonly string[]).includes(exemption.category))
      problems.push(
        `${at}.category: must be one of ${EXEMPTION_CATEGORIES.join(", ")}, got '${exemption.category}'`,
      );
    if (exemption.justification.trim().length < 60)
      problems.push(`${at}.justification: must explain the deviation (at least 60 characters)`);
    const date = /^\d{4}-\d{2}-\d{2}$/.test(exemption.expiresOn)
      ? new Date(`${exemption.expiresOn}T00:00:00Z`)
      : null;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== exemption.expiresOn)
      problems.push(`${at}.expiresOn: must be a calendar date YYYY-MM-DD, got '${exemption.expiresOn}'`);
    else if (options.today !== undefined && exemption.expiresOn <= options.today)
      problems.push(
        `${at}.expiresOn: ${exemption.expiresOn} has passed; review the deviation and renew or remove it`,
      );
    if (exemption.environments.length === 0)
      problems.push(`${at}.environments: name at least one environment`);
    if (!exemption.resources.type.startsWith("azure-native:"))
      problems.push(
        `${at}.resources.type: must be an azure-native type token, got '${exemption.resources.type}'`,
      );
    if (exemption.category === "Mitigated" && (exemption.mitigatedBy ?? []).length === 0)
      problems.push(
        `${at}.mitigatedBy: a Mitigated exemption names the pack rules that verify the mitigation`,
      );
    if (exemption.category === "Waiver" && exemption.mitigatedBy !== undefined)
      problems.push(`${at}.mitigatedBy: only Mitigated exemptions name mitigating rules`);
  }
  return problems;
}

/** The declarations in force for an environment. */
export function exemptionsFor(
  environment: string,
  exemptions: readonly ExemptionDeclaration[] = EXEMPTIONS,
): ExemptionDeclaration[] {
  return exemptions.filter((exemption) =>
    (exemption.environments as readonly string[]).includes(environment),
  );
}

/** Whether a declaration covers a resource (type token and, when given, logical name). */
export function exemptionCovers(
  exemption: ExemptionDeclaration,
  resource: { readonly type: string; readonly name: string },
): boolean {
  return (
    exemption.resources.type === resource.type &&
    (exemption.resources.names === undefined || exemption.resources.names.includes(resource.name))
  );
}
