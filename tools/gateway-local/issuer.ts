import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomUUID,
  sign,
  verify,
} from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { base64url, decodeSegment } from "../conformance/jwt";

/**
 * A local token issuer standing in for Entra ID (issue 16): OpenID metadata and JWKS shaped as Entra's
 * v2 endpoints for one tenant, RS256 keys generated at start (never written anywhere), v2 access tokens
 * for users, and a managed-identity endpoint for the gateway's own identity (contract.ts,
 * `managedIdentityEndpoint`). It serves plain HTTP on 127.0.0.1 only: the runtime reaches it through
 * `hostOverrides` (`https://login.microsoftonline.com` -> this server), so the documents it serves carry
 * Entra's real URLs.
 */

export const ENTRA_ORIGIN = "https://login.microsoftonline.com";
/** Where the managed-identity endpoint lives on the issuer (IMDS's path, without IMDS's host). */
export const MANAGED_IDENTITY_PATH = "/metadata/identity/oauth2/token";
/** Loopback-only minting endpoint that `gateway:token` calls (the keys never leave this process). */
export const MINT_PATH = "/_local/token";

export interface Jwk extends JsonWebKey {
  readonly kid: string;
  readonly alg: "RS256";
  readonly use: "sig";
}

export type Claims = Readonly<Record<string, unknown>>;

/** An RS256 signing key with its `kid`, and the JWKS that publishes it. */
export interface SigningKey {
  readonly kid: string;
  readonly jwks: { readonly keys: readonly Jwk[] };
  /** A compact JWS over `claims`, header `{ alg: RS256, typ: JWT, kid }`. */
  sign(claims: Claims): string;
}

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk: Jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  return { kid, jwks: { keys: [jwk] }, sign: (claims) => signJwt(claims, kid, privateKey) };
}

function signJwt(claims: Claims, kid: string, key: KeyObject): string {
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
  const payload = base64url(JSON.stringify(claims));
  return `${header}.${payload}.${base64url(sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), key))}`;
}

/** Entra's v2 issuer for a tenant, as v2 access tokens carry it in `iss`. */
export function entraIssuer(tenantId: string): string {
  return `${ENTRA_ORIGIN}/${tenantId}/v2.0`;
}

/** The OpenID configuration Entra serves for a tenant (the fields validate-azure-ad-token reads, and a few more). */
export function openIdConfiguration(tenantId: string): Record<string, unknown> {
  return {
    issuer: entraIssuer(tenantId),
    authorization_endpoint: `${ENTRA_ORIGIN}/${tenantId}/oauth2/v2.0/authorize`,
    token_endpoint: `${ENTRA_ORIGIN}/${tenantId}/oauth2/v2.0/token`,
    jwks_uri: `${ENTRA_ORIGIN}/${tenantId}/discovery/v2.0/keys`,
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    tenant_region_scope: "EU",
  };
}

/** A stable object ID for a user name, so `--user alice` is the same `oid` in every run. */
export function userObjectId(user: string): string {
  const hex = createHash("sha256").update(`mcp-gateway-local user ${user}`).digest("hex");
  // Shaped as a version-4-like GUID, as Entra object IDs are GUIDs.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface UserTokenRequest {
  /** A user name; its `oid` is `userObjectId(user)`. */
  readonly user: string;
  readonly roles: readonly string[];
  /** `aud`: the API app's client ID or identifier URI. */
  readonly audience: string;
  /** `scp` (space-separated delegated scopes); omitted when empty. */
  readonly scope?: string;
  /** `azp`: the client application (default: VS Code's public client ID). */
  readonly clientId: string;
  /** Issue a token that expired an hour ago. */
  readonly expired?: boolean;
  /** `tid` and `iss` for another tenant (negative tests). */
  readonly tenantId?: string;
  /** Lifetime in seconds (default 3600). */
  readonly lifetimeSeconds?: number;
}

