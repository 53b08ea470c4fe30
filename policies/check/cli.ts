/**
 * `npm run policy:check -- (--stack <name> [--config-file <file>] | --plan <file> [--environment <env>]) [--sarif <file>]`
 *
 * Evaluates the CrossGuard pack with the CLI's semantics over the offline preview of a stack (the real
 * program under Pulumi's mock runtime) or over any plan file in the `pulumi preview --json` shape, a
 * real preview's included. The environment's pack config (`policies/config/<env>.json`) sets levels
 * and rule options: `--stack` takes the environment from the stack config, `--plan` from
 * `--environment`, else from the stack its URNs name when a config exists for it (otherwise each
 * rule's own level and defaults apply).
 *
 * Exit codes: 0 no mandatory violation, 1 mandatory violation(s), 2 bad input (usage, unreadable or
 * malformed plan, invalid stack or pack config), 3 the program failed while declaring resources.
 */
// First import: installs the internal-error handlers before anything else can fail (tools/internal-error).
import { runMain } from "../../tools/internal-error/guard";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { readCommandLine, STACK_NAME, STACK_NAME_RULE, UsageError } from "../../tools/cli/args";
import { evaluatePlan, formatReport, loadPackConfig, type PackConfig, PackConfigError } from "./engine";
import { packConfigPath, stackFactsOf, type StackFacts, withStackFacts } from "./pack-config";
import { asPreviewPlan, type PreviewPlan } from "./plan";
import { toSarif } from "./sarif";

export const EXIT = { clean: 0, violations: 1, badInput: 2, programError: 3 } as const;

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const USAGE =
  "usage: npm run policy:check -- (--stack <name> [--config-file <file>] | --plan <plan.json> [--environment <env>]) [--sarif <file>] [--quiet]";

class BadInput extends Error {}

interface Input {
  readonly plan: PreviewPlan;
  readonly environment?: string;
  /** What SARIF results point at, relative to the repository root. */
  readonly artifact: string;
  readonly label: string;
  /** From the stack config: fills the pack options a fork sets in its stack files (pack-config.ts). */
  readonly stackFacts?: StackFacts;
}

/** The offline preview harness, loaded only for `--stack` (it pulls in the Pulumi runtime and the program). */
interface OfflineRun {
  buildOfflinePlan(options: {
    stack: string;
    configFile?: string;
  }): Promise<{ plan: PreviewPlan; environment: string; config: Parameters<typeof stackFactsOf>[0] }>;
  ProgramError: new (...args: never[]) => Error;
}

async function fromStack(stack: string, configFile: string | undefined): Promise<Input> {
  // Required lazily and typed by hand: `--plan` runs must not load the program or the mock runtime.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const offline = require("../../tools/offline/run") as OfflineRun;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ConfigValidationError } = require("../../infra/config") as {
    ConfigValidationError: new (...args: never[]) => Error;
  };
  try {
    const result = await offline.buildOfflinePlan({ stack, ...(configFile ? { configFile } : {}) });
    const artifact = configFile
      ? path.relative(REPO_ROOT, path.resolve(configFile))
      : path.join("stacks", `Pulumi.${stack}.yaml`);
    return {
      plan: result.plan,
      environment: result.environment,
      artifact: toUri(artifact),
      label: `offline preview of stack '${stack}'`,
      stackFacts: stackFactsOf(result.config),
    };
  } catch (error) {
    if (error instanceof ConfigValidationError || error instanceof UsageError)
      throw new BadInput((error as Error).message);
    throw error;
  }
}

