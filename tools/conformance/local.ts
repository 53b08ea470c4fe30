/**
 * The conformance suite against the local gateway (`gateway:local`): the stack's real policy executed by
 * the local API Management runtime, tokens minted by the local issuer. The suite addresses the public URL
 * the policy advertises (`https://<gateway hostname>/<server>/mcp`); its HTTP client connects to the
 * loopback runtime instead (`connectTo`), so metadata, challenges and audiences are checked as deployed.
 */
import type { LocalGateway, LocalServer } from "../gateway-local/local";
import { ALL_CHECKS } from "./checks";
import { HttpClient } from "./http";
import { decodeClaims } from "./jwt";
import { type CheckRun, runChecks } from "./runner";
import type { Check, SuiteOptions, Tokens } from "./types";

/** The users the local run mints tokens for (stable object IDs, see issuer.ts `userObjectId`). */
export const LOCAL_USERS = { main: "alice", second: "bob" } as const;
/** An audience the gateway must refuse: another API's identifier URI. */
export const FOREIGN_AUDIENCE = "api://conformance-other-api";
/** A tenant that is not the stack's. */
export const FOREIGN_TENANT = "6b0a3c2d-1e4f-4a5b-8c9d-0e1f2a3b4c5d";

/** The server the suite probes: the first one whose backend takes the gateway's managed identity. */
export function probedServer(gateway: LocalGateway, name?: string): LocalServer {
  const server =
    name === undefined
      ? (gateway.servers.find((s) => s.backend.spec.auth.kind === "managedIdentity") ?? gateway.servers[0])
      : gateway.servers.find((s) => s.name === name);
  if (server === undefined) {
    throw new Error(
      `no MCP server ${name ?? ""} in stack ${gateway.stack} (has ${gateway.servers.map((s) => s.name).join(", ")})`,
    );
  }
  return server;
}

/** Every role any of the server's tools needs. */
export function allRoles(server: LocalServer): string[] {
  return [...new Set(server.tools.flatMap((t) => t.roles))];
}

export function localTokens(gateway: LocalGateway, server: LocalServer): Tokens {
  const base = { server: server.name };
  return {
    token: gateway.token({ ...base, user: LOCAL_USERS.main, roles: allRoles(server) }),
    // The second user holds no role: a session peer for session.binding, and the caller of
    // authz.tool-role (a valid token without the tool's role).
    secondUserToken: gateway.token({ ...base, user: LOCAL_USERS.second, roles: [] }),
    wrongAudienceToken: gateway.token({
      ...base,
      user: LOCAL_USERS.main,
      roles: allRoles(server),
      audience: FOREIGN_AUDIENCE,
    }),
    expiredToken: gateway.token({ ...base, user: LOCAL_USERS.main, roles: allRoles(server), expired: true }),
    noScopeToken: gateway.token({ ...base, user: LOCAL_USERS.main, roles: allRoles(server), scope: "" }),
    // Signed by the stack tenant's issuer, `iss` of the stack tenant, only `tid` names another tenant.
    foreignTenantClaimToken: gateway.issuer.issuer.mint({
      ...decodeClaims(gateway.token({ ...base, user: LOCAL_USERS.main, roles: allRoles(server) })),
      tid: FOREIGN_TENANT,
    }),
  };
}

/** Suite options for the local gateway: the stack's own limits, small timeouts. */
export function localSuiteOptions(gateway: LocalGateway, server: LocalServer): SuiteOptions {
  const tool = server.tools[0];
  if (tool === undefined) throw new Error(`server ${server.name} has no tool`);
  const policy = gateway.config.gatewayPolicy;
  return {
    url: new URL(server.resource),
    tokens: localTokens(gateway, server),
    toolWithoutRole: { name: tool.name, arguments: {} },
    toolWithoutRoleUser: "second",
    unknownTool: "conformance_unlisted_tool",
    streamingTool: { name: tool.name, arguments: { count: 4 } },
    // Above the per-user limit (and the per-session one), so the burst must meet a 429.
    burst: Math.min(1000, policy.rateLimits.perUser.calls + 20),
    burstSeconds: 20,
    burstConcurrency: 8,
    maxBodyBytes: policy.maxRequestBodyBytes,
    badOrigin: "https://evil.example",
    ...(policy.allowedOrigins[0] === undefined ? {} : { allowedOrigin: policy.allowedOrigins[0] }),
    deniedMethod: "completion/complete",
    // The local backends echo the headers they received; the main user holds every role.
    echoTool: tool.name,
    addressBurst: policy.rateLimits.perClientAddress.calls + 20,
    metadataLocations: ["suffixed", "endpoint"],
    minStreamSpreadMs: 100,
    timeoutMs: 8_000,
    checkTimeoutMs: 40_000,
  };
}

export interface LocalRunOptions {
  readonly server?: string;
  readonly checks?: readonly Check[];
  readonly onResult?: (run: CheckRun) => void;
}

/** Runs the suite (or `checks`) against a started local gateway. */
export async function runLocalConformance(
  gateway: LocalGateway,
  options: LocalRunOptions = {},
): Promise<CheckRun[]> {
  const server = probedServer(gateway, options.server);
  const suite = localSuiteOptions(gateway, server);
  const http = new HttpClient({
    timeoutMs: suite.timeoutMs,
    connectTo: { [gateway.publicOrigin]: gateway.url },
  });
  try {
    return await runChecks(options.checks ?? ALL_CHECKS, suite, {
      http,
      ...(options.onResult ? { onResult: options.onResult } : {}),
    });
  } finally {
    http.close();
  }
}
