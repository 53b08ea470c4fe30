import { z } from "zod";
import { cidrContains, cidrsOverlap, parseCidr } from "./cidr";
import { AZURE_REGIONS } from "./regions";

/**
 * The stack configuration schema. Every key lives under the project namespace
 * (`mcp-azure-gateway:<key>`); structured keys are YAML objects in `stacks/Pulumi.<stack>.yaml`.
 * Secure defaults are chosen here so that a stack file only states what differs.
 */

export const PROJECT_NAME = "mcp-azure-gateway";

/** VS Code's public client ID: the MCP client most users start with. */
export const VS_CODE_CLIENT_ID = "aebc6443-996d-45c2-90f0-388ff96faa56";

/** The MCP protocol revision this gateway is built for, and the older ones it still lets through. */
export const DEFAULT_MCP_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18"] as const;

const guid = z.guid({ error: "must be a GUID such as 00000000-0000-0000-0000-000000000000" });

const cidr = z.string().refine((value) => parseCidr(value) !== undefined, {
  error: "must be an IPv4 network in CIDR form such as 10.40.1.0/24 (no host bits set)",
});

/** A CIDR that also has to hold at least `/maxPrefix` worth of addresses. */
function subnetCidr(maxPrefix: number, why: string) {
  return cidr.refine((value) => (parseCidr(value)?.prefix ?? 0) <= maxPrefix, {
    error: `must be /${maxPrefix} or larger (${why})`,
  });
}

const repositorySlug = z.string().regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, {
  error: "must be a GitHub repository as <org>/<repo>",
});

/** Hostnames Entra ID can never verify, so they cannot be identifier URIs (AADSTS HostNameNotOnVerifiedDomain). */
const UNVERIFIABLE_HOST_SUFFIXES = [
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

const gatewayHostname = z
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

const renewalPeriod = z
  .number()
  .int()
  .min(1)
  .max(300, { error: "must be at most 300 seconds (API Management rate-limit-by-key limit)" });

const rateLimit = z.strictObject({
  calls: z.number().int().positive({ error: "must be a positive whole number of calls" }),
  renewalPeriodSeconds: renewalPeriod,
});

/** MCP tool names as the spec allows them (1-128 chars of letters, digits, `_`, `-`, `.`). */
const toolName = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, {
  error: "must be 1-128 characters of letters, digits, '_', '-' or '.' (MCP tool name rules)",
});

const roleValue = z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,119}$/, {
  error: "must start with a letter and use only letters, digits, '.', '_' or '-' (Entra app role value)",
});

/** A container image pinned by digest, never by a mutable tag (supply-chain control 12). */
const pinnedImage = z.string().regex(/^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+@sha256:[a-f0-9]{64}$/, {
  error: "must be pinned by digest: <registry>/<repository>@sha256:<64 hex digits> (tags are mutable)",
});

const secretConfigKey = z.string().regex(/^[A-Za-z][A-Za-z0-9]{1,63}$/, {
  error:
    "must be the name of a secret stack config key (letters and digits), set with `pulumi config set --secret`",
});

const environment = z.enum(["dev", "staging", "prod"]);
export type EnvironmentName = z.infer<typeof environment>;

const tagsSchema = z.strictObject({
  owner: z.email({ error: "must be an e-mail address of the owning team" }),
  costCenter: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, { error: "must be 1-32 letters, digits or '-'" }),
  dataClassification: z.enum(["public", "internal", "confidential", "restricted"]),
  repository: repositorySlug,
});

const networkSchema = z
  .strictObject({
    addressSpace: subnetCidr(22, "room for all subnets"),
    subnets: z.strictObject({
      edge: subnetCidr(26, "Application Gateway v2 needs at least /26, /24 recommended"),
      gateway: subnetCidr(27, "API Management VNet injection and scale-out need at least /27"),
      privateEndpoints: subnetCidr(28, "one address per private endpoint"),
      workloads: subnetCidr(27, "a Container Apps workload-profiles environment needs at least /27"),
      gatewayIntegration: subnetCidr(27, "API Management v2 VNet integration needs at least /27").optional(),
    }),
    ddosProtection: z.boolean().default(false),
    flowLogs: z.boolean().default(false),
  })
  .superRefine((network, ctx) => checkAddressPlan(network, ctx));

