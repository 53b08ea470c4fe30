/**
 * `npm run gateway:local -- --stack <name> [--port <n>] [--switch <name>=<value>]...`: the stack's real
 * gateway policy on 127.0.0.1, with the local token issuer, MCP servers and Content Safety stand-in.
 * Exit 0 after Ctrl-C (SIGINT/SIGTERM stop everything it started), 2 on bad usage or config, 1 when the
 * gateway cannot start.
 */
import { parseFlags } from "../cli/args";
import { ConfigValidationError } from "../../infra/config";
import { LOAD_ERROR_EXIT_CODE } from "./contract";
import { type LocalGateway, StackConfigError, startLocalGateway } from "./local";
import { PlanConfigError } from "./plan-config";
import { gatewayState, removeState, writeState } from "./state";
import { checkPort, checkStack, parseSwitches, UsageError } from "./switches";

export const USAGE = `Usage: npm run gateway:local -- --stack <dev|staging|prod|name> [--port <n>] [--switch <name>=<value>]...

Starts the stack's gateway policy (from its offline plan, unmodified) on http://127.0.0.1:<port>, with a
local Entra ID token issuer, one local MCP server per configured server, and a Content Safety stand-in.
  --port <n>                 listen port (default: any free port)
  --switch <name>=<value>    runtime behaviour Microsoft leaves open (repeatable):
                             cacheVisibilityDelayMs=<ms>, cacheEmptiedBetweenRequests=true|false,
                             tokenValidationErrorSource=validate-azure-ad-token|validate-jwt|
Tokens: npm run gateway:token -- --stack <name> --server <server> --user <name> --roles <Role>[,<Role>...]
Stop with Ctrl-C.
`;

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

export function parseGatewayArgs(
  argv: readonly string[],
): { stack: string; port: number; switchFlags: string[] } | "help" {
  const values = parseFlags(argv, {
    stack: { type: "string" },
    port: { type: "string" },
    switch: { type: "string", multiple: true },
    help: { type: "boolean" },
  });
  if (values.help) return "help";
  const switchFlags = values.switch ?? [];
  parseSwitches(switchFlags);
  return { stack: checkStack(values.stack), port: checkPort(values.port), switchFlags };
}

/** What `gateway:local` prints once it serves. */
export function banner(gateway: LocalGateway): string {
  const lines = [
    `Local gateway for stack ${gateway.stack} (the plan's policy, unmodified): ${gateway.url}`,
    "",
  ];
  for (const s of gateway.servers) {
    const tool = s.tools[0];
    lines.push(`MCP server ${s.name}: ${s.url}`);
    lines.push(`  resource (token audience): ${s.resource}`);
    lines.push(`  metadata: ${gateway.url}/.well-known/oauth-protected-resource/${s.name}/mcp`);
    lines.push(`  tools: ${s.tools.map((t) => `${t.name} [${t.roles.join(", ")}]`).join(", ")}`);
    if (tool !== undefined) {
      lines.push(
        `  token: npm run gateway:token -- --stack ${gateway.stack} --server ${s.name} --user alice --roles ${tool.roles.join(",")}`,
      );
    }
  }
  lines.push("", `Token issuer (Entra ID stand-in): ${gateway.issuer.url}`);
  if (gateway.contentSafety) lines.push(`Content Safety stand-in: ${gateway.contentSafety.url}`);
  lines.push("Ctrl-C stops everything.", "");
  return lines.join("\n");
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let args;
  try {
    args = parseGatewayArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === "help") {
    io.stdout(USAGE);
    return 0;
  }
  let gateway: LocalGateway;
  try {
    gateway = await startLocalGateway({
      stack: args.stack,
      port: args.port,
      switches: parseSwitches(args.switchFlags),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (
      error instanceof ConfigValidationError ||
      error instanceof PlanConfigError ||
      error instanceof StackConfigError
    ) {
      io.stderr(`error: ${message}\n`);
      return 2;
    }
    io.stderr(`error: the local gateway did not start: ${message}\n`);
    return error instanceof Error && error.name === "GatewayLoadError" ? LOAD_ERROR_EXIT_CODE : 1;
  }
  const file = writeState(gatewayState(gateway));
  io.stdout(banner(gateway));
  await new Promise<void>((resolve) => {
    const onSignal = (): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  io.stderr("stopping...\n");
  await gateway.stop();
  removeState(args.stack);
  void file;
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
