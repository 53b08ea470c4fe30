/**
 * Plan -> `RuntimeConfig` (contract.ts), pure: everything the local API Management runtime executes comes
 * from a stack's offline plan, the policy documents byte for byte. Only the surroundings are local: named
 * values that hold secrets get local test values, and `hostOverrides` send Entra ID, every backend origin
 * and Content Safety to the local stand-ins.
 */
import { XMLParser } from "fast-xml-parser";
import { type PlanResourceState, planResources, type PreviewPlan } from "../../policies/check/plan";
import type { RuntimeApi, RuntimeConfig, RuntimeOperation, RuntimeSwitches } from "./contract";
import { ENTRA_ORIGIN } from "./issuer";

export class PlanConfigError extends Error {}

const APIM = "azure-native:apimanagement(?:/[^:]+)?";
const type = (name: string): RegExp => new RegExp(`^${APIM}:${name}$`);
const TYPES = {
  policy: type("Policy"),
  api: type("Api"),
  apiPolicy: type("ApiPolicy"),
  operation: type("ApiOperation"),
  operationPolicy: type("ApiOperationPolicy"),
  backend: type("Backend"),
  namedValue: type("NamedValue"),
};

export interface PlanNamedValue {
  readonly name: string;
  /** Secret or Key Vault-referenced: the runtime gets a local test value instead. */
  readonly secret: boolean;
  /** The plain value from the plan, when it is neither secret nor a Key Vault reference. */
  readonly value?: string;
}

/** What an MCP server API's policy says about the server (read from the unmutated documents). */
export interface PlanMcpServer {
  /** `mcp-docs` */
  readonly apiId: string;
  /** `docs/mcp` */
  readonly path: string;
  readonly backendId?: string;
  /** `validate-azure-ad-token`'s tenant, audiences and client application IDs. */
  readonly tenantId: string;
  readonly audiences: readonly string[];
  readonly clientApplicationIds: readonly string[];
  /** `authentication-managed-identity` towards the backend: resource and client ID, when it has one. */
  readonly backendCredential?: { readonly resource: string; readonly clientId?: string };
}

/** The gateway as a plan declares it. */
export interface GatewayPlan {
  readonly globalPolicy: string;
  readonly apis: readonly RuntimeApi[];
  readonly backends: Readonly<Record<string, string>>;
  readonly namedValues: readonly PlanNamedValue[];
  /** Origins of every `send-request` `set-url` (Content Safety). */
  readonly sendRequestOrigins: readonly string[];
  readonly mcpServers: readonly PlanMcpServer[];
}

const str = (inputs: Record<string, unknown>, key: string, where: string): string => {
  const value = inputs[key];
  if (typeof value !== "string" || value.length === 0) {
    throw new PlanConfigError(
      `${where}: input ${key} is ${JSON.stringify(value)}, expected a non-empty string`,
    );
  }
  return value;
};

const nameOf = (r: PlanResourceState): string => r.urn.split("::").pop() ?? r.urn;

function xmlValue(r: PlanResourceState): string {
  const format = r.inputs["format"];
  if (format !== undefined && format !== "xml") {
    throw new PlanConfigError(
      `${nameOf(r)}: policy format ${JSON.stringify(format)}; the runtime executes "xml"`,
    );
  }
  return str(r.inputs, "value", nameOf(r));
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: () => true,
  processEntities: true,
});

type XmlNode = Record<string, unknown>;
const children = (node: unknown, name: string): XmlNode[] =>
  typeof node === "object" && node !== null ? (((node as XmlNode)[name] as XmlNode[] | undefined) ?? []) : [];
const text = (node: unknown): string =>
  typeof node === "object" && node !== null
    ? String((node as XmlNode)["#text"] ?? "").trim()
    : String(node).trim();
const attr = (node: XmlNode, name: string): string | undefined => {
  const v = node[`@${name}`];
  return v === undefined ? undefined : String(v);
};

