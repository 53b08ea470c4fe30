/**
 * The contract between the local API Management runtime (C#, run by Mono: `runtime/`, started through
 * `runtime.ts`) and the TypeScript side that feeds it (plan -> config, the local token issuer, the local MCP
 * servers, the Content Safety stand-in, `gateway:local`, the conformance run and the mutation runner).
 * The TypeScript side writes a `RuntimeConfig` as JSON; the runtime executes the policy documents in it
 * unmodified. One source for both sides: change it here first.
 */

/** One API Management API as the plan declares it (`Api` + its `ApiPolicy` + its `ApiOperation`s). */
export interface RuntimeApi {
  /** `apiId` of the plan's Api resource (also `context.Api.Id`). */
  readonly id: string;
  /** `path` of the Api (no leading slash), e.g. `docs`; requests match `/<path>/<urlTemplate>`. */
  readonly path: string;
  /** `serviceUrl` of the Api, when it has one (the default backend before `set-backend-service`). */
  readonly serviceUrl?: string;
  /** The API-scope policy document (XML), exactly as in the plan; absent when the API has none. */
  readonly policy?: string;
  readonly operations: readonly RuntimeOperation[];
}

export interface RuntimeOperation {
  /** `operationId` (also `context.Operation.Id`). */
  readonly id: string;
  /** HTTP method, upper case (`GET`, `POST`, `DELETE`, ...). */
  readonly method: string;
  /** `urlTemplate`, e.g. `/mcp` or `/{*path}`; matched as API Management matches templates. */
  readonly urlTemplate: string;
  /** The operation-scope policy document (XML), when the operation has one. */
  readonly policy?: string;
}

/**
 * Behaviours Microsoft documents no single answer for: the runtime implements each, and the conformance
 * run covers every one (issue 16, point 4).
 */
export interface RuntimeSwitches {
  /** `cache-store-value` becomes visible to `cache-lookup-value` only after this many ms (0 = at once). */
  readonly cacheVisibilityDelayMs: number;
  /** Empty the built-in cache before every request, as after a service update. */
  readonly cacheEmptiedBetweenRequests: boolean;
  /** The `context.LastError.Source` that a failed `validate-azure-ad-token` sets. */
  readonly tokenValidationErrorSource: "validate-azure-ad-token" | "validate-jwt" | "";
  /**
   * Whether an executed `cors` policy also decorates answers the gateway builds itself with `return-response`
   * (401, 403, 429, ...). Users report API Management does not (MicrosoftDocs/azure-docs#31889); Microsoft
   * documents neither.
   */
  readonly corsOnGatewayAnswers: boolean;
}

export const DEFAULT_SWITCHES: RuntimeSwitches = {
  cacheVisibilityDelayMs: 0,
  cacheEmptiedBetweenRequests: false,
  tokenValidationErrorSource: "validate-azure-ad-token",
  corsOnGatewayAnswers: true,
};

export interface RuntimeConfig {
  /** Loopback only. Port 0 lets the runtime choose; it reports the port it bound. */
  readonly listen: { readonly host: "127.0.0.1"; readonly port: number };
  /** The service-scope (global) policy document. */
  readonly globalPolicy: string;
  readonly apis: readonly RuntimeApi[];
  /** `backendId` of each plan Backend -> its `url` (as in the plan; `hostOverrides` routes it locally). */
  readonly backends: Readonly<Record<string, string>>;
  /** Named values by name (`{{name}}` in policies). Secret ones are local test values, never real secrets. */
  readonly namedValues: Readonly<Record<string, string>>;
  /**
   * Real origin -> local origin, for every outbound call the runtime makes: OpenID metadata and JWKS of
   * `https://login.microsoftonline.com` (validate-azure-ad-token), backends (forward-request), Content
   * Safety (send-request). E.g. `{ "https://login.microsoftonline.com": "http://127.0.0.1:41001" }`.
   * A call to an origin with no override fails as an unreachable backend would; nothing leaves loopback.
   */
  readonly hostOverrides: Readonly<Record<string, string>>;
  /**
   * The local token issuer's managed-identity endpoint: `GET <url>?resource=<r>&client_id=<id>` answers
   * `{ "access_token": "...", "expires_in": 3600 }` (authentication-managed-identity).
   */
  readonly managedIdentityEndpoint: string;
  readonly switches: RuntimeSwitches;
}

/**
 * Process protocol: `mono <runtime exe> <config.json>`. When it serves, the runtime prints exactly one line
 * `LISTENING http://127.0.0.1:<port>` on stdout. Every `trace` element it executes is one stdout line
 * `TRACE <json>` with `{ source, severity, message, metadata }`. A load error (an element or attribute it
 * does not implement, an expression that does not compile, XML that is not well-formed) is one stderr line
 * `LOAD-ERROR <message>` and exit code 2. Closing its stdin stops it (exit 0); SIGTERM stops it too (by the
 * signal: Debian's Mono has no Mono.Posix to handle signals).
 */
export const LISTENING_PREFIX = "LISTENING ";
export const TRACE_PREFIX = "TRACE ";
export const LOAD_ERROR_PREFIX = "LOAD-ERROR ";
export const LOAD_ERROR_EXIT_CODE = 2;

export interface RuntimeTrace {
  readonly source: string;
  readonly severity: string;
  readonly message: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What `startGatewayRuntime` (runtime.ts) returns. */
export interface RunningGateway {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Traces seen so far, in order. */
  readonly traces: readonly RuntimeTrace[];
  stop(): Promise<void>;
}
