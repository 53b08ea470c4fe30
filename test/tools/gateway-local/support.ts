/**
 * Test support for the local gateway runtime: plan -> RuntimeConfig (the minimum these tests need; the
 * `gateway:local` translation is part B's), small local servers (backend, OpenID/JWKS issuer, managed
 * identity), RS256 tokens signed with `node:crypto` keys, and an HTTP client that reads raw chunks.
 */
import { generateKeyPairSync, createSign, type KeyObject, randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { PlanResourceState, PreviewPlan } from "../../../policies/check/plan";
import { planResources } from "../../../policies/check/plan";
import { compilerRequired } from "../../../tools/expressions/compile";
import { DEFAULT_SWITCHES, type RuntimeApi, type RuntimeConfig } from "../../../tools/gateway-local/contract";
import { findRuntimeTools } from "../../../tools/gateway-local/runtime";

export const MICROSOFT_LOGIN = "https://login.microsoftonline.com";

/** Skips without Mono here; in CI (or with MCPGW_REQUIRE_MCS=1) a missing Mono fails instead. */
export const describeWithMono: jest.Describe =
  findRuntimeTools() === undefined && !compilerRequired() ? describe.skip : describe;

function stringInput(resource: PlanResourceState, key: string): string | undefined {
  const value = resource.inputs[key];
  return typeof value === "string" ? value : undefined;
}

/** The APIs, operations, policies and backends of a plan, as the runtime takes them. */
export function configFromPlan(plan: PreviewPlan, overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  const resources = planResources(plan);
  const ofType = (type: string) => resources.filter((r) => r.type === `azure-native:apimanagement:${type}`);
  const global = ofType("Policy")[0];
  const apiPolicies = new Map(
    ofType("ApiPolicy").map((p) => [stringInput(p, "apiId"), stringInput(p, "value")]),
  );
  const operationPolicies = new Map(
    ofType("ApiOperationPolicy").map((p) => [
      `${stringInput(p, "apiId")}/${stringInput(p, "operationId")}`,
      stringInput(p, "value"),
    ]),
  );
  const apis: RuntimeApi[] = ofType("Api").map((api) => {
    const id = stringInput(api, "apiId") ?? "";
    const policy = apiPolicies.get(id);
    const serviceUrl = stringInput(api, "serviceUrl");
    return {
      id,
      path: stringInput(api, "path") ?? "",
      ...(serviceUrl === undefined ? {} : { serviceUrl }),
      ...(policy === undefined ? {} : { policy }),
      operations: ofType("ApiOperation")
        .filter((o) => stringInput(o, "apiId") === id)
        .map((o) => {
          const operationId = stringInput(o, "operationId") ?? "";
          const operationPolicy = operationPolicies.get(`${id}/${operationId}`);
          return {
            id: operationId,
            method: (stringInput(o, "method") ?? "").toUpperCase(),
            urlTemplate: stringInput(o, "urlTemplate") ?? "/",
            ...(operationPolicy === undefined ? {} : { policy: operationPolicy }),
          };
        }),
    };
  });
  const backends: Record<string, string> = {};
  for (const backend of ofType("Backend"))
    backends[stringInput(backend, "backendId") ?? ""] = stringInput(backend, "url") ?? "";
  // Key Vault-referenced named values (the session key, backend API keys): local test values.
  const namedValues: Record<string, string> = {};
  for (const namedValue of ofType("NamedValue")) {
    const id = stringInput(namedValue, "namedValueId") ?? "";
    namedValues[id] = `localtestvalue${id.replace(/[^A-Za-z0-9]/g, "")}`;
  }
  return {
    listen: { host: "127.0.0.1", port: 0 },
    globalPolicy: stringInput(global ?? ({ inputs: {} } as PlanResourceState), "value") ?? "<policies />",
    apis,
    backends,
    namedValues,
    hostOverrides: {},
    managedIdentityEndpoint: "http://127.0.0.1:9/identity",
    switches: DEFAULT_SWITCHES,
    ...overrides,
  };
}

/** A config with one API (`/t`, operations `GET|POST|DELETE /{*rest}`) whose API policy is `policy`. */
export function singleApiConfig(policy: string, overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  return {
    listen: { host: "127.0.0.1", port: 0 },
    globalPolicy: "<policies><inbound /><backend /><outbound /><on-error /></policies>",
    apis: [
      {
        id: "t",
        path: "t",
        serviceUrl: "http://127.0.0.1:9/unused",
        policy,
        operations: ["GET", "POST", "DELETE"].map((method) => ({
          id: method.toLowerCase(),
          method,
          urlTemplate: "/{*rest}",
        })),
      },
    ],
    backends: {},
    namedValues: {},
    hostOverrides: {},
    managedIdentityEndpoint: "http://127.0.0.1:9/identity",
    switches: DEFAULT_SWITCHES,
    ...overrides,
  };
}

export interface LocalServer {
  readonly url: string;
  readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** A loopback HTTP server; each request is recorded (with its body) before `handler` answers it. */
export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<LocalServer> {
  const requests: LocalServer["requests"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Issuer {
  readonly server: LocalServer;
  readonly tenant: string;
  /** An RS256 token with these claims (iss, tid, iat, nbf, exp filled unless given). */
  token(claims: Record<string, unknown>, options?: { key?: KeyObject; kid?: string }): string;
  /** A key the JWKS does not publish under the same kid (a forged signature). */
  readonly foreignKey: KeyObject;
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

/** An Entra ID stand-in: v2.0 OpenID metadata and JWKS for `tenant`, tokens signed with its key. */
export async function startIssuer(tenant: string): Promise<Issuer> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const foreignKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const kid = "local-key-1";
  const jwk = publicKey.export({ format: "jwk" });
  const server = await startServer((req, res) => {
    if (req.url === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          issuer: `${MICROSOFT_LOGIN}/{tenantid}/v2.0`,
          jwks_uri: `${MICROSOFT_LOGIN}/${tenant}/discovery/v2.0/keys`,
        }),
      );
    } else if (req.url === `/${tenant}/discovery/v2.0/keys`) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [{ kty: "RSA", use: "sig", kid, n: jwk.n, e: jwk.e }] }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  const now = Math.floor(Date.now() / 1000);
  return {
    server,
    tenant,
    foreignKey,
    token(claims, options = {}) {
      const header = { alg: "RS256", typ: "JWT", kid: options.kid ?? kid };
      const payload = {
        iss: `${MICROSOFT_LOGIN}/${tenant}/v2.0`,
        tid: tenant,
        iat: now,
        nbf: now - 10,
        exp: now + 3600,
        oid: randomUUID(),
        ...claims,
      };
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
      const signature = createSign("RSA-SHA256")
        .update(input)
        .sign(options.key ?? privateKey);
      return `${input}.${b64url(signature)}`;
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request through node's http (no fetch: headers such as Origin must go out as given). */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
