/**
 * Finds every policy expression in an API Management policy document (format `xml`): attribute values
 * and element text whose value is `@(...)` (one C# expression) or `@{...}` (a statement block), read
 * after XML unescaping, exactly as API Management evaluates them. Pure: no compiler, no file access.
 *
 * A value is an expression when it starts with `@(` or `@{` (surrounding whitespace ignored); the
 * expression must then close (brackets balanced outside string/char literals, verbatim and
 * interpolated strings and comments) and be the whole value. Anything else is reported as a problem
 * with its position in the document.
 */
import { findClosing, ScanError } from "./scan";

export type PolicySection = "inbound" | "backend" | "outbound" | "on-error" | "fragment" | "other";

export const POLICY_SECTIONS: readonly PolicySection[] = ["inbound", "backend", "outbound", "on-error"];

/** Where an expression sits in its document. */
export interface ExpressionSite {
  readonly section: PolicySection;
  /** Elements below the document root, `inbound/choose[2]/when[1]`: positions count same-named siblings. */
  readonly elementPath: string;
  readonly element: string;
  /** The attribute holding the expression; absent for element text. */
  readonly attribute?: string;
}

export interface DocumentPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
}

export type ExpressionKind = "inline" | "block";

export interface PolicyExpression {
  /** 1-based position among the document's expression values, in document order. */
  readonly index: number;
  /** `inline` for `@(...)`, `block` for `@{...}`. */
  readonly kind: ExpressionKind;
  /** The expression as API Management sees it (XML-unescaped), delimiters included. */
  readonly text: string;
  /** The C# between the delimiters: `text.slice(2, -1)`. */
  readonly code: string;
  readonly site: ExpressionSite;
  /** Document offset of each character of `text` (entities make the mapping non-linear). */
  readonly sourceOffsets: readonly number[];
}

export interface ExtractionProblem {
  /** The index the broken expression would have had, when the problem is in an expression value. */
  readonly index?: number;
  readonly message: string;
  readonly site?: ExpressionSite;
  readonly position: DocumentPosition;
  /** Document offset of the problem. */
  readonly offset: number;
}

export interface ExtractionResult {
  readonly expressions: readonly PolicyExpression[];
  readonly problems: readonly ExtractionProblem[];
  /** Offsets where each line starts, for `positionAt`. */
  readonly lineStarts: readonly number[];
}

/** Offset of the `@` plus 2: the C# code starts after `@(` / `@{`. */
export const CODE_OFFSET = 2;

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
};

interface Frame {
  readonly name: string;
  /** Path below the root; empty for the root itself. */
  readonly path: string;
  readonly childCounts: Map<string, number>;
}

/** A decoded value with the document offset of each of its characters. */
interface DecodedText {
  text: string;
  offsets: number[];
}

export function lineStartsOf(document: string): number[] {
  const starts = [0];
  for (let i = 0; i < document.length; i += 1) if (document[i] === "\n") starts.push(i + 1);
  return starts;
}

export function positionAt(lineStarts: readonly number[], offset: number): DocumentPosition {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
}

/** The document position of a character of an expression's `text`. */
export function expressionPosition(
  result: Pick<ExtractionResult, "lineStarts">,
  expression: Pick<PolicyExpression, "sourceOffsets">,
  textOffset: number,
): DocumentPosition {
  const offsets = expression.sourceOffsets;
  const clamped = Math.max(0, Math.min(textOffset, offsets.length - 1));
  return positionAt(result.lineStarts, offsets[clamped] ?? 0);
}

export function extractExpressions(document: string): ExtractionResult {
  return new Extractor(document).run();
}

class Extractor {
  private readonly lineStarts: number[];
  private readonly expressions: PolicyExpression[] = [];
  private readonly problems: ExtractionProblem[] = [];
  private readonly stack: Frame[] = [];
  private pendingText: DecodedText = { text: "", offsets: [] };
  private nextIndex = 1;

  constructor(private readonly xml: string) {
    this.lineStarts = lineStartsOf(xml);
  }

  run(): ExtractionResult {
    try {
      this.walk();
    } catch (error) {
      if (!(error instanceof MarkupError)) throw error;
      this.problem(error.message, error.offset);
    }
    return { expressions: this.expressions, problems: this.problems, lineStarts: this.lineStarts };
  }

