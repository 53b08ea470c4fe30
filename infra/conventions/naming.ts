import { createHash } from "node:crypto";

/**
 * Azure resource names as pure functions. Each kind carries Azure's own rule (length, characters,
 * global uniqueness) from "Naming rules and restrictions for Azure resources"; a generated name that
 * breaks the rule throws here instead of failing at deployment time.
 */

export interface NamingContext {
  readonly prefix: string;
  readonly environment: string;
  /**
   * The region's short code in names (`weu`, `gwc`): the config reader looks it up in its region
   * table and hands the value over, so naming depends on no config module.
   */
  readonly regionCode: string;
  /** Seeds the suffix of globally unique names (tenant ID + stack), so forks in other tenants never collide. */
  readonly uniquenessSeed: string;
}

interface NameRule {
  readonly abbreviation: string;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  /** Part of a global DNS namespace (needs the uniqueness suffix). */
  readonly globallyUnique: boolean;
  /** Hyphens are not allowed (storage, registries). */
  readonly compact?: boolean;
}

const HYPHENATED = /^[a-z][a-z0-9-]*[a-z0-9]$/;

export const NAME_RULES = {
  resourceGroup: { abbreviation: "rg", min: 1, max: 90, pattern: HYPHENATED, globallyUnique: false },
  virtualNetwork: { abbreviation: "vnet", min: 2, max: 64, pattern: HYPHENATED, globallyUnique: false },
  subnet: { abbreviation: "snet", min: 1, max: 80, pattern: HYPHENATED, globallyUnique: false },
  networkSecurityGroup: { abbreviation: "nsg", min: 1, max: 80, pattern: HYPHENATED, globallyUnique: false },
  routeTable: { abbreviation: "rt", min: 1, max: 80, pattern: HYPHENATED, globallyUnique: false },
  publicIp: { abbreviation: "pip", min: 1, max: 80, pattern: HYPHENATED, globallyUnique: false },
  ddosPlan: { abbreviation: "ddos", min: 1, max: 80, pattern: HYPHENATED, globallyUnique: false },
  privateEndpoint: { abbreviation: "pe", min: 2, max: 64, pattern: HYPHENATED, globallyUnique: false },
  privateDnsZoneLink: {
    abbreviation: "pdnslink",
    min: 1,
    max: 80,
    pattern: HYPHENATED,
    globallyUnique: false,
  },
  keyVault: {
    abbreviation: "kv",
    min: 3,
    max: 24,
    pattern: /^[a-z][a-z0-9-]*[a-z0-9]$/,
    globallyUnique: true,
  },
  managedHsm: {
    abbreviation: "hsm",
    min: 3,
    max: 24,
    pattern: /^[a-z][a-z0-9-]*[a-z0-9]$/,
    globallyUnique: true,
  },
  apiManagement: { abbreviation: "apim", min: 1, max: 50, pattern: HYPHENATED, globallyUnique: true },
  applicationGateway: { abbreviation: "agw", min: 1, max: 80, pattern: HYPHENATED, globallyUnique: false },
  wafPolicy: {
    abbreviation: "waf",
    min: 1,
    max: 128,
    pattern: /^[a-z][a-z0-9]*$/,
    globallyUnique: false,
    compact: true,
  },
  userAssignedIdentity: { abbreviation: "id", min: 3, max: 128, pattern: HYPHENATED, globallyUnique: false },
  logAnalyticsWorkspace: { abbreviation: "log", min: 4, max: 63, pattern: HYPHENATED, globallyUnique: false },
  applicationInsights: { abbreviation: "appi", min: 1, max: 260, pattern: HYPHENATED, globallyUnique: false },
  privateLinkScope: { abbreviation: "ampls", min: 1, max: 255, pattern: HYPHENATED, globallyUnique: false },
  actionGroup: { abbreviation: "ag", min: 1, max: 260, pattern: HYPHENATED, globallyUnique: false },
  alertRule: { abbreviation: "alert", min: 1, max: 260, pattern: HYPHENATED, globallyUnique: false },
  storageAccount: {
    abbreviation: "st",
    min: 3,
    max: 24,
    pattern: /^[a-z0-9]+$/,
    globallyUnique: true,
    compact: true,
  },
  containerRegistry: {
    abbreviation: "cr",
    min: 5,
    max: 50,
    pattern: /^[a-z0-9]+$/,
    globallyUnique: true,
    compact: true,
  },
  containerAppsEnvironment: {
    abbreviation: "cae",
    min: 2,
    max: 60,
    pattern: HYPHENATED,
    globallyUnique: false,
  },
  containerApp: { abbreviation: "ca", min: 2, max: 32, pattern: HYPHENATED, globallyUnique: false },
  cognitiveServices: { abbreviation: "cs", min: 2, max: 64, pattern: HYPHENATED, globallyUnique: true },
  networkWatcherFlowLog: { abbreviation: "fl", min: 1, max: 80, pattern: HYPHENATED, globallyUnique: false },
  managementLock: { abbreviation: "lock", min: 1, max: 90, pattern: HYPHENATED, globallyUnique: false },
} as const satisfies Record<string, NameRule>;