function fromPlanFile(file: string, environment: string | undefined): Input {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new BadInput(`plan file not found: ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(resolved, "utf8"));
  } catch (error) {
    throw new BadInput(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  let plan: PreviewPlan;
  try {
    plan = asPreviewPlan(raw);
  } catch (error) {
    throw new BadInput(`${file}: ${(error as Error).message}`);
  }
  const relative = path.relative(REPO_ROOT, resolved);
  const artifact =
    relative.startsWith("..") || path.isAbsolute(relative) ? path.basename(resolved) : relative;
  const inferred = environment ?? stackOfPlan(plan);
  return {
    plan,
    ...(inferred ? { environment: inferred } : {}),
    artifact: toUri(artifact),
    label: `plan ${file}`,
  };
}

/** The stack a plan's URNs name (`urn:pulumi:<stack>::...`), when a pack config exists for it. */
function stackOfPlan(plan: PreviewPlan): string | undefined {
  const stack = /^urn:pulumi:([^:]+)::/.exec(plan.steps[0]?.urn ?? "")?.[1];
  return stack && existsSync(packConfigPath(stack)) ? stack : undefined;
}

/**
 * A `--plan` run: the facts come from `stacks/Pulumi.<environment>.yaml` when it exists (read and
 * validated, but neither the program nor the mock runtime is loaded).
 */
function stackFactsFromFile(environment: string): StackFacts | undefined {
  const file = path.join(REPO_ROOT, "stacks", `Pulumi.${environment}.yaml`);
  if (!existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadEngineConfig } = require("../../tools/offline/stack-files") as {
    loadEngineConfig(file: string): { values: Record<string, string>; secretKeys: string[] };
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseStackConfig, ConfigValidationError } = require("../../infra/config") as {
    parseStackConfig(raw: {
      values: Record<string, string>;
      secretKeys: ReadonlySet<string>;
    }): { ok: true; config: Parameters<typeof stackFactsOf>[0] } | { ok: false; problems: never[] };
    ConfigValidationError: new (problems: never[]) => Error;
  };
  const engine = loadEngineConfig(file);
  const parsed = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
  if (!parsed.ok) throw new BadInput(new ConfigValidationError(parsed.problems).message);
  return stackFactsOf(parsed.config);
}

function toUri(relativePath: string): string {
  return relativePath.split(path.sep).join("/");
}

/** Where the CLI writes (the console by default; tests capture it). */
export interface Output {
  log(message: string): void;
  error(message: string): void;
}

/** Runs the check; resolves to the exit code. */
export async function runCli(argv: readonly string[], out: Output = console): Promise<number> {
  const commandLine = readCommandLine(
    argv,
    {
      stack: { type: "string" },
      "config-file": { type: "string" },
      plan: { type: "string" },
      environment: { type: "string" },
      sarif: { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (!commandLine.ok) {
    out.error(commandLine.message);
    return EXIT.badInput;
  }
  const options = commandLine.values;
  if (options.help) {
    out.log(USAGE);
    return EXIT.clean;
  }
  if ((options.stack === undefined) === (options.plan === undefined)) {
    out.error(`give exactly one of --stack and --plan\n${USAGE}`);
    return EXIT.badInput;
  }
  if (options.stack !== undefined && !STACK_NAME.test(options.stack)) {
    out.error(`--stack must be a stack name (${STACK_NAME_RULE})\n${USAGE}`);
    return EXIT.badInput;
  }
  if (options.plan !== undefined && options["config-file"] !== undefined) {
    out.error(`--config-file only goes with --stack\n${USAGE}`);
    return EXIT.badInput;
  }

  let input: Input;
  let packConfig: PackConfig | undefined;
  try {
    input =
      options.stack !== undefined
        ? await fromStack(options.stack, options["config-file"])
        : fromPlanFile(options.plan ?? "", options.environment);
    const environment = options.environment ?? input.environment;
    packConfig = environment ? loadPackConfig(environment) : undefined;
    if (environment && !input.environment) input = { ...input, environment };
    const facts = input.stackFacts ?? (environment ? stackFactsFromFile(environment) : undefined);
    if (packConfig && facts) packConfig = withStackFacts(packConfig, facts);
  } catch (error) {
    if (error instanceof BadInput || error instanceof PackConfigError) {
      out.error(error.message);
      return EXIT.badInput;
    }
    if (error instanceof Error && error.constructor.name === "ProgramError") {
      out.error(error.message);
      return EXIT.programError;
    }
    throw error;
  }

  const report = await evaluatePlan(input.plan, {
    ...(input.environment ? { environment: input.environment } : {}),
    ...(packConfig ? { packConfig } : {}),
  });
  if (!options.quiet || report.violations.length > 0) {
    out.log(
      `CrossGuard check of the ${input.label}${packConfig?.source ? ` with ${path.relative(process.cwd(), packConfig.source)}` : ""}\n`,
    );
  }
  out.log(formatReport(report));
  if (options.sarif) {
    const sarif = toSarif(report, {
      artifactUri: input.artifact,
      ...(input.environment ? { category: `policy-check/${input.environment}` } : {}),
    });
    writeFileSync(path.resolve(options.sarif), `${JSON.stringify(sarif, null, 2)}\n`);
    out.log(`SARIF written to ${options.sarif}`);
  }
  return report.mandatoryCount > 0 ? EXIT.violations : EXIT.clean;
}

if (require.main === module) runMain("policy:check", () => runCli(process.argv.slice(2)));
