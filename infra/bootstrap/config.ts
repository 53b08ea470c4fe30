/**
 * Config of the bootstrap stack (the Pulumi state backend and secrets provider), validated before any
 * resource is declared. Pure: takes the engine's config map (`<project>:<key>` -> JSON text or string).
 */
import { z } from "zod";
import { parseCidr } from "../config/cidr";
import { AZURE_REGIONS } from "../config/regions";

export const BOOTSTRAP_PROJECT = "mcp-azure-gateway-bootstrap";

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: "must be a GUID" });
const armId = (what: string) =>
  z.string().regex(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/.+$/i, {
    error: `must be the ARM ID of ${what}`,
  });
const ipRange = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}(\/(1[6-9]|2\d|3[0-2]))?$/, {
    error: "must be a public IPv4 address or CIDR range (/16-/32)",
  })
  // The pattern alone lets 999.1.1.1 and 10.0.0.1/16 through; Azure would refuse them only at deployment.
  .refine((value) => parseCidr(value.includes("/") ? value : `${value}/32`) !== undefined, {
    error: "must have octets 0-255 and, as a range, no host bits set (10.1.0.0/16, not 10.1.0.1/16)",
  });

const principal = z.strictObject({
  objectId: guid,
  type: z.enum(["ServicePrincipal", "User", "Group"]),
  /** What the principal is, for the reader of the stack file (e.g. `deployer dev`). */
  description: z.string().min(1),
});

/**
 * Read-only CI identities, one per environment, for pull-request previews and nightly drift checks: they run
 * in GitHub environments `<env>-readonly` that pull requests may use and that have no reviewers, so the
 * deploy environments stay restricted to `main` (docs/delivery.md, "Identities").
 */
const ciReaders = z.strictObject({
  /** `<owner>/<repo>`: the federated credentials' subject is `repo:<this>:environment:<env>-readonly`. */
  repository: z.string().regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, {
    error: "must be <owner>/<repo> as on GitHub (the fork's own repository)",
  }),
  /** The subscription the environments live in: the readers get Reader on it (before the first `up`, no resource group exists to scope to). */
  subscriptionId: guid,
  environments: z
    .array(z.enum(["dev", "staging", "prod"]))
    .min(1, { error: "must list at least one environment" }),
});

export const bootstrapConfigSchema = z
  .strictObject({
    location: z.enum(AZURE_REGIONS),
    tenantId: guid,
    namePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,7}$/, {
        error: "must be 2-8 lower-case letters or digits, starting with a letter",
      })
      .default("mcpgw"),
    tags: z.record(z.string(), z.string()).default({}),
    storageSku: z
      .enum(["Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS", "Standard_GRS", "Standard_RAGRS"])
      .default("Standard_ZRS"),
    stateContainerName: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/, { error: "must be a valid blob container name" })
      .default("state"),
    /**
     * `public`: reachable from GitHub-hosted runners (whose addresses are not fixed), Entra auth only.
     * `restricted`: public endpoint with a firewall admitting `allowedIpRanges` only (runners with static egress).
     * `private`: no public endpoint; private endpoints in `privateEndpoint.subnetId` (self-hosted runners in the VNet).
     */
    networkAccess: z.enum(["public", "restricted", "private"]).default("public"),
    allowedIpRanges: z.array(ipRange).default([]),
    privateEndpoint: z
      .strictObject({
        subnetId: armId("a subnet"),
        blobDnsZoneId: armId("the privatelink.blob.core.windows.net zone"),
        vaultDnsZoneId: armId("the privatelink.vaultcore.azure.net zone"),
      })
      .optional(),
    /** Identities that run Pulumi against this backend: the CI deployers (`pulumi stack output deployerClientId`'s object IDs) and administrators. */
    principals: z.array(principal).default([]),
    ciReaders: ciReaders.optional(),
    /** Days a deleted or overwritten state blob (version) and a deleted container stay recoverable. */
    blobRetentionDays: z.number().int().min(7).max(365).default(30),
    /** Log Analytics workspace for the vault's audit log and the blob service's read/write/delete log. */
    diagnosticsWorkspaceId: armId("a Log Analytics workspace").optional(),
    protect: z.boolean().default(true),
    lock: z.boolean().default(true),
  })
  .superRefine((config, ctx) => {
    if (config.networkAccess === "restricted" && config.allowedIpRanges.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["allowedIpRanges"],
        message: "networkAccess restricted needs at least one range",
      });
    }
    if (config.networkAccess !== "restricted" && config.allowedIpRanges.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["allowedIpRanges"],
        message: "only used with networkAccess restricted",
      });
    }
    if (config.networkAccess === "private" && !config.privateEndpoint) {
      ctx.addIssue({
        code: "custom",
        path: ["privateEndpoint"],
        message: "networkAccess private needs privateEndpoint",
      });
    }
    if (config.networkAccess !== "private" && config.privateEndpoint) {
      ctx.addIssue({
        code: "custom",
        path: ["privateEndpoint"],
        message: "only used with networkAccess private",
      });
    }
    if (
      config.ciReaders &&
      new Set(config.ciReaders.environments).size !== config.ciReaders.environments.length
    )
      ctx.addIssue({
        code: "custom",
        path: ["ciReaders", "environments"],
        message: "lists an environment twice",
      });
    const ids = config.principals.map((p) => p.objectId.toLowerCase());
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: "custom", path: ["principals"], message: "lists a principal twice" });
  });

export type BootstrapConfig = z.infer<typeof bootstrapConfigSchema>;

export type BootstrapConfigResult = { ok: true; config: BootstrapConfig } | { ok: false; problems: string[] };

/** Reads `<project>:<key>` entries (structured values as JSON text, as the engine passes them). */
export function parseBootstrapConfig(values: Readonly<Record<string, string>>): BootstrapConfigResult {
  const prefix = `${BOOTSTRAP_PROJECT}:`;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    try {
      raw[name] = JSON.parse(value);
    } catch {
      raw[name] = value;
    }
    // Plain strings that happen to parse as JSON numbers (a tenant ID never does) stay strings where expected.
    if (name === "tenantId" || name === "location" || name === "namePrefix") raw[name] = value;
  }
  const parsed = bootstrapConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map(
      (issue) => `${prefix}${issue.path.map(String).join(".")}: ${issue.message}`,
    ),
  };
}
