import type { StackConfig } from "../config/schema";
import type { GatewayTier } from "./policy";
import { FORBIDDEN_LOG_HEADERS } from "../conventions/logging-contract";

/**
 * The API Management service's own settings as pure functions of the stack config: TLS protocols and
 * ciphers, zones, the custom hostname, the ARM template that closes the management side doors, and the
 * request logging settings. Sources for every choice are in docs/gateway.md ("The service").
 */

export type GatewayConfig = StackConfig["gateway"];
export type GatewaySku = GatewayConfig["sku"];

/** Developer and Premium: injected into the gateway subnet in Internal mode. StandardV2: private endpoint. */
export function isClassicSku(sku: GatewaySku): boolean {
  return sku !== "StandardV2";
}

/** The renderer's notion of the platform (quota-by-key exists only on the classic tiers). */
export function gatewayTier(sku: GatewaySku): GatewayTier {
  return isClassicSku(sku) ? "classic" : "v2";
}

// ---------------------------------------------------------------------------------------------
// TLS protocols and ciphers (customProperties)
// ---------------------------------------------------------------------------------------------

const SECURITY = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.";

/** SSL 3.0, TLS 1.0 and TLS 1.1, client side and backend side. */
export const LEGACY_PROTOCOL_SETTINGS: readonly string[] = [
  "Protocols.Ssl30",
  "Protocols.Tls10",
  "Protocols.Tls11",
  "Backend.Protocols.Ssl30",
  "Backend.Protocols.Tls10",
  "Backend.Protocols.Tls11",
].map((key) => SECURITY + key);

/**
 * 3DES and every cipher suite the 2024-05-01 API lets a classic tier switch off: CBC suites and the
 * suites without forward secrecy (RSA key exchange). The GCM/ECDHE suites (and TLS 1.3's) stay; Azure
 * does not allow disabling them.
 */
export const WEAK_CIPHERS: readonly string[] = [
  "TripleDes168",
  "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
  "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  "TLS_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_RSA_WITH_AES_256_CBC_SHA256",
  "TLS_RSA_WITH_AES_128_CBC_SHA256",
  "TLS_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_AES_128_CBC_SHA",
];

export const HTTP2_SETTING = "Microsoft.WindowsAzure.ApiManagement.Gateway.Protocols.Server.Http2";

/**
 * `customProperties` of the service. Every value is explicit: Azure resets an omitted key to its
 * default on update. v2 tiers do not allow cipher changes, so they only get the protocol switches.
 * HTTP/2 stays off on the client side: the edge talks HTTP/1.1 to the gateway anyway, and SSE then
 * behaves the same on every hop.
 */
export function securityCustomProperties(sku: GatewaySku): Readonly<Record<string, string>> {
  const off = (keys: readonly string[]): Record<string, string> =>
    Object.fromEntries(keys.map((key) => [key, "False"]));
  if (!isClassicSku(sku)) return off(LEGACY_PROTOCOL_SETTINGS);
  return {
    ...off(LEGACY_PROTOCOL_SETTINGS),
    ...off(WEAK_CIPHERS.map((cipher) => `${SECURITY}Ciphers.${cipher}`)),
    [HTTP2_SETTING]: "False",
  };
}

// ---------------------------------------------------------------------------------------------
// Capacity and zones
// ---------------------------------------------------------------------------------------------

/**
 * What Azure would refuse (or silently not do) about units and zones, found before deployment:
 * zones exist only on Premium in this API version, and units must spread evenly over the listed zones.
 */
