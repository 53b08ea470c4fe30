/** One challenge of a WWW-Authenticate header (RFC 9110 §11.6.1). */
export interface Challenge {
  /** Lower-cased auth scheme, e.g. `bearer`. */
  readonly scheme: string;
  /** Auth-params with lower-cased names and unquoted values. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** Parses `Bearer resource_metadata="...", scope="a b", Basic realm="x"` into challenges. */
export function parseWwwAuthenticate(value: string): Challenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let rest = value;
  const skip = (): void => {
    rest = rest.replace(/^[\s,]+/, "");
  };
  skip();
  while (rest.length > 0) {
    const name = TOKEN.exec(rest)?.[0];
    if (name === undefined) break;
    rest = rest.slice(name.length);
    const afterSpaces = rest.replace(/^\s*/, "");
    if (afterSpaces.startsWith("=") && challenges.length > 0) {
      rest = afterSpaces.slice(1).replace(/^\s*/, "");
      let paramValue: string;
      if (rest.startsWith('"')) {
        let i = 1;
        paramValue = "";
        while (i < rest.length && rest[i] !== '"') {
          if (rest[i] === "\\" && i + 1 < rest.length) i += 1;
          paramValue += rest[i];
          i += 1;
        }
        rest = rest.slice(i + 1);
      } else {
        paramValue = TOKEN.exec(rest)?.[0] ?? "";
        rest = rest.slice(paramValue.length);
      }
      const current = challenges[challenges.length - 1];
      if (current) current.params[name.toLowerCase()] = paramValue;
    } else {
      challenges.push({ scheme: name.toLowerCase(), params: {} });
      // A token68 credential after the scheme carries nothing the checks need.
      rest = rest.replace(/^\s+[A-Za-z0-9._~+/-]+=*(?=\s*(,|$))/, "");
    }
    skip();
  }
  return challenges;
}

/** The Bearer challenge, if the header has one. */
export function bearerChallenge(value: string | undefined): Challenge | undefined {
  if (value === undefined) return undefined;
  return parseWwwAuthenticate(value).find((c) => c.scheme === "bearer");
}
