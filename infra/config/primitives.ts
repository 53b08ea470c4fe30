import { z } from "zod";
import { parseCidr } from "./cidr";

/** Value types shared by several config sections: one definition each, with the error a user sees. */

export const PROJECT_NAME = "mcp-azure-gateway";

/** VS Code's public client ID: the MCP client most users start with. */
export const VS_CODE_CLIENT_ID = "aebc6443-996d-45c2-90f0-388ff96faa56";

/**
 * The MCP protocol revisions whose rules the gateway knows (docs/gateway.md, "Protocol revisions"): the
 * modern one (per-request `_meta`, routing headers, no sessions) and the legacy ones (initialize handshake,
 * sessions). A revision outside this list has no rules here, so config cannot name it.
 */
export const MCP_PROTOCOL_REVISIONS = ["2026-07-28", "2025-11-25", "2025-06-18"] as const;
export type McpProtocolRevision = (typeof MCP_PROTOCOL_REVISIONS)[number];
/** Revisions served statelessly with the SEP-2243 routing headers (2026-07-28 "Versioning", "Modern"). */
export const MODERN_MCP_PROTOCOL_REVISIONS: readonly McpProtocolRevision[] = ["2026-07-28"];
/** What a stack supports unless it narrows the list: every revision the gateway knows. */
export const DEFAULT_MCP_PROTOCOL_VERSIONS = MCP_PROTOCOL_REVISIONS;

/** One MCP protocol revision the gateway knows. */
export const mcpProtocolRevision = z.enum(MCP_PROTOCOL_REVISIONS, {
  error: `must be an MCP protocol revision the gateway knows: ${MCP_PROTOCOL_REVISIONS.join(", ")}`,
});

export const guid = z.guid({ error: "must be a GUID such as 00000000-0000-0000-0000-000000000000" });

export const cidr = z.string().refine((value) => parseCidr(value) !== undefined, {
  error: "must be an IPv4 network in CIDR form such as 10.40.1.0/24 (no host bits set)",
});

/** A CIDR that also has to hold at least `/maxPrefix` worth of addresses. */
export function subnetCidr(maxPrefix: number, why: string) {
  return cidr.refine((value) => (parseCidr(value)?.prefix ?? 0) <= maxPrefix, {
    error: `must be /${maxPrefix} or larger (${why})`,
  });
}

export const repositorySlug = z.string().regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, {
  error: "must be a GitHub repository as <org>/<repo>",
});

/** Hostnames Entra ID can never verify, so they cannot be identifier URIs (AADSTS HostNameNotOnVerifiedDomain). */
export const UNVERIFIABLE_HOST_SUFFIXES = [
  ".azure-api.net",
  ".azurewebsites.net",
  ".cloudapp.azure.com",
  ".azurecontainerapps.io",
  ".azurefd.net",
  ".trafficmanager.net",
  ".onmicrosoft.com",
  ".localhost",
  ".local",
  ".example",
  ".invalid",
  ".test",
];

export const gatewayHostname = z
  .string()
  .refine((value) => !/^[a-z]+:\/\//i.test(value), {
    error: "give the hostname only, without https:// (the gateway always serves https)",
  })
  .pipe(
    z
      .string()
      .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
        error: "must be a lower-case DNS hostname with at least two labels, such as mcp.contoso.com",
      })
      .refine((value) => !UNVERIFIABLE_HOST_SUFFIXES.some((suffix) => value.endsWith(suffix)), {
        error: `must be on a custom domain verified in your Entra tenant; Azure default domains (${UNVERIFIABLE_HOST_SUFFIXES.slice(0, 5).join(", ")}, ...) cannot be Entra identifier URIs`,
      }),
  );

export const renewalPeriod = z
  .number()
  .int()
  .min(1)
  .max(300, { error: "must be at most 300 seconds (API Management rate-limit-by-key limit)" });

/** API Management policy attributes such as `calls` are 32-bit integers. */
export const MAX_POLICY_INT = 2147483647;

export const rateLimit = z.strictObject({
  calls: z
    .number()
    .int()
    .positive({ error: "must be a positive whole number of calls" })
    .max(MAX_POLICY_INT, { error: `must be at most ${MAX_POLICY_INT} (a 32-bit policy attribute)` }),
  renewalPeriodSeconds: renewalPeriod,
});

