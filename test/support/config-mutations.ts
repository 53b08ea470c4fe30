/**
 * Generated mutations of a stack file (fast-check arbitraries) that a user editing it could make and
 * that the config schema must reject, each with the config key the error has to name (issue 21).
 * Every generator only produces values that are invalid by the schema's own documented rules; a
 * mutation the schema accepts is a finding, not noise.
 */
import fc from "fast-check";
import type { z } from "zod";
import { PROJECT_NAME, referencedSecretKeys, stackConfigSchema } from "../../infra/config";

const PREFIX = `${PROJECT_NAME}:`;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
/** A location in the `config:` map: the full config key, then object keys and array indexes. */
export type Path = readonly [string, ...(string | number)[]];

export interface Mutation {
  readonly kind: string;
  readonly description: string;
  readonly config: JsonObject;
  /** The config key the validation must name (`mcp-azure-gateway:gateway.capacity`). */
  readonly expectedKey: string;
  /** Accept a problem on a key inside `expectedKey` (duplicates: the repeated item, or a field of it). */
  readonly orInside?: boolean;
}

/** The key the config reader prints for a path (infra/config/parse.ts `keyFor`). */
export function keyOf(path: readonly (string | number)[]): string {
  const [head, ...rest] = path;
  return `${String(head)}${rest.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("")}`;
}

interface Node {
  readonly path: Path;
  readonly value: Json;
}

function walk(config: JsonObject): Node[] {
  const nodes: Node[] = [];
  const visit = (path: Path, value: Json): void => {
    nodes.push({ path, value });
    if (Array.isArray(value)) value.forEach((item, i) => visit([...path, i] as unknown as Path, item));
    else if (isObject(value))
      for (const [k, v] of Object.entries(value)) visit([...path, k] as unknown as Path, v);
  };
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(PREFIX)) visit([key], value);
  }
  return nodes;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function getAt(config: JsonObject, path: readonly (string | number)[]): Json | undefined {
  let node: Json | undefined = config;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === "number") node = node[segment];
    else if (isObject(node) && typeof segment === "string") node = node[segment];
    else return undefined;
  }
  return node;
}

function setAt(config: JsonObject, path: readonly (string | number)[], value: Json | undefined): JsonObject {
  const copy = clone(config);
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1]!;
  const parent = parentPath.length === 0 ? copy : getAt(copy, parentPath);
  if (Array.isArray(parent) && typeof last === "number") {
    if (value === undefined) parent.splice(last, 1);
    else parent[last] = value;
  } else if (isObject(parent) && typeof last === "string") {
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  } else {
    throw new Error(`test bug: no container at ${keyOf(path)}`);
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// The schema's shape, read from the schema itself (one source): which keys exist and which are required
// ---------------------------------------------------------------------------------------------

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema): AnySchema {
  const def = schema._zod.def as unknown as { type: string; innerType?: AnySchema; in?: AnySchema };
  if (["optional", "default", "prefault", "nullable", "readonly", "nonoptional"].includes(def.type))
    return unwrap(def.innerType!);
  if (def.type === "pipe") return unwrap(def.in!);
  return schema;
}

/** The object schemas that can describe the value at `path` (several for a union). */
function objectSchemasAt(path: readonly (string | number)[]): Record<string, AnySchema>[] {
  let current: AnySchema[] = [stackConfigSchema];
  for (const segment of path.map((s, i) => (i === 0 ? String(s).slice(PREFIX.length) : s))) {
    const next: AnySchema[] = [];
    for (const candidate of current.flatMap(options)) {
      const def = candidate._zod.def as unknown as {
        type: string;
        shape?: Record<string, AnySchema>;
        element?: AnySchema;
      };
      if (typeof segment === "number" && def.type === "array") next.push(def.element!);
      if (typeof segment === "string" && def.type === "object" && def.shape![segment])
        next.push(def.shape![segment]);
    }
    current = next;
  }
  return current
    .flatMap(options)
    .map((s) => s._zod.def as unknown as { type: string; shape?: Record<string, AnySchema> })
    .filter((def) => def.type === "object")
    .map((def) => def.shape!);
}

function options(schema: AnySchema): AnySchema[] {
  const inner = unwrap(schema);
  const def = inner._zod.def as unknown as { type: string; options?: AnySchema[] };
  return def.type === "union" ? def.options!.flatMap(options) : [inner];
}

/** Required: neither `.optional()` (optin "optional") nor `.default()` (optin "defaulted"). */
function isRequired(schema: AnySchema): boolean {
  return schema._zod.optin === undefined;
}