  private walk(): void {
    const xml = this.xml;
    let i = 0;
    while (i < xml.length) {
      if (xml.startsWith("<!--", i)) {
        this.flushText();
        i = this.skipPast("-->", i, "unterminated comment");
      } else if (xml.startsWith("<![CDATA[", i)) {
        const close = xml.indexOf("]]>", i + 9);
        if (close < 0) throw new MarkupError("unterminated CDATA section", i);
        for (let k = i + 9; k < close; k += 1) this.appendText(xml[k] as string, k);
        i = close + 3;
      } else if (xml.startsWith("<?", i)) {
        this.flushText();
        i = this.skipPast("?>", i, "unterminated processing instruction");
      } else if (xml.startsWith("<!", i)) {
        this.flushText();
        i = this.skipPast(">", i, "unterminated declaration");
      } else if (xml.startsWith("</", i)) {
        this.flushText();
        i = this.endTag(i);
      } else if (xml[i] === "<") {
        this.flushText();
        i = this.startTag(i);
      } else {
        i = this.textRun(i);
      }
    }
    this.flushText();
    const open = this.stack[this.stack.length - 1];
    if (open !== undefined) throw new MarkupError(`element <${open.name}> is never closed`, xml.length);
  }

  private skipPast(terminator: string, from: number, message: string): number {
    const at = this.xml.indexOf(terminator, from);
    if (at < 0) throw new MarkupError(message, from);
    return at + terminator.length;
  }

  private readName(from: number): { name: string; end: number } {
    const match = /^[A-Za-z_:][A-Za-z0-9_.:-]*/.exec(this.xml.slice(from, from + 256));
    if (!match) throw new MarkupError("expected a name", from);
    return { name: match[0], end: from + match[0].length };
  }

  private skipSpace(from: number): number {
    let i = from;
    while (i < this.xml.length && /\s/.test(this.xml[i] as string)) i += 1;
    return i;
  }

  private startTag(open: number): number {
    const { name, end } = this.readName(open + 1);
    const frame = this.push(name);
    let i = end;
    for (;;) {
      i = this.skipSpace(i);
      const ch = this.xml[i];
      if (ch === undefined) throw new MarkupError(`unterminated start tag <${name}>`, open);
      if (ch === ">") return i + 1;
      if (ch === "/" && this.xml[i + 1] === ">") {
        this.stack.pop();
        return i + 2;
      }
      const attribute = this.readName(i);
      i = this.skipSpace(attribute.end);
      if (this.xml[i] !== "=") throw new MarkupError(`attribute ${attribute.name} has no value`, i);
      i = this.skipSpace(i + 1);
      const quote = this.xml[i];
      if (quote !== '"' && quote !== "'")
        throw new MarkupError(`attribute ${attribute.name} is not quoted`, i);
      const close = this.xml.indexOf(quote, i + 1);
      if (close < 0) throw new MarkupError(`unterminated value of attribute ${attribute.name}`, i);
      const value = this.decode(i + 1, close, true);
      this.expressionValue(value, this.site(frame, attribute.name));
      i = close + 1;
    }
  }

  private endTag(open: number): number {
    const { name, end } = this.readName(open + 2);
    const close = this.skipSpace(end);
    if (this.xml[close] !== ">") throw new MarkupError(`malformed end tag </${name}>`, open);
    const frame = this.stack.pop();
    if (frame === undefined) throw new MarkupError(`end tag </${name}> without a start tag`, open);
    if (frame.name !== name) throw new MarkupError(`end tag </${name}> closes <${frame.name}>`, open);
    return close + 1;
  }

  private push(name: string): Frame {
    const parent = this.stack[this.stack.length - 1];
    let path = "";
    if (parent !== undefined) {
      const count = (parent.childCounts.get(name) ?? 0) + 1;
      parent.childCounts.set(name, count);
      // The sections of <policies> are unique; positions only help below them.
      const section = parent.path === "" && parent.name === "policies";
      const step = section ? name : `${name}[${count}]`;
      path = parent.path === "" ? step : `${parent.path}/${step}`;
    }
    const frame: Frame = { name, path, childCounts: new Map() };
    this.stack.push(frame);
    return frame;
  }