export interface LocalIssuer {
  readonly tenantId: string;
  /** `https://login.microsoftonline.com/<tenant>/v2.0` */
  readonly issuer: string;
  readonly key: SigningKey;
  /** Signs any claims with the issuer's key (for malformed and negative variants). */
  mint(claims: Claims): string;
  /** A v2 delegated access token for a user. */
  userToken(request: UserTokenRequest): string;
  /** A v2 app-only token for a managed identity, for `resource`. */
  managedIdentityToken(resource: string, clientId: string): string;
}

export interface IssuerOptions {
  readonly tenantId: string;
  /** The gateway identity's principal (object) ID: the `oid` of its managed-identity tokens. */
  readonly managedIdentityObjectId?: string;
}

/** Strips a trailing `/.default` and slash, as Entra maps a `resource` to the token's `aud`. */
function audienceOfResource(resource: string): string {
  return resource.replace(/\/\.default$/, "").replace(/\/+$/, "");
}

export function createLocalIssuer(options: IssuerOptions): LocalIssuer {
  const key = createSigningKey();
  const { tenantId } = options;
  const issuer = entraIssuer(tenantId);
  const identityOid = options.managedIdentityObjectId ?? userObjectId("gateway-managed-identity");
  return {
    tenantId,
    issuer,
    key,
    mint: (claims) => key.sign(claims),
    userToken(request) {
      const now = Math.floor(Date.now() / 1000);
      const tid = request.tenantId ?? tenantId;
      const oid = userObjectId(request.user);
      const lifetime = request.lifetimeSeconds ?? 3600;
      const [iat, exp] = request.expired ? [now - 2 * lifetime, now - lifetime] : [now, now + lifetime];
      return key.sign({
        aud: request.audience,
        iss: entraIssuer(tid),
        iat,
        nbf: iat,
        exp,
        azp: request.clientId,
        azpacr: "0",
        name: request.user,
        oid,
        preferred_username: `${request.user}@local.test`,
        ...(request.roles.length > 0 ? { roles: [...request.roles] } : {}),
        ...(request.scope ? { scp: request.scope } : {}),
        sub: oid,
        tid,
        uti: randomUUID(),
        ver: "2.0",
      });
    },
    managedIdentityToken(resource, clientId) {
      const now = Math.floor(Date.now() / 1000);
      return key.sign({
        aud: audienceOfResource(resource),
        iss: issuer,
        iat: now,
        nbf: now,
        exp: now + 3600,
        azp: clientId,
        azpacr: "2",
        idtyp: "app",
        oid: identityOid,
        sub: identityOid,
        tid: tenantId,
        uti: randomUUID(),
        ver: "2.0",
      });
    },
  };
}

export interface RunningIssuer {
  readonly issuer: LocalIssuer;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `<url>/metadata/identity/oauth2/token` (contract.ts `managedIdentityEndpoint`). */
  readonly managedIdentityEndpoint: string;
  /** Every managed-identity token request seen, in order (resource and client ID). */
  readonly managedIdentityRequests: readonly { resource: string; clientId: string }[];
  stop(): Promise<void>;
}

const MINT_FIELDS = new Set(["user", "roles", "audience", "scope", "clientId", "expired", "tenantId"]);