/** MCP tool names as the spec allows them (1-128 chars of letters, digits, `_`, `-`, `.`). */
export const toolName = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, {
  error: "must be 1-128 characters of letters, digits, '_', '-' or '.' (MCP tool name rules)",
});

/** Lifecycle methods pass with the scope alone; tools/call by its tools; task methods cannot be scoped. */
const UNCONFIGURABLE_METHODS = new Set([
  "initialize",
  "notifications/initialized",
  "ping",
  "notifications/cancelled",
  "tools/call",
]);

/** A JSON-RPC method an MCP server may allow (deny by default); see mcpServers[].methods. */
export const rpcMethodName = z
  .string()
  .regex(/^[a-z][A-Za-z0-9_/]{0,127}$/, {
    error: "must be a JSON-RPC method name such as resources/read (letters, digits, '_' and '/')",
  })
  .refine((value) => !UNCONFIGURABLE_METHODS.has(value), {
    error:
      "must not be a lifecycle method (initialize, notifications/initialized, ping, notifications/cancelled: always allowed with the scope) or tools/call (allowed per tool under tools)",
  })
  .refine((value) => !value.startsWith("tasks/"), {
    error:
      "must not be a tasks/* method: on 2026-07-28 the gateway binds tasks/get, tasks/update and tasks/cancel to the task's creator itself; on 2025-11-25 it cannot bind a task, so another user could read or cancel it",
  })
  .refine((value) => value !== "server/discover", {
    error: "must not be server/discover (a lifecycle method of 2026-07-28: always allowed with the scope)",
  });

export const roleValue = z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,119}$/, {
  error: "must start with a letter and use only letters, digits, '.', '_' or '-' (Entra app role value)",
});

/** A container image pinned by digest, never by a mutable tag (supply-chain control 12). */
export const pinnedImage = z
  .string()
  .regex(/^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+@sha256:[a-f0-9]{64}$/, {
    error: "must be pinned by digest: <registry>/<repository>@sha256:<64 hex digits> (tags are mutable)",
  })
  // infra/workloads/images.ts parsePinnedImage refuses these too, at the point of use.
  .refine(
    (value) =>
      !value
        .replace(/@.*$/, "")
        .split("/")
        .slice(1)
        .some((segment) => segment === "" || segment === "." || segment === ".."),
    { error: "must not have an empty, '.' or '..' repository path segment" },
  );

export const secretConfigKey = z.string().regex(/^[A-Za-z][A-Za-z0-9]{1,63}$/, {
  error:
    "must be the name of a secret stack config key (letters and digits), set with `pulumi config set --secret`",
});

/**
 * An array whose items must not repeat (compared by `identity`, e.g. lower-cased GUIDs): a repeated
 * zone, origin, client ID or e-mail is at best redundant and at worst a duplicate Azure resource name.
 */
export function uniqueArray<T extends z.ZodType>(
  item: T,
  identity: (value: z.output<T>) => string = (value) => JSON.stringify(value),
) {
  return z.array(item).superRefine((items, ctx) => {
    const seen = new Map<string, number>();
    items.forEach((value, index) => {
      const id = identity(value);
      const first = seen.get(id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          input: value,
          message: `repeats item [${first}]; every item must be unique`,
        });
      } else {
        seen.set(id, index);
      }
    });
  });
}

/** Parses a URL without throwing (refinements must report, never crash, on the input they reject). */
export function tryParseUrl(value: string): URL | undefined {
  return URL.canParse(value) ? new URL(value) : undefined;
}

/** A DNS host name as URL parsing leaves it (lower case), at least two labels. */
export const DNS_HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * What the MCP API policy can carry (API Management refuses policy documents over 256 KiB): the
 * largest config these limits allow is rendered in test/gateway/scale.test.ts.
 */
export const POLICY_LIMITS = {
  toolsPerServer: 100,
  rolesPerTool: 10,
  allowedOrigins: 20,
  supportedProtocolVersions: 10,
  preAuthorizedClientIds: 50,
} as const;

/** A DNS host name (lower case, at least two labels); `what` names the use in the error. */
export function hostname(what: string) {
  return z.string().regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: `must be a lower-case DNS host name with at least two labels, such as api.contoso.com (${what})`,
  });
}

export const environment = z.enum(["dev", "staging", "prod"]);
export type EnvironmentName = z.infer<typeof environment>;

export type RefinementContext = z.RefinementCtx;
