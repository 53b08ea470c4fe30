import { header, type HttpResponse } from "../http";
import { deleteSession, initializeMessage, rawPost } from "../mcp";
import { type Check, type CheckContext, verdict } from "../types";
import { metadataUrls } from "./metadata";

interface Sample {
  readonly label: string;
  /** Responses of the MCP endpoint itself must never be cached. */
  readonly endpoint: boolean;
  readonly res: HttpResponse;
}

/** Responses of each kind a client sees: metadata, a 401, and with a token a successful initialize. */
async function sampleResponses(ctx: CheckContext): Promise<Sample[]> {
  const token = ctx.options.tokens.token;
  const samples: Sample[] = [
    {
      label: "metadata",
      endpoint: false,
      res: await ctx.http.request({ method: "GET", url: metadataUrls(ctx.options.url).suffixed }),
    },
    { label: "401", endpoint: true, res: await rawPost(ctx, { message: initializeMessage() }) },
  ];
  if (token !== undefined) {
    const res = await rawPost(ctx, { token, message: initializeMessage() });
    await deleteSession(ctx, token, res);
    samples.push({ label: `initialize ${res.status}`, endpoint: true, res });
  }
  return samples;
}

/** One year: the usual floor for HSTS (and the preload list's requirement). */
const MIN_HSTS_MAX_AGE = 31_536_000;

export const securityHeadersCheck: Check = {
  id: "headers.security",
  title: "Strict-Transport-Security, X-Content-Type-Options: nosniff and Cache-Control: no-store present",
  seedControls: ["3", "8"],
  needs: [],
  async run(ctx) {
    const samples = await sampleResponses(ctx);
    const problems: string[] = [];
    for (const { label, endpoint, res } of samples) {
      const hsts = header(res, "strict-transport-security");
      const maxAge = Number(/max-age\s*=\s*"?(\d+)/i.exec(hsts ?? "")?.[1] ?? "NaN");
      if (hsts === undefined) problems.push(`${label}: no Strict-Transport-Security`);
      else if (!(maxAge >= MIN_HSTS_MAX_AGE))
        problems.push(`${label}: HSTS max-age below ${MIN_HSTS_MAX_AGE}`);
      if ((header(res, "x-content-type-options") ?? "").toLowerCase() !== "nosniff") {
        problems.push(`${label}: no X-Content-Type-Options: nosniff`);
      }
      if (endpoint && !/\bno-store\b/i.test(header(res, "cache-control") ?? "")) {
        problems.push(`${label}: no Cache-Control: no-store`);
      }
    }
    return verdict(problems, `on ${samples.map((s) => s.label).join(", ")}`);
  },
};

/** Headers that name the software or its version behind the gateway. */
const DISCLOSING_HEADERS = [
  "x-powered-by",
  "x-aspnet-version",
  "x-aspnetmvc-version",
  "x-sourcefiles",
  "x-generator",
  "x-runtime",
  "x-version",
];

export const noLeakHeadersCheck: Check = {
  id: "headers.no-leak",
  title: "No Server version, X-Powered-By style headers or backend cookies",
  seedControls: ["8"],
  needs: [],
  async run(ctx) {
    const samples = await sampleResponses(ctx);
    const problems = new Set<string>();
    for (const { res } of samples) {
      const server = header(res, "server");
      if (server !== undefined && /\d/.test(server)) problems.add(`Server: ${server}`);
      for (const name of DISCLOSING_HEADERS) {
        const value = header(res, name);
        if (value !== undefined) problems.add(`${name}: ${value}`);
      }
      // Sessions are the gateway's and tokens are bearer: no cookie from a backend reaches a client.
      if (header(res, "set-cookie") !== undefined) problems.add("Set-Cookie from the backend");
    }
    const servers = [...new Set(samples.map((s) => header(s.res, "server")).filter((s) => s !== undefined))];
    return verdict(
      problems.size === 0 ? [] : [`disclosing headers: ${[...problems].join("; ")}`],
      servers.length === 0
        ? "no Server header, no X-Powered-By"
        : `Server without version (${servers.join(", ")})`,
    );
  },
};
