import type { z } from "zod";
import { CONFIG_KEYS, PROJECT_NAME, stackConfigSchema, type StackConfig } from "./schema";

/** One thing wrong with the stack configuration: the full config key, the offending value, what is allowed. */
export interface ConfigProblem {
  readonly key: string;
  readonly value: string;
  readonly message: string;
}

/** Thrown (and turned into exit code 2 / a clean `pulumi.RunError`) when the stack configuration is invalid. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(formatConfigProblems(problems));
    this.name = "ConfigValidationError";
  }
}

export type ParseResult = { ok: true; config: StackConfig } | { ok: false; problems: ConfigProblem[] };

export interface RawStackConfig {
  /** Config values keyed by full key (`mcp-azure-gateway:network`); structured values as JSON text or objects. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Full keys whose values are Pulumi secrets. */
  readonly secretKeys: ReadonlySet<string>;
}

const PREFIX = `${PROJECT_NAME}:`;
const SECRET_KEYS_ENTRY = "PULUMI_CONFIG_SECRET_KEYS";

/**
 * Validates the whole stack configuration at once and returns every problem, never just the first.
 * Pure: no Pulumi runtime access, so it is unit-tested directly and used by the offline tools.
 */
export function parseStackConfig(raw: RawStackConfig): ParseResult {
  const problems: ConfigProblem[] = [];
  const input: Record<string, unknown> = {};
  const secretReferences = new Set(referencedSecretKeys(raw.values));
  for (const [fullKey, rawValue] of Object.entries(raw.values)) {
    if (!fullKey.startsWith(PREFIX) || fullKey === SECRET_KEYS_ENTRY) continue;
    const key = fullKey.slice(PREFIX.length);
    // Secret values are read with requireSecret, never validated or echoed here.
    if (raw.secretKeys.has(fullKey) || secretReferences.has(fullKey)) continue;
    input[key] = decodeValue(rawValue);
  }

  const result = stackConfigSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    problems.push(...result.error.issues.flatMap((issue) => toProblems(issue)));
  }
  if (result.success) {
    problems.push(...checkSecretReferences(result.data, raw));
  }

  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, config: deepFreeze(result.data!) };
}

/** The secret config keys a configuration refers to (values come from `config.requireSecret`). */
export function referencedSecretKeys(values: Readonly<Record<string, unknown>>): string[] {
  const keyVault = decodeValue(values[`${PREFIX}keyVault`]);
  if (!isRecord(keyVault) || !Array.isArray(keyVault["secrets"])) return [];
  return keyVault["secrets"]
    .filter(isRecord)
    .map((secret) => secret["configKey"])
    .filter((key): key is string => typeof key === "string")
    .map((key) => `${PREFIX}${key}`);
}

export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  const header = `Invalid stack configuration: ${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  return [header, ...problems.map((p) => `  - ${p.key} = ${p.value}: ${p.message}`)].join("\n");
}

function decodeValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value; // reported by the schema as the wrong type
    }
  }
  return value;
}

function toProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path.map((segment) => (typeof segment === "number" ? `[${segment}]` : String(segment)));
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((unknownKey) => ({
      key: keyFor([...path, unknownKey]),
      value: "(set)",
      message:
        path.length === 0
          ? `is not a known setting (known: ${CONFIG_KEYS.join(", ")})`
          : "is not a known setting (check the spelling; see README, Configuration)",
    }));
  }
  const input = (issue as { input?: unknown }).input;
  let message = issue.message;
  if (issue.code === "invalid_type" && input === undefined) {
    message = `is required (expected ${issue.expected})`;
  } else if (issue.code === "invalid_value" && issue.message.startsWith("Invalid")) {
    message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return [{ key: keyFor(path), value: renderValue(input), message }];
}

function keyFor(path: string[]): string {
  const [head, ...rest] = path;
  if (head === undefined) return `${PROJECT_NAME}:<root>`;
  return `${PREFIX}${head}${rest.map((s) => (s.startsWith("[") ? s : `.${s}`)).join("")}`;
}

function renderValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function checkSecretReferences(config: StackConfig, raw: RawStackConfig): ConfigProblem[] {
  return config.keyVault.secrets.flatMap((secret, index): ConfigProblem[] => {
    const fullKey = `${PREFIX}${secret.configKey}`;
    const where = `${PREFIX}keyVault.secrets[${index}].configKey`;
    if (!(fullKey in raw.values)) {
      return [
        {
          key: where,
          value: JSON.stringify(secret.configKey),
          message: `names a config key that is not set; run \`pulumi config set --secret ${secret.configKey} <value>\``,
        },
      ];
    }
    if (!raw.secretKeys.has(fullKey)) {
      return [
        {
          key: fullKey,
          value: "(plaintext, not shown)",
          message: `must be a secret; run \`pulumi config set --secret ${secret.configKey} <value>\` so it is encrypted in the stack file and state`,
        },
      ];
    }
    return [];
  });
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.key.localeCompare(b.key) || a.message.localeCompare(b.message));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
