import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { stableUuid } from "../conventions/uuid";
import { BENCHMARK_INITIATIVES, exemptionTargets } from "./assignments";
import { type ExemptionDeclaration, exemptionProblems } from "../../policies/src/lib/exemption-declarations";

export { BENCHMARK_INITIATIVES, exemptionTargets } from "./assignments";
export {
  EXEMPTIONS,
  exemptionsFor,
  type ExemptionDeclaration,
} from "../../policies/src/lib/exemption-declarations";

/** A resource an exemption can name: its azure-native type, logical name and ARM ID. */
export interface GovernedResource {
  readonly type: string;
  readonly name: string;
  readonly id: pulumi.Input<string>;
}

export interface GovernanceArgs {
  readonly resourceGroupId: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
  readonly environment: string;
  /** The declarations in force for this environment (`exemptionsFor(environment)`). */
  readonly exemptions: readonly ExemptionDeclaration[];
  /** The stack's resources that exemptions may cover, by type and logical name. */
  readonly resources: readonly GovernedResource[];
}

/**
 * Assigns the Microsoft cloud security benchmark (v1 and the v2 preview) to the stack's resource group in
 * audit mode (`DoNotEnforce`: nothing is denied or deployed, Defender for Cloud reports compliance of
 * exactly what this stack deployed) and creates one Azure Policy exemption per declared deviation and
 * covered resource, scoped to that resource. The declarations are `policies/src/lib/exemption-declarations.ts`, the
 * same ones the policy pack reads.
 */
export class Governance extends pulumi.ComponentResource {
  readonly assignmentIds: Readonly<Record<string, pulumi.Output<string>>>;
  readonly exemptionCount: number;

  constructor(name: string, args: GovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:governance:Governance", name, {}, opts);
    const problems = exemptionProblems(args.exemptions);
    if (problems.length > 0)
      throw new Error(`governance: invalid exemptions:\n  - ${problems.join("\n  - ")}`);

    const assignmentIds: Record<string, pulumi.Output<string>> = {};
    for (const initiative of BENCHMARK_INITIATIVES) {
      const assignment = new authorization.PolicyAssignment(
        `benchmark-${initiative.key}`,
        {
          scope: args.resourceGroupId,
          // Assignment names are at most 64 characters at resource group scope; stable per initiative.
          policyAssignmentName: `mcsb-${initiative.key}-${args.environment}`,
          displayName: `${initiative.displayName} (${args.environment}, audit)`,
          description:
            "Audit-only benchmark assignment for this stack's resource group (mcp-azure-gateway governance component).",
          policyDefinitionId: initiative.policySetDefinitionId,
          enforcementMode: authorization.EnforcementMode.DoNotEnforce,
          // The initiatives contain DeployIfNotExists/Modify definitions, whose assignments carry an identity (and
          // a location for it). It is granted no role: in DoNotEnforce mode nothing is remediated.
          identity: { type: authorization.ResourceIdentityType.SystemAssigned },
          location: args.location,
        },
        { parent: this },
      );
      assignmentIds[initiative.key] = assignment.id;
    }
    this.assignmentIds = assignmentIds;

    let count = 0;
    for (const exemption of args.exemptions) {
      const covered = args.resources.filter(
        (resource) =>
          resource.type === exemption.resources.type &&
          (exemption.resources.names === undefined || exemption.resources.names.includes(resource.name)),
      );
      for (const target of exemptionTargets(exemption)) {
        for (const resource of covered) {
          new authorization.PolicyExemption(
            `exemption-${exemption.id}-${target.initiative.key}-${resource.name}`,
            {
              scope: resource.id,
              // Deterministic: the same declaration, assignment and resource always update the same exemption.
              policyExemptionName: stableUuid([exemption.id, target.initiative.key, resource.name]),
              policyAssignmentId: assignmentIds[target.initiative.key]!,
              policyDefinitionReferenceIds: [target.referenceId],
              exemptionCategory: exemption.category,
              expiresOn: `${exemption.expiresOn}T00:00:00Z`,
              displayName: `${exemption.id} (${args.environment})`,
              description: exemption.justification,
            },
            { parent: this },
          );
          count++;
        }
      }
    }
    this.exemptionCount = count;
    this.registerOutputs({ assignmentIds });
  }
}