const gatewaySchema = z
  .strictObject({
    hostname: gatewayHostname,
    publisherName: z.string().min(1).max(100),
    publisherEmail: z.email({ error: "must be an e-mail address" }),
    sku: z.enum(["Developer", "Premium", "StandardV2"], {
      error:
        "must be Developer, Premium or StandardV2: the tiers that keep API Management off the public internet (Consumption, Basic and Standard cannot)",
    }),
    capacity: z.number().int().min(1).max(12),
    zones: z.array(z.enum(["1", "2", "3"])).default([]),
    tlsCertificateName: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,127}$/)
      .default("mcp-gateway-tls"),
    minApiVersion: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine((value) => value >= "2019-12-01", {
        error: "must be 2019-12-01 or later (Azure built-in policy: API Management minimum API version)",
      })
      .default("2021-08-01"),
  })
  .superRefine((gateway, ctx) => {
    if (gateway.zones.length > 0 && gateway.capacity % gateway.zones.length !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["capacity"],
        input: gateway.capacity,
        message: `must be a multiple of the number of zones (${gateway.zones.length}): API Management spreads units evenly over its zones`,
      });
    }
  });

const edgeSchema = z.strictObject({
  minCapacity: z.number().int().min(0).max(125),
  maxCapacity: z.number().int().min(2).max(125),
  zones: z.array(z.enum(["1", "2", "3"])).default([]),
});

const keySchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, { error: "must be 1-127 letters, digits or '-'" }),
    purpose: z.enum(["encryption", "signing"]),
    type: z.enum(["RSA-HSM", "EC-HSM"], {
      error: "must be RSA-HSM or EC-HSM: software-protected keys (RSA, EC) do not meet the HSM requirement",
    }),
    size: z
      .union([z.literal(3072), z.literal(4096)], {
        error: "must be 3072 or 4096 bits for RSA-HSM (2048-bit RSA is below the baseline)",
      })
      .optional(),
    curve: z.enum(["P-256", "P-384", "P-521"]).optional(),
    expiryDays: z.number().int().min(30).max(730, { error: "must be at most 730 days (MCSB key validity)" }),
    rotateBeforeExpiryDays: z.number().int().min(7).max(365),
  })
  .superRefine((key, ctx) => {
    if (key.type === "RSA-HSM" && key.size === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["size"],
        input: key.size,
        message: "is required for RSA-HSM (3072 or 4096)",
      });
    }
    if (key.type === "RSA-HSM" && key.curve !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["curve"],
        input: key.curve,
        message: "only applies to EC-HSM keys",
      });
    }
    if (key.type === "EC-HSM" && key.curve === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["curve"],
        input: key.curve,
        message: "is required for EC-HSM (P-256, P-384 or P-521)",
      });
    }
    if (key.type === "EC-HSM" && key.size !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["size"],
        input: key.size,
        message: "only applies to RSA-HSM keys",
      });
    }
    if (key.expiryDays - key.rotateBeforeExpiryDays < 7) {
      ctx.addIssue({
        code: "custom",
        path: ["rotateBeforeExpiryDays"],
        input: key.rotateBeforeExpiryDays,
        message: `must be at most expiryDays - 7 (${key.expiryDays - 7}) so each key version lives at least a week before it rotates`,
      });
    }
  });

const vaultSecretSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, { error: "must be 1-127 letters, digits or '-'" }),
  configKey: secretConfigKey,
  contentType: z.string().min(1).max(255).default("text/plain"),
  expiryDays: z.number().int().min(1).max(730),
  /** A fixed expiry date (YYYY-MM-DD), reset when the value is rotated; otherwise first creation + expiryDays. */
  expiresOn: z.iso.date({ error: "must be a date as YYYY-MM-DD" }).optional(),
});

const keyVaultSchema = z
  .strictObject({
    sku: z.literal("premium", {
      error: "must be premium: HSM-backed keys (RSA-HSM, EC-HSM) need the premium SKU",
    }),
    softDeleteRetentionDays: z
      .number()
      .int()
      .min(90, { error: "must be 90 days (the maximum) so a deleted vault stays recoverable" })
      .max(90)
      .default(90),
    keys: z
      .array(keySchema)
      .min(1, { error: "must list at least one key (the customer-managed encryption key)" }),
    secrets: z.array(vaultSecretSchema).default([]),
    managedHsm: z.boolean().default(false),
    /** Entra object IDs that administer the Managed HSM (required when managedHsm is on). */
    managedHsmAdministrators: z.array(guid).default([]),
  })
  .superRefine((vault, ctx) => {
    if (vault.managedHsm && vault.managedHsmAdministrators.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["managedHsmAdministrators"],
        input: vault.managedHsmAdministrators,
        message:
          "must list at least one Entra object ID when managedHsm is true (a Managed HSM needs initial administrators)",
      });
    }
  });

const appRoleSchema = z.strictObject({
  value: roleValue,
  displayName: z.string().min(1).max(120),
  description: z.string().min(1).max(250),
});

const identitySchema = z.strictObject({
  /** The delegated scope clients request (`<resource URL>/<scopeValue>`); the gateway requires it in `scp`. */
  scopeValue: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9._-]{0,39}$/, {
      error: "must start with a letter and use letters, digits, '.', '_' or '-'",
    })
    .default("user_impersonation"),
  appRoles: z
    .array(appRoleSchema)
    .min(1, { error: "must define at least one app role (tools are authorized by role)" }),
  preAuthorizedClientIds: z.array(guid).default([VS_CODE_CLIENT_ID]),
  accessAssignments: z.array(z.strictObject({ groupObjectId: guid, role: roleValue })).default([]),
  firstPartyClient: z
    .strictObject({
      enabled: z.boolean(),
      loopbackPorts: z.array(z.number().int().min(1024).max(65535)).default([]),
    })
    .default({ enabled: false, loopbackPorts: [] }),
  github: z.strictObject({
    repository: repositorySlug,
    environment: z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/),
  }),
});

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
  allowedEgressHosts: z.array(z.string().regex(/^[a-z0-9.-]+$/)).default([]),
});

const mcpServerSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, {
      error:
        "must be 2-32 lower-case letters, digits or '-', starting with a letter (it becomes the URL path /<name>/mcp)",
    }),
    displayName: z.string().min(1).max(100),
    backendUrl: z
      .url({
        protocol: /^https$/,
        error: "must be an https:// URL (backends are called over TLS with certificate validation)",
      })
      .optional(),
    container: containerSchema.optional(),
    backendAuth: backendAuthSchema.default({ type: "managedIdentity" }),
    tools: z.array(z.strictObject({ name: toolName, roles: z.array(roleValue).min(1) })).min(1, {
      error: "must allow at least one tool: unknown tools are refused, so a server with none is unusable",
    }),
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

const gatewayPolicySchema = z.strictObject({
  allowedOrigins: z
    .array(
      z.url({ protocol: /^https?$/ }).refine((v) => new URL(v).origin === v, {
        error: "must be a bare origin such as https://app.contoso.com",
      }),
    )
    .default([]),
  maxRequestBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024)
    .default(1024 * 1024),
  sessionTtlSeconds: z.number().int().min(60).max(86400).default(3600),
  supportedProtocolVersions: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .min(1)
    .default([...DEFAULT_MCP_PROTOCOL_VERSIONS]),
  rateLimits: z.strictObject({
    perUser: rateLimit,
    perUserSession: rateLimit,
    perUserTool: rateLimit,
    /** Classic tiers only: quota-by-key does not exist on the v2 tiers. */
    dailyQuotaPerUser: z.number().int().positive().optional(),
  }),
});

