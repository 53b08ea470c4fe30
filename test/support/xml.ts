import { parseXml as parseDocument, type XmlElement } from "../../policies/src/lib/xml";

/** A parsed XML element (the project's one XML model); attribute values and text entity-decoded. */
export type XmlNode = XmlElement;

/**
 * Parses a document a test reads (a rendered policy document, a JUnit report) into its root element,
 * failing the test when it is not well-formed. The renderer writes the `xml` format, so expressions are
 * kept and read decoded, as API Management evaluates them.
 */
export function parseXml(xml: string): XmlNode {
  const parsed = parseDocument(xml, { expressions: "keep", entities: "decode" });
  if (!parsed.ok) throw new Error(`not well-formed XML: ${parsed.error}`);
  return parsed.root;
}

export function child(node: XmlNode, name: string): XmlNode {
  const found = node.children.find((c) => c.name === name);
  if (found === undefined) throw new Error(`<${node.name}> has no <${name}>`);
  return found;
}

export function childNames(node: XmlNode): string[] {
  return node.children.map((c) => c.name);
}

/** Every element below `node` (depth first, document order). */
export function descendants(node: XmlNode): XmlNode[] {
  return node.children.flatMap((c) => [c, ...descendants(c)]);
}

export function findAll(node: XmlNode, name: string): XmlNode[] {
  return descendants(node).filter((n) => n.name === name);
}

/** Index in document order of the first element matching `predicate` below `node` (-1 when none). */
export function orderOf(node: XmlNode, predicate: (n: XmlNode) => boolean): number {
  return descendants(node).findIndex(predicate);
}
