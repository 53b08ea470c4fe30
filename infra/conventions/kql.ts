import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The renderer for the KQL files kept beside the alert, analytics and workbook catalogues: a deliberately
 * tiny template language. Checking the rendered queries is not done here: `npm run check:kql`
 * (`tools/kql/`) runs Microsoft's Kusto analyzer over every query the stacks deploy. Its source map relies
 * on two properties of this renderer: a `{{name}}` renders to a one-line literal (control characters are
 * refused), and a `{{> partial}}` on a line of its own becomes exactly the partial's lines. (A partial
 * inlined mid-line renders fine but leaves the query unmapped: the check then reports query lines only.)
 *
 * Template syntax (nothing else inside `{{ }}` is accepted):
 * - `{{name}}` is replaced by the parameter `name` rendered as a KQL literal (strings quoted and
 *   escaped, string lists as `dynamic([...])`), so configuration can never inject query text;
 * - `{{> partial-name}}` is replaced by the file `infra/conventions/kql-partials/<partial-name>.kql`.
 *
 * Partials live here, not beside one component's queries, because they are contracts shared across
 * components (the gateway logging contract is written by the gateway policy and read by the monitoring
 * alerts and workbook and by the Sentinel analytics rules); components never reach into each other.
 */

/** A value a query can take from configuration. */
export type KqlValue = string | number | boolean | readonly string[];
export type KqlParams = Readonly<Record<string, KqlValue>>;

/** Directory of shared query fragments (`{{> name}}`). */
export const PARTIALS_DIR = path.join(__dirname, "kql-partials");

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const PARTIAL_NAME = /^[a-z0-9][a-z0-9-]*$/;
const MAX_PARTIAL_DEPTH = 4;

/** `value` as a KQL string literal: double-quoted, with backslash escapes; control characters are refused. */
export function kqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
      throw new Error(
        `KQL parameter values must not contain control characters (found U+${code.toString(16)})`,
      );
    } else out += ch;
  }
  return `${out}"`;
}

/** Any parameter value as a KQL literal. */
export function kqlLiteral(value: KqlValue): string {
  if (typeof value === "string") return kqlString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value) || !/^-?\d+(\.\d+)?$/.test(String(value))) {
      throw new Error(`KQL numeric parameters must be plain finite numbers, got ${String(value)}`);
    }
    return String(value);
  }
  return `dynamic([${value.map(kqlString).join(", ")}])`;
}

/** Reads a partial by name from `PARTIALS_DIR`. */
export function readPartial(name: string): string {
  return readFileSync(path.join(PARTIALS_DIR, `${name}.kql`), "utf8");
}

/**
 * Renders a KQL template. Throws on an unknown parameter, a malformed placeholder or a partial cycle,
 * so a typo fails the unit tests instead of reaching Azure as a broken rule.
 */
export function renderKql(
  template: string,
  params: KqlParams = {},
  resolvePartial: (name: string) => string = readPartial,
  depth = 0,
): string {
  if (depth > MAX_PARTIAL_DEPTH) throw new Error(`KQL partials nest deeper than ${MAX_PARTIAL_DEPTH} levels`);
  const rendered = template.replace(PLACEHOLDER, (_whole, inner: string) => {
    const body = inner.trim();
    if (body.startsWith(">")) {
      const name = body.slice(1).trim();
      if (!PARTIAL_NAME.test(name)) throw new Error(`invalid KQL partial name "${name}"`);
      return renderKql(resolvePartial(name), params, resolvePartial, depth + 1).trimEnd();
    }
    if (!PARAM_NAME.test(body)) throw new Error(`invalid KQL placeholder "{{${inner}}}"`);
    const value = params[body];
    if (value === undefined) throw new Error(`KQL parameter "${body}" has no value`);
    return kqlLiteral(value);
  });
  if (rendered.includes("{{") || rendered.includes("}}")) {
    throw new Error("unbalanced {{ }} left in KQL template");
  }
  return rendered;
}

/** Reads and renders a KQL file. */
export function loadKqlFile(file: string, params: KqlParams = {}): string {
  return renderKql(readFileSync(file, "utf8"), params);
}

/** The template's own parameter names (partials not followed), for checking catalogue defaults. */
export function templateParameters(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const body = (match[1] ?? "").trim();
    if (!body.startsWith(">")) names.add(body);
  }
  return [...names];
}
