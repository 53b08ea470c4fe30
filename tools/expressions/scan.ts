/**
 * A small C# lexer for policy expressions: enough to find where an expression ends (balanced
 * brackets that ignore brackets inside string/char literals, verbatim and interpolated strings and
 * comments) and to see the identifiers of the code outside literals. Pure; no compiler involved.
 */

export type TokenKind = "identifier" | "number" | "string" | "char" | "comment" | "punctuation" | "directive";

export interface Token {
  readonly kind: TokenKind;
  /** Offset of the first character in the scanned text. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
  /** The identifier without a leading `@` (C# verbatim identifiers), or the raw text of the token. */
  readonly text: string;
}

/** A lexical error (an unterminated literal or comment) at an offset of the scanned text. */
export class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const IDENTIFIER_START = /[\p{L}\p{Nl}_]/u;
const IDENTIFIER_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\p{Cf}]/u;

function isIdentifierStart(ch: string | undefined): boolean {
  return ch !== undefined && IDENTIFIER_START.test(ch);
}

function isIdentifierPart(ch: string | undefined): boolean {
  return ch !== undefined && IDENTIFIER_PART.test(ch);
}

function isLineBreak(ch: string | undefined): boolean {
  return ch === "\n" || ch === "\r" || ch === "\u0085" || ch === "\u2028" || ch === "\u2029";
}

/**
 * Reads one token at `start` (whitespace must already be skipped). Interpolated strings are read whole
 * as one `string` token; their holes are lexed into `holes` when given, so callers that look at the code
 * (not just at where it ends) see the identifiers inside `$"...{code}..."` too.
 */
export function readToken(text: string, start: number, holes?: Token[]): Token {
  const ch = text[start];
  const next = text[start + 1];
  if (ch === undefined) throw new ScanError("unexpected end of text", start);
  if (ch === "/" && next === "/") {
    let end = start + 2;
    while (end < text.length && !isLineBreak(text[end])) end += 1;
    return { kind: "comment", start, end, text: text.slice(start, end) };
  }
  if (ch === "/" && next === "*") {
    const close = text.indexOf("*/", start + 2);
    if (close < 0) throw new ScanError("unterminated /* comment", start);
    return { kind: "comment", start, end: close + 2, text: text.slice(start, close + 2) };
  }
  if (ch === '"') return stringToken(start, readRegularString(text, start + 1), text);
  if (ch === "'") {
    const end = readCharLiteral(text, start);
    return { kind: "char", start, end, text: text.slice(start, end) };
  }
  if (ch === "@" && next === '"') return stringToken(start, readVerbatimString(text, start + 2), text);
  if ((ch === "$" && next === '"') || (ch === "$" && next === "@" && text[start + 2] === '"')) {
    const verbatim = next === "@";
    return stringToken(
      start,
      readInterpolatedString(text, start + (verbatim ? 3 : 2), verbatim, holes),
      text,
    );
  }
  if (ch === "@" && next === "$" && text[start + 2] === '"') {
    return stringToken(start, readInterpolatedString(text, start + 3, true, holes), text);
  }
  if (ch === "@" && isIdentifierStart(next)) {
    const end = identifierEnd(text, start + 1);
    return { kind: "identifier", start, end, text: text.slice(start + 1, end) };
  }
  if (isIdentifierStart(ch)) {
    const end = identifierEnd(text, start);
    return { kind: "identifier", start, end, text: text.slice(start, end) };
  }
  if (/[0-9]/.test(ch) || (ch === "." && next !== undefined && /[0-9]/.test(next))) {
    const end = numberEnd(text, start);
    return { kind: "number", start, end, text: text.slice(start, end) };
  }
  if (ch === "#" && atLineStart(text, start)) {
    let end = start + 1;
    while (end < text.length && !isLineBreak(text[end])) end += 1;
    return { kind: "directive", start, end, text: text.slice(start, end) };
  }
  return { kind: "punctuation", start, end: start + 1, text: ch };
}

function stringToken(start: number, end: number, text: string): Token {
  return { kind: "string", start, end, text: text.slice(start, end) };
}

function identifierEnd(text: string, start: number): number {
  let end = start + 1;
  while (isIdentifierPart(text[end])) end += 1;
  return end;
}

function numberEnd(text: string, start: number): number {
  let end = start;
  for (;;) {
    const ch = text[end];
    if (ch === undefined) return end;
    if (/[0-9A-Za-z_]/.test(ch)) {
      // An exponent may carry a sign: 1e+5, 2.5E-3 (not in hex literals).
      const isExponent = (ch === "e" || ch === "E") && !/^0[xX]/.test(text.slice(start, end));
      end += 1;
      if (isExponent && (text[end] === "+" || text[end] === "-")) end += 1;
      continue;
    }
    if (ch === "." && /[0-9]/.test(text[end + 1] ?? "")) {
      end += 1;
      continue;
    }
    return end;
  }
}