/** Every element named `name` anywhere under `node`. */
function descendants(node: unknown, name: string, out: XmlNode[] = []): XmlNode[] {
  if (Array.isArray(node)) {
    for (const n of node) descendants(n, name, out);
  } else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node as XmlNode)) {
      if (key === name && Array.isArray(value)) out.push(...(value as XmlNode[]));
      if (!key.startsWith("@")) descendants(value, name, out);
    }
  }
  return out;
}

function mcpServerOf(api: RuntimeApi): PlanMcpServer | undefined {
  if (api.policy === undefined) return undefined;
  const doc = parser.parse(api.policy) as XmlNode;
  const inbound = children(children(doc, "policies")[0], "inbound")[0];
  const validation = children(inbound, "validate-azure-ad-token")[0];
  if (validation === undefined) return undefined;
  const tenantId = attr(validation, "tenant-id") ?? "";
  const values = (parent: string, child: string): string[] =>
    children(children(validation, parent)[0], child).map(text);
  const credential = children(inbound, "authentication-managed-identity")[0];
  const backendService = descendants(inbound, "set-backend-service")[0];
  const backendId = backendService === undefined ? undefined : attr(backendService, "backend-id");
  const resource = credential === undefined ? undefined : attr(credential, "resource");
  const clientId = credential === undefined ? undefined : attr(credential, "client-id");
  return {
    apiId: api.id,
    path: api.path,
    ...(backendId === undefined ? {} : { backendId }),
    tenantId,
    audiences: values("audiences", "audience"),
    clientApplicationIds: values("client-application-ids", "application-id"),
    ...(resource === undefined ? {} : { backendCredential: { resource, ...(clientId ? { clientId } : {}) } }),
  };
}

/** Reads the gateway's APIs, operations, policies, backends and named values out of a plan. */
export function gatewayPlan(plan: PreviewPlan): GatewayPlan {
  const resources = planResources(plan);
  const of = (re: RegExp) => resources.filter((r) => re.test(r.type));
  const globals = of(TYPES.policy);
  if (globals.length > 1) throw new PlanConfigError(`the plan declares ${globals.length} global policies`);
  const globalPolicy =
    globals[0] === undefined
      ? "<policies><inbound /><backend /><outbound /><on-error /></policies>"
      : xmlValue(globals[0]);

  const apiPolicies = new Map(
    of(TYPES.apiPolicy).map((r) => [str(r.inputs, "apiId", nameOf(r)), xmlValue(r)]),
  );
  const operationPolicies = new Map(
    of(TYPES.operationPolicy).map((r) => [
      `${str(r.inputs, "apiId", nameOf(r))}/${str(r.inputs, "operationId", nameOf(r))}`,
      xmlValue(r),
    ]),
  );
  const operations = of(TYPES.operation);
  const apis: RuntimeApi[] = of(TYPES.api).map((r) => {
    const id = str(r.inputs, "apiId", nameOf(r));
    const serviceUrl = r.inputs["serviceUrl"];
    const policy = apiPolicies.get(id);
    const ops: RuntimeOperation[] = operations
      .filter((o) => o.inputs["apiId"] === id)
      .map((o) => {
        const opId = str(o.inputs, "operationId", nameOf(o));
        const opPolicy = operationPolicies.get(`${id}/${opId}`);
        return {
          id: opId,
          method: str(o.inputs, "method", nameOf(o)).toUpperCase(),
          urlTemplate: str(o.inputs, "urlTemplate", nameOf(o)),
          ...(opPolicy === undefined ? {} : { policy: opPolicy }),
        };
      });
    return {
      id,
      path: String(r.inputs["path"] ?? "").replace(/^\/+/, ""),
      ...(typeof serviceUrl === "string" ? { serviceUrl } : {}),
      ...(policy === undefined ? {} : { policy }),
      operations: ops,
    };
  });
  for (const key of apiPolicies.keys()) {
    if (!apis.some((a) => a.id === key))
      throw new PlanConfigError(`an ApiPolicy is attached to unknown API ${key}`);
  }

  const backends: Record<string, string> = {};
  for (const r of of(TYPES.backend))
    backends[str(r.inputs, "backendId", nameOf(r))] = str(r.inputs, "url", nameOf(r));

  const namedValues: PlanNamedValue[] = of(TYPES.namedValue).map((r) => {
    const name = str(r.inputs, "displayName", nameOf(r));
    const value = r.inputs["value"];
    const secret =
      r.inputs["secret"] === true || r.inputs["keyVault"] !== undefined || typeof value !== "string";
    return { name, secret, ...(secret ? {} : { value: value as string }) };
  });

  const documents = [
    globalPolicy,
    ...apis.flatMap((a) => [a.policy ?? "", ...a.operations.map((o) => o.policy ?? "")]),
  ];
  const sendRequestOrigins = new Set<string>();
  for (const doc of documents.filter((d) => d.length > 0)) {
    for (const request of descendants(parser.parse(doc), "send-request")) {
      for (const setUrl of children(request, "set-url")) {
        try {
          sendRequestOrigins.add(new URL(text(setUrl)).origin);
        } catch {
          // An expression-built URL: its origin is not known before run time, so it gets no override.
        }
      }
    }
  }
  const mcpServers = apis.flatMap((a) => {
    const server = mcpServerOf(a);
    return server === undefined ? [] : [server];
  });
  return {
    globalPolicy,
    apis,
    backends,
    namedValues,
    sendRequestOrigins: [...sendRequestOrigins],
    mcpServers,
  };
}