/** Reads a `gateway:token` request body; throws with the field at fault. */
export function parseMintRequest(body: unknown): UserTokenRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new Error("body must be a JSON object");
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b))
    if (!MINT_FIELDS.has(k)) throw new Error(`unknown field ${JSON.stringify(k)}`);
  const str = (name: string, required: boolean): string | undefined => {
    const v = b[name];
    if (v === undefined && !required) return undefined;
    if (typeof v !== "string" || v.length === 0) throw new Error(`${name} must be a non-empty string`);
    return v;
  };
  const roles = b["roles"] ?? [];
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === "string" && r.length > 0)) {
    throw new Error("roles must be an array of non-empty strings");
  }
  if (b["expired"] !== undefined && typeof b["expired"] !== "boolean")
    throw new Error("expired must be a boolean");
  const scope = str("scope", false);
  const tenantId = str("tenantId", false);
  return {
    user: str("user", true)!,
    roles: roles as string[],
    audience: str("audience", true)!,
    clientId: str("clientId", true)!,
    ...(scope === undefined ? {} : { scope }),
    ...(tenantId === undefined ? {} : { tenantId }),
    expired: b["expired"] === true,
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** Serves `issuer` on 127.0.0.1 (port 0 = any free port). */
export async function startIssuer(issuer: LocalIssuer, port = 0): Promise<RunningIssuer> {
  const tenant = issuer.tenantId;
  const miRequests: { resource: string; clientId: string }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      sendJson(res, 200, openIdConfiguration(tenant));
    } else if (req.method === "GET" && url.pathname === `/${tenant}/discovery/v2.0/keys`) {
      sendJson(res, 200, issuer.key.jwks);
    } else if (req.method === "GET" && url.pathname === MANAGED_IDENTITY_PATH) {
      const resource = url.searchParams.get("resource");
      const clientId = url.searchParams.get("client_id") ?? "system-assigned";
      if (!resource) {
        sendJson(res, 400, { error: "invalid_request", error_description: "resource is required" });
        return;
      }
      miRequests.push({ resource, clientId });
      sendJson(res, 200, {
        access_token: issuer.managedIdentityToken(resource, clientId),
        expires_in: 3600,
        token_type: "Bearer",
        resource,
      });
    } else if (req.method === "POST" && url.pathname === MINT_PATH) {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (d: string) => (raw += d));
      req.on("end", () => {
        try {
          sendJson(res, 200, { access_token: issuer.userToken(parseMintRequest(JSON.parse(raw))) });
        } catch (error) {
          sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
        }
      });
    } else {
      sendJson(res, 404, { error: "not_found", path: url.pathname });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    url,
    managedIdentityEndpoint: `${url}${MANAGED_IDENTITY_PATH}`,
    managedIdentityRequests: miRequests,
    stop: () => closeServer(server),
  };
}

/** Closes a server and every connection it holds (keep-alive and SSE ones included). */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export type TokenVerdict =
  { readonly ok: true; readonly claims: Claims } | { readonly ok: false; readonly reason: string };

/**
 * What a backend behind the gateway checks of the bearer token it receives: signed by this issuer's key,
 * issued by this tenant, for `audience`, unexpired, and an app-only token (the gateway's managed identity),
 * never a user's delegated token passed through.
 */
export function verifyManagedIdentityToken(
  token: string,
  issuer: LocalIssuer,
  audience: string,
): TokenVerdict {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWS" };
  const [h = "", p = "", s = ""] = parts;
  const header = decodeSegment(h);
  const claims = decodeSegment(p);
  if (header === undefined || claims === undefined) return { ok: false, reason: "undecodable token" };
  const jwk = issuer.key.jwks.keys.find((k) => k.kid === header["kid"]);
  if (header["alg"] !== "RS256" || jwk === undefined)
    return { ok: false, reason: "unknown key or algorithm" };
  const key = createPublicKey({ key: jwk, format: "jwk" });
  if (!verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))) {
    return { ok: false, reason: "bad signature" };
  }
  if (claims["iss"] !== issuer.issuer) return { ok: false, reason: `issuer ${String(claims["iss"])}` };
  const exp = claims["exp"];
  if (typeof exp !== "number" || exp <= Date.now() / 1000) return { ok: false, reason: "expired" };
  if (claims["idtyp"] !== "app" || claims["scp"] !== undefined) {
    return {
      ok: false,
      reason: "a user's delegated token (passthrough), not the gateway's managed identity",
    };
  }
  if (claims["aud"] !== audienceOfResource(audience)) {
    return {
      ok: false,
      reason: `audience ${String(claims["aud"])}, expected ${audienceOfResource(audience)}`,
    };
  }
  return { ok: true, claims };
}
