// First import: installs the internal-error handlers before anything else can fail (tools/internal-error).
import { runMain } from "../internal-error/guard";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseFlags, UsageError } from "../cli/args";
import { ALL_CHECKS } from "./checks";
import { formatJUnit, formatTable, totals } from "./report";
import { runChecks } from "./runner";
import { runTokenCommand, TokenCommandError } from "./token-command";
import {
  type Check,
  METADATA_LOCATIONS,
  type MetadataLocation,
  type SuiteOptions,
  type ToolCall,
} from "./types";

/**
 * `npm run conformance -- --url https://<gateway-host>/<server>/mcp [options]`: black-box security
 * conformance of a deployed MCP endpoint. Exit 0 when nothing failed, 1 on any failure (or any skip
 * with --fail-on-skip), 2 on a usage error.
 */

export const USAGE = `Usage: npm run conformance -- --url https://<gateway-host>/<server>/mcp [options]

Tokens (shell commands run with sh -c that print an access token; never printed):
  --token-command <cmd>                 a user with the roles the everyday tools need
  --second-user-token-command <cmd>     a different user (session binding)
  --wrong-audience-token-command <cmd>  a token for another resource (audience check)
  --expired-token-command <cmd>         an expired token for this resource
  --no-scope-token-command <cmd>        a token for this resource without the delegated scope (scp)
  --foreign-tenant-claim-token-command <cmd>  a token whose tid claim names another tenant

Probes:
  --tool-without-role <name>            an allowlisted tool the --token-command user lacks the role for
  --tool-without-role-args <json>       its arguments (default {})
  --tool-without-role-user <main|second>  whose token lacks the role: --token-command's (default) or
                                        --second-user-token-command's
  --unknown-tool <name>                 a tool outside the allowlist (default: a random name)
  --streaming-tool <name>               a tool whose response streams as SSE
  --streaming-tool-args <json>          its arguments (default {})
  --min-stream-spread-ms <ms>           first-to-last SSE event time that counts as streaming (default 100)
  --burst <n>                           max requests in the rate-limit burst (default 200, at most 1000)
  --burst-seconds <s>                   max duration of the burst (default 20, at most 60)
  --burst-concurrency <n>               parallel requests in the burst (default 16, at most 64)
  --max-body-bytes <n>                  the gateway's body limit; the probe is one byte larger (default 1048576)
  --bad-origin <origin>                 an Origin the gateway must refuse (default https://conformance.invalid)
  --allowed-origin <origin>             an Origin the gateway allows (CORS headers on its own 401)
  --denied-method <method>              a JSON-RPC method the server does not allow (default completion/complete)
  --echo-tool <name>                    a tool that echoes the headers it received (backend header hygiene)
  --address-burst <n>                   max unauthenticated requests from one address before a 429 (default 700)
  --metadata-locations <list>           RFC 9728 locations to require: suffixed,endpoint,root (default suffixed,endpoint)

Run:
  --ca <file>                           extra PEM trust anchor (test endpoints); validation stays on
  --timeout-ms <ms>                     per-request timeout (default 10000)
  --only <ids> / --skip <ids>           comma-separated check IDs; a trailing * matches a prefix
  --report <file>                       write JUnit XML
  --fail-on-skip                        exit 1 when a check was skipped (CI)
  --list                                list the checks and exit
  --help
`;

const FLAGS = {
  url: { type: "string" },
  "token-command": { type: "string" },
  "second-user-token-command": { type: "string" },
  "wrong-audience-token-command": { type: "string" },
  "expired-token-command": { type: "string" },
  "no-scope-token-command": { type: "string" },
  "foreign-tenant-claim-token-command": { type: "string" },
  "tool-without-role": { type: "string" },
  "tool-without-role-args": { type: "string" },
  "tool-without-role-user": { type: "string" },
  "unknown-tool": { type: "string" },
  "streaming-tool": { type: "string" },
  "streaming-tool-args": { type: "string" },
  "min-stream-spread-ms": { type: "string" },
  burst: { type: "string" },
  "burst-seconds": { type: "string" },
  "burst-concurrency": { type: "string" },
  "max-body-bytes": { type: "string" },
  "bad-origin": { type: "string" },
  "allowed-origin": { type: "string" },
  "denied-method": { type: "string" },
  "echo-tool": { type: "string" },
  "address-burst": { type: "string" },
  "metadata-locations": { type: "string" },
  ca: { type: "string" },
  "timeout-ms": { type: "string" },
  only: { type: "string" },
  skip: { type: "string" },
  report: { type: "string" },
  "fail-on-skip": { type: "boolean" },
  list: { type: "boolean" },
  help: { type: "boolean" },
} as const;

