import { z } from "zod";
import type { identitySchema } from "./identity";
import type { keyVaultSchema } from "./key-vault";
import { resourceName, type NamingContext } from "../conventions/naming";
import {
  DNS_HOSTNAME,
  hostname,
  mcpProtocolRevision,
  pinnedImage,
  POLICY_LIMITS,
  roleValue,
  rpcMethodName,
  toolName,
  uniqueArray,
  type RefinementContext,
} from "./primitives";

const backendAuthSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("managedIdentity") }),
  z.strictObject({
    type: z.literal("apiKey"),
    headerName: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
    secretName: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, {
      error: "must name a secret listed in keyVault.secrets (the value never enters config in plaintext)",
    }),
  }),
]);

const containerSchema = z.strictObject({
  image: pinnedImage,
  targetPort: z.number().int().min(1).max(65535).default(8080),
  cpu: z.number().min(0.25).max(4).default(0.5),
  memoryGi: z.number().min(0.5).max(8).default(1),
  minReplicas: z.number().int().min(0).max(30).default(1),
  maxReplicas: z.number().int().min(1).max(30).default(3),
  allowedEgressHosts: uniqueArray(hostname("a host the workload may call")).default([]),
});

export const mcpServerSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, {
      error:
        "must be 2-32 lower-case letters, digits or '-', starting with a letter (it becomes the URL path /<name>/mcp)",
    }),
    displayName: z.string().min(1).max(100),
    backendUrl: z
      .url({
        protocol: /^https$/,
        // WHATWG URLs also accept hosts such as `{{x}}.com`; the backend is a DNS name.
        hostname: DNS_HOSTNAME,
        error: "must be an https:// URL (backends are called over TLS with certificate validation)",
      })
      .optional(),
    container: containerSchema.optional(),
    backendAuth: backendAuthSchema.default({ type: "managedIdentity" }),
    tools: z
      .array(
        z.strictObject({
          name: toolName,
          roles: uniqueArray(roleValue)
            .min(1)
            .max(POLICY_LIMITS.rolesPerTool, {
              error: `must list at most ${POLICY_LIMITS.rolesPerTool} roles (the MCP API policy must stay under 256 KiB)`,
            }),
        }),
      )
      .max(POLICY_LIMITS.toolsPerServer, {
        error: `must list at most ${POLICY_LIMITS.toolsPerServer} tools (the MCP API policy must stay under 256 KiB)`,
      })
      .min(1, {
        error: "must allow at least one tool: unknown tools are refused, so a server with none is unusable",
      }),
    /**
     * JSON-RPC methods besides tools/call and the lifecycle (initialize, notifications/initialized, ping,
     * notifications/cancelled) that the gateway lets through, each with the app roles that may call it (none:
     * the scope alone). Anything not listed is refused: deny by default.
     */
    methods: z
      .array(z.strictObject({ name: rpcMethodName, roles: uniqueArray(roleValue).default([]) }))
      .default([{ name: "tools/list", roles: [] }]),
    /**
     * The MCP protocol revisions this server's backend speaks, narrowing gatewayPolicy.supportedProtocolVersions
     * (every revision listed must be one the stack supports); absent: the stack's list.
     */
    protocolVersions: uniqueArray(mcpProtocolRevision).min(1).optional(),
    contentSafety: z
      .strictObject({ enabled: z.boolean(), failMode: z.enum(["closed", "open"]).default("closed") })
      .default({ enabled: false, failMode: "closed" }),
  })
  .superRefine((server, ctx) => {
    if ((server.backendUrl === undefined) === (server.container === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["backendUrl"],
        input: server.backendUrl,
        message:
          "give exactly one of backendUrl (an external MCP server) or container (a sandboxed workload)",
      });
    }
    const seen = new Set<string>();
    server.tools.forEach((tool, index) => {
      if (seen.has(tool.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["tools", index, "name"],
          input: tool.name,
          message: "is listed twice",
        });
      }
      seen.add(tool.name);
    });
    const methods = new Set<string>();
    server.methods.forEach((method, index) => {
      if (methods.has(method.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["methods", index, "name"],
          input: method.name,
          message: "is listed twice",
        });
      }
      methods.add(method.name);
    });
    if (server.container && server.backendAuth.type !== "managedIdentity") {
      ctx.addIssue({
        code: "custom",
        path: ["backendAuth", "type"],
        input: server.backendAuth.type,
        message:
          "must be managedIdentity for a container server (the gateway calls sandboxed workloads with its own Entra token)",
      });
    }
    if (server.container && server.container.memoryGi !== server.container.cpu * 2) {
      ctx.addIssue({
        code: "custom",
        path: ["container", "memoryGi"],
        input: server.container.memoryGi,
        message: `must be twice the CPU (${server.container.cpu * 2} for cpu ${server.container.cpu}): the Consumption profile only runs 0.5 GiB per 0.25 vCPU`,
      });
    }
    if (server.container && (server.container.cpu * 4) % 1 !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["container", "cpu"],
        input: server.container.cpu,
        message: "must be a multiple of 0.25 vCPU",
      });
    }
    if (server.container && server.container.minReplicas > server.container.maxReplicas) {
      ctx.addIssue({
        code: "custom",
        path: ["container", "minReplicas"],
        input: server.container.minReplicas,
        message: `must not exceed maxReplicas (${server.container.maxReplicas})`,
      });
    }
  });