// ---------------------------------------------------------------------------------------------
// Value classes, recognised by the value a stack file holds today
// ---------------------------------------------------------------------------------------------

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const URL_VALUE = /^https?:\/\//;
const CIDR_VALUE = /^\d+\.\d+\.\d+\.\d+\/\d+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]+$/;
const HOST = /^([a-z0-9-]+\.)+[a-z]{2,}$/;

const malformedGuid = (guid: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(guid.slice(1)),
    fc.constant(`${guid}0`),
    fc.constant(guid.replace(/-/g, "")),
    fc.constant(`{${guid}}`),
    fc
      .integer({ min: 0, max: guid.length - 1 })
      .map((i) => (guid[i] === "-" ? guid : `${guid.slice(0, i)}g${guid.slice(i + 1)}`)),
    fc.constant("not-a-guid"),
  );

const malformedUrl = (url: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant("not a url"),
    fc.constant(url.replace("://", "//")),
    fc.constant(url.replace(/^https?:\/\//, "")),
    fc.constant("https://"),
    fc.constant(url.replace(/^https?/, "ftp")),
    fc.constant(url.replace("://", "://exa mple.")),
    fc.constant(url.replace("://", "://{{named-value}}.")),
    fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !URL.canParse(s)),
  );

const malformedCidr = (cidr: string): fc.Arbitrary<string> => {
  const [address, prefix] = cidr.split("/") as [string, string];
  const octets = address.split(".");
  return fc.oneof(
    fc.constant(address),
    fc.constant(`${address}/`),
    fc.constant(`${address}/33`),
    fc.constant(`${octets.slice(0, 3).join(".")}.256/${prefix}`),
    fc.constant(`${octets.slice(0, 3).join(".")}.${Number(octets[3]) + 1}/${prefix}`), // host bits set
    fc.constant(`${octets.slice(0, 3).join(".")}/${prefix}`),
    fc.constant("fd00::/64"),
    fc.constant("a.b.c.d/24"),
  );
};

const malformedEmail = (email: string): fc.Arbitrary<string> => {
  const [local, domain] = email.split("@") as [string, string];
  return fc.oneof(
    fc.constant(`${local}.${domain}`),
    fc.constant(`${local}@@${domain}`),
    fc.constant(`${local} x@${domain}`),
    fc.constant(`@${domain}`),
    fc.constant(`${local}@`),
  );
};

const malformedHost = (host: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(host.toUpperCase()),
    fc.constant(`https://${host}`),
    fc.constant(`${host}.`),
    fc.constant(host.replace(".", "..")),
    fc.constant(`-${host}`),
    fc.constant(host.replace(".", "_")),
    fc.constant(host.split(".")[0]!),
    fc.constant(`${host}/path`),
  );

/** Top-level scalar keys: values the engine hands over as text, so a wrong "type" is a wrong string. */
const TOP_LEVEL_STRINGS: Record<string, fc.Arbitrary<string>> = {
  [`${PREFIX}environment`]: fc.constantFrom("Prod", "production", "test", "", "dev ", "qa"),
  [`${PREFIX}location`]: fc.constantFrom("West Europe", "westeurope2", "europe", "", "mars"),
  [`${PREFIX}namePrefix`]: fc.constantFrom("MCPGW", "9gw", "toolongprefix", "m", "mcp-gw", ""),
};

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

function wrongTypeValue(value: Json): fc.Arbitrary<Json> {
  const candidates: fc.Arbitrary<Json>[] = [];
  if (typeof value !== "string") candidates.push(fc.string({ maxLength: 8 }).map((s) => `x${s}`));
  if (typeof value !== "number") candidates.push(fc.integer({ min: -5, max: 5 }));
  if (typeof value !== "boolean") candidates.push(fc.boolean());
  if (!Array.isArray(value)) candidates.push(fc.constant([1, "two"]));
  if (!isObject(value)) candidates.push(fc.constant({ unexpected: true }));
  candidates.push(fc.constant(null));
  return fc.oneof(...candidates);
}

export function mutations(config: JsonObject): fc.Arbitrary<Mutation> {
  const nodes = walk(config);
  const nested = nodes.filter((n) => n.path.length > 1);
  const numbers = nodes.filter((n) => typeof n.value === "number");
  const strings = nodes.filter((n): n is Node & { value: string } => typeof n.value === "string");
  const arrays = nodes.filter((n) => Array.isArray(n.value) && n.value.length > 0);
  const objects = [
    { path: [] as unknown as Path, value: config as Json },
    ...nodes.filter((n) => isObject(n.value)),
  ];
  const secretKeys = new Set(
    referencedSecretKeys(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, JSON.stringify(v)]))),
  );

  const make = (
    kind: string,
    description: string,
    mutated: JsonObject,
    path: readonly (string | number)[],
    orInside = false,
  ): Mutation => ({
    kind,
    description,
    config: mutated,
    expectedKey: keyOf(path),
    orInside,
  });

  const arbitraries: fc.Arbitrary<Mutation>[] = [];

  // Wrong types inside structured values (top-level scalars reach the program as text: see below).
  arbitraries.push(
    fc
      .constantFrom(...nested, ...nodes.filter((n) => n.path.length === 1 && typeof n.value === "object"))
      .chain((node) =>
        wrongTypeValue(node.value).map((value) =>
          make(
            "wrong type",
            `${keyOf(node.path)}: ${JSON.stringify(node.value)} -> ${JSON.stringify(value)}`,
            setAt(config, node.path, value),
            node.path,
          ),
        ),
      ),
  );
  // Malformed top-level strings.
  const topLevel = strings.filter((n) => n.path.length === 1 && TOP_LEVEL_STRINGS[n.path[0]]);
  if (topLevel.length > 0) {
    arbitraries.push(
      fc
        .constantFrom(...topLevel)
        .chain((node) =>
          TOP_LEVEL_STRINGS[node.path[0]]!.map((value) =>
            make(
              "malformed value",
              `${keyOf(node.path)} -> ${JSON.stringify(value)}`,
              setAt(config, node.path, value),
              node.path,
            ),
          ),
        ),
    );
  }
  // Out-of-range numbers (every number in the schema has a lower and an upper bound).
  arbitraries.push(
    fc
      .constantFrom(...numbers)
      .chain((node) =>
        fc
          .oneof(fc.integer({ min: -1_000_000, max: -1 }), fc.integer({ min: 2 ** 31, max: 2 ** 40 }))
          .map((value) =>
            make(
              "out of range",
              `${keyOf(node.path)}: ${String(node.value)} -> ${value}`,
              setAt(config, node.path, value),
              node.path,
            ),
          ),
      ),
  );
  // Malformed GUIDs, URLs, CIDRs, e-mail addresses and host names.
  const formats: [RegExp, (value: string) => fc.Arbitrary<string>, string][] = [
    [GUID, malformedGuid, "GUID"],
    [URL_VALUE, malformedUrl, "URL"],
    [CIDR_VALUE, malformedCidr, "CIDR"],
    [EMAIL, malformedEmail, "e-mail"],
    [HOST, malformedHost, "host name"],
  ];
  for (const [pattern, malformed, label] of formats) {
    const matching = strings.filter((n) => pattern.test(n.value));
    if (matching.length === 0) continue;
    arbitraries.push(
      fc.constantFrom(...matching).chain((node) =>
        malformed(node.value)
          .filter((value) => value !== node.value)
          .map((value) =>
            make(
              `malformed ${label}`,
              `${keyOf(node.path)}: ${node.value} -> ${JSON.stringify(value)}`,
              setAt(config, node.path, value),
              node.path,
            ),
          ),
      ),
    );
  }
  // Missing required keys.
  const required = objects.flatMap((object) => {
    const shapes = objectSchemasAt(object.path);
    const shapeOf = (key: string): AnySchema | undefined =>
      shapes.map((shape) => shape[object.path.length === 0 ? key.slice(PREFIX.length) : key]).find(Boolean);
    return Object.keys(object.value as JsonObject)
      .filter((key) => object.path.length > 0 || key.startsWith(PREFIX))
      .filter((key) => {
        const schema = shapeOf(key);
        return schema !== undefined && isRequired(schema);
      })
      .map((key) => [...object.path, key]);
  });
  arbitraries.push(
    fc
      .constantFrom(...required)
      .map((path) => make("missing key", `delete ${keyOf(path)}`, setAt(config, path, undefined), path)),
  );
  // Unknown keys.
  arbitraries.push(
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.stringMatching(/^[a-z][A-Za-z0-9]{2,14}$/),
        fc.constantFrom<Json>("x", 1, true),
      )
      .filter(([object, key]) => {
        const known = new Set(objectSchemasAt(object.path).flatMap((shape) => Object.keys(shape)));
        return !known.has(key) && !secretKeys.has(`${PREFIX}${key}`);
      })
      .map(([object, key, value]) => {
        const path = object.path.length === 0 ? [`${PREFIX}${key}`] : [...object.path, key];
        return make("unknown key", `add ${keyOf(path)}`, setAt(config, path, value), path);
      }),
  );
  // Duplicated list items.
  arbitraries.push(
    fc.constantFrom(...arrays).chain((node) =>
      fc.nat({ max: (node.value as Json[]).length - 1 }).map((index) => {
        const items = node.value as Json[];
        return make(
          "duplicate",
          `${keyOf(node.path)}: repeat item [${index}]`,
          setAt(config, node.path, [...items, clone(items[index]!)]),
          node.path,
          true,
        );
      }),
    ),
  );
  // Cross-field contradictions.
  const contradictions = crossFieldContradictions(config);
  if (contradictions.length > 0) arbitraries.push(fc.constantFrom(...contradictions));
  return fc.oneof(...arbitraries);
}

