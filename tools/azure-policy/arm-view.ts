/**
 * How a plan resource (azure-native inputs) looks to Azure Policy: the ARM resource document
 * (`type`, `name`, `location`, `sku`, ..., `properties`), and for Key Vault keys and secrets also the
 * data-plane object that `Microsoft.KeyVault.Data` definitions evaluate. The ARM type comes from the
 * offline harness's ID templates (`tools/offline/arm-types.ts`), the one table of Pulumi token -> ARM
 * type; aliases resolve through `ALIASES.tsv`'s ARM paths.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { PlanResourceState } from "../../policies/check/plan";
import { ARM_ID_TEMPLATES } from "../offline/arm-types";
import { type ArmDocument, type FieldResolver, readPath, Unknown } from "./evaluate";
import type { AliasRow } from "./reference";

/** Fields ARM keeps beside `properties`; every other azure-native input is an ARM property. */
const TOP_LEVEL = new Set([
  "location",
  "kind",
  "sku",
  "identity",
  "zones",
  "tags",
  "plan",
  "extendedLocation",
]);

/** azure-native input names that differ from the ARM property an alias points at. */
const RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "Microsoft.Storage/storageAccounts": {
    networkRuleSet: "networkAcls",
    enableHttpsTrafficOnly: "supportsHttpsTrafficOnly",
  },
};

/** The ARM type of an azure-native token, from its resource ID template; undefined when unknown. */
export function armTypeOf(pulumiType: string): string | undefined {
  const template = ARM_ID_TEMPLATES[pulumiType];
  if (!template) return undefined;
  const providers = template.split("/providers/");
  if (providers.length < 2) {
    return pulumiType === "azure-native:resources:ResourceGroup"
      ? "Microsoft.Resources/resourceGroups"
      : undefined;
  }
  const segments = (providers[providers.length - 1] ?? "").split("/");
  const [namespace, ...rest] = segments;
  const types = rest.filter((_segment, index) => index % 2 === 0);
  if (!namespace || types.length === 0 || types.some((type) => type.includes("{"))) return undefined;
  return [namespace, ...types].join("/");
}

const apiVersions = new Map<string, string | undefined>();

/**
 * The REST API version azure-native 3.28 writes a type with (`requestContext().apiVersion` in a policy
 * rule), read from the SDK's own declaration ("Uses Azure REST API version ...").
 */
export function apiVersionOf(pulumiType: string): string | undefined {
  if (apiVersions.has(pulumiType)) return apiVersions.get(pulumiType);
  const [, module, name] = pulumiType.split(":");
  let version: string | undefined;
  if (module && name) {
    const root = path.dirname(require.resolve("@pulumi/azure-native/package.json"));
    const file = path.join(root, module, `${name.charAt(0).toLowerCase()}${name.slice(1)}.d.ts`);
    if (existsSync(file))
      version = /Uses Azure REST API version ([0-9a-z-]+)/.exec(readFileSync(file, "utf8"))?.[1];
  }
  apiVersions.set(pulumiType, version);
  return version;
}

export interface PlanDocument {
  readonly resource: PlanResourceState;
  readonly doc: ArmDocument;
}