const monitoringSchema = z.strictObject({
  retentionDays: z.number().int().min(30).max(730),
  dailyQuotaGb: z.number().positive().max(1000),
  alertEmails: z
    .array(z.email({ error: "must be an e-mail address" }))
    .min(1, { error: "must name at least one responder" }),
  /** A secret config key holding an alert webhook URL (such URLs embed a token). */
  alertWebhookSecretKey: secretConfigKey.optional(),
  /** Entra object ID of the user or group that Sentinel incidents are assigned to. */
  incidentOwnerObjectId: guid.optional(),
  /** Resource ID of a Logic App playbook that contains a compromised identity (run on High incidents). */
  containmentPlaybookId: z
    .string()
    .regex(
      /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Logic\/workflows\/[^/]+$/i,
      {
        error:
          "must be a Logic App resource ID: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Logic/workflows/<name>",
      },
    )
    .optional(),
});

const featuresSchema = z.strictObject({
  sentinel: z.boolean().default(true),
  protectStatefulResources: z.boolean().default(true),
  resourceLocks: z.boolean().default(false),
});

export const stackConfigSchema = z
  .strictObject({
    environment,
    location: z.enum(AZURE_REGIONS),
    tenantId: guid,
    namePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,7}$/, {
        error: "must be 2-8 lower-case letters or digits, starting with a letter",
      })
      .default("mcpgw"),
    tags: tagsSchema,
    network: networkSchema,
    gateway: gatewaySchema,
    edge: edgeSchema,
    keyVault: keyVaultSchema,
    identity: identitySchema,
    mcpServers: z.array(mcpServerSchema).min(1, { error: "must list at least one MCP server" }),
    gatewayPolicy: gatewayPolicySchema,
    monitoring: monitoringSchema,
    features: featuresSchema.default({
      sentinel: true,
      protectStatefulResources: true,
      resourceLocks: false,
    }),
  })
  .superRefine(
    (config, ctx) => {
      // Runs even when other keys are invalid (so every problem is reported at once); each check
      // re-reads the sections it needs and skips those that already failed.
      const sections = {
        environment: environment.safeParse(config.environment),
        network: networkSchema.safeParse(config.network),
        gateway: gatewaySchema.safeParse(config.gateway),
        features: featuresSchema
          .default({ sentinel: true, protectStatefulResources: true, resourceLocks: false })
          .safeParse(config.features),
        identity: identitySchema.safeParse(config.identity),
        keyVault: keyVaultSchema.safeParse(config.keyVault),
        mcpServers: z.array(mcpServerSchema).safeParse(config.mcpServers),
      };
      if (sections.network.success && sections.gateway.success) {
        checkGatewaySubnets(sections.network.data, sections.gateway.data.sku, ctx);
      }
      const policy = gatewayPolicySchema.safeParse(config.gatewayPolicy);
      if (policy.success && sections.gateway.success) {
        checkGatewayTierFeatures(sections.gateway.data.sku, policy.data, ctx);
      }
      if (sections.environment.success && sections.gateway.success && sections.features.success) {
        checkProductionPosture(sections.environment.data, sections.gateway.data, sections.features.data, ctx);
      }
      if (sections.identity.success && sections.keyVault.success && sections.mcpServers.success) {
        checkCrossReferences(sections.identity.data, sections.keyVault.data, sections.mcpServers.data, ctx);
      }
    },
    { when: () => true },
  );

type NetworkInput = z.infer<typeof networkSchema>;
type RefinementContext = z.RefinementCtx;

