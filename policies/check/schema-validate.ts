/**
 * The subset of JSON Schema that rule config schemas use (type, enum, minimum/maximum, length,
 * pattern, items, properties, required, additionalProperties), enough to validate a pack config
 * file without a schema library at runtime.
 */
import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

export function validateAgainstSchema(
  value: unknown,
  schema: PolicyConfigJSONSchemaDefinition,
  at: string,
): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: not allowed`];
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type)))
      return [`${at}: expected ${types.join(" or ")}, got ${describe(value)}`];
  }
  if (schema.enum && !schema.enum.some((candidate) => JSON.stringify(candidate) === JSON.stringify(value))) {
    problems.push(
      `${at}: expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(value)}`,
    );
  }
  if (typeof value === "number") problems.push(...numberProblems(value, schema, at));
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      problems.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
      problems.push(`${at}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      problems.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      problems.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.uniqueItems && new Set(value.map((item) => JSON.stringify(item))).size !== value.length)
      problems.push(`${at}: items are not unique`);
    const items = schema.items;
    if (items !== undefined && !Array.isArray(items)) {
      value.forEach((item, index) => problems.push(...validateAgainstSchema(item, items, `${at}[${index}]`)));
    }
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value))
    problems.push(...objectProblems(value as Record<string, unknown>, schema, at));
  return problems;
}

function numberProblems(value: number, schema: PolicyConfigJSONSchema, at: string): string[] {
  const problems: string[] = [];
  if (schema.minimum !== undefined && value < schema.minimum)
    problems.push(`${at}: less than ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum)
    problems.push(`${at}: greater than ${schema.maximum}`);
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
    problems.push(`${at}: not greater than ${schema.exclusiveMinimum}`);
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
    problems.push(`${at}: not less than ${schema.exclusiveMaximum}`);
  return problems;
}

function objectProblems(
  value: Record<string, unknown>,
  schema: PolicyConfigJSONSchema,
  at: string,
): string[] {
  const problems: string[] = [];
  for (const key of schema.required ?? []) if (!(key in value)) problems.push(`${at}.${key}: required`);
  for (const [key, item] of Object.entries(value)) {
    const property = schema.properties?.[key];
    if (property !== undefined) problems.push(...validateAgainstSchema(item, property, `${at}.${key}`));
    else if (schema.additionalProperties !== undefined)
      problems.push(...validateAgainstSchema(item, schema.additionalProperties, `${at}.${key}`));
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
