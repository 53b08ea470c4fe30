import type { SuiteOptions, Tokens } from "../../../../tools/conformance/types";
import type { ReferenceServer } from "./server";
import type { TestIssuer } from "./tokens";

/** VS Code's public client ID: the `azp` of tokens a real client would bring. */
const VS_CODE_CLIENT_ID = "aebc6443-996d-45c2-90f0-388ff96faa56";

export const USER_A = "0d5b6f0e-4c1a-4f3e-9a57-1f2e3d4c5b6a";
export const USER_B = "7a9c1e3b-5d2f-4a8e-b6c4-2e1f0a9b8c7d";

/** Tokens for the suite's token kinds, minted for `server`'s resource. */
export function mintTokens(issuer: TestIssuer, server: ReferenceServer): Tokens {
  const now = Math.floor(Date.now() / 1000);
  const claims = (oid: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: issuer.issuer,
    aud: server.url.href,
    tid: issuer.tenantId,
    oid,
    sub: oid,
    azp: VS_CODE_CLIENT_ID,
    scp: "user_impersonation",
    roles: ["MCP.Tools.Read"],
    iat: now,
    nbf: now - 5,
    exp: now + 3600,
    ...extra,
  });
  return {
    token: issuer.mint(claims(USER_A)),
    secondUserToken: issuer.mint(claims(USER_B)),
    wrongAudienceToken: issuer.mint(claims(USER_A, { aud: "api://3c5e7a9b-other-api" })),
    expiredToken: issuer.mint(claims(USER_A, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 })),
    noScopeToken: issuer.mint(claims(USER_A, { scp: undefined })),
    foreignTenantClaimToken: issuer.mint(claims(USER_A, { tid: "6b0a3c2d-1e4f-4a5b-8c9d-0e1f2a3b4c5d" })),
  };
}

/** Suite options for the reference server: small limits and timeouts so the self-tests stay fast. */
export function referenceSuiteOptions(
  server: ReferenceServer,
  tokens: Tokens,
  overrides: Partial<SuiteOptions> = {},
): SuiteOptions {
  return {
    url: server.url,
    tokens,
    toolWithoutRole: { name: "admin_reset", arguments: {} },
    // The MCP server has this tool; only the gateway's allowlist keeps it out of reach.
    unknownTool: "internal_debug",
    streamingTool: { name: "slow_count", arguments: { count: 4 } },
    burst: 150,
    burstSeconds: 10,
    burstConcurrency: 8,
    maxBodyBytes: 65_536,
    badOrigin: "https://evil.example",
    deniedMethod: "completion/complete",
    addressBurst: 200,
    metadataLocations: ["suffixed", "endpoint"],
    minStreamSpreadMs: 100,
    timeoutMs: 8_000,
    checkTimeoutMs: 30_000,
    ...overrides,
  };
}