export function checkCrossReferences(
  identity: z.output<typeof identitySchema>,
  keyVault: z.output<typeof keyVaultSchema>,
  mcpServers: z.output<typeof mcpServerSchema>[],
  ctx: RefinementContext,
): void {
  const config = { identity, keyVault, mcpServers };
  const roleValues = new Set<string>();
  config.identity.appRoles.forEach((role, index) => {
    if (roleValues.has(role.value)) {
      ctx.addIssue({
        code: "custom",
        path: ["identity", "appRoles", index, "value"],
        input: role.value,
        message: "is defined twice; app role values must be unique",
      });
    }
    roleValues.add(role.value);
  });
  if (roleValues.has(config.identity.scopeValue)) {
    ctx.addIssue({
      code: "custom",
      path: ["identity", "scopeValue"],
      input: config.identity.scopeValue,
      message: "must differ from every app role value (Entra shares one namespace between scopes and roles)",
    });
  }
  const allowedRoles = [...roleValues].join(", ");
  const assigned = new Set<string>();
  config.identity.accessAssignments.forEach((assignment, index) => {
    const pair = `${assignment.groupObjectId.toLowerCase()}/${assignment.role}`;
    if (assigned.has(pair)) {
      ctx.addIssue({
        code: "custom",
        path: ["identity", "accessAssignments", index],
        input: assignment,
        message: "assigns the same role to the same group twice",
      });
    }
    assigned.add(pair);
    if (!roleValues.has(assignment.role)) {
      ctx.addIssue({
        code: "custom",
        path: ["identity", "accessAssignments", index, "role"],
        input: assignment.role,
        message: `is not a defined app role (allowed: ${allowedRoles})`,
      });
    }
  });
  const serverNames = new Set<string>();
  const secretNames = new Set(config.keyVault.secrets.map((secret) => secret.name));
  config.mcpServers.forEach((server, serverIndex) => {
    if (serverNames.has(server.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["mcpServers", serverIndex, "name"],
        input: server.name,
        message: "is used by another MCP server; names must be unique",
      });
    }
    serverNames.add(server.name);
    server.methods.forEach((method, methodIndex) => {
      method.roles.forEach((role, roleIndex) => {
        if (!roleValues.has(role)) {
          ctx.addIssue({
            code: "custom",
            path: ["mcpServers", serverIndex, "methods", methodIndex, "roles", roleIndex],
            input: role,
            message: `is not a defined app role (allowed: ${allowedRoles})`,
          });
        }
      });
    });
    server.tools.forEach((tool, toolIndex) => {
      tool.roles.forEach((role, roleIndex) => {
        if (!roleValues.has(role)) {
          ctx.addIssue({
            code: "custom",
            path: ["mcpServers", serverIndex, "tools", toolIndex, "roles", roleIndex],
            input: role,
            message: `is not a defined app role (allowed: ${allowedRoles})`,
          });
        }
      });
    });
    if (server.backendAuth.type === "apiKey" && !secretNames.has(server.backendAuth.secretName)) {
      ctx.addIssue({
        code: "custom",
        path: ["mcpServers", serverIndex, "backendAuth", "secretName"],
        input: server.backendAuth.secretName,
        message: `is not listed in keyVault.secrets (listed: ${[...secretNames].join(", ") || "none"})`,
      });
    }
  });
  // infra/identity gives each managed-identity server a backend app `api://<tenant>/<stack>-<name>-backend`;
  // identifier URIs are unique in a tenant, so no other server may be named `<name>-backend`.
  const backendUriOwners = new Set(
    config.mcpServers.filter((server) => server.backendAuth.type === "managedIdentity").map((s) => s.name),
  );
  config.mcpServers.forEach((server, serverIndex) => {
    const owner = server.name.endsWith("-backend") ? server.name.slice(0, -"-backend".length) : undefined;
    if (owner !== undefined && backendUriOwners.has(owner)) {
      ctx.addIssue({
        code: "custom",
        path: ["mcpServers", serverIndex, "name"],
        input: server.name,
        message: `must not be "${owner}-backend": that is the Entra backend identifier of server ${owner} (identifier URIs are unique in a tenant); rename one of them`,
      });
    }
  });
  const secretNamesSeen = new Set<string>();
  config.keyVault.secrets.forEach((secret, index) => {
    // Key Vault secret names are case-insensitive.
    if (secretNamesSeen.has(secret.name.toLowerCase())) {
      ctx.addIssue({
        code: "custom",
        path: ["keyVault", "secrets", index, "name"],
        input: secret.name,
        message: "is used by another secret (Key Vault secret names are case-insensitive)",
      });
    }
    secretNamesSeen.add(secret.name.toLowerCase());
  });
  const keyNames = new Set<string>();
  config.keyVault.keys.forEach((key, index) => {
    // Key Vault object names are case-insensitive.
    if (keyNames.has(key.name.toLowerCase())) {
      ctx.addIssue({
        code: "custom",
        path: ["keyVault", "keys", index, "name"],
        input: key.name,
        message: "is used by another key",
      });
    }
    keyNames.add(key.name.toLowerCase());
  });
  if (!config.keyVault.keys.some((key) => key.purpose === "encryption" && key.type === "RSA-HSM")) {
    ctx.addIssue({
      code: "custom",
      path: ["keyVault", "keys"],
      input: config.keyVault.keys.map((key) => key.name),
      message: "must include an RSA-HSM key with purpose 'encryption' (customer-managed keys must be RSA)",
    });
  }
}