/** Values that are each valid alone and contradict another key: the checks components used to make. */
export function crossFieldContradictions(config: JsonObject): Mutation[] {
  const out: Mutation[] = [];
  const k = (name: string): string => `${PREFIX}${name}`;
  const add = (kind: string, mutate: (c: JsonObject) => void, path: (string | number)[]): void => {
    const copy = clone(config);
    mutate(copy);
    out.push({ kind: `contradiction: ${kind}`, description: kind, config: copy, expectedKey: keyOf(path) });
  };
  const edge = config[k("edge")];
  if (isObject(edge) && typeof edge["maxCapacity"] === "number" && edge["maxCapacity"] < 125) {
    add(
      "edge minCapacity above maxCapacity",
      (c) => {
        (c[k("edge")] as JsonObject)["minCapacity"] = (edge["maxCapacity"] as number) + 1;
      },
      [k("edge"), "minCapacity"],
    );
  }
  const servers = (config[k("mcpServers")] ?? []) as JsonObject[];
  const serversAt = (c: JsonObject): JsonObject[] => c[k("mcpServers")] as JsonObject[];
  servers.forEach((server, i) => {
    const container = server["container"];
    if (isObject(container)) {
      add(
        "container minReplicas above maxReplicas",
        (c) => {
          const target = serversAt(c)[i]!["container"] as JsonObject;
          target["maxReplicas"] = 2;
          target["minReplicas"] = 3;
        },
        [k("mcpServers"), i, "container", "minReplicas"],
      );
      add(
        "container memory not twice the CPU",
        (c) => {
          const target = serversAt(c)[i]!["container"] as JsonObject;
          target["cpu"] = 0.5;
          target["memoryGi"] = 1.5;
        },
        [k("mcpServers"), i, "container", "memoryGi"],
      );
      add(
        "container and backendUrl both set",
        (c) => {
          serversAt(c)[i]!["backendUrl"] = "https://mcp.contoso.com/mcp";
        },
        [k("mcpServers"), i, "backendUrl"],
      );
      const secrets = ((config[k("keyVault")] as JsonObject)["secrets"] ?? []) as JsonObject[];
      if (secrets[0]) {
        add(
          "container with an API key",
          (c) => {
            serversAt(c)[i]!["backendAuth"] = {
              type: "apiKey",
              headerName: "X-Api-Key",
              secretName: secrets[0]!["name"]!,
            };
          },
          [k("mcpServers"), i, "backendAuth", "type"],
        );
      }
      add(
        "two container servers whose Container App names clash",
        (c) => {
          const long = "s".repeat(26);
          const first = serversAt(c)[i]!;
          first["name"] = `${long}-one`;
          serversAt(c).push({ ...clone(first), name: `${long}-two` });
        },
        [k("mcpServers"), servers.length, "name"],
      );
    }
    const auth = server["backendAuth"];
    if (isObject(auth) && auth["type"] === "apiKey") {
      add(
        "API key secret not in keyVault.secrets",
        (c) => {
          (serversAt(c)[i]!["backendAuth"] as JsonObject)["secretName"] = "no-such-secret";
        },
        [k("mcpServers"), i, "backendAuth", "secretName"],
      );
    }
    if (!isObject(auth) || auth["type"] === "managedIdentity") {
      const other = servers.findIndex((_, j) => j !== i);
      if (other >= 0 && String(server["name"]).length <= 24) {
        add(
          "a server named like another's backend identifier",
          (c) => {
            serversAt(c)[other]!["name"] = `${String(server["name"])}-backend`;
          },
          [k("mcpServers"), other, "name"],
        );
      }
    }
    ((server["tools"] ?? []) as JsonObject[]).forEach((tool, t) => {
      add(
        "tool role that is no app role",
        (c) => {
          ((serversAt(c)[i]!["tools"] as JsonObject[])[t]!["roles"] as Json[])[0] = "Undefined.Role";
        },
        [k("mcpServers"), i, "tools", t, "roles", 0],
      );
    });
  });
  const identity = config[k("identity")];
  if (isObject(identity)) {
    ((identity["accessAssignments"] ?? []) as JsonObject[]).forEach((_, a) => {
      add(
        "access assignment to an undefined role",
        (c) => {
          ((c[k("identity")] as JsonObject)["accessAssignments"] as JsonObject[])[a]!["role"] =
            "Undefined.Role";
        },
        [k("identity"), "accessAssignments", a, "role"],
      );
    });
    const role = ((identity["appRoles"] ?? []) as JsonObject[])[0]?.["value"];
    if (typeof role === "string") {
      add(
        "scope value equal to an app role value",
        (c) => {
          (c[k("identity")] as JsonObject)["scopeValue"] = role;
        },
        [k("identity"), "scopeValue"],
      );
    }
  }
  const keyVault = config[k("keyVault")];
  if (isObject(keyVault)) {
    ((keyVault["keys"] ?? []) as JsonObject[]).forEach((key, i) => {
      const path = (field: string): (string | number)[] => [k("keyVault"), "keys", i, field];
      const target = (c: JsonObject): JsonObject =>
        ((c[k("keyVault")] as JsonObject)["keys"] as JsonObject[])[i]!;
      if (key["type"] === "RSA-HSM")
        add("RSA key with a curve", (c) => (target(c)["curve"] = "P-256"), path("curve"));
      if (key["type"] === "EC-HSM")
        add("EC key with a size", (c) => (target(c)["size"] = 3072), path("size"));
      add(
        "rotation less than a week before expiry",
        (c) => {
          target(c)["expiryDays"] = 90;
          target(c)["rotateBeforeExpiryDays"] = 85;
        },
        path("rotateBeforeExpiryDays"),
      );
    });
    add(
      "Managed HSM without administrators",
      (c) => {
        (c[k("keyVault")] as JsonObject)["managedHsm"] = true;
        (c[k("keyVault")] as JsonObject)["managedHsmAdministrators"] = [];
      },
      [k("keyVault"), "managedHsmAdministrators"],
    );
  }
  const gateway = config[k("gateway")];
  if (isObject(gateway)) {
    add(
      "availability zones on the Developer tier",
      (c) => {
        const g = c[k("gateway")] as JsonObject;
        g["sku"] = "Developer";
        g["zones"] = ["1", "2"];
        g["capacity"] = 2;
      },
      [k("gateway"), "zones"],
    );
    add(
      "capacity not a multiple of the zones",
      (c) => {
        const g = c[k("gateway")] as JsonObject;
        g["sku"] = "Premium";
        g["zones"] = ["1", "2", "3"];
        g["capacity"] = 4;
      },
      [k("gateway"), "capacity"],
    );
    add(
      "daily quota on StandardV2",
      (c) => {
        // Zones need Premium: without clearing them the gateway section fails first, and cross-section
        // checks only run over sections that are valid by themselves.
        (c[k("gateway")] as JsonObject)["sku"] = "StandardV2";
        (c[k("gateway")] as JsonObject)["zones"] = [];
        ((c[k("gatewayPolicy")] as JsonObject)["rateLimits"] as JsonObject)["dailyQuotaPerUser"] = 1000;
      },
      [k("gatewayPolicy"), "rateLimits", "dailyQuotaPerUser"],
    );
  }
  const network = config[k("network")];
  if (isObject(network) && isObject(network["subnets"])) {
    const names = Object.keys(network["subnets"]);
    add(
      "subnet outside the address space",
      (c) => {
        ((c[k("network")] as JsonObject)["subnets"] as JsonObject)[names[0]!] = "192.168.0.0/24";
      },
      [k("network"), "subnets", names[0]!],
    );
    if (names.length > 1) {
      add(
        "overlapping subnets",
        (c) => {
          const subnets = (c[k("network")] as JsonObject)["subnets"] as JsonObject;
          subnets[names[1]!] = subnets[names[0]!]!;
        },
        [k("network"), "subnets", names[1]!],
      );
    }
    if (network["subnets"]["gatewayIntegration"] === undefined) {
      add(
        "StandardV2 without an integration subnet",
        (c) => {
          (c[k("gateway")] as JsonObject)["sku"] = "StandardV2";
          (c[k("gateway")] as JsonObject)["zones"] = [];
        },
        [k("network"), "subnets", "gatewayIntegration"],
      );
    }
  }
  if (config[k("environment")] === "prod") {
    add(
      "prod without protection of stateful resources",
      (c) => {
        (c[k("features")] as JsonObject)["protectStatefulResources"] = false;
      },
      [k("features"), "protectStatefulResources"],
    );
  }
  return out;
}
