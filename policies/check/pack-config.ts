/**
 * Per-environment pack configuration, `policies/config/<env>.json`, in the format of the Pulumi
 * CLI's `--policy-pack-config` file, so the same file drives `pulumi preview --policy-pack policies
 * --policy-pack-config policies/config/prod.json` and the offline check:
 *
 *   { "all": "mandatory",
 *     "network-ddos-protection": "advisory",
 *     "keyvault-key-expiry": { "enforcementLevel": "mandatory", "maxValidityDays": 365 } }
 *
 * Validation is stricter than the CLI's: unknown policy names and properties are errors (typos would
 * otherwise silently fall back to defaults).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import { allPolicies } from "../src";
import type { PackPolicy } from "../src/lib/metadata";
import { validateAgainstSchema } from "./schema-validate";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "remediate",
  "disabled",
];

export interface PolicyOverride {
  readonly enforcementLevel?: EnforcementLevel;
  /** Rule configuration (validated against the rule's `configSchema`). */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface PackConfig {
  /** Where it was read from (for messages). */
  readonly source?: string;
  /** Level for every policy without its own (the CLI's reserved name `all`). */
  readonly all?: EnforcementLevel;
  readonly policies: Readonly<Record<string, PolicyOverride>>;
}

export const EMPTY_PACK_CONFIG: PackConfig = { policies: {} };

export class PackConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid policy pack config ${source}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "PackConfigError";
  }
}

export const CONFIG_DIR = path.resolve(__dirname, "..", "config");

export function packConfigPath(environment: string): string {
  return path.join(CONFIG_DIR, `${environment}.json`);
}

/** Reads and validates `policies/config/<environment>.json`; throws `PackConfigError` with every problem. */
export function loadPackConfig(
  environment: string,
  policies: readonly PackPolicy[] = allPolicies,
): PackConfig {
  if (!/^[A-Za-z0-9_.-]+$/.test(environment)) {
    throw new PackConfigError(environment, [`'${environment}' is not an environment name`]);
  }
  return readPackConfigFile(packConfigPath(environment), policies);
}

/** Reads and validates a pack config file (the `--policy-pack-config` format). */
export function readPackConfigFile(file: string, policies: readonly PackPolicy[] = allPolicies): PackConfig {
  if (!existsSync(file)) throw new PackConfigError(file, ["file not found"]);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new PackConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = parsePackConfig(raw, file, policies);
  // Only the checked-in environment files must leave stack facts to the stack; a generated file holds them.
  if (path.dirname(path.resolve(file)) === CONFIG_DIR) {
    const problems = stackDerivedOptionsIn(parsed);
    if (problems.length > 0) throw new PackConfigError(file, problems);
  }
  return parsed;
}

/** Options an environment file sets although they come from the stack config (one problem per rule). */
export function stackDerivedOptionsIn(config: PackConfig): string[] {
  return Object.entries(STACK_DERIVED)
    .filter(([policy, keys]) => keys.some((key) => key in (config.policies[policy]?.config ?? {})))
    .map(
      ([policy, keys]) =>
        `${policy}: ${keys.join(", ")} come${keys.length === 1 ? "s" : ""} from the stack config (${STACK_SOURCE[policy]}); remove ${keys.length === 1 ? "it" : "them"} from this file`,
    );
}

/**
 * What the pack needs to know about the stack it checks, read from the stack config so that a fork
 * changes its values in one place (its stack files) and the program and the pack follow.
 */
export interface StackFacts {
  /** `identity.github.repository` (`<owner>/<repo>`): the subject of the CI federated credentials. */
  readonly githubRepository: string;
}

/** Rule options that always come from the stack config, never from `policies/config/<env>.json`. */
const STACK_DERIVED: Readonly<Record<string, readonly string[]>> = {
  "entra-federated-credential-issuers": ["allowedGitHubOwners"],
};
const STACK_SOURCE: Readonly<Record<string, string>> = {
  "entra-federated-credential-issuers": "identity.github.repository",
};

