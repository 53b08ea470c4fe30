import { createPublicKey, type JsonWebKey, type KeyObject, randomUUID, verify } from "node:crypto";
import { decodeSegment } from "../../../../tools/conformance/jwt";
import { createSigningKey, entraIssuer } from "../../../../tools/gateway-local/issuer";

/** A JSON Web Key Set as an authorization server publishes it. */
export interface Jwks {
  readonly keys: readonly (JsonWebKey & { kid: string; alg: string; use: string })[];
}

/** An Entra-like token issuer for tests: one RS256 key, its JWKS, and a minting function. */
export interface TestIssuer {
  readonly tenantId: string;
  /** `https://login.microsoftonline.com/<tenant>/v2.0`, as Entra v2 tokens carry it. */
  readonly issuer: string;
  readonly jwks: Jwks;
  mint(claims: Readonly<Record<string, unknown>>): string;
}

/** The local gateway's signing key (tools/gateway-local/issuer.ts), with a random tenant. */
export function createTestIssuer(): TestIssuer {
  const key = createSigningKey();
  const tenantId = randomUUID();
  return { tenantId, issuer: entraIssuer(tenantId), jwks: key.jwks, mint: (claims) => key.sign(claims) };
}

export interface ValidationRules {
  readonly jwks: Jwks;
  readonly issuer: string;
  /** The identifier URI (the resource) and the API app's client ID: v2 tokens carry the latter. */
  readonly audiences: readonly string[];
  readonly checkSignature: boolean;
  readonly checkAudience: boolean;
  readonly checkLifetime: boolean;
  /** Seconds of clock skew tolerated on exp and nbf. */
  readonly clockSkewSeconds?: number;
}

export type Validation =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly error: "invalid_token"; readonly diagnostic: string };

const keyCache = new WeakMap<object, KeyObject>();

function publicKeyFor(jwks: Jwks, kid: unknown): KeyObject | undefined {
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (jwk === undefined) return undefined;
  let key = keyCache.get(jwk);
  if (key === undefined) {
    key = createPublicKey({ key: jwk, format: "jwk" });
    keyCache.set(jwk, key);
  }
  return key;
}

/** What validate-azure-ad-token does, reduced to the rules the gateway policy sets. */
export function validateToken(token: string, rules: ValidationRules): Validation {
  const bad = (diagnostic: string): Validation => ({ ok: false, error: "invalid_token", diagnostic });
  const parts = token.split(".");
  if (parts.length !== 3) return bad("IDX14100: JWT is not well formed, there are no dots (.).");
  const [h = "", p = "", s = ""] = parts;
  const header = decodeSegment(h);
  const claims = decodeSegment(p);
  if (header === undefined || claims === undefined)
    return bad("IDX14102: Unable to decode the header or payload.");
  if (rules.checkSignature) {
    if (header["alg"] !== "RS256")
      return bad(`IDX10511: Signature validation failed. alg '${String(header["alg"])}'.`);
    const key = publicKeyFor(rules.jwks, header["kid"]);
    if (key === undefined)
      return bad(`IDX10503: Signature validation failed. kid '${String(header["kid"])}'.`);
    if (!verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))) {
      return bad("IDX10511: Signature validation failed.");
    }
  }
  if (claims["iss"] !== rules.issuer)
    return bad(`IDX10205: Issuer validation failed. Issuer: '${String(claims["iss"])}'.`);
  if (rules.checkAudience) {
    const aud = claims["aud"];
    const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
    if (!audiences.some((a) => rules.audiences.includes(String(a)))) {
      return bad(`IDX10214: Audience validation failed. Audiences: '${audiences.join(", ")}'.`);
    }
  }
  if (rules.checkLifetime) {
    const now = Date.now() / 1000;
    const skew = rules.clockSkewSeconds ?? 0;
    const exp = claims["exp"];
    const nbf = claims["nbf"];
    if (typeof exp !== "number" || exp + skew <= now) {
      return bad(`IDX10223: Lifetime validation failed. The token is expired. ValidTo: '${String(exp)}'.`);
    }
    if (typeof nbf === "number" && nbf - skew > now)
      return bad("IDX10222: Lifetime validation failed. Not yet valid.");
  }
  if (typeof claims["oid"] !== "string") return bad("IDX10000: The claim 'oid' is missing.");
  return { ok: true, claims };
}
