/**
 * The command-line contract every CLI of the project shares (`preview:offline`, `preview:bootstrap`,
 * `policy:check`, `check:expressions`, `conformance`, `docs:controls`, `bench`): flags are parsed
 * strictly (an unknown flag or a positional is a usage error, never silently ignored), a usage error
 * is one `UsageError` class; a crash is reported and turned into an exit code in one place, `runMain` in
 * `tools/internal-error/guard.ts`.
 *
 * It lives in `tools/` and depends on nothing but Node, so `policies/check/` (the pack's offline
 * runner) can import it; the pack itself (`policies/index.ts`, `policies/src/`) never does.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Something the operator must fix on the command line or in a file it names (exit code 2 by convention). */
export class UsageError extends Error {}

type Flags = NonNullable<ParseArgsConfig["options"]>;
type StrictConfig<T extends Flags> = { args: string[]; options: T; strict: true; allowPositionals: false };

/** The parsed values of `flags`, typed from their declarations. */
export type FlagValues<T extends Flags> = ReturnType<typeof parseArgs<StrictConfig<T>>>["values"];

/** A stack name as Pulumi accepts it in a file name (`Pulumi.<stack>.yaml`). */
export const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
export const STACK_NAME_RULE = "letters, digits, '-', '_', '.'";

/** An error's message; duck-typed because errors from another realm (a VM context, jest) fail `instanceof`. */
function messageOf(error: unknown): string {
  return typeof error === "object" && error !== null && "message" in error
    ? String(error.message)
    : String(error);
}

/** Parses `argv` strictly; throws `UsageError` with Node's own message on an unknown or malformed flag. */
export function parseFlags<const T extends Flags>(argv: readonly string[], flags: T): FlagValues<T> {
  try {
    return parseArgs({ args: [...argv], options: flags, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

export type CommandLine<T extends Flags> =
  { readonly ok: true; readonly values: FlagValues<T> } | { readonly ok: false; readonly message: string };

/**
 * `parseFlags` for CLIs that answer a bad command line with the error and their usage line: the
 * failure carries `<node's message>\n<usage>`, ready for stderr.
 */
export function readCommandLine<const T extends Flags>(
  argv: readonly string[],
  flags: T,
  usage: string,
): CommandLine<T> {
  try {
    return { ok: true, values: parseFlags(argv, flags) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { ok: false, message: `${error.message}\n${usage}` };
  }
}
