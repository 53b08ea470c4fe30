/**
 * The project's one XML model: API Management policy documents (and any other XML the project writes,
 * such as JUnit reports) as a tree, for code that cares about structure (which section an element sits
 * in, whether it is a direct child or nested in a `<choose>`). The pack, the tests and the tools all
 * parse through `parseXml` so they agree on what a document means.
 *
 * Two readings of the same document:
 * - the pack's (`parsePolicyXml`): policy expressions (`@(...)`, `@{...}`) are C# and, in the `rawxml`
 *   format, are not XML-escaped: `condition="@(context.Request.Method == "POST")"` or
 *   `@{ if (a < b) ... }` are normal. They are masked before parsing (their content never matters to
 *   the rules), and entities stay as written, so a document APIM accepts parses here too.
 * - the tests' (`parseXml(xml, { expressions: "keep", entities: "decode" })`): the renderer writes the
 *   `xml` format, so expressions are escaped XML and a test reads them, decoded, as APIM evaluates them.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text directly inside the element, trimmed. */
  readonly text: string;
}

export type XmlParseResult =
  { readonly ok: true; readonly root: XmlElement } | { readonly ok: false; readonly error: string };

/** Replaces the body of every policy expression with nothing: `@(a < b)` becomes `@()`. */
export function maskExpressions(xml: string): string {
  let out = "";
  let index = 0;
  while (index < xml.length) {
    const char = xml[index];
    const next = xml[index + 1];
    if (char === "@" && (next === "(" || next === "{")) {
      const end = matchingBracket(xml, index + 1);
      if (end < 0) return out + xml.slice(index); // unbalanced: leave it to the XML parser to complain
      out += next === "(" ? "@()" : "@{}";
      index = end + 1;
      continue;
    }
    out += char;
    index++;
  }
  return out;
}

/** Index of the bracket closing the one at `start`, skipping C# string and char literals; -1 if none. */
function matchingBracket(text: string, start: number): number {
  const open = text[start];
  const close = open === "(" ? ")" : "}";
  let depth = 0;
  let quote: string | undefined;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === "\\") index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === open) depth++;
    else if (char === close) {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}

type OrderedNode = Record<string, unknown>;

export interface XmlParseOptions {
  /** `mask`: replace policy expression bodies before parsing (rawxml documents); `keep`: parse as is. */
  readonly expressions: "mask" | "keep";
  /** `raw`: attribute values and text as written; `decode`: XML entities decoded. */
  readonly entities: "raw" | "decode";
}

/** The pack's reading: a document API Management accepts in either format parses. */
export const POLICY_READING: XmlParseOptions = { expressions: "mask", entities: "raw" };

const parserOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
} as const;
const rawParser = new XMLParser({ ...parserOptions, processEntities: false });
const decodingParser = new XMLParser({ ...parserOptions, processEntities: true, htmlEntities: false });

/**
 * Parsed documents by reading and text. Several rules read the same policy document of a resource, and
 * the pack reads each document once per rule: the parse (validation included) was the largest part of
 * the pack's analysis (docs/benchmarks.md). A result is immutable (readonly all the way down), so
 * sharing it cannot change what a rule sees. Bounded, oldest first out.
 */
const parsed = new Map<string, XmlParseResult>();
const PARSED_LIMIT = 512;

/** Parses a document; the root is the single top-level element (normally `<policies>`). */
export function parseXml(xml: string, options: XmlParseOptions = POLICY_READING): XmlParseResult {
  const key = `${options.expressions}\u0000${options.entities}\u0000${xml}`;
  const known = parsed.get(key);
  if (known) return known;
  const result = parseUncached(xml, options);
  if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(key, result);
  return result;
}

function parseUncached(xml: string, options: XmlParseOptions): XmlParseResult {
  const source = options.expressions === "mask" ? maskExpressions(xml) : xml;
  const valid = XMLValidator.validate(source);
  if (valid !== true) return { ok: false, error: `${valid.err.msg} (line ${valid.err.line})` };
  const parser = options.entities === "decode" ? decodingParser : rawParser;
  const nodes = (parser.parse(source) as OrderedNode[])
    .map(toElement)
    .filter((node): node is XmlElement => !!node);
  if (nodes.length !== 1) return { ok: false, error: `expected one root element, found ${nodes.length}` };
  const root = nodes[0];
  return root ? { ok: true, root } : { ok: false, error: "empty document" };
}

/** Parses a policy document the way the pack reads it (expressions masked, entities raw). */
export function parsePolicyXml(xml: string): XmlParseResult {
  return parseXml(xml, POLICY_READING);
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find(
    (key) => key !== ":@" && key !== "#text" && key !== "#comment" && !key.startsWith("?"),
  );
  if (!name) return undefined;
  const content = (node[name] as OrderedNode[] | undefined) ?? [];
  const attributes = (node[":@"] as Record<string, string> | undefined) ?? {};
  const children = content.map(toElement).filter((child): child is XmlElement => !!child);
  const text = content
    .map((item) => item["#text"])
    .filter((value): value is string => typeof value === "string")
    .join("")
    .trim();
  return { name, attributes, children, text };
}

/** Direct children with the given element name (names compared case-insensitively). */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  const wanted = name.toLowerCase();
  return element.children.filter((child) => child.name.toLowerCase() === wanted);
}

export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return childrenNamed(element, name)[0];
}

/** Every element below `element` (not itself) with one of the given names, depth first. */
export function descendantsNamed(element: XmlElement, ...names: readonly string[]): XmlElement[] {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  const found: XmlElement[] = [];
  const visit = (node: XmlElement): void => {
    for (const child of node.children) {
      if (wanted.has(child.name.toLowerCase())) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}

/** The four sections of a policy document, in the order APIM runs them. */
export const POLICY_SECTIONS = ["inbound", "backend", "outbound", "on-error"] as const;

/** Attribute value by name, case-insensitively. */
export function attribute(element: XmlElement, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(element.attributes).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : element.attributes[key];
}
