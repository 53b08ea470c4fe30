/** Anything shaped like a JWT (three base64url segments, the first two JSON objects). */
const JWT_SHAPE = /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** The value after "Bearer " wherever a request or header got echoed. */
const BEARER_VALUE = /(Bearer\s+)(?![\w-]+\s*=\s*["\w])[A-Za-z0-9._~+/=-]{8,}/gi;

export const REDACTED = "[redacted]";

/**
 * Removes secrets from text meant for a terminal, a report or an error message: the exact secret
 * values first, then anything that looks like a bearer token, in case a server echoed a variant.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out.replace(JWT_SHAPE, REDACTED).replace(BEARER_VALUE, `$1${REDACTED}`);
}
