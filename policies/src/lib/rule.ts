/**
 * Builders that turn a rule definition (metadata + a validate function) into the policy object
 * CrossGuard runs. They do what `validateResourceOfType` does for SDK classes, but for type tokens:
 * a rule for one type carries `__pulumiType` so the analyzer reports it `notApplicable` for other
 * types without running it; a rule for several types reports `notApplicable` itself.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  StackValidation,
  StackValidationArgs,
} from "@pulumi/policy";
import { packWaiver } from "./exemptions";
import type { PackResourcePolicy, PackStackPolicy, RuleMetadata } from "./metadata";
import type { Props } from "./props";
import { LEGACY_ALIASES } from "./types";

/** Matches every resource type (rules that scan all inputs). */
export const ANY_TYPE = "*";

type PolicyBase = Omit<RuleMetadata, "resourceTypes"> & {
  readonly name: string;
  readonly description: string;
};

export interface ResourceRuleDefinition extends PolicyBase {
  readonly resourceTypes: readonly string[];
  readonly validate: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void;
}

export interface StackRuleDefinition extends PolicyBase {
  /** The types the rule reads; it is `notApplicable` when the stack holds none of `appliesTo`. */
  readonly resourceTypes: readonly string[];
  readonly appliesTo: readonly string[];
  readonly validate: (
    resources: readonly PolicyResource[],
    args: StackValidationArgs,
    report: ReportViolation,
  ) => void;
}

/** The property CrossGuard reads to skip a typed validation for other types. */
type TypedValidation = ResourceValidation & { __pulumiType?: string };

export function resourceRule(definition: ResourceRuleDefinition): PackResourcePolicy {
  const { validate, resourceTypes, ...metadata } = definition;
  const types = withLegacyAliases(resourceTypes);
  const validateResource: TypedValidation = (args, report) => {
    if (!types.has(ANY_TYPE) && !types.has(args.type)) {
      args.notApplicable(
        `Policy only applies to resources of type ${[...types].map((t) => `'${t}'`).join(", ")}`,
      );
    }
    // A declared waiver (policies/src/lib/exemption-declarations.ts) silences this rule on the resources it covers.
    const waived = packWaiver(metadata.azureBuiltins, {
      type: canonicalType(args.type),
      urn: args.urn,
      props: args.props,
    });
    validate(args.props as Props, args, waived ? () => undefined : report);
  };
  if (types.size === 1 && !types.has(ANY_TYPE)) validateResource.__pulumiType = [...types][0];
  return { ...metadata, tags: tagsOf(metadata), resourceTypes, validateResource };
}

export function stackRule(definition: StackRuleDefinition): PackStackPolicy {
  const { validate, appliesTo, ...metadata } = definition;
  const applies = withLegacyAliases(appliesTo);
  const validateStack: StackValidation = (args, report) => {
    if (!args.resources.some((resource) => applies.has(resource.type))) {
      args.notApplicable(
        `Policy only applies to stacks with resources of type ${[...applies].map((t) => `'${t}'`).join(", ")}`,
      );
    }
    const waivable: ReportViolation = (message, urn) => {
      const resource =
        urn === undefined ? undefined : args.resources.find((candidate) => candidate.urn === urn);
      if (
        resource &&
        packWaiver(metadata.azureBuiltins, {
          type: canonicalType(resource.type),
          urn: resource.urn,
          props: resource.props,
        })
      )
        return;
      report(message, urn);
    };
    validate(args.resources, args, waivable);
  };
  return { ...metadata, tags: tagsOf(metadata), validateStack };
}

/** Pulumi's policy tags (shown by the CLI and Pulumi Cloud): the area and the seed practices. */
function tagsOf(metadata: Pick<RuleMetadata, "area" | "seedControls">): string[] {
  return [metadata.area, ...metadata.seedControls];
}

/** The resources of the given types (azure-native v2 tokens of renamed types included). */
export function ofType(resources: readonly PolicyResource[], ...types: readonly string[]): PolicyResource[] {
  return resources.filter((resource) => types.includes(canonicalType(resource.type)));
}

/** The azure-native v3 token for a type (v2 tokens of types v3 renamed are mapped). */
export function canonicalType(type: string): string {
  return LEGACY_ALIASES[type] ?? type;
}

function withLegacyAliases(types: readonly string[]): Set<string> {
  const set = new Set(types);
  for (const [legacy, current] of Object.entries(LEGACY_ALIASES)) if (set.has(current)) set.add(legacy);
  return set;
}