export { UsageError };

export interface TokenCommands {
  readonly token?: string;
  readonly secondUserToken?: string;
  readonly wrongAudienceToken?: string;
  readonly expiredToken?: string;
  readonly noScopeToken?: string;
  readonly foreignTenantClaimToken?: string;
}

export interface CliConfig {
  readonly options: Omit<SuiteOptions, "tokens">;
  readonly tokenCommands: TokenCommands;
  readonly checks: readonly Check[];
  readonly caFile?: string;
  readonly report?: string;
  readonly failOnSkip: boolean;
}

export type ParsedArgs =
  | { readonly kind: "help" }
  | { readonly kind: "list" }
  | { readonly kind: "run"; readonly config: CliConfig };

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function jsonObject(name: string, raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new UsageError(`--${name} is not valid JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`--${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function tool(name: string | undefined, argsFlag: string, rawArgs: string | undefined): ToolCall | undefined {
  if (name === undefined) {
    if (rawArgs !== undefined) throw new UsageError(`--${argsFlag} needs the tool's name too`);
    return undefined;
  }
  return { name, arguments: jsonObject(argsFlag, rawArgs) };
}

function selectChecks(only: string | undefined, skipList: string | undefined): Check[] {
  const patterns = (list: string | undefined): string[] =>
    (list ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  const matches = (id: string, pattern: string): boolean =>
    pattern.endsWith("*") ? id.startsWith(pattern.slice(0, -1)) : id === pattern;
  const onlyPatterns = patterns(only);
  const skipPatterns = patterns(skipList);
  for (const p of [...onlyPatterns, ...skipPatterns]) {
    if (!ALL_CHECKS.some((c) => matches(c.id, p)))
      throw new UsageError(`no check matches ${JSON.stringify(p)}`);
  }
  return ALL_CHECKS.filter(
    (c) =>
      (onlyPatterns.length === 0 || onlyPatterns.some((p) => matches(c.id, p))) &&
      !skipPatterns.some((p) => matches(c.id, p)),
  );
}

/** Parses the command line; throws UsageError for anything the operator must fix. */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const values = parseFlags(argv, FLAGS);
  if (values.help) return { kind: "help" };
  if (values.list) return { kind: "list" };
  if (values.url === undefined) throw new UsageError("--url is required");
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url ${JSON.stringify(values.url)} is not a URL`);
  }
  if (url.protocol !== "https:") throw new UsageError("--url must be https: the suite checks TLS");
  if (url.search || url.hash) throw new UsageError("--url must not have a query or fragment");
  const locations = (values["metadata-locations"] ?? "suffixed,endpoint").split(",").map((s) => s.trim());
  for (const location of locations) {
    if (!(METADATA_LOCATIONS as readonly string[]).includes(location)) {
      throw new UsageError(`--metadata-locations: unknown location ${JSON.stringify(location)}`);
    }
  }
  const badOrigin = values["bad-origin"] ?? "https://conformance.invalid";
  if (!/^https?:\/\/[^/\s]+$/.test(badOrigin))
    throw new UsageError("--bad-origin must be scheme://host[:port]");
  const roleUser = values["tool-without-role-user"] ?? "main";
  if (roleUser !== "main" && roleUser !== "second") {
    throw new UsageError("--tool-without-role-user must be main or second");
  }
  const timeoutMs = integer("timeout-ms", values["timeout-ms"], 10_000, 100, 120_000);
  const burstSeconds = integer("burst-seconds", values["burst-seconds"], 20, 1, 60);
  return {
    kind: "run",
    config: {
      options: {
        url,
        toolWithoutRole: tool(
          values["tool-without-role"],
          "tool-without-role-args",
          values["tool-without-role-args"],
        ),
        toolWithoutRoleUser: roleUser,
        unknownTool: values["unknown-tool"] ?? `conformance_unlisted_${randomBytes(6).toString("hex")}`,
        streamingTool: tool(values["streaming-tool"], "streaming-tool-args", values["streaming-tool-args"]),
        burst: integer("burst", values.burst, 200, 1, 1000),
        burstSeconds,
        burstConcurrency: integer("burst-concurrency", values["burst-concurrency"], 16, 1, 64),
        maxBodyBytes: integer("max-body-bytes", values["max-body-bytes"], 1_048_576, 1024, 64 * 1_048_576),
        badOrigin,
        ...(values["allowed-origin"] === undefined ? {} : { allowedOrigin: values["allowed-origin"] }),
        deniedMethod: values["denied-method"] ?? "completion/complete",
        ...(values["echo-tool"] === undefined ? {} : { echoTool: values["echo-tool"] }),
        addressBurst: integer("address-burst", values["address-burst"], 700, 1, 5000),
        metadataLocations: locations as MetadataLocation[],
        minStreamSpreadMs: integer("min-stream-spread-ms", values["min-stream-spread-ms"], 100, 1, 60_000),
        timeoutMs,
        // The burst and the streamed call are the long ones; everything else is a few requests.
        checkTimeoutMs: Math.max(burstSeconds * 1000, timeoutMs * 3) + timeoutMs * 4,
      },
      tokenCommands: {
        token: values["token-command"],
        secondUserToken: values["second-user-token-command"],
        wrongAudienceToken: values["wrong-audience-token-command"],
        expiredToken: values["expired-token-command"],
        noScopeToken: values["no-scope-token-command"],
        foreignTenantClaimToken: values["foreign-tenant-claim-token-command"],
      },
      checks: selectChecks(values.only, values.skip),
      caFile: values.ca,
      report: values.report,
      failOnSkip: values["fail-on-skip"] ?? false,
    },
  };
}

const TOKEN_FLAGS: Readonly<Record<keyof TokenCommands, string>> = {
  token: "--token-command",
  secondUserToken: "--second-user-token-command",
  wrongAudienceToken: "--wrong-audience-token-command",
  expiredToken: "--expired-token-command",
  noScopeToken: "--no-scope-token-command",
  foreignTenantClaimToken: "--foreign-tenant-claim-token-command",
};

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The whole CLI; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let parsed: ParsedArgs;
  let ca: string | undefined;
  try {
    parsed = parseCliArgs(argv);
    if (parsed.kind === "run" && parsed.config.caFile !== undefined) {
      try {
        ca = readFileSync(parsed.config.caFile, "utf8");
      } catch {
        throw new UsageError(`--ca ${parsed.config.caFile} cannot be read`);
      }
      if (!ca.includes("-----BEGIN CERTIFICATE-----")) throw new UsageError("--ca must be a PEM certificate");
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.kind === "help") {
    io.stdout(USAGE);
    return 0;
  }
  if (parsed.kind === "list") {
    for (const c of ALL_CHECKS) {
      io.stdout(`${c.id.padEnd(28)} ${c.title}${c.needs.length ? ` [needs ${c.needs.join(", ")}]` : ""}\n`);
    }
    return 0;
  }
  const config = parsed.config;
  const tokens: Record<string, string> = {};
  try {
    await Promise.all(
      (Object.keys(TOKEN_FLAGS) as (keyof TokenCommands)[]).map(async (key) => {
        const command = config.tokenCommands[key];
        if (command !== undefined) tokens[key] = await runTokenCommand(TOKEN_FLAGS[key], command);
      }),
    );
  } catch (error) {
    if (!(error instanceof TokenCommandError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return 2;
  }
  const options: SuiteOptions = { ...config.options, tokens };
  io.stderr(`MCP conformance: ${options.url.href} (${config.checks.length} checks)\n`);
  const runs = await runChecks(config.checks, options, {
    ca,
    onResult: (r) => io.stderr(`  ${r.status.toUpperCase()} ${r.id} (${r.durationMs} ms)\n`),
  });
  io.stdout(`${formatTable(runs)}\n`);
  if (config.report !== undefined) {
    mkdirSync(path.dirname(path.resolve(config.report)), { recursive: true });
    writeFileSync(config.report, formatJUnit(runs, { url: options.url.href }));
    io.stderr(`JUnit report: ${config.report}\n`);
  }
  const t = totals(runs);
  return t.failed > 0 || (config.failOnSkip && t.skipped > 0) ? 1 : 0;
}

// runMain exits explicitly: a server holding a keep-alive or SSE socket open must not hang CI.
if (require.main === module) runMain("conformance", () => main(process.argv.slice(2)));