/** The local test value a secret named value gets (visibly fake; never a real secret). */
export function localSecretValue(name: string): string {
  return `local-test-value-${name}`;
}

/** Where the local stand-ins listen. */
export interface LocalEndpoints {
  readonly port: number;
  /** The local token issuer's origin. */
  readonly issuer: string;
  readonly managedIdentityEndpoint: string;
  /** backendId -> the local MCP server standing in for it. */
  readonly backends: Readonly<Record<string, string>>;
  /** The Content Safety stand-in, when a server screens prompts. */
  readonly contentSafety?: string;
  readonly switches: RuntimeSwitches;
}

/**
 * The runtime's config: the plan's documents untouched, plus overrides that route every outbound origin
 * to loopback. A backend with no local stand-in, or two backends on one origin, are errors.
 */
export function runtimeConfig(gateway: GatewayPlan, local: LocalEndpoints): RuntimeConfig {
  const hostOverrides: Record<string, string> = { [ENTRA_ORIGIN]: local.issuer };
  const route = (origin: string, target: string, what: string): void => {
    const existing = hostOverrides[origin];
    if (existing !== undefined && existing !== target) {
      throw new PlanConfigError(`${what}: origin ${origin} is already routed to ${existing}`);
    }
    hostOverrides[origin] = target;
  };
  for (const [id, url] of Object.entries(gateway.backends)) {
    const target = local.backends[id];
    if (target === undefined) throw new PlanConfigError(`backend ${id} (${url}) has no local stand-in`);
    route(new URL(url).origin, target, `backend ${id}`);
  }
  for (const api of gateway.apis) {
    const server = gateway.mcpServers.find((s) => s.apiId === api.id);
    const target = server?.backendId === undefined ? undefined : local.backends[server.backendId];
    if (api.serviceUrl !== undefined && target !== undefined)
      route(new URL(api.serviceUrl).origin, target, `API ${api.id}`);
  }
  for (const origin of gateway.sendRequestOrigins) {
    if (local.contentSafety === undefined) {
      throw new PlanConfigError(`a send-request calls ${origin} but no Content Safety stand-in runs`);
    }
    route(origin, local.contentSafety, "send-request");
  }
  return {
    listen: { host: "127.0.0.1", port: local.port },
    globalPolicy: gateway.globalPolicy,
    apis: gateway.apis,
    backends: gateway.backends,
    namedValues: Object.fromEntries(
      gateway.namedValues.map((nv) => [nv.name, nv.value ?? localSecretValue(nv.name)]),
    ),
    hostOverrides,
    managedIdentityEndpoint: local.managedIdentityEndpoint,
    switches: local.switches,
  };
}
