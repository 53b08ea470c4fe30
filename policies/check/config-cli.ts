/**
 * `npm run policy:config -- --stack <name> [--config-file <file>] [--out <file>]`
 *
 * Writes the effective pack config of a stack for the Pulumi CLI's `--policy-pack-config`: the
 * environment's `policies/config/<env>.json` with the options that come from the stack config filled
 * in (pack-config.ts, `withStackFacts`), so a fork sets its GitHub owner once, in its stack files.
 * The offline `npm run policy:check -- --stack` applies the same derivation in memory.
 *
 * Exit codes: 0 written, 2 bad input (usage, invalid stack or pack config).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { readCommandLine, STACK_NAME, STACK_NAME_RULE } from "../../tools/cli/args";
import { ConfigValidationError, parseStackConfig } from "../../infra/config";
import { loadEngineConfig, stackFilePath, UsageError } from "../../tools/offline/stack-files";
import {
  loadPackConfig,
  PackConfigError,
  stackFactsOf,
  toPackConfigDocument,
  withStackFacts,
} from "./pack-config";

const USAGE = "usage: npm run policy:config -- --stack <name> [--config-file <file>] [--out <file>]";

export interface Output {
  log(message: string): void;
  error(message: string): void;
}

/** Builds the effective pack config document of a stack (throws on invalid input). */
export function effectivePackConfig(stack: string, configFile?: string): Record<string, unknown> {
  const engine = loadEngineConfig(configFile ? path.resolve(configFile) : stackFilePath(stack));
  const parsed = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
  if (!parsed.ok) throw new ConfigValidationError(parsed.problems);
  const base = loadPackConfig(parsed.config.environment);
  return toPackConfigDocument(withStackFacts(base, stackFactsOf(parsed.config)));
}

export function runConfigCli(argv: readonly string[], out: Output = console): number {
  const commandLine = readCommandLine(
    argv,
    {
      stack: { type: "string" },
      "config-file": { type: "string" },
      out: { type: "string" },
    },
    USAGE,
  );
  if (!commandLine.ok) {
    out.error(commandLine.message);
    return 2;
  }
  const options = commandLine.values;
  if (options.stack === undefined || !STACK_NAME.test(options.stack)) {
    out.error(`--stack <name> is required (${STACK_NAME_RULE})\n${USAGE}`);
    return 2;
  }
  let document: Record<string, unknown>;
  try {
    document = effectivePackConfig(options.stack, options["config-file"]);
  } catch (error) {
    if (
      error instanceof ConfigValidationError ||
      error instanceof PackConfigError ||
      error instanceof UsageError
    ) {
      out.error(error.message);
      return 2;
    }
    throw error;
  }
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (options.out) {
    writeFileSync(path.resolve(options.out), text);
    out.log(`pack config of stack '${options.stack}' written to ${options.out}`);
  } else {
    out.log(text.trimEnd());
  }
  return 0;
}

if (require.main === module) process.exitCode = runConfigCli(process.argv.slice(2));
