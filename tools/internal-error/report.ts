/**
 * How a shipped CLI reports a bug in our own code: one line with the source position (the `.ts` file
 * and line we wrote, not tsx's whitespace-minified transpilation, whose "line 2" is a whole module)
 * and how to report it. Never a stack trace, never source text: Node's default uncaught-error output
 * prints the offending transpiled line, i.e. the bundled program source.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import * as path from "node:path";
import { transformSync } from "esbuild";

/** Exit code of every CLI for "our code failed" (README, Try it). */
export const INTERNAL_ERROR_EXIT = 3;

export const REPORT_HOWTO =
  "this is a bug in mcp-azure-gateway: please open an issue with this line and the command you ran (CONTRIBUTING.md, Reporting bugs)";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface SourcePosition {
  /** Repository-relative path with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `at fn (/abs/file.ts:12:5)`, `at /abs/file.ts:12:5`, `at fn (file:///abs/file.ts:12:5)`. */
const FRAME = /\(?(?:file:\/\/)?((?:\/|[A-Za-z]:[\\/])[^()]*?):(\d+):(\d+)\)?\s*$/;

/** The first stack frame in this repository's own code (not node_modules, not Node internals). */
export function firstOwnFrame(
  stack: string,
  root: string = REPO_ROOT,
): { file: string; line: number; column: number } | undefined {
  for (const text of stack.split("\n")) {
    if (!/^\s*at /.test(text)) continue;
    const match = FRAME.exec(text);
    if (!match) continue;
    const file = path.resolve(match[1]!);
    const relative = path.relative(root, file);
    if (relative.startsWith("..") || path.isAbsolute(relative)) continue;
    if (relative.split(path.sep).includes("node_modules")) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/**
 * Maps a position in the running JavaScript of a TypeScript file back to the file itself, only on the
 * error path, so the preview can keep source maps off (docs/benchmarks.md). Loaded through
 * tools/build/ts-hook.cjs (the npm scripts): the cached source map of the very code that ran. Loaded
 * through tsx: tsx transforms with esbuild and these options (tsx 4 `register`), and repeating the
 * transform is deterministic and costs milliseconds. Returns undefined when the file cannot be read or
 * transformed.
 */
export function originalPosition(file: string, line: number, column: number): SourcePosition | undefined {
  if (!existsSync(file)) return undefined;
  const hookMap = loadedThroughHook(file);
  if (hookMap) return positionIn(hookMap, file, line, column);
  try {
    const result = transformSync(readFileSync(file, "utf8"), {
      target: `node${process.versions.node}`,
      loader: file.endsWith(".tsx") ? "tsx" : file.endsWith(".ts") || file.endsWith(".mts") ? "ts" : "js",
      sourcemap: true,
      minifyWhitespace: true,
      keepNames: true,
      format: "cjs",
      platform: "node",
      sourcefile: file,
      banner: `__filename=${JSON.stringify(file)};(()=>{`,
      footer: "})()",
    });
    return positionIn(JSON.parse(result.map) as SourceMapPayload, file, line, column);
  } catch {
    return undefined;
  }
}

type SourceMapPayload = ConstructorParameters<typeof SourceMap>[0];

/** A 1-based position in generated code, mapped back through its source map. */
function positionIn(
  map: SourceMapPayload,
  file: string,
  line: number,
  column: number,
): SourcePosition | undefined {
  try {
    const entry = new SourceMap(map).findEntry(line - 1, column - 1);
    if (!("originalLine" in entry) || typeof entry.originalLine !== "number") return undefined;
    return { file: relativeToRepo(file), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  } catch {
    return undefined;
  }
}

/**
 * The map of the code this process ran for `file` when tools/build/ts-hook.cjs loaded it (how the npm
 * scripts run): the hook publishes its lookup on a global symbol, so nothing here loads the hook.
 */
function loadedThroughHook(file: string): SourceMapPayload | undefined {
  const hook = (globalThis as Record<symbol, unknown>)[Symbol.for("mcp-azure-gateway.ts-hook")] as
    { sourceMapFor(file: string): SourceMapPayload | undefined } | undefined;
  return hook?.sourceMapFor(file);
}

/**
 * The source position of the error's first frame in our code. `stackIsMapped`: the stack was formatted
 * with source maps on (tsx's default), so its positions already are source positions.
 */
export function sourcePosition(
  stack: string,
  stackIsMapped: boolean,
  root: string = REPO_ROOT,
): SourcePosition | undefined {
  const frame = firstOwnFrame(stack, root);
  if (!frame) return undefined;
  if (stackIsMapped || !/\.[cm]?tsx?$/.test(frame.file)) {
    return { file: relativeToRepo(frame.file, root), line: frame.line, column: frame.column };
  }
  return originalPosition(frame.file, frame.line, frame.column);
}

/** `at <file>:<line>: <Name>: <first line of the message>`, for one failure of our code. */
export function describeFailure(error: unknown, stackIsMapped: boolean): string {
  const name = error instanceof Error ? error.name : "thrown value";
  const message = firstLine(error instanceof Error ? error.message : safeString(error));
  const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : "";
  const position = sourcePosition(stack, stackIsMapped);
  const where = position ? `${position.file}:${position.line}` : "an unknown position (no frame in our code)";
  return `at ${where}: ${name}: ${message}`;
}

/** The one line a CLI prints for an internal error. */
export function internalErrorLine(tool: string, error: unknown, stackIsMapped: boolean): string {
  return `${tool}: internal error (exit ${INTERNAL_ERROR_EXIT}) ${describeFailure(error, stackIsMapped)}; ${REPORT_HOWTO}`;
}

/** The one line for a program that failed while declaring resources (what it threw first, and how many more). */
export function programFailureLine(
  label: string,
  failures: readonly unknown[],
  stackIsMapped: boolean,
): string {
  const more =
    failures.length > 1 ? ` (and ${failures.length - 1} more failure${failures.length > 2 ? "s" : ""})` : "";
  return `${label} failed while declaring resources ${describeFailure(failures[0], stackIsMapped)}${more}; ${REPORT_HOWTO}`;
}

function relativeToRepo(file: string, root: string = REPO_ROOT): string {
  return path.relative(root, file).split(path.sep).join("/");
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "(no message)";
  const trimmed = line.trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 197)}...` : trimmed;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "(a value that cannot be printed)";
  }
}
