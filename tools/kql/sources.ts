import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Maps a deployed query back to the `.kql` file and line it was rendered from. The renderer
 * (`infra/conventions/kql.ts`) only ever replaces `{{name}}` with a one-line literal and a whole
 * `{{> partial}}` line with the partial's lines, so every deployed line comes from exactly one source line:
 * each source file is expanded into one matcher per line (partials inlined, placeholders as wildcards) and
 * the deployed text is matched line by line.
 */

const ROOT = path.resolve(__dirname, "..", "..");

/** Where the deployed queries come from, relative to the repository root. */
export const QUERY_SOURCE_DIRS = [
  "infra/monitoring/queries",
  "infra/monitoring/workbook",
  "infra/sentinel/queries",
] as const;
export const PARTIAL_DIR = "infra/conventions/kql-partials";

export interface SourceLine {
  /** Path relative to the repository root (or absolute, for files outside it). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

interface LineMatcher extends SourceLine {
  readonly matches: (text: string) => boolean;
}

export interface SourceIndex {
  /** One entry per query file: its lines with partials expanded. */
  readonly templates: ReadonlyMap<string, readonly LineMatcher[]>;
}

/** `.kql` file names directly in `dir`, sorted. */
export function kqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".kql"))
    .sort();
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const WHOLE_LINE_PARTIAL = /^\s*\{\{\s*>\s*([a-z0-9][a-z0-9-]*)\s*\}\}\s*$/;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function lineMatcher(file: string, line: number, text: string): LineMatcher {
  if (!text.includes("{{")) return { file, line, matches: (candidate) => candidate === text };
  // A placeholder renders as one literal on the same line: any text without a line break.
  const pattern = new RegExp(
    `^${text
      .split(PLACEHOLDER)
      .map((part, i) => (i % 2 === 0 ? escapeRegExp(part) : ".*?"))
      .join("")}$`,
  );
  return { file, line, matches: (candidate) => pattern.test(candidate) };
}

function expand(
  file: string,
  text: string,
  partialFile: (name: string) => string,
  depth: number,
): LineMatcher[] {
  if (depth > 4) throw new Error(`${file}: KQL partials nest deeper than 4 levels`);
  return text.split("\n").flatMap((line, index) => {
    const partial = WHOLE_LINE_PARTIAL.exec(line)?.[1];
    if (partial === undefined) return [lineMatcher(file, index + 1, line)];
    const source = partialFile(partial);
    // The renderer inlines the partial with trailing whitespace trimmed.
    return expand(source, readFileSync(path.resolve(ROOT, source), "utf8").trimEnd(), partialFile, depth + 1);
  });
}

/**
 * Indexes the query files of `dirs` (relative to the repository root, or absolute), with partials read
 * from `partialDir`. Tests point both at seeded copies.
 */
export function indexQuerySources(
  dirs: readonly string[] = QUERY_SOURCE_DIRS,
  partialDir: string = PARTIAL_DIR,
): SourceIndex {
  const relative = (file: string) => {
    const rel = path.relative(ROOT, file);
    return rel.startsWith("..") ? file : rel;
  };
  const partialFile = (name: string) => relative(path.resolve(ROOT, partialDir, `${name}.kql`));
  const templates = new Map<string, LineMatcher[]>();
  for (const dir of dirs) {
    for (const name of kqlFiles(path.resolve(ROOT, dir))) {
      const file = relative(path.resolve(ROOT, dir, name));
      templates.set(file, expand(file, readFileSync(path.resolve(ROOT, file), "utf8"), partialFile, 0));
    }
  }
  return { templates };
}

/** The source line of every line of `deployed`, or undefined when no query file renders to it. */
export function locateQuery(index: SourceIndex, deployed: string): readonly SourceLine[] | undefined {
  const lines = deployed.split("\n");
  for (const matchers of index.templates.values()) {
    // The renderer keeps the file's final newline; tolerate its absence (a component may trim).
    const candidates =
      matchers.length === lines.length + 1 && matchers[matchers.length - 1]?.matches("")
        ? matchers.slice(0, -1)
        : matchers;
    if (candidates.length !== lines.length) continue;
    if (candidates.every((matcher, i) => matcher.matches(lines[i] ?? ""))) {
      return candidates.map(({ file, line }) => ({ file, line }));
    }
  }
  return undefined;
}
