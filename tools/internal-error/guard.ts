/**
 * Imported first by every shipped CLI (`import "../internal-error/guard"` before any other import):
 * when the process was started on one of those CLIs, an uncaught exception or unhandled rejection
 * anywhere, even while later imports load, ends the process with exit 3 and the one line of
 * `internalErrorLine`, instead of Node's default output (the transpiled source line, i.e. a whole
 * bundled module, and a stack trace). Installed on import on purpose: handlers installed inside `main`
 * would miss import-time failures. Tests that import a CLI module (jest is the main module then) are
 * left alone.
 */
import * as path from "node:path";
import { UsageError } from "../cli/args";
import { INTERNAL_ERROR_EXIT, internalErrorLine, REPO_ROOT } from "./report";

/** The shipped CLIs' entry files (repository-relative): each imports this module first. */
export const CLI_ENTRIES = [
  "tools/offline/cli.ts",
  "tools/offline/bootstrap-cli.ts",
  "policies/check/cli.ts",
  "tools/expressions/cli.ts",
  "tools/conformance/cli.ts",
  "tools/conformance/official-cli.ts",
  "tools/controls/cli.ts",
  "tools/bench/bench.ts",
  "policies/docs/generate.ts",
] as const;

const mainFile = require.main?.filename;
const entry = mainFile ? path.relative(REPO_ROOT, mainFile).split(path.sep).join("/") : "";
let tool = entry;
let reported = false;

/** Prints the internal-error line once (later failures are echoes of the same bug) and exits 3. */
export function reportInternalError(error: unknown): never {
  if (!reported) {
    reported = true;
    process.stderr.write(`${internalErrorLine(tool, error, process.sourceMapsEnabled)}\n`);
  }
  process.exit(INTERNAL_ERROR_EXIT);
}

/** Exit code of every CLI for bad usage or input. */
export const USAGE_EXIT = 2;

export function isParseArgsError(error: unknown): error is Error & { code: string } {
  const code: unknown = error instanceof Error ? Reflect.get(error, "code") : undefined;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

let installed = false;

/** Installs the process-wide handlers (once). */
export function installInternalErrorHandlers(): void {
  if (installed) return;
  installed = true;
  process.on("uncaughtException", (error) => reportInternalError(error));
  process.on("unhandledRejection", (reason) => reportInternalError(reason));
}

if ((CLI_ENTRIES as readonly string[]).includes(entry)) installInternalErrorHandlers();

/**
 * Runs a CLI's `main` and exits with its code. Exiting explicitly (stdout and stderr are synchronous
 * for files and pipes on Linux) also keeps a late rejection of a failed run from printing a second error.
 */
export function runMain(name: string, main: () => Promise<number> | number): void {
  tool = name;
  installInternalErrorHandlers();
  Promise.resolve()
    .then(main)
    .then(
      (code) => process.exit(code),
      (error: unknown) => {
        // A command line the argument helper or `node:util` parseArgs refused is the user's to fix, not a
        // bug: usage, exit 2.
        if (error instanceof UsageError || isParseArgsError(error)) {
          process.stderr.write(`${tool}: ${error.message}\n`);
          process.exit(USAGE_EXIT);
        }
        reportInternalError(error);
      },
    );
}