function atLineStart(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i -= 1) {
    const ch = text[i];
    if (isLineBreak(ch)) return true;
    if (ch !== " " && ch !== "\t") return false;
  }
  return true;
}

/** `"..."`: returns the offset past the closing quote. */
function readRegularString(text: string, from: number): number {
  let i = from;
  for (;;) {
    const ch = text[i];
    if (ch === undefined || isLineBreak(ch)) throw new ScanError("unterminated string literal", from - 1);
    if (ch === "\\") i += 2;
    else if (ch === '"') return i + 1;
    else i += 1;
  }
}

/** `@"..."` (`""` is a quote): returns the offset past the closing quote. */
function readVerbatimString(text: string, from: number): number {
  let i = from;
  for (;;) {
    const ch = text[i];
    if (ch === undefined) throw new ScanError("unterminated verbatim string literal", from - 2);
    if (ch === '"') {
      if (text[i + 1] === '"') i += 2;
      else return i + 1;
    } else i += 1;
  }
}

function readCharLiteral(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const ch = text[i];
    if (ch === undefined || isLineBreak(ch)) throw new ScanError("unterminated character literal", start);
    if (ch === "\\") i += 2;
    else if (ch === "'") return i + 1;
    else i += 1;
  }
}

/** `$"..."` / `$@"..."`: `{{` and `}}` are braces, `{...}` is a hole of code. */
function readInterpolatedString(text: string, from: number, verbatim: boolean, holes?: Token[]): number {
  let i = from;
  const start = from - (verbatim ? 3 : 2);
  for (;;) {
    const ch = text[i];
    if (ch === undefined || (!verbatim && isLineBreak(ch))) {
      throw new ScanError("unterminated interpolated string", start);
    }
    if (!verbatim && ch === "\\") i += 2;
    else if (ch === '"') {
      if (verbatim && text[i + 1] === '"') i += 2;
      else return i + 1;
    } else if ((ch === "{" && text[i + 1] === "{") || (ch === "}" && text[i + 1] === "}")) i += 2;
    else if (ch === "{") i = readHole(text, i, holes);
    else i += 1;
  }
}

/** A hole `{expr[,align][:format]}`: code up to the `}` at depth 0, then returns the offset past it. */
function readHole(text: string, open: number, holes?: Token[]): number {
  let depth = 0;
  let i = open + 1;
  for (;;) {
    i = skipWhitespace(text, i);
    const ch = text[i];
    if (ch === undefined) throw new ScanError("unterminated interpolation hole", open);
    if (depth === 0 && ch === "}") return i + 1;
    if (depth === 0 && ch === ":") {
      // The format specifier is literal text up to the closing brace.
      const close = text.indexOf("}", i);
      if (close < 0) throw new ScanError("unterminated interpolation hole", open);
      return close + 1;
    }
    const token = readToken(text, i, holes);
    holes?.push(token);
    if (token.kind === "punctuation") {
      if ("([{".includes(token.text)) depth += 1;
      else if (")]}".includes(token.text)) depth -= 1;
    }
    i = token.end;
  }
}

export function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i += 1;
  return i;
}

/** Every token of `code`, with the tokens inside interpolation holes in place of nothing (after their string). */
export function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let i = skipWhitespace(code, 0);
  while (i < code.length) {
    const holes: Token[] = [];
    const token = readToken(code, i, holes);
    tokens.push(token, ...holes);
    i = skipWhitespace(code, token.end);
  }
  return tokens;
}

const CLOSER: Readonly<Record<string, string>> = { "(": ")", "{": "}", "[": "]" };

/**
 * Given `text[open]` is `(` or `{`, returns the offset of its matching closer. Brackets inside
 * literals and comments do not count; `(`, `{` and `[` must nest properly.
 */
export function findClosing(text: string, open: number): number {
  const first = text[open];
  if (first === undefined || CLOSER[first] === undefined) throw new Error(`no bracket at offset ${open}`);
  const stack: { closer: string; at: number }[] = [{ closer: CLOSER[first], at: open }];
  let i = open + 1;
  for (;;) {
    i = skipWhitespace(text, i);
    const top = stack[stack.length - 1];
    if (top === undefined) throw new Error("unreachable: empty bracket stack");
    if (i >= text.length) {
      throw new ScanError(`unbalanced '${text[top.at]}': no matching '${top.closer}'`, top.at);
    }
    const token = readToken(text, i);
    i = token.end;
    if (token.kind !== "punctuation") continue;
    const closer = CLOSER[token.text];
    if (closer !== undefined) {
      stack.push({ closer, at: token.start });
    } else if (token.text === ")" || token.text === "}" || token.text === "]") {
      if (token.text !== top.closer) {
        throw new ScanError(
          `unbalanced brackets: '${token.text}' closes '${text[top.at]}' (which needs '${top.closer}')`,
          token.start,
        );
      }
      stack.pop();
      if (stack.length === 0) return token.start;
    }
  }
}