export type ResourceKind = keyof typeof NAME_RULES;

export class InvalidResourceNameError extends Error {}

/** A short, stable suffix for globally unique names: 5 base-36 characters of SHA-256(seed). */
export function uniqueSuffix(seed: string, length = 5): string {
  const digest = createHash("sha256").update(seed).digest();
  return BigInt(`0x${digest.subarray(0, 8).toString("hex")}`)
    .toString(36)
    .padStart(length, "0")
    .slice(0, length);
}

/**
 * The name for one resource, e.g. `resourceName("keyVault", ctx)` -> `kv-mcpgw-dev-weu-x1y2z`
 * and `resourceName("subnet", ctx, "gateway")` -> `snet-mcpgw-dev-weu-gateway`.
 */
export function resourceName(kind: ResourceKind, ctx: NamingContext, purpose?: string): string {
  const rule: NameRule = NAME_RULES[kind];
  const region = ctx.regionCode;
  const suffix = rule.globallyUnique
    ? uniqueSuffix(`${ctx.uniquenessSeed}/${ctx.prefix}/${ctx.environment}/${kind}`)
    : undefined;
  // Most descriptive first; drop the region, then the prefix, when Azure's length limit is tight.
  const candidates = [
    [rule.abbreviation, ctx.prefix, ctx.environment, region, purpose],
    [rule.abbreviation, ctx.prefix, ctx.environment, purpose],
    [rule.abbreviation, ctx.environment, purpose],
  ];
  const join = (parts: Array<string | undefined>): string => {
    const present = parts.filter((part): part is string => part !== undefined && part !== "");
    const joined = rule.compact ? present.map((part) => part.replace(/-/g, "")).join("") : present.join("-");
    return joined.toLowerCase();
  };
  const withSuffix = (head: string): string =>
    suffix === undefined ? head : rule.compact ? `${head}${suffix}` : `${head}-${suffix}`;
  const fitting = candidates.map((parts) => withSuffix(join(parts))).find((name) => name.length <= rule.max);
  // Last resort for tight global names (Key Vault: 24): truncate the description, keep the suffix.
  const room = rule.max - (suffix === undefined ? 0 : suffix.length + (rule.compact ? 0 : 1));
  const name = fitting ?? withSuffix(join(candidates[2]!).slice(0, room).replace(/-+$/, ""));
  validateName(kind, name);
  return name;
}

/** Throws `InvalidResourceNameError` naming the rule the name breaks. */
export function validateName(kind: ResourceKind, name: string): void {
  const rule: NameRule = NAME_RULES[kind];
  if (name.length < rule.min || name.length > rule.max) {
    throw new InvalidResourceNameError(
      `${kind} name "${name}" must be ${rule.min}-${rule.max} characters (is ${name.length})`,
    );
  }
  if (!rule.pattern.test(name)) {
    throw new InvalidResourceNameError(`${kind} name "${name}" does not match ${rule.pattern}`);
  }
  if (/--/.test(name) && (kind === "keyVault" || kind === "managedHsm")) {
    throw new InvalidResourceNameError(`${kind} name "${name}" must not contain consecutive hyphens`);
  }
}
