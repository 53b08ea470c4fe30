/**
 * The metadata every rule of the pack carries on top of Pulumi's own policy fields: the seed practice
 * it enforces, the Azure built-in policy definitions it mirrors and the third-party rules it matches.
 * `docs/policies.md` is generated from it.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ResourceValidationPolicy,
  Severity,
  StackValidationPolicy,
} from "@pulumi/policy";

/**
 * The practices of the seed document (MCP security best practices, spec 2025-11-25): the four
 * MUSTs and the twelve numbered practices.
 */
export const SEED = {
  tokenValidation: "MUST-1 token validation",
  authorizationVerification: "MUST-2 authorization verification",
  userConsent: "MUST-3 user consent",
  secureSessionIds: "MUST-4 secure session IDs",
  inputValidation: "1 input validation and sanitization",
  authentication: "2 authentication and authorization",
  secureCommunication: "3 secure communication",
  rateLimiting: "4 rate limiting and resource protection",
  logging: "5 logging and monitoring",
  secureStorage: "6 secure storage",
  tokenManagement: "7 token management",
  sessionManagement: "8 session management",
  aiControls: "9 AI-specific controls",
  toolExecution: "10 tool execution security",
  continuousValidation: "11 continuous security validation",
  supplyChain: "12 AI supply chain security",
} as const;

export type SeedControl = (typeof SEED)[keyof typeof SEED];

/** An Azure built-in policy definition, as listed in `shared/reference/azure-policy/INDEX.tsv`. */
export interface AzureBuiltin {
  readonly guid: string;
  readonly displayName: string;
}

/** The area folders of `policies/src/`, in the order the docs list them. */
export const AREAS = [
  "tls",
  "secrets",
  "keyvault",
  "network",
  "apim",
  "entra",
  "monitoring",
  "workloads",
  "storage",
  "resilience",
] as const;
export type Area = (typeof AREAS)[number];

export interface RuleMetadata {
  readonly area: Area;
  readonly severity: Severity;
  /** Every rule states its level explicitly; the security baseline is mandatory. */
  readonly enforcementLevel: EnforcementLevel;
  readonly remediationSteps: string;
  readonly seedControls: readonly SeedControl[];
  /** Azure built-in definitions this rule mirrors (empty when none applies). */
  readonly azureBuiltins: readonly AzureBuiltin[];
  /** Third-party rules it matches: PSRule for Azure (`Azure.APIM.Protocols`) or Checkov (`CKV_AZURE_173`). */
  readonly rulesets?: readonly string[];
  /** The resource types it inspects (Pulumi type tokens); a stack policy lists every type it reads. */
  readonly resourceTypes: readonly string[];
  readonly configSchema?: PolicyConfigSchema;
}

export type PackResourcePolicy = ResourceValidationPolicy & RuleMetadata;
export type PackStackPolicy = StackValidationPolicy & RuleMetadata;
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

export function isPackStackPolicy(policy: PackPolicy): policy is PackStackPolicy {
  return typeof (policy as PackStackPolicy).validateStack === "function";
}
