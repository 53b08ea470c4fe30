/**
 * The Microsoft cloud security benchmark as policy assignments: pure data shared by the Governance
 * component, the report (`tools/azure-policy`) and the tests. Initiative IDs are those of
 * `../shared/reference/azure-policy/_initiatives/` (AzureSecurityCenter.json is MCSB v1, MCSBv2.json
 * its v2 preview); test/governance checks them against the files.
 */
import type { ExemptionDeclaration } from "../../policies/src/lib/exemption-declarations";

export interface BenchmarkInitiative {
  readonly key: "mcsb" | "mcsbv2";
  readonly policySetDefinitionId: string;
  readonly displayName: string;
  /** How MCSB_ASSIGNMENT_PARAMS.tsv labels it. */
  readonly label: string;
}

export const BENCHMARK_INITIATIVES: readonly BenchmarkInitiative[] = [
  {
    key: "mcsb",
    policySetDefinitionId:
      "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8",
    displayName: "Microsoft cloud security benchmark",
    label: "MCSB v1",
  },
  {
    key: "mcsbv2",
    policySetDefinitionId:
      "/providers/Microsoft.Authorization/policySetDefinitions/e3ec7e09-768c-4b64-882c-fcada3772047",
    displayName: "[Preview]: Microsoft cloud security benchmark v2",
    label: "MCSB v2 preview",
  },
];

/**
 * Where a definition sits in the initiatives: `definitionId` -> initiative key -> its
 * `policyDefinitionReferenceId`. Generated from MCSB_ASSIGNMENT_PARAMS.tsv for the declared exemptions
 * (test/governance checks it against the file, so it cannot drift).
 */
export const DEFINITION_REFERENCES: Readonly<
  Record<string, Partial<Record<BenchmarkInitiative["key"], string>>>
> = {
  "c15dcc82-b93c-4dcb-9332-fbf121685b54": {
    mcsb: "aPIManagementServiceShouldHaveBackendCallsAuthenticated",
    mcsbv2: "aPIManagementServiceShouldHaveBackendCallsAuthenticated",
  },
  "b2982f36-99f2-4db5-8eff-283140c09693": { mcsbv2: "StoragesPublicAccess" },
  "c251913d-7d24-4958-af87-478ed3b9ba41": { mcsbv2: "FlowLogsConfiguredEveryNSGGroup" },
  "94de2ad3-e0c1-4caf-ad78-5d47bbc83d3d": { mcsbv2: "VNetsProtectedDDoS" },
  "a7aca53f-2ed4-4466-a25e-0b45ade68efd": {
    mcsb: "vnetEnableDDoSProtectionMonitoring",
    mcsbv2: "vnetEnableDDoSProtectionMonitoring",
  },
};

export interface ExemptionTarget {
  readonly initiative: BenchmarkInitiative;
  readonly referenceId: string;
}

/** The assignments (and reference IDs) an exemption applies to; empty for a pack-only waiver. */
export function exemptionTargets(exemption: ExemptionDeclaration): ExemptionTarget[] {
  const references = DEFINITION_REFERENCES[exemption.definitionId] ?? {};
  return BENCHMARK_INITIATIVES.flatMap((initiative) => {
    const referenceId = references[initiative.key];
    return referenceId ? [{ initiative, referenceId }] : [];
  });
}
