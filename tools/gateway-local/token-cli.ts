/**
 * `npm run gateway:token -- --stack dev --server docs --user alice --roles MCP.Tools.Read[,...]
 *  [--scope user_impersonation] [--audience <aud>] [--expired]`: prints one access token from the running
 * `gateway:local`'s issuer (its keys never leave that process). Exit 2 on bad usage or when no local
 * gateway runs for the stack.
 */
import { parseFlags } from "../cli/args";
import { VS_CODE_CLIENT_ID } from "../../infra/config";
import { MINT_PATH, type UserTokenRequest } from "./issuer";
import { type GatewayState, readState } from "./state";
import { checkStack, UsageError } from "./switches";

export const USAGE = `Usage: npm run gateway:token -- --stack <name> --server <server> --user <name> --roles <Role>[,<Role>...]
       [--scope <scope>] [--audience <aud>] [--expired]
Prints an access token from the running local gateway's issuer (npm run gateway:local -- --stack <name>).
  --roles ""        a token without app roles
  --scope           the delegated scope in scp (default: the stack's identity.scopeValue; "" for none)
  --audience        aud (default: the server's resource, https://<gateway hostname>/<server>/mcp)
  --expired         a token that expired an hour ago
`;

const USER = /^[A-Za-z0-9._-]{1,64}$/;
const ROLE = /^[A-Za-z0-9._-]{1,120}$/;

/** The mint request for `argv`, against a running gateway's state; throws UsageError. */
export function tokenRequest(
  argv: readonly string[],
  load: (stack: string) => GatewayState | undefined,
): UserTokenRequest & { issuer: string } {
  const values = parseFlags(argv, {
    stack: { type: "string" },
    server: { type: "string" },
    user: { type: "string" },
    roles: { type: "string" },
    scope: { type: "string" },
    audience: { type: "string" },
    expired: { type: "boolean" },
  });
  const stack = checkStack(values.stack);
  if (values.server === undefined) throw new UsageError("--server is required");
  if (values.user === undefined || !USER.test(values.user)) {
    throw new UsageError(`--user ${JSON.stringify(values.user ?? "")}: 1-64 letters, digits, '.', '_', '-'`);
  }
  if (values.roles === undefined) throw new UsageError('--roles is required (comma-separated; "" for none)');
  const roles = values.roles
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  const badRole = roles.find((r) => !ROLE.test(r));
  if (badRole !== undefined) throw new UsageError(`--roles: ${JSON.stringify(badRole)} is not a role value`);
  const state = load(stack);
  if (state === undefined) {
    throw new UsageError(
      `no local gateway runs for stack ${stack}: start npm run gateway:local -- --stack ${stack}`,
    );
  }
  const server = state.servers.find((s) => s.name === values.server);
  if (server === undefined) {
    throw new UsageError(
      `--server ${values.server}: stack ${stack} has ${state.servers.map((s) => s.name).join(", ")}`,
    );
  }
  const scope = values.scope ?? state.scopeValue;
  return {
    issuer: state.issuer,
    user: values.user,
    roles,
    audience: values.audience ?? server.resource,
    clientId: server.clientId || VS_CODE_CLIENT_ID,
    ...(scope ? { scope } : {}),
    expired: values.expired ?? false,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let request;
  try {
    request = tokenRequest(argv, readState);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const { issuer, ...body } = request;
  let res: Response;
  try {
    res = await fetch(`${issuer}${MINT_PATH}`, { method: "POST", body: JSON.stringify(body) });
  } catch {
    process.stderr.write(
      `error: the local gateway's issuer at ${issuer} does not answer (was gateway:local stopped?)\n`,
    );
    return 2;
  }
  const answer = (await res.json()) as { access_token?: string; error?: string };
  if (res.status !== 200 || answer.access_token === undefined) {
    process.stderr.write(`error: ${answer.error ?? `issuer answered ${res.status}`}\n`);
    return 2;
  }
  process.stdout.write(`${answer.access_token}\n`);
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