/**
 * Container App names allow 32 characters, so infra/conventions/naming shortens long ones; two container
 * servers whose names share a long prefix would get the same app (infra/workloads refuses that plan).
 * Uses the very naming function the workloads component uses, so the two cannot disagree.
 */
export function checkWorkloadNames(
  naming: Omit<NamingContext, "uniquenessSeed">,
  mcpServers: z.output<typeof mcpServerSchema>[],
  ctx: RefinementContext,
): void {
  const owners = new Map<string, string>();
  mcpServers.forEach((server, index) => {
    if (server.container === undefined) return;
    let appName: string;
    try {
      appName = resourceName("containerApp", { ...naming, uniquenessSeed: "" }, server.name);
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        path: ["mcpServers", index, "name"],
        input: server.name,
        message: `gives no valid Container App name: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    const owner = owners.get(appName);
    if (owner !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["mcpServers", index, "name"],
        input: server.name,
        message: `gives the same Container App name "${appName}" as server ${owner} (Azure allows 32 characters, so long names are shortened); make the names differ in their first characters`,
      });
    } else {
      owners.set(appName, server.name);
    }
  });
}

/**
 * Each server's protocolVersions must narrow the stack's gatewayPolicy.supportedProtocolVersions: a revision
 * the stack does not support would be refused before the server's own list is read.
 */
export function checkProtocolVersionNarrowing(
  stackVersions: readonly string[],
  mcpServers: readonly z.output<typeof mcpServerSchema>[],
  ctx: RefinementContext,
): void {
  mcpServers.forEach((server, serverIndex) => {
    server.protocolVersions?.forEach((version, index) => {
      if (stackVersions.includes(version)) return;
      ctx.addIssue({
        code: "custom",
        path: ["mcpServers", serverIndex, "protocolVersions", index],
        input: version,
        message: `must be one of gatewayPolicy.supportedProtocolVersions (${stackVersions.join(", ")}): a server can only narrow the stack's list`,
      });
    });
  });
}
