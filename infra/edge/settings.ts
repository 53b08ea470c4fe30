import type { StackConfig } from "../config/schema";

/** The API Management gateway's built-in health endpoint (answers 200 without an API behind it). */
export const APIM_HEALTH_PATH = "/status-0123456789abcdef";

/**
 * How long the edge waits on API Management. MCP's Streamable HTTP answers a POST with an SSE stream
 * and keeps a GET stream open for server messages: with response buffering off, this must exceed the
 * longest silence between events (Application Gateway's SSE guidance), so servers should send an SSE
 * comment as a keep-alive more often than this. Five minutes covers slow tool calls without letting
 * a dead backend hold connections for long.
 */
export const BACKEND_REQUEST_TIMEOUT_SECONDS = 300;

/** Names of the gateway's children (part of their ARM IDs, so stable). */
export const GATEWAY_CHILD_NAMES = Object.freeze({
  gatewayIpConfiguration: "edge-subnet",
  frontendIp: "public-frontend",
  frontendPort: "https-443",
  sslCertificate: "gateway-tls",
  trustedRootCertificate: "backend-root-ca",
  listener: "https-mcp",
  backendPool: "apim",
  backendSettings: "apim-https",
  probe: "apim-status",
  rewriteRuleSet: "edge-headers",
  routingRule: "mcp-to-apim",
});

/** The part of the edge's arguments that comes from stack config. */
export interface EdgeSettings {
  readonly hostname: string;
  readonly backendHostname: string;
  readonly capacity: { readonly min: number; readonly max: number };
  readonly zones: readonly string[];
  readonly maxRequestBodyBytes: number;
  /** The WAF rate-limit rule's threshold per client address and minute. */
  readonly clientAddressRequestsPerMinute: number;
}

/**
 * Stack config to edge settings. API Management serves the same custom hostname behind the edge, so
 * the public and backend host names are one value (docs/edge.md, "Backend").
 */
export function edgeSettingsFromConfig(
  config: Pick<StackConfig, "edge" | "gateway" | "gatewayPolicy">,
): EdgeSettings {
  return {
    hostname: config.gateway.hostname,
    backendHostname: config.gateway.hostname,
    capacity: edgeCapacity(config.edge.minCapacity, config.edge.maxCapacity),
    zones: [...config.edge.zones],
    maxRequestBodyBytes: config.gatewayPolicy.maxRequestBodyBytes,
    clientAddressRequestsPerMinute: config.edge.clientAddressRequestsPerMinute,
  };
}

/** Application Gateway v2 autoscale bounds: 0-125 instances, at least 2 at the top, min <= max. */
export function edgeCapacity(min: number, max: number): { readonly min: number; readonly max: number } {
  if (!Number.isInteger(min) || min < 0 || min > 125)
    throw new RangeError(`edge minimum capacity must be 0-125 (got ${min})`);
  if (!Number.isInteger(max) || max < 2 || max > 125)
    throw new RangeError(`edge maximum capacity must be 2-125 (got ${max})`);
  if (min > max) throw new RangeError(`edge minimum capacity (${min}) must not exceed the maximum (${max})`);
  return { min, max };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const FQDN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** A backend pool member: an IPv4 address (API Management's private VIP) or an FQDN resolved in the VNet. */
export function backendAddress(value: string): { ipAddress: string } | { fqdn: string } {
  const trimmed = value.trim();
  if (IPV4.test(trimmed)) return { ipAddress: trimmed };
  if (FQDN.test(trimmed)) return { fqdn: trimmed.toLowerCase() };
  throw new RangeError(`backend address "${value}" is neither an IPv4 address nor a host name`);
}

export function backendAddresses(values: readonly string[]): ({ ipAddress: string } | { fqdn: string })[] {
  if (values.length === 0)
    throw new RangeError("the edge needs at least one backend address (API Management's private IP or FQDN)");
  return values.map(backendAddress);
}

const VERSIONLESS_SECRET_URI =
  /^https:\/\/[a-z0-9-]{3,24}\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/[A-Za-z0-9-]{1,127}\/?$/;

/**
 * Application Gateway polls Key Vault every four hours and picks up a renewed certificate only when
 * the reference carries no version: a versioned URI would pin the old certificate until it expires.
 */
export function assertVersionlessSecretUri(uri: string): string {
  if (!VERSIONLESS_SECRET_URI.test(uri)) {
    throw new RangeError(
      `certificateSecretUri must be a versionless Key Vault secret URI such as https://<vault>.vault.azure.net/secrets/<name> (got "${uri}")`,
    );
  }
  return uri;
}