export function zoneProblems(gateway: Pick<GatewayConfig, "sku" | "capacity" | "zones">): string[] {
  const problems: string[] = [];
  if (gateway.zones.length === 0) return problems;
  if (gateway.sku !== "Premium") {
    problems.push(`gateway.zones: availability zones need the Premium tier (sku is ${gateway.sku})`);
  } else if (gateway.capacity % gateway.zones.length !== 0) {
    problems.push(
      `gateway.capacity (${gateway.capacity}) must be a multiple of the number of gateway.zones (${gateway.zones.length}): ` +
        "API Management spreads units evenly across the zones it is given (for example 3 units in zones 1, 2, 3, or 2 units in zones 1, 2)",
    );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Custom hostname and Key Vault references
// ---------------------------------------------------------------------------------------------

const VERSIONLESS_SECRET_URI =
  /^https:\/\/[a-z0-9-]{3,24}\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/[A-Za-z0-9-]{1,127}\/?$/;

/**
 * API Management refreshes a Key Vault certificate or named value (within four hours of a rotation)
 * only when the reference names no version.
 */
export function assertVersionlessSecretUri(field: string, uri: string): string {
  if (!VERSIONLESS_SECRET_URI.test(uri)) {
    throw new RangeError(
      `${field} must be a versionless Key Vault secret URI such as https://<vault>.vault.azure.net/secrets/<name> (got "${uri}")`,
    );
  }
  return uri;
}

/** The one custom hostname: the gateway (`Proxy`) endpoint, its certificate read from Key Vault. */
export interface ProxyHostname<T> {
  readonly type: "Proxy";
  readonly hostName: string;
  readonly certificateSource: "KeyVault";
  readonly keyVaultId: T;
  readonly identityClientId: T;
  readonly negotiateClientCertificate: false;
  readonly defaultSslBinding: true;
}

export function proxyHostname<T>(
  hostName: string,
  certificateSecretUri: T,
  identityClientId: T,
): ProxyHostname<T> {
  return {
    type: "Proxy",
    hostName,
    certificateSource: "KeyVault",
    keyVaultId: certificateSecretUri,
    identityClientId,
    negotiateClientCertificate: false,
    // SNI-less requests (health probes by IP) get this certificate rather than the *.azure-api.net one.
    defaultSslBinding: true,
  };
}

// ---------------------------------------------------------------------------------------------
// Management side doors (ARM template: azure-native 3.28 has no resource for these)
// ---------------------------------------------------------------------------------------------

/** API version of the template's child resources: the same as the SDK's apimanagement module. */
export const APIM_TEMPLATE_API_VERSION = "2024-05-01";

export interface ArmTemplateResource {
  readonly type: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface ArmTemplate {
  readonly $schema: string;
  readonly contentVersion: string;
  readonly resources: readonly ArmTemplateResource[];
}

/**
 * Closes what the service resource cannot: the direct management API and the Git configuration
 * endpoint (`service/tenant` `access`/`gitAccess`, classic tiers only: v2 has neither) and developer
 * portal self-registration (`portalsettings/signup`). Azure's built-ins look at exactly these
 * (DirectManagementAPIEnabled_AuditDeny, PublicEndpoint_AINE/DINE).
 */
export function managementLockdownTemplate(serviceName: string, sku: GatewaySku): ArmTemplate {
  const child = (type: string, name: string, properties: Record<string, unknown>): ArmTemplateResource => ({
    type: `Microsoft.ApiManagement/service/${type}`,
    apiVersion: APIM_TEMPLATE_API_VERSION,
    name: `${serviceName}/${name}`,
    properties,
  });
  const tenantAccess = isClassicSku(sku)
    ? [child("tenant", "access", { enabled: false }), child("tenant", "gitAccess", { enabled: false })]
    : [];
  return {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources: [...tenantAccess, child("portalsettings", "signup", { enabled: false })],
  };
}

// ---------------------------------------------------------------------------------------------
// Request logging (Application Insights diagnostic)
// ---------------------------------------------------------------------------------------------

/** Headers worth logging: protocol negotiation, origin checks, the client chain and the correlation ID. */
export const LOGGED_HEADERS = {
  frontendRequest: [
    "MCP-Protocol-Version",
    "Origin",
    "User-Agent",
    "Content-Type",
    "Accept",
    "X-Forwarded-For",
  ],
  frontendResponse: ["WWW-Authenticate", "Retry-After", "Content-Type", "x-correlation-id"],
  backendRequest: ["MCP-Protocol-Version", "Content-Type", "x-correlation-id"],
  backendResponse: ["Content-Type"],
} as const;

/** Query parameters hidden in logged URLs, should a client ever put a credential in one. */
export const MASKED_QUERY_PARAMS: readonly string[] = [
  "access_token",
  "id_token",
  "code",
  "token",
  "subscription-key",
  "sig",
  "client_secret",
];

export interface MessageLogging {
  readonly headers: string[];
  readonly body: { readonly bytes: number };
  readonly dataMasking: {
    readonly headers: { readonly value: string; readonly mode: "Hide" }[];
    readonly queryParams: { readonly value: string; readonly mode: "Hide" }[];
  };
}

export interface RequestLogging {
  readonly frontend: { readonly request: MessageLogging; readonly response: MessageLogging };
  readonly backend: { readonly request: MessageLogging; readonly response: MessageLogging };
}

/**
 * Frontend and backend logging for the Application Insights diagnostic: 0 body bytes everywhere (tool
 * arguments and results are user data, and reading a response body would buffer SSE), a short header
 * allowlist, `Authorization` masked should it ever be listed. Throws if a listed header is forbidden.
 */
export function requestLogging(extraForbiddenHeaders: readonly string[] = []): RequestLogging {
  const forbidden = new Set([...FORBIDDEN_LOG_HEADERS, ...extraForbiddenHeaders].map((h) => h.toLowerCase()));
  for (const header of Object.values(LOGGED_HEADERS).flat()) {
    if (forbidden.has(header.toLowerCase())) throw new Error(`the header ${header} must never be logged`);
  }
  const message = (headers: readonly string[]): MessageLogging => ({
    headers: [...headers],
    body: { bytes: 0 },
    dataMasking: {
      headers: [{ value: "Authorization", mode: "Hide" }],
      queryParams: MASKED_QUERY_PARAMS.map((value) => ({ value, mode: "Hide" as const })),
    },
  });
  return {
    frontend: {
      request: message(LOGGED_HEADERS.frontendRequest),
      response: message(LOGGED_HEADERS.frontendResponse),
    },
    backend: {
      request: message(LOGGED_HEADERS.backendRequest),
      response: message(LOGGED_HEADERS.backendResponse),
    },
  };
}
