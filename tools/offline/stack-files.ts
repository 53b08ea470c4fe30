import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { PROJECT_NAME, referencedSecretKeys } from "../../infra/config";
import { UsageError } from "../cli/args";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Config as the Pulumi engine hands it to a program: full keys, JSON text for structured values. */
export interface EngineConfig {
  readonly values: Record<string, string>;
  readonly secretKeys: string[];
  /** Secret keys the offline run stood a placeholder in for (ciphertext or not set). */
  readonly placeholders: string[];
}

/** One usage-error class for every CLI (tools/cli/args.ts); re-exported for the offline modules. */
export { UsageError };

/** The placeholder a secret config value is replaced with offline; the plan must never contain it. */
export function secretPlaceholder(fullKey: string): string {
  return `offline-secret-placeholder(${fullKey})`;
}

/**
 * What a generated secret (`random.RandomPassword`, e.g. the gateway's session key) is offline: letters and
 * digits like the real one, recognisable so the plan redacts it like a config secret and never shows it.
 */
export const GENERATED_SECRET_PREFIX = "offlinegeneratedsecret";

/**
 * The secret leaves the plan redacts (only those, so the rest of a secret envelope stays readable): the
 * placeholders of these secret config keys, and generated secrets. One matcher for the offline preview and
 * the CLI-fidelity stand-in, so both write the same plan.
 */
export function secretLeafMatcher(keys: readonly string[]): (leaf: string) => boolean {
  const placeholders = keys.map(secretPlaceholder);
  return (leaf) =>
    leaf.startsWith(GENERATED_SECRET_PREFIX) ||
    placeholders.some((placeholder) => leaf.includes(placeholder));
}

export function stackFilePath(stack: string): string {
  return path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`);
}

/**
 * Reads a stack file and turns it into engine config. `secure:` values (ciphertext only the CLI's
 * secrets provider can decrypt) and secret keys the config refers to but does not set become
 * placeholders marked secret: the offline preview never needs a plaintext secret.
 */
export function loadEngineConfig(file: string): EngineConfig {
  if (!existsSync(file)) throw new UsageError(`config file not found: ${file}`);
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  return engineConfigFromDocument(document, file);
}

/** `loadEngineConfig` for a stack file already parsed from YAML (`file` only names it in messages). */
export function engineConfigFromDocument(document: unknown, file: string): EngineConfig {
  const config = (document as { config?: unknown } | null)?.config;
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new UsageError(`${file} has no 'config:' map`);
  }
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const placeholders: string[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const fullKey = key.includes(":") ? key : `${PROJECT_NAME}:${key}`;
    if (isSecureValue(value)) {
      values[fullKey] = secretPlaceholder(fullKey);
      secretKeys.add(fullKey);
      placeholders.push(fullKey);
    } else {
      values[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  for (const fullKey of referencedSecretKeys(values)) {
    if (!(fullKey in values)) {
      values[fullKey] = secretPlaceholder(fullKey);
      secretKeys.add(fullKey);
      placeholders.push(fullKey);
    }
  }
  return { values, secretKeys: [...secretKeys].sort(), placeholders: placeholders.sort() };
}

function isSecureValue(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    "secure" in value
  );
}