function logicalName(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

const SECONDS = 1000;

function isoFromEpoch(value: unknown): string | undefined {
  return typeof value === "number" ? new Date(value * SECONDS).toISOString() : undefined;
}

/**
 * The ARM documents of a plan. `now` stands in for the server-set creation time of Key Vault objects
 * the plan creates (they are created when the plan is applied, which is no earlier than it is made).
 */
export function armDocuments(resources: readonly PlanResourceState[], now: Date): PlanDocument[] {
  const documents: PlanDocument[] = [];
  for (const resource of resources) {
    const type = armTypeOf(resource.type);
    if (!type) continue;
    const inputs = resource.inputs;
    const properties: Record<string, unknown> = {};
    const top: Record<string, unknown> = {};
    const renames = RENAMES[type] ?? {};
    for (const [key, value] of Object.entries(inputs)) {
      if (key === "properties" && typeof value === "object" && value !== null && !Array.isArray(value))
        Object.assign(properties, value);
      else if (TOP_LEVEL.has(key)) top[key] = value;
      else properties[renames[key] ?? key] = value;
    }
    const id = typeof resource.outputs.id === "string" ? resource.outputs.id : resource.urn;
    const name = id.split("/").pop() ?? logicalName(resource.urn);
    const apiVersion = apiVersionOf(resource.type);
    documents.push({
      resource,
      doc: { ...top, id, name, type, properties, ...(apiVersion ? { apiVersion } : {}) },
    });

    // Key Vault data plane: what `Microsoft.KeyVault.Data/vaults/{keys,secrets}` definitions see.
    if (type === "Microsoft.KeyVault/vaults/keys" || type === "Microsoft.KeyVault/vaults/secrets") {
      const attributes = (properties.attributes ?? {}) as Record<string, unknown>;
      const key = type.endsWith("/keys");
      documents.push({
        resource,
        doc: {
          id,
          name,
          type: key ? "Microsoft.KeyVault.Data/vaults/keys" : "Microsoft.KeyVault.Data/vaults/secrets",
          properties: {
            ...(key
              ? {
                  keyType: properties.kty,
                  keySize: properties.keySize,
                  ellipticCurveName: properties.curveName,
                }
              : { contentType: properties.contentType }),
            attributes: {
              expiresOn: isoFromEpoch(attributes.expires),
              notBefore: isoFromEpoch(attributes.nbf),
              createdOn: now.toISOString(),
            },
            ...(key ? scheduledRotation(properties.rotationPolicy, now) : {}),
          },
        },
      });
    }
  }
  return withBackReferences(documents);
}

/** Key Vault's `scheduledRotationDate`: creation plus the rotate action's `timeAfterCreate` (`P<n>D`). */
function scheduledRotation(policy: unknown, now: Date): { scheduledRotationDate?: string } {
  const actions = (policy as { lifetimeActions?: unknown } | undefined)?.lifetimeActions;
  if (!Array.isArray(actions)) return {};
  for (const action of actions as { action?: { type?: string }; trigger?: { timeAfterCreate?: string } }[]) {
    const days = /^P(\d+)D$/.exec(action.trigger?.timeAfterCreate ?? "")?.[1];
    if (action.action?.type?.toLowerCase() === "rotate" && days !== undefined)
      return { scheduledRotationDate: new Date(now.getTime() + Number(days) * 86_400_000).toISOString() };
  }
  return {};
}

/**
 * Read-only properties Azure fills in from other resources of the same plan: a private endpoint's
 * connection appears on its target (auto-approved: same subscription, the deployer owns both), and a
 * flow log appears on the resource it targets.
 */
function withBackReferences(documents: PlanDocument[]): PlanDocument[] {
  const connections = new Map<string, unknown[]>();
  const flowLogs = new Map<string, unknown[]>();
  for (const { doc } of documents) {
    const properties = (doc.properties ?? {}) as Record<string, unknown>;
    if (doc.type === "Microsoft.Network/privateEndpoints") {
      for (const link of (properties.privateLinkServiceConnections ?? []) as Record<string, unknown>[]) {
        const target = String(link.privateLinkServiceId ?? "").toLowerCase();
        const list = connections.get(target) ?? [];
        list.push({
          id: `${doc.id}/connection`,
          properties: {
            privateEndpoint: { id: doc.id },
            privateLinkServiceConnectionState: { status: "Approved" },
          },
        });
        connections.set(target, list);
      }
    }
    if (doc.type === "Microsoft.Network/networkWatchers/flowLogs" && properties.enabled !== false) {
      const target = String(properties.targetResourceId ?? "").toLowerCase();
      flowLogs.set(target, [...(flowLogs.get(target) ?? []), { id: doc.id }]);
    }
  }
  return documents.map((entry) => {
    const id = entry.doc.id.toLowerCase();
    // Derived from the whole plan, so an absent back-reference means none (not unknown).
    const extra: Record<string, unknown> = { privateEndpointConnections: connections.get(id) ?? [] };
    if (/^Microsoft\.Network\/(networkSecurityGroups|virtualNetworks)$/i.test(entry.doc.type))
      extra.flowLogs = flowLogs.get(id) ?? [];
    const properties = { ...((entry.doc.properties ?? {}) as Record<string, unknown>), ...extra };
    return { ...entry, doc: { ...entry.doc, properties } };
  });
}

/** The `[*]` spelling of a legacy alias (`.../logs.enabled` is `.../logs[*].enabled` per ALIASES.tsv). */
export function aliasCanonicalizer(aliases: ReadonlyMap<string, AliasRow>): (alias: string) => string {
  return (alias) => {
    const row = aliases.get(alias.toLowerCase());
    if (!row || alias.includes("[*]") || !row.armPath.includes("[*]") || !/legacy/i.test(row.note))
      return alias;
    const [head] = row.armPath.split("[*]");
    const field = (head ?? "").replace(/^properties\./, "");
    return alias.replace(new RegExp(`/${field}\\.`, "i"), `/${field}[*].`);
  };
}

const FIELDS = new Set(["name", "type", "location", "kind", "id", "tags", "fullname"]);

/**
 * Resolves a policy alias on an ARM document through `ALIASES.tsv`; aliases it does not list fall back
 * to the documented convention (`<ResourceType>/<path>` is `properties.<path>`). Read-only values that
 * only exist after deployment (`privateEndpointConnections`, back-references) are `Unknown`.
 */
export function aliasResolver(aliases: ReadonlyMap<string, AliasRow>): FieldResolver {
  return (doc, alias) => {
    const lower = alias.toLowerCase();
    if (FIELDS.has(lower)) return readPath(doc, alias === "fullName" ? "name" : alias);
    if (lower.startsWith("tags[") || lower.startsWith("tags.")) return readPath(doc.tags, alias.slice(5));
    const row = aliases.get(lower);
    let armPath: string;
    if (row) {
      if (/read-only|server-set|\(child PEC\)/i.test(row.note) || row.armPath.startsWith("(")) {
        const value = readPath(doc, row.armPath.replace(/^\(child PEC\) /, ""));
        if (value === undefined)
          return new Unknown(`${alias} is set by Azure after deployment (${row.note || "read-only"})`);
        return value;
      }
      armPath = row.armPath;
    } else {
      const prefix = `${doc.type.toLowerCase()}/`;
      if (!lower.startsWith(prefix)) {
        // An alias of another type (e.g. a child-resource alias on the parent): not on this document.
        return undefined;
      }
      const rest = alias.slice(prefix.length);
      armPath = /^(sku|identity|zones|kind|location)\b/.test(rest) ? rest : `properties.${rest}`;
    }
    const direct = readPath(doc, armPath);
    if (direct !== undefined) return direct;
    // ARM nests child objects' settings under `properties`; azure-native flattens them.
    const flattened = armPath
      .replace(/\]\.properties\./g, "].")
      .replace(/^properties\.properties\./, "properties.");
    return flattened === armPath ? undefined : readPath(doc, flattened);
  };
}
