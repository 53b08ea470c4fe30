import type { SeedControl } from "./controls";
import type { HttpClient } from "./http";

/** What a check needs from the operator beyond the endpoint URL; missing needs make it skip. */
export type Need =
  | "token"
  | "secondUserToken"
  | "wrongAudienceToken"
  | "expiredToken"
  | "noScopeToken"
  | "foreignTenantClaimToken"
  | "toolWithoutRole"
  | "streamingTool";

export type CheckStatus = "pass" | "fail" | "skip";

export interface CheckResult {
  readonly status: CheckStatus;
  readonly detail: string;
}

/** Where the RFC 9728 document is looked up (see metadataUrls in checks/metadata.ts). */
export type MetadataLocation = "suffixed" | "endpoint" | "root";
export const METADATA_LOCATIONS: readonly MetadataLocation[] = ["suffixed", "endpoint", "root"];

export interface ToolCall {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** Access tokens, held only in memory: never printed, redacted from every detail. */
export interface Tokens {
  readonly token?: string;
  readonly secondUserToken?: string;
  readonly wrongAudienceToken?: string;
  readonly expiredToken?: string;
  /** A valid token for this resource without the delegated scope (`scp`). */
  readonly noScopeToken?: string;
  /** A token signed by the tenant's issuer whose `tid` claim names another tenant. */
  readonly foreignTenantClaimToken?: string;
}

export interface SuiteOptions {
  /** The MCP endpoint, e.g. https://mcp.contoso.com/docs/mcp. */
  readonly url: URL;
  readonly tokens: Tokens;
  /** A tool on the allowlist whose role the probing user lacks. */
  readonly toolWithoutRole?: ToolCall;
  /** Whose token probes toolWithoutRole: the main user's (default) or the second user's. */
  readonly toolWithoutRoleUser?: "main" | "second";
  /** A tool name that is not on the allowlist. */
  readonly unknownTool: string;
  /** A tool whose response streams as SSE. */
  readonly streamingTool?: ToolCall;
  /** Upper bound of requests in the rate-limit burst. */
  readonly burst: number;
  /** Upper bound of the burst's duration. */
  readonly burstSeconds: number;
  readonly burstConcurrency: number;
  /** The gateway's request body limit; the oversized probe is one byte larger. */
  readonly maxBodyBytes: number;
  /** An Origin the gateway must refuse. */
  readonly badOrigin: string;
  /** An Origin the gateway allows (CORS on its own answers); without it that check is skipped. */
  readonly allowedOrigin?: string;
  /** A JSON-RPC method the server does not allow (deny by default). */
  readonly deniedMethod: string;
  /** A tool the main user may call that echoes the headers it received (backend hygiene); optional. */
  readonly echoTool?: string;
  /** Upper bound of unauthenticated requests from one address before a 429 must come. */
  readonly addressBurst: number;
  readonly metadataLocations: readonly MetadataLocation[];
  /** Minimum time between the first and the last SSE event for a stream to count as incremental. */
  readonly minStreamSpreadMs: number;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** Per-check timeout. */
  readonly checkTimeoutMs: number;
}

export interface CheckContext {
  readonly options: SuiteOptions;
  readonly http: HttpClient;
}

export interface Check {
  /** Stable identifier, `<area>.<name>`; used by --only/--skip and in reports. */
  readonly id: string;
  readonly title: string;
  readonly seedControls: readonly SeedControl[];
  readonly needs: readonly Need[];
  run(ctx: CheckContext): Promise<CheckResult>;
}

export const pass = (detail: string): CheckResult => ({ status: "pass", detail });
export const fail = (detail: string): CheckResult => ({ status: "fail", detail });
export const skip = (detail: string): CheckResult => ({ status: "skip", detail });

/** Collects findings; the check passes when there are none. */
export function verdict(problems: readonly string[], passDetail: string): CheckResult {
  return problems.length === 0 ? pass(passDetail) : fail(problems.join("; "));
}
