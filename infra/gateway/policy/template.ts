import { readFileSync } from "node:fs";
import * as path from "node:path";
import { type Markup, xmlEscape } from "./escape";

/**
 * Templates are the `.xml` files beside this module. Placeholders are `${name}`, deliberately not
 * `{{name}}`: that is API Management's own named-value syntax, which a rendered policy may contain.
 */

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;
const TEMPLATE_COMMENT = /^\s*<!--#[\s\S]*?-->\s*\n?/;

const cache = new Map<string, string>();

/** Reads a template file once per process; `__dirname` works under tsx, jest and Pulumi's ts-node. */
export function loadTemplate(fileName: string): string {
  const cached = cache.get(fileName);
  if (cached !== undefined) return cached;
  const text = readFileSync(path.join(__dirname, fileName), "utf8").replace(TEMPLATE_COMMENT, "");
  cache.set(fileName, text);
  return text;
}

export type TemplateValue = string | number | Markup;
export type TemplateValues = Readonly<Record<string, TemplateValue>>;

/**
 * Fills every placeholder. Strings and numbers are XML-escaped; markup is inserted verbatim and, when
 * the placeholder stands alone on its line, indented to match (an empty fragment removes the line).
 * A placeholder without a value, or a value without a placeholder, is a programming error.
 */
export function fillTemplate(template: string, values: TemplateValues): string {
  const used = new Set<string>();
  const lines = template.split("\n").flatMap((line) => fillLine(line, values, used));
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) throw new Error(`template values without a placeholder: ${unused.join(", ")}`);
  return lines.join("\n");
}

function fillLine(line: string, values: TemplateValues, used: Set<string>): string[] {
  const alone = /^(\s*)\$\{([A-Za-z][A-Za-z0-9]*)\}\s*$/.exec(line);
  if (alone) {
    const [, indent = "", name = ""] = alone;
    const value = lookup(values, name, used);
    if (typeof value === "object") {
      return value.xml.length === 0 ? [] : value.xml.split("\n").map((l) => (l.length > 0 ? indent + l : l));
    }
  }
  return [line.replace(PLACEHOLDER, (_match, name: string) => render(lookup(values, name, used)))];
}

function lookup(values: TemplateValues, name: string, used: Set<string>): TemplateValue {
  const value = values[name];
  if (value === undefined) throw new Error(`template placeholder \${${name}} has no value`);
  used.add(name);
  return value;
}

function render(value: TemplateValue): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot render the number ${value}`);
    return String(value);
  }
  return typeof value === "string" ? xmlEscape(value) : value.xml;
}