function checkGatewaySubnets(network: NetworkInput, sku: string, ctx: RefinementContext): void {
  if (sku === "StandardV2" && network.subnets.gatewayIntegration === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["network", "subnets", "gatewayIntegration"],
      input: undefined,
      message:
        "is required when gateway.sku is StandardV2 (outbound VNet integration needs its own delegated subnet)",
    });
  }
}

function checkAddressPlan(network: Omit<NetworkInput, never>, ctx: RefinementContext): void {
  const space = parseCidr(network.addressSpace);
  if (!space) return; // already reported
  const entries = Object.entries(network.subnets).filter(
    (e): e is [string, string] => typeof e[1] === "string",
  );
  const parsed = entries.map(([name, text]) => ({ name, cidr: parseCidr(text) }));
  for (const { name, cidr: subnet } of parsed) {
    if (subnet && !cidrContains(space, subnet)) {
      ctx.addIssue({
        code: "custom",
        path: ["subnets", name],
        input: subnet.text,
        message: `must lie inside the VNet address space ${space.text}`,
      });
    }
  }
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (a.cidr && b.cidr && cidrsOverlap(a.cidr, b.cidr)) {
        ctx.addIssue({
          code: "custom",
          path: ["subnets", b.name],
          input: b.cidr.text,
          message: `overlaps subnet ${a.name} (${a.cidr.text}); subnets must not overlap`,
        });
      }
    }
  }
}

function checkGatewayTierFeatures(
  sku: string,
  policy: z.output<typeof gatewayPolicySchema>,
  ctx: RefinementContext,
): void {
  if (sku === "StandardV2" && policy.rateLimits.dailyQuotaPerUser !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["gatewayPolicy", "rateLimits", "dailyQuotaPerUser"],
      input: policy.rateLimits.dailyQuotaPerUser,
      message:
        "must not be set with gateway.sku StandardV2: quota-by-key is only available on the classic tiers (Developer, Premium)",
    });
  }
}

function checkProductionPosture(
  env: EnvironmentName,
  gateway: z.output<typeof gatewaySchema>,
  features: z.output<typeof featuresSchema>,
  ctx: RefinementContext,
): void {
  if (env !== "prod") return;
  if (gateway.sku !== "Premium") {
    ctx.addIssue({
      code: "custom",
      path: ["gateway", "sku"],
      input: gateway.sku,
      message:
        "must be Premium in prod (Developer has no SLA; Premium gives zone redundancy in Internal VNet mode)",
    });
  }
  if (gateway.capacity < 2) {
    ctx.addIssue({
      code: "custom",
      path: ["gateway", "capacity"],
      input: gateway.capacity,
      message: "must be at least 2 units in prod",
    });
  }
  if (gateway.zones.length < 2) {
    ctx.addIssue({
      code: "custom",
      path: ["gateway", "zones"],
      input: gateway.zones,
      message: "must list at least 2 availability zones in prod",
    });
  }
  if (!features.protectStatefulResources) {
    ctx.addIssue({
      code: "custom",
      path: ["features", "protectStatefulResources"],
      input: false,
      message: "must be true in prod (Key Vault, keys and the workspace are protected from deletion)",
    });
  }
}

function checkCrossReferences(
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
  const keyNames = new Set<string>();
  config.keyVault.keys.forEach((key, index) => {
    if (keyNames.has(key.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["keyVault", "keys", index, "name"],
        input: key.name,
        message: "is used by another key",
      });
    }
    keyNames.add(key.name);
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

/** The validated stack configuration as the components consume it (deeply frozen). */
export type StackConfig = z.output<typeof stackConfigSchema>;
export type McpServerConfig = StackConfig["mcpServers"][number];
export type KeyConfig = StackConfig["keyVault"]["keys"][number];
export type RateLimitConfig = z.output<typeof rateLimit>;

/** Top-level keys the schema knows; anything else under the project namespace is reported as unknown. */
export const CONFIG_KEYS: readonly string[] = Object.keys(stackConfigSchema.shape);