  private site(frame: Frame, attribute?: string): ExpressionSite {
    const root = this.stack[0]?.name;
    const first = frame.path.split("/")[0] ?? "";
    let section: PolicySection = "other";
    if (root === "fragment") section = "fragment";
    else if ((POLICY_SECTIONS as readonly string[]).includes(first)) section = first as PolicySection;
    return {
      section,
      elementPath: frame.path === "" ? frame.name : frame.path,
      element: frame.name,
      ...(attribute === undefined ? {} : { attribute }),
    };
  }

  private textRun(from: number): number {
    let end = this.xml.indexOf("<", from);
    if (end < 0) end = this.xml.length;
    const decoded = this.decode(from, end, false);
    for (let k = 0; k < decoded.text.length; k += 1) {
      this.appendText(decoded.text[k] as string, decoded.offsets[k] ?? from);
    }
    return end;
  }

  private appendText(ch: string, offset: number): void {
    this.pendingText.text += ch;
    this.pendingText.offsets.push(offset);
  }

  /** Element text ends at the next tag or comment; each such run is one candidate value. */
  private flushText(): void {
    const value = this.pendingText;
    this.pendingText = { text: "", offsets: [] };
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined || value.text.trim() === "") return;
    this.expressionValue(value, this.site(frame));
  }

  /**
   * XML-unescapes `xml[from, to)`. Attribute values are normalised as an XML parser does (a literal
   * tab or line break becomes a space); in text, CRLF and CR become LF.
   */
  private decode(from: number, to: number, attribute: boolean): DecodedText {
    const out: DecodedText = { text: "", offsets: [] };
    let i = from;
    while (i < to) {
      const ch = this.xml[i] as string;
      if (ch === "&") {
        const semicolon = this.xml.indexOf(";", i);
        if (semicolon < 0 || semicolon >= to) throw new MarkupError("unterminated entity reference", i);
        const name = this.xml.slice(i + 1, semicolon);
        out.text += this.entity(name, i);
        out.offsets.push(i);
        i = semicolon + 1;
        continue;
      }
      if (ch === "\r") {
        out.text += attribute ? " " : "\n";
        out.offsets.push(i);
        i += this.xml[i + 1] === "\n" ? 2 : 1;
        continue;
      }
      out.text += attribute && (ch === "\n" || ch === "\t") ? " " : ch;
      out.offsets.push(i);
      i += 1;
    }
    return out;
  }

  private entity(name: string, at: number): string {
    const predefined = PREDEFINED_ENTITIES[name];
    if (predefined !== undefined) return predefined;
    const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(name);
    if (numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2] ?? "", 10);
      if (Number.isFinite(code) && code <= 0x10ffff) return String.fromCodePoint(code);
    }
    throw new MarkupError(`unknown entity &${name};`, at);
  }

  private expressionValue(value: DecodedText, site: ExpressionSite): void {
    const text = value.text;
    let start = 0;
    while (start < text.length && /\s/.test(text[start] as string)) start += 1;
    if (text[start] !== "@" || (text[start + 1] !== "(" && text[start + 1] !== "{")) return;
    const index = this.nextIndex;
    this.nextIndex += 1;
    let close: number;
    try {
      close = findClosing(text, start + 1);
    } catch (error) {
      if (!(error instanceof ScanError)) throw error;
      this.problem(error.message, value.offsets[error.offset] ?? value.offsets[start] ?? 0, site, index);
      return;
    }
    const rest = text.slice(close + 1);
    if (rest.trim() !== "") {
      const at = close + 1 + (rest.length - rest.trimStart().length);
      this.problem(
        "text after the expression: a policy expression must be the whole value",
        value.offsets[at] ?? 0,
        site,
        index,
      );
      return;
    }
    const expressionText = text.slice(start, close + 1);
    this.expressions.push({
      index,
      kind: text[start + 1] === "(" ? "inline" : "block",
      text: expressionText,
      code: expressionText.slice(CODE_OFFSET, -1),
      site,
      sourceOffsets: value.offsets.slice(start, close + 1),
    });
  }

  private problem(message: string, offset: number, site?: ExpressionSite, index?: number): void {
    this.problems.push({
      message,
      offset,
      position: positionAt(this.lineStarts, offset),
      ...(site === undefined ? {} : { site }),
      ...(index === undefined ? {} : { index }),
    });
  }
}

class MarkupError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`not well-formed XML: ${message}`);
  }
}
