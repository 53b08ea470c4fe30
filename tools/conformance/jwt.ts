import { randomUUID } from "node:crypto";

/**
 * Unverified JWT helpers. The suite never trusts these values: it only reads claims to catch
 * operator mistakes (two tokens of one user, an "expired" token that is not) and to build
 * malformed variants of a token for the negative checks.
 */

export type Claims = Record<string, unknown>;

export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

/** A base64url segment holding a JSON object, or undefined. */
export function decodeSegment(segment: string): Claims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Claims)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The payload of a compact JWS, or undefined when it is not one. */
export function decodeClaims(token: string): Claims | undefined {
  const parts = token.split(".");
  return parts.length === 3 && parts[1] !== undefined ? decodeSegment(parts[1]) : undefined;
}

/** The user a token stands for: Entra's `oid`, else `sub`. */
export function subjectOf(token: string): string | undefined {
  const claims = decodeClaims(token);
  const id = claims?.["oid"] ?? claims?.["sub"];
  return typeof id === "string" ? id : undefined;
}

export function audiencesOf(token: string): string[] {
  const aud = decodeClaims(token)?.["aud"];
  if (typeof aud === "string") return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === "string") : [];
}

/** An unsigned (`alg: none`) token carrying `claims`. */
export function unsignedToken(claims: Claims): string {
  return `${base64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}.`;
}

/** Plausible claims for this resource when no real token is at hand. */
export function syntheticClaims(resource: string): Claims {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: resource,
    iss: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
    oid: randomUUID(),
    roles: ["MCP.Admin"],
    iat: now,
    nbf: now,
    exp: now + 3600,
  };
}

/** The same token with one character of its signature changed. */
export function tamperSignature(token: string): string {
  const [h, p, s = ""] = token.split(".");
  if (s.length < 4) return `${h}.${p}.${base64url("forged")}`;
  const i = Math.floor(s.length / 2);
  const flipped = s[i] === "A" ? "B" : "A";
  return `${h}.${p}.${s.slice(0, i)}${flipped}${s.slice(i + 1)}`;
}

/** The same header and signature over a payload granted more roles (an escalation attempt). */
export function tamperPayload(token: string): string {
  const [h, , s = ""] = token.split(".");
  const claims = decodeClaims(token) ?? {};
  const roles = Array.isArray(claims["roles"]) ? claims["roles"] : [];
  return `${h}.${base64url(JSON.stringify({ ...claims, roles: [...roles, "MCP.Admin"] }))}.${s}`;
}
