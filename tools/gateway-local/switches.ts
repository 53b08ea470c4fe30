import { DEFAULT_SWITCHES, type RuntimeSwitches } from "./contract";

/** A bad command line or config: the CLIs print it with their usage and exit 2. */
import { STACK_NAME, STACK_NAME_RULE, UsageError } from "../cli/args";

// The one usage-error class of every CLI (tools/cli/args.ts), re-exported for the gateway tools.
export { UsageError };

const ERROR_SOURCES: readonly RuntimeSwitches["tokenValidationErrorSource"][] = [
  "validate-azure-ad-token",
  "validate-jwt",
  "",
];

/**
 * Every non-default behaviour the conformance run covers (issue 16, point 4), one switch changed per
 * run: a cache store seen only after a delay longer than a client's next request, the built-in cache
 * emptied between requests, and each other `LastError.Source` a failed token validation may set.
 */
export const NON_DEFAULT_SWITCHES: readonly {
  readonly name: string;
  readonly switches: Partial<RuntimeSwitches>;
}[] = [
  { name: "cacheVisibilityDelayMs=2000", switches: { cacheVisibilityDelayMs: 2000 } },
  { name: "cacheEmptiedBetweenRequests=true", switches: { cacheEmptiedBetweenRequests: true } },
  {
    name: "tokenValidationErrorSource=validate-jwt",
    switches: { tokenValidationErrorSource: "validate-jwt" },
  },
  { name: "tokenValidationErrorSource=", switches: { tokenValidationErrorSource: "" } },
  { name: "corsOnGatewayAnswers=false", switches: { corsOnGatewayAnswers: false } },
];

/** Parses `--switch <name>=<value>` flags into overrides of DEFAULT_SWITCHES. */
export function parseSwitches(flags: readonly string[]): Partial<RuntimeSwitches> {
  const result: { -readonly [K in keyof RuntimeSwitches]?: RuntimeSwitches[K] } = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const name = eq < 0 ? flag : flag.slice(0, eq);
    const value = eq < 0 ? undefined : flag.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--switch ${flag}: expected <name>=<value>`);
    switch (name) {
      case "cacheVisibilityDelayMs": {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n > 600_000) {
          throw new UsageError(
            `--switch cacheVisibilityDelayMs=${value}: must be an integer from 0 to 600000 (ms)`,
          );
        }
        result.cacheVisibilityDelayMs = n;
        break;
      }
      case "cacheEmptiedBetweenRequests":
        if (value !== "true" && value !== "false") {
          throw new UsageError(`--switch cacheEmptiedBetweenRequests=${value}: must be true or false`);
        }
        result.cacheEmptiedBetweenRequests = value === "true";
        break;
      case "corsOnGatewayAnswers":
        if (value !== "true" && value !== "false") {
          throw new UsageError(`--switch corsOnGatewayAnswers=${value}: must be true or false`);
        }
        result.corsOnGatewayAnswers = value === "true";
        break;
      case "tokenValidationErrorSource": {
        const source = ERROR_SOURCES.find((s) => s === value);
        if (source === undefined) {
          throw new UsageError(
            `--switch tokenValidationErrorSource=${value}: must be one of ${ERROR_SOURCES.map((s) => JSON.stringify(s)).join(", ")}`,
          );
        }
        result.tokenValidationErrorSource = source;
        break;
      }
      default:
        throw new UsageError(
          `--switch ${name}: unknown switch; the runtime has ${Object.keys(DEFAULT_SWITCHES).join(", ")}`,
        );
    }
  }
  return result;
}

/** `dev`, `staging`, `prod` or any stack file name: letters, digits, '-', '_', '.'. */
export function checkStack(stack: string | undefined): string {
  if (stack === undefined) throw new UsageError("--stack is required");
  if (!STACK_NAME.test(stack))
    throw new UsageError(`--stack ${JSON.stringify(stack)}: ${STACK_NAME_RULE} only`);
  return stack;
}

export function checkPort(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535)
    throw new UsageError(`--port ${raw}: must be an integer from 1 to 65535`);
  return port;
}
