/**
 * Points a policy expression back to the line of the renderer that wrote it. A rendered policy does not
 * record where each expression came from, so this is a search (a heuristic, documented in
 * docs/gateway.md): the expressions are written either literally in a template (`*.xml` beside the
 * renderer, e.g. `@(context.RequestId.ToString())`) or as string literals in its TypeScript
 * (`expressions.ts` builds most of them from fragments such as `'var version = rpc["jsonrpc"];'`).
 *
 * Every line of those files is cut into literal pieces: for a template, the text between `${...}`
 * placeholders, quotes and angle brackets (XML-unescaped); for TypeScript, the contents of its string
 * literals (template literals split at `${...}`), comment lines excluded. The line whose piece covers the
 * reported offset of the expression with the longest match wins; without a covering piece (the failing
 * part was interpolated, or changed after rendering), the line with a piece nearest to the offset, then
 * the line sharing the most text. Ties are all reported (at most three). A line that shares fewer than
 * 12 characters with the expression (or less than the whole of a shorter one) is no evidence: when no
 * line qualifies, nothing is reported rather than a guess.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

export interface SourceLine {
  /** Path relative to the repository root, with `/`. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly pieces: readonly string[];
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

export type SourceIndex = readonly SourceLine[];

/** Shorter pieces (`", "`, `);`) match everywhere and say nothing about the source. */
const MIN_PIECE_LENGTH = 4;
const MAX_LOCATIONS = 3;
/** Characters of literal text a line must share with the expression to count as its source. */
const MIN_EVIDENCE = 12;

export function indexSources(dir: string, root: string): SourceIndex {
  const lines: SourceLine[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    const relative = path.relative(root, file).split(path.sep).join("/");
    const text = readFileSync(file, "utf8");
    if (name.endsWith(".xml")) lines.push(...templateLines(relative, text));
    else if (name.endsWith(".ts")) lines.push(...typescriptLines(relative, text));
  }
  return lines;
}

function templateLines(file: string, text: string): SourceLine[] {
  const result: SourceLine[] = [];
  let inComment = false;
  text.split("\n").forEach((raw, i) => {
    let line = raw;
    if (inComment || line.includes("<!--")) {
      const start = inComment ? 0 : line.indexOf("<!--");
      const end = line.indexOf("-->", start);
      inComment = end < 0;
      line = line.slice(0, start) + (end < 0 ? "" : line.slice(end + 3));
    }
    const pieces = line
      .split(/\$\{[A-Za-z][A-Za-z0-9]*\}|["<>]/)
      .map((piece) => xmlUnescape(piece).trim())
      .filter((piece) => piece.length >= MIN_PIECE_LENGTH);
    if (pieces.length > 0) result.push({ file, line: i + 1, pieces });
  });
  return result;
}

function typescriptLines(file: string, text: string): SourceLine[] {
  const result: SourceLine[] = [];
  text.split("\n").forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed.startsWith("//") || trimmed.startsWith("*") || trimmed.startsWith("/*")) return;
    const pieces = stringLiterals(line).filter((piece) => piece.trim().length >= MIN_PIECE_LENGTH);
    if (pieces.length > 0) result.push({ file, line: i + 1, pieces });
  });
  return result;
}

/** The decoded contents of the string literals of one line of TypeScript (template literals split at holes). */
export function stringLiterals(line: string): string[] {
  const pieces: string[] = [];
  let i = 0;
  while (i < line.length) {
    const quote = line[i];
    if (quote === "/" && line[i + 1] === "/") break;
    if (quote !== '"' && quote !== "'" && quote !== "`") {
      i += 1;
      continue;
    }
    let piece = "";
    i += 1;
    while (i < line.length && line[i] !== quote) {
      const ch = line[i] as string;
      if (ch === "\\") {
        const [decoded, length] = jsEscape(line, i);
        piece += decoded;
        i += length;
      } else if (quote === "`" && ch === "$" && line[i + 1] === "{") {
        pieces.push(piece);
        piece = "";
        i = skipHole(line, i + 2);
      } else {
        piece += ch;
        i += 1;
      }
    }
    pieces.push(piece);
    i += 1;
  }
  return pieces;
}

function skipHole(line: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < line.length && depth > 0) {
    if (line[i] === "{") depth += 1;
    else if (line[i] === "}") depth -= 1;
    i += 1;
  }
  return i;
}

function jsEscape(line: string, at: number): [string, number] {
  const next = line[at + 1] ?? "";
  const simple: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "0": "\0" };
  if (simple[next] !== undefined) return [simple[next], 2];
  if (next === "u") {
    const braced = /^\{([0-9A-Fa-f]+)\}/.exec(line.slice(at + 2));
    if (braced) return [String.fromCodePoint(parseInt(braced[1] ?? "0", 16)), 2 + (braced[0]?.length ?? 0)];
    return [String.fromCharCode(parseInt(line.slice(at + 2, at + 6), 16)), 6];
  }
  return [next, 2];
}

function xmlUnescape(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9A-Fa-f]+|#[0-9]+);/g, (_match, entity: string) => {
    const named: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
    if (named[entity] !== undefined) return named[entity];
    return String.fromCodePoint(
      entity.startsWith("#x") ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10),
    );
  });
}

/**
 * The source lines that most likely wrote the part of `expressionText` at `offset` (see the module
 * comment). Empty when no line matches.
 */
export function locateSource(index: SourceIndex, expressionText: string, offset: number): SourceLocation[] {
  // The `@(`/`@{` delimiters come from a helper, not from the line that wrote the code.
  const target = Math.max(offset, Math.min(2, expressionText.length - 1));
  let best: Score | undefined;
  let winners: SourceLine[] = [];
  for (const line of index) {
    const score = scoreLine(line, expressionText, target);
    if (score === undefined) continue;
    const order = best === undefined ? -1 : compareScores(score, best);
    if (order < 0) {
      best = score;
      winners = [line];
    } else if (order === 0) winners.push(line);
  }
  if (best === undefined) return [];
  return winners.slice(0, MAX_LOCATIONS).map(({ file, line }) => ({ file, line }));
}

interface Score {
  /** Length of the longest piece whose occurrence covers the offset (0: none does). */
  readonly cover: number;
  /** Without a covering piece: distance from the offset to the nearest occurrence. */
  readonly distance: number;
  /** Characters of all pieces found in the expression. */
  readonly total: number;
}

function scoreLine(line: SourceLine, text: string, target: number): Score | undefined {
  let cover = 0;
  let distance = Number.POSITIVE_INFINITY;
  let total = 0;
  for (const piece of line.pieces) {
    let at = text.indexOf(piece);
    if (at < 0) continue;
    total += piece.length;
    while (at >= 0) {
      const end = at + piece.length;
      if (at <= target && target < end) cover = Math.max(cover, piece.length);
      distance = Math.min(distance, target < at ? at - target : target - end + 1);
      at = text.indexOf(piece, at + 1);
    }
  }
  // A few common characters ("POST", "Length") are no evidence: a line must share a substantial text.
  if (total === 0 || total < Math.min(MIN_EVIDENCE, text.length)) return undefined;
  return { cover, distance: cover > 0 ? 0 : distance, total };
}

/** Negative when `a` is the better evidence. */
function compareScores(a: Score, b: Score): number {
  return b.cover - a.cover || a.distance - b.distance || b.total - a.total;
}
