/**
 * Escaping for the two languages a policy document nests: XML (the document) and C# (policy
 * expressions inside attributes and element text). Every interpolated value goes through one of these.
 */

const XML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** XML 1.0 forbids these code points even as character references, so they can only be refused. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Escapes text for an XML attribute value or element text (the same escaping is safe in both). */
export function xmlEscape(value: string): string {
  if (XML_FORBIDDEN.test(value)) {
    throw new Error(`value contains a character XML cannot carry: ${JSON.stringify(value)}`);
  }
  return value.replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch] ?? ch);
}

/**
 * A C# regular string literal, quotes included. Besides `\` and `"`, it escapes every character C#
 * treats as a line terminator or control character, and `{`/`}`: API Management substitutes
 * `{{named-value}}` anywhere in a policy, so a hostile value must never contain a literal pair.
 */
export function csString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "{" || ch === "}") out += unicodeEscape(code);
    else if (code < 0x20 || code === 0x7f || code === 0x85 || code === 0x2028 || code === 0x2029) {
      out += unicodeEscape(code);
    } else out += ch;
  }
  return `${out}"`;
}

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A C# `new string[] { ... }` literal. */
export function csStringArray(values: readonly string[]): string {
  return values.length === 0 ? "new string[0]" : `new string[] { ${values.map(csString).join(", ")} }`;
}

/** Markup produced by this module's own renderers: inserted into templates verbatim, never escaped. */
export interface Markup {
  readonly kind: "markup";
  readonly xml: string;
}

export function markup(xml: string): Markup {
  return { kind: "markup", xml };
}

export const NO_MARKUP: Markup = markup("");

export function joinMarkup(parts: readonly Markup[]): Markup {
  return markup(
    parts
      .map((part) => part.xml)
      .filter((xml) => xml.length > 0)
      .join("\n"),
  );
}

/** A one-line policy expression, `@(...)`. */
export function expr(csharp: string): string {
  return `@(${csharp})`;
}

/** A multi-statement policy expression, `@{ ... }`; every code path must `return`. */
export function block(statements: readonly string[]): string {
  return `@{ ${statements.join(" ")} }`;
}

/**
 * API Management resolves `{{name}}` anywhere in a policy, so the only pairs allowed in the output are
 * the named values this renderer put there on purpose. Catches a hostile value or a stray `}}` in C#.
 */
export function assertOnlyExpectedNamedValues(xml: string, expected: readonly string[]): void {
  const allowed = new Set(expected.map((name) => `{{${name}}}`));
  const stripped = xml.replace(/\{\{[^{}]*\}\}/g, (match) => (allowed.has(match) ? "" : match));
  if (stripped.includes("{{") || stripped.includes("}}")) {
    throw new Error("rendered policy contains an unexpected API Management named-value reference ({{...}})");
  }
}
