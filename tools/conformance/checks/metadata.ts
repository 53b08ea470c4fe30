import { header } from "../http";
import { type Check, type CheckContext, type MetadataLocation, fail, verdict } from "../types";

/**
 * Where RFC 9728 metadata for the endpoint `https://host/<server>/mcp` lives:
 * - `suffixed`: `https://host/.well-known/oauth-protected-resource/<server>/mcp` (RFC 9728 §3.1, the
 *   form MCP clients try first);
 * - `endpoint`: `https://host/<server>/mcp/.well-known/oauth-protected-resource` (what this repo's
 *   gateway also serves: one API per server, so no shared root document);
 * - `root`: `https://host/.well-known/oauth-protected-resource` (the MCP fallback; only meaningful
 *   when the host serves a single MCP server).
 */
export function metadataUrls(endpoint: URL): Record<MetadataLocation, URL> {
  const path = endpoint.pathname.replace(/\/+$/, "");
  return {
    suffixed: new URL(`/.well-known/oauth-protected-resource${path}`, endpoint.origin),
    endpoint: new URL(`${path}/.well-known/oauth-protected-resource`, endpoint.origin),
    root: new URL("/.well-known/oauth-protected-resource", endpoint.origin),
  };
}

export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported?: readonly string[];
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string");

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/** Problems of one document; an empty list means it describes `endpoint` as MCP requires. */
export function validateMetadata(doc: unknown, endpoint: URL): string[] {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return ["not a JSON object"];
  const d = doc as Record<string, unknown>;
  const problems: string[] = [];
  if (d["resource"] !== endpoint.href) {
    problems.push(`resource ${JSON.stringify(d["resource"])} is not the endpoint ${endpoint.href}`);
  }
  const servers = d["authorization_servers"];
  if (!isStringArray(servers) || servers.length === 0) {
    problems.push("authorization_servers is missing or empty");
  } else if (!servers.every(isHttpsUrl)) {
    problems.push("authorization_servers holds a non-https URL");
  }
  const scopes = d["scopes_supported"];
  if (!isStringArray(scopes) || scopes.length === 0) problems.push("scopes_supported is missing or empty");
  const methods = d["bearer_methods_supported"];
  if (methods !== undefined && (!isStringArray(methods) || methods.some((m) => m !== "header"))) {
    problems.push(`bearer_methods_supported ${JSON.stringify(methods)} allows more than the header`);
  }
  return problems;
}

export interface FetchedMetadata {
  readonly url: URL;
  readonly doc?: ProtectedResourceMetadata;
  readonly problems: readonly string[];
}

/** Fetches and validates one metadata document, without credentials. */
export async function fetchMetadata(ctx: CheckContext, url: URL): Promise<FetchedMetadata> {
  const res = await ctx.http.request({ method: "GET", url, headers: { accept: "application/json" } });
  if (res.status !== 200) return { url, problems: [`${url.href} answered ${res.status}`] };
  const type = header(res, "content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    return { url, problems: [`${url.href} has content type ${JSON.stringify(type)}`] };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(res.body);
  } catch {
    return { url, problems: [`${url.href} is not JSON`] };
  }
  const problems = validateMetadata(doc, ctx.options.url).map((p) => `${url.pathname}: ${p}`);
  return { url, doc: problems.length === 0 ? (doc as ProtectedResourceMetadata) : undefined, problems };
}

const sorted = (values: readonly string[]): string => JSON.stringify([...values].sort());

export const metadataCheck: Check = {
  id: "prm.metadata",
  title: "Protected resource metadata at both well-known paths, consistent with each other and the endpoint",
  seedControls: ["MUST-1", "2"],
  needs: [],
  async run(ctx) {
    const urls = metadataUrls(ctx.options.url);
    const fetched = await Promise.all(ctx.options.metadataLocations.map((l) => fetchMetadata(ctx, urls[l])));
    const problems = fetched.flatMap((f) => f.problems);
    const docs = fetched.flatMap((f) => (f.doc ? [f.doc] : []));
    const [first, ...others] = docs;
    if (first === undefined) return fail(problems.join("; ") || "no metadata location configured");
    for (const other of others) {
      if (sorted(other.authorization_servers) !== sorted(first.authorization_servers)) {
        problems.push("the documents name different authorization_servers");
      }
      if (sorted(other.scopes_supported) !== sorted(first.scopes_supported)) {
        problems.push("the documents name different scopes_supported");
      }
    }
    return verdict(
      problems,
      `${ctx.options.metadataLocations.join(" + ")}: resource ${first.resource}, ` +
        `authorization_servers ${first.authorization_servers.join(" ")}, scopes ${first.scopes_supported.join(" ")}`,
    );
  },
};
