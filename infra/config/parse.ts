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
  const secretKeyReferences = new Set(referencedSecretKeys(raw.values));
  for (const [fullKey, rawValue] of Object.entries(raw.values)) {
    if (!fullKey.startsWith(PREFIX) || fullKey === SECRET_KEYS_ENTRY) continue;
    const key = fullKey.slice(PREFIX.length);
    // Secret values are read with requireSecret, never validated or echoed here.
    if (raw.secretKeys.has(fullKey) || secretKeyReferences.has(fullKey)) continue;
    input[key] = decodeValue(rawValue);
  }

  const result = stackConfigSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    problems.push(...result.error.issues.flatMap((issue) => toProblems(issue)));
  }
  problems.push(...checkSecretReferences(raw));

  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, config: deepFreeze(result.data!) };
}

/** The secret config keys a configuration refers to (values come from `config.requireSecret`). */
export function referencedSecretKeys(values: Readonly<Record<string, unknown>>): string[] {
  return secretReferences(values).map((reference) => `${PREFIX}${reference.configKey}`);
}

interface SecretReference {
  /** Where the reference is made, for messages (`keyVault.secrets[0].configKey`). */
  readonly where: string;
  readonly configKey: string;
}

function secretReferences(values: Readonly<Record<string, unknown>>): SecretReference[] {
  const references: SecretReference[] = [];
  const keyVault = decodeValue(values[`${PREFIX}keyVault`]);
  if (isRecord(keyVault) && Array.isArray(keyVault["secrets"])) {
    keyVault["secrets"].forEach((secret, index) => {
      if (isRecord(secret) && typeof secret["configKey"] === "string") {
        references.push({ where: `keyVault.secrets[${index}].configKey`, configKey: secret["configKey"] });
      }
    });
  }
  const gateway = decodeValue(values[`${PREFIX}gateway`]);
  const certificate = isRecord(gateway) ? gateway["tlsCertificate"] : undefined;
  if (
    isRecord(certificate) &&
    certificate["source"] === "pfxConfig" &&
    typeof certificate["configKey"] === "string"
  ) {
    references.push({ where: "gateway.tlsCertificate.configKey", configKey: certificate["configKey"] });
  }
  const monitoring = decodeValue(values[`${PREFIX}monitoring`]);
  if (isRecord(monitoring) && typeof monitoring["alertWebhookSecretKey"] === "string") {
    references.push({
      where: "monitoring.alertWebhookSecretKey",
      configKey: monitoring["alertWebhookSecretKey"],
    });
  }
  return references;
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
          : "is not a known setting (check the spelling; see docs/configuration.md)",
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

function checkSecretReferences(raw: RawStackConfig): ConfigProblem[] {
  return secretReferences(raw.values).flatMap((reference): ConfigProblem[] => {
    const fullKey = `${PREFIX}${reference.configKey}`;
    const command = `\`pulumi config set --secret ${reference.configKey} <value>\``;
    if (!(fullKey in raw.values)) {
      return [
        {
          key: `${PREFIX}${reference.where}`,
          value: JSON.stringify(reference.configKey),
          message: `names a config key that is not set; run ${command}`,
        },
      ];
    }
    if (!raw.secretKeys.has(fullKey)) {
      return [
        {
          key: fullKey,
          value: "(plaintext, not shown)",
          message: `must be a secret; run ${command} so it is encrypted in the stack file and state`,
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
