import { header, type HttpResponse } from "../http";
import {
  audiencesOf,
  decodeClaims,
  syntheticClaims,
  tamperPayload,
  tamperSignature,
  unsignedToken,
} from "../jwt";
import { findLeaks } from "../leaks";
import { initializeMessage, rawPost, summarize } from "../mcp";
import { type Check, type CheckContext, fail, verdict } from "../types";
import { bearerChallenge } from "../www-authenticate";
import { fetchMetadata } from "./metadata";

function allSecrets(ctx: CheckContext): string[] {
  return Object.values(ctx.options.tokens).filter((t): t is string => typeof t === "string");
}

/** A refusal of a presented credential: 401 and nothing internal in the body. */
function expectUnauthorized(ctx: CheckContext, label: string, res: HttpResponse): string[] {
  const problems: string[] = [];
  if (res.status !== 401) problems.push(`${label}: expected 401, got ${summarize(res)}`);
  const leaks = findLeaks(res.body, allSecrets(ctx));
  if (leaks.length > 0) problems.push(`${label}: body leaks ${leaks.join(", ")}`);
  return problems;
}

export const noTokenCheck: Check = {
  id: "auth.no-token",
  title: "No token: 401 with WWW-Authenticate carrying resource_metadata and scope",
  seedControls: ["MUST-2"],
  needs: [],
  async run(ctx) {
    const problems: string[] = [];
    const probes: [string, Promise<HttpResponse>][] = [
      ["POST", rawPost(ctx, { message: initializeMessage() })],
      [
        "GET",
        ctx.http.request({ method: "GET", url: ctx.options.url, headers: { accept: "text/event-stream" } }),
      ],
    ];
    let metadataUrl: string | undefined;
    let scope: string | undefined;
    for (const [label, pending] of probes) {
      const res = await pending;
      problems.push(...expectUnauthorized(ctx, label, res));
      if (res.status !== 401) continue;
      const challenge = bearerChallenge(header(res, "www-authenticate"));
      if (challenge === undefined) {
        problems.push(`${label}: 401 without a Bearer WWW-Authenticate challenge`);
        continue;
      }
      const rm = challenge.params["resource_metadata"];
      if (rm === undefined) problems.push(`${label}: challenge lacks resource_metadata`);
      if (!challenge.params["scope"]) problems.push(`${label}: challenge lacks scope`);
      metadataUrl ??= rm;
      scope ??= challenge.params["scope"];
    }
    if (metadataUrl !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(metadataUrl);
      } catch {
        problems.push(`resource_metadata ${JSON.stringify(metadataUrl)} is not a URL`);
      }
      if (url !== undefined) {
        if (url.protocol !== "https:") problems.push("resource_metadata is not https");
        problems.push(...(await fetchMetadata(ctx, url)).problems.map((p) => `resource_metadata: ${p}`));
      }
    }
    return verdict(problems, `401 on POST and GET; resource_metadata=${metadataUrl}; scope="${scope}"`);
  },
};

export const wrongAudienceCheck: Check = {
  id: "auth.wrong-audience",
  title: "A token issued for another audience: 401",
  seedControls: ["MUST-1", "7"],
  needs: ["wrongAudienceToken"],
  async run(ctx) {
    const token = ctx.options.tokens.wrongAudienceToken ?? "";
    const resource = ctx.options.url.href;
    if (audiencesOf(token).includes(resource)) {
      return fail(`the --wrong-audience-token-command token is issued for ${resource} itself`);
    }
    const res = await rawPost(ctx, { token, message: initializeMessage() });
    return verdict(expectUnauthorized(ctx, "wrong audience", res), "401, no internal detail");
  },
};

export const expiredTokenCheck: Check = {
  id: "auth.expired-token",
  title: "An expired token: 401 without internal detail",
  seedControls: ["MUST-1", "2"],
  needs: ["expiredToken"],
  async run(ctx) {
    const token = ctx.options.tokens.expiredToken ?? "";
    const exp = decodeClaims(token)?.["exp"];
    if (typeof exp === "number" && exp * 1000 > Date.now()) {
      return fail("the --expired-token-command token has not expired yet");
    }
    const res = await rawPost(ctx, { token, message: initializeMessage() });
    return verdict(expectUnauthorized(ctx, "expired", res), "401, no internal detail");
  },
};

export const malformedTokenCheck: Check = {
  id: "auth.malformed-token",
  title: "Malformed, unsigned or tampered tokens: 401 without internal detail",
  seedControls: ["MUST-1", "7"],
  needs: [],
  async run(ctx) {
    const token = ctx.options.tokens.token;
    const claims = (token && decodeClaims(token)) || syntheticClaims(ctx.options.url.href);
    const variants: [string, string][] = [
      ["not a JWT", "not-a-jwt"],
      ["random segments", `${"A".repeat(24)}.${"B".repeat(40)}.${"C".repeat(43)}`],
      ["alg none", unsignedToken(claims)],
    ];
    if (token !== undefined) {
      variants.push(
        ["tampered signature", tamperSignature(token)],
        ["tampered payload", tamperPayload(token)],
      );
    }
    const problems: string[] = [];
    for (const [label, value] of variants) {
      const res = await rawPost(ctx, { token: value, message: initializeMessage() });
      problems.push(...expectUnauthorized(ctx, label, res));
    }
    const labels = variants.map(([l]) => l).join(", ");
    return verdict(
      problems,
      `401 for ${labels}${token === undefined ? " (tampering variants need --token-command)" : ""}`,
    );
  },
};

export const noScopeCheck: Check = {
  id: "auth.no-scope",
  title: "A valid token without the delegated scope: refused (403 insufficient_scope or 401)",
  seedControls: ["MUST-1", "7"],
  needs: ["noScopeToken"],
  async run(ctx) {
    const token = ctx.options.tokens.noScopeToken ?? "";
    const scp = decodeClaims(token)?.["scp"];
    if (typeof scp === "string" && scp.trim().length > 0) {
      return fail("the --no-scope-token-command token carries a scope");
    }
    const res = await rawPost(ctx, { token, message: initializeMessage() });
    const problems: string[] = [];
    if (res.status !== 403 && res.status !== 401) problems.push(`expected 403 or 401, got ${summarize(res)}`);
    const leaks = findLeaks(res.body, allSecrets(ctx));
    if (leaks.length > 0) problems.push(`body leaks ${leaks.join(", ")}`);
    return verdict(problems, `${res.status}, no internal detail`);
  },
};

export const foreignTenantClaimCheck: Check = {
  id: "auth.tenant-claim",
  title: "A token whose tid claim names another tenant: 401",
  seedControls: ["MUST-1", "7"],
  needs: ["foreignTenantClaimToken"],
  async run(ctx) {
    const token = ctx.options.tokens.foreignTenantClaimToken ?? "";
    const tid = decodeClaims(token)?.["tid"];
    const ownTid =
      ctx.options.tokens.token === undefined ? undefined : decodeClaims(ctx.options.tokens.token)?.["tid"];
    if (tid !== undefined && tid === ownTid) {
      return fail(
        "the --foreign-tenant-claim-token-command token names the same tenant as --token-command's",
      );
    }
    const res = await rawPost(ctx, { token, message: initializeMessage() });
    return verdict(expectUnauthorized(ctx, "foreign tid", res), "401, no internal detail");
  },
};