/** The stack facts of a validated stack config (structural, so the pack does not import the program). */
export function stackFactsOf(config: {
  readonly identity: { readonly github: { readonly repository: string } };
}): StackFacts {
  return { githubRepository: config.identity.github.repository };
}

/** The rule options derived from stack facts. */
export function stackDerivedOverrides(facts: StackFacts): Record<string, Record<string, unknown>> {
  const owner = facts.githubRepository.split("/")[0];
  if (!owner || !/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(facts.githubRepository)) {
    throw new PackConfigError("stack config", [
      `identity.github.repository must be <owner>/<repo> (got ${JSON.stringify(facts.githubRepository)})`,
    ]);
  }
  return { "entra-federated-credential-issuers": { allowedGitHubOwners: [owner] } };
}

/** An environment's pack config with the stack-derived options filled in (they win over the file). */
export function withStackFacts(config: PackConfig, facts: StackFacts): PackConfig {
  const policies: Record<string, PolicyOverride> = { ...config.policies };
  for (const [name, derived] of Object.entries(stackDerivedOverrides(facts))) {
    const current = policies[name];
    policies[name] = { ...current, config: { ...(current?.config ?? {}), ...derived } };
  }
  return { ...config, policies };
}

/** A pack config as the CLI's `--policy-pack-config` file (what `npm run policy:config` writes). */
export function toPackConfigDocument(config: PackConfig): Record<string, unknown> {
  const document: Record<string, unknown> = config.all ? { all: config.all } : {};
  for (const [name, override] of Object.entries(config.policies)) {
    const hasConfig = Object.keys(override.config).length > 0;
    document[name] =
      !hasConfig && override.enforcementLevel
        ? override.enforcementLevel
        : {
            ...(override.enforcementLevel ? { enforcementLevel: override.enforcementLevel } : {}),
            ...override.config,
          };
  }
  return document;
}

/** Validates an already-parsed config document. */
export function parsePackConfig(
  raw: unknown,
  source: string,
  policies: readonly PackPolicy[] = allPolicies,
): PackConfig {
  const problems: string[] = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new PackConfigError(source, ["expected a JSON object keyed by policy name (or 'all')"]);
  }
  const byName = new Map(policies.map((policy) => [policy.name, policy]));
  let all: EnforcementLevel | undefined;
  const overrides: Record<string, PolicyOverride> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === "all") {
      if (isLevel(value)) all = value;
      else
        problems.push(`all: expected one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(value)}`);
      continue;
    }
    const policy = byName.get(key);
    if (!policy) {
      problems.push(`${key}: no policy of that name in the pack`);
      continue;
    }
    if (typeof value === "string") {
      if (isLevel(value)) overrides[key] = { enforcementLevel: value, config: {} };
      else
        problems.push(
          `${key}: expected one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(value)}`,
        );
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${key}: expected an enforcement level or an object`);
      continue;
    }
    const { enforcementLevel, ...config } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
      problems.push(
        `${key}.enforcementLevel: expected one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(enforcementLevel)}`,
      );
    }
    problems.push(...validateRuleConfig(key, config, policy.configSchema));
    overrides[key] = { ...(isLevel(enforcementLevel) ? { enforcementLevel } : {}), config };
  }
  if (problems.length > 0) throw new PackConfigError(source, problems);
  return { source, ...(all ? { all } : {}), policies: overrides };
}

function validateRuleConfig(
  name: string,
  config: Record<string, unknown>,
  schema: PolicyConfigSchema | undefined,
): string[] {
  const keys = Object.keys(config);
  if (!schema)
    return keys.length > 0 ? [`${name}: the policy takes no configuration (got ${keys.join(", ")})`] : [];
  return validateAgainstSchema(
    config,
    { type: "object", properties: schema.properties, additionalProperties: false },
    name,
  );
}

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** Schema defaults of a rule's config properties. */
export function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (typeof property === "object" && property.default !== undefined) defaults[key] = property.default;
  }
  return defaults;
}
