/**
 * `startLocalGateway`: a stack's real gateway policy, executed by the local API Management runtime
 * (part A, `runtime.ts`), with the local token issuer, one local MCP server per configured server and the
 * Content Safety stand-in behind it. The library entry of `gateway:local`, `conformance:local`,
 * `conformance:mutations` and the tests.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigValidationError, parseStackConfig, type StackConfig } from "../../infra/config";
import { asPreviewPlan, type PreviewPlan } from "../../policies/check/plan";
import { loadEngineConfig, REPO_ROOT, stackFilePath } from "../offline/stack-files";
import {
  type BackendSpec,
  type RunningBackend,
  type RunningContentSafety,
  startBackend,
  startContentSafety,
} from "./backends";
import {
  DEFAULT_SWITCHES,
  type RunningGateway,
  type RuntimeApi,
  type RuntimeConfig,
  type RuntimeSwitches,
} from "./contract";
import { createLocalIssuer, type LocalIssuer, type RunningIssuer, startIssuer } from "./issuer";
import { startGatewayRuntime } from "./runtime";
import { gatewayPlan, localSecretValue, PlanConfigError, runtimeConfig } from "./plan-config";
import { TS_NODE_ARGS } from "../build/node-ts";

/** The policy documents a mutation may rewrite (the runtime gets exactly what this returns). */
export interface PolicyDocuments {
  readonly globalPolicy: string;
  readonly apis: readonly RuntimeApi[];
}

export interface LocalGatewayOptions {
  readonly stack: string;
  /** 0 or absent: any free port. */
  readonly port?: number;
  readonly switches?: Partial<RuntimeSwitches>;
  readonly mutate?: (docs: PolicyDocuments) => PolicyDocuments;
  /** The stack's offline plan, when the caller has it (tests); otherwise it is built in a child process. */
  readonly plan?: PreviewPlan;
  /** A stack file to read instead of the stack's own (the conformance overlay); same schema. */
  readonly configFile?: string;
  /** Starts the backend of the named servers instead of the standard local backend (fixture servers). */
  readonly backends?: Readonly<
    Record<string, (spec: BackendSpec, issuer: LocalIssuer) => Promise<RunningBackend>>
  >;
  /** Start the runtime (default). Tests of the surroundings pass their own. */
  readonly startRuntime?: (config: RuntimeConfig) => Promise<RunningGateway>;
}

export interface LocalTool {
  readonly name: string;
  readonly roles: readonly string[];
}

export interface LocalServer {
  readonly name: string;
  /** `http://127.0.0.1:<port>/<name>/mcp` */
  readonly url: string;
  /** `https://<gateway hostname>/<name>/mcp`: the resource the policy advertises and tokens are for. */
  readonly resource: string;
  /** The audiences the policy accepts (API app client ID and identifier URI). */
  readonly audiences: readonly string[];
  readonly clientId: string;
  readonly tools: readonly LocalTool[];
  readonly backend: RunningBackend;
}

export interface TokenOptions {
  readonly server: string;
  readonly user: string;
  readonly roles: readonly string[];
  /** Default: the server's resource (identifier URI). */
  readonly audience?: string;
  /** Default: `<resource>/<scopeValue>`'s scope value, as Entra puts it in `scp`. Empty string: no `scp`. */
  readonly scope?: string;
  readonly expired?: boolean;
  readonly tenantId?: string;
}

export interface LocalGateway {
  readonly stack: string;
  readonly url: string;
  /** `https://<gateway hostname>`: the origin the policy's URLs name; requests to it go to `url`. */
  readonly publicOrigin: string;
  readonly config: StackConfig;
  readonly runtimeConfig: RuntimeConfig;
  readonly servers: readonly LocalServer[];
  readonly issuer: RunningIssuer;
  readonly contentSafety?: RunningContentSafety;
  readonly runtime: RunningGateway;
  token(options: TokenOptions): string;
  /**
   * Stops this runtime and starts another over the same surroundings (issuer, backends, stand-in) with
   * other policy documents or switches: what the mutation and switch runs use, since a runtime keeps
   * counters and cache entries that must not leak from one run into the next.
   */
  relaunch(options: Pick<LocalGatewayOptions, "mutate" | "switches">): Promise<LocalGateway>;
  /** Stops everything this gateway started (runtime, stand-ins, issuer). */
  stop(): Promise<void>;
}

export class LocalGatewayError extends Error {}

/** The stack file is missing or invalid: the CLIs report it as bad usage (exit 2). */
export class StackConfigError extends Error {}

/** The stack's validated config, read from its stack file (no Pulumi runtime needed). */
export function readStackConfig(stack: string, configFile?: string): StackConfig {
  const file = configFile ?? stackFilePath(stack);
  if (!existsSync(file)) throw new StackConfigError(`--stack ${stack}: no stack file ${file}`);
  const engine = loadEngineConfig(file);
  const parsed = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
  if (!parsed.ok) throw new ConfigValidationError(parsed.problems);
  return parsed.config;
}

/** Builds the stack's plan in a child process: the Pulumi mock runtime allows one program per process. */
export function buildPlanInChild(stack: string, configFile?: string): Promise<PreviewPlan> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-local-plan-"));
  const file = path.join(dir, `${stack}.json`);
  return new Promise<PreviewPlan>((resolve, reject) => {
    execFile(
      process.execPath,
      [
        ...TS_NODE_ARGS,
        "tools/offline/cli.ts",
        "--stack",
        stack,
        ...(configFile === undefined ? [] : ["--config-file", configFile]),
        "--json",
        file,
        "--quiet",
      ],
      { cwd: REPO_ROOT, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        try {
          if (error) throw new LocalGatewayError(`offline preview of ${stack} failed:\n${stderr || stdout}`);
          resolve(asPreviewPlan(JSON.parse(readFileSync(file, "utf8"))));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}

function defaultStartRuntime(config: RuntimeConfig): Promise<RunningGateway> {
  return startGatewayRuntime(config);
}

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const config = readStackConfig(options.stack, options.configFile);
  const plan = options.plan ?? (await buildPlanInChild(options.stack, options.configFile));
  const gateway = gatewayPlan(plan);
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(started.reverse().map((s) => s.stop()));
  };
  try {
    const issuer = await startIssuer(createLocalIssuer({ tenantId: config.tenantId }));
    started.push(issuer);
    const servers: LocalServer[] = [];
    const backendUrls: Record<string, string> = {};
    const publicOrigin = `https://${config.gateway.hostname}`;
    for (const server of gateway.mcpServers) {
      const configured = config.mcpServers.find((s) => server.path === `${s.name}/mcp`);
      if (configured === undefined)
        throw new PlanConfigError(`API ${server.apiId} serves no configured MCP server`);
      if (server.backendId === undefined) throw new PlanConfigError(`API ${server.apiId} sets no backend`);
      const auth: BackendSpec["auth"] =
        configured.backendAuth.type === "apiKey"
          ? {
              kind: "apiKey",
              headerName: configured.backendAuth.headerName,
              value: localSecretValue(configured.backendAuth.secretName),
            }
          : { kind: "managedIdentity", audience: server.backendCredential?.resource ?? "" };
      const start = options.backends?.[configured.name] ?? startBackend;
      const backend = await start(
        {
          name: configured.name,
          tools: configured.tools,
          auth,
          protocolVersions: configured.protocolVersions ?? config.gatewayPolicy.supportedProtocolVersions,
        },
        issuer.issuer,
      );
      started.push(backend);
      backendUrls[server.backendId] = backend.url;
      servers.push({
        name: configured.name,
        url: "",
        resource: `${publicOrigin}/${server.path}`,
        audiences: server.audiences,
        clientId: server.clientApplicationIds[0] ?? "",
        tools: configured.tools,
        backend,
      });
    }
    const contentSafety =
      gateway.sendRequestOrigins.length > 0 ? await startContentSafety(issuer.issuer) : undefined;
    if (contentSafety) started.push(contentSafety);
    const docs: PolicyDocuments = { globalPolicy: gateway.globalPolicy, apis: gateway.apis };
    const launch = async (
      launchOptions: Pick<LocalGatewayOptions, "mutate" | "switches">,
      port: number,
    ): Promise<LocalGateway> => {
      const mutated = launchOptions.mutate ? launchOptions.mutate(docs) : docs;
      const runtimeCfg = runtimeConfig(
        { ...gateway, globalPolicy: mutated.globalPolicy, apis: mutated.apis },
        {
          port,
          issuer: issuer.url,
          managedIdentityEndpoint: issuer.managedIdentityEndpoint,
          backends: backendUrls,
          ...(contentSafety ? { contentSafety: contentSafety.url } : {}),
          switches: { ...DEFAULT_SWITCHES, ...launchOptions.switches },
        },
      );
      const runtime = await (options.startRuntime ?? defaultStartRuntime)(runtimeCfg);
      const withUrls = servers.map((s) => ({ ...s, url: `${runtime.url}/${s.name}/mcp` }));
      return {
        stack: options.stack,
        url: runtime.url,
        publicOrigin,
        config,
        runtimeConfig: runtimeCfg,
        servers: withUrls,
        issuer,
        ...(contentSafety ? { contentSafety } : {}),
        runtime,
        token(t) {
          const server = withUrls.find((s) => s.name === t.server);
          if (server === undefined) {
            throw new LocalGatewayError(
              `unknown server ${JSON.stringify(t.server)}; the stack has ${withUrls.map((s) => s.name).join(", ")}`,
            );
          }
          const scope = t.scope ?? config.identity.scopeValue;
          return issuer.issuer.userToken({
            user: t.user,
            roles: t.roles,
            audience: t.audience ?? server.resource,
            clientId: server.clientId,
            ...(scope ? { scope } : {}),
            ...(t.expired ? { expired: true } : {}),
            ...(t.tenantId ? { tenantId: t.tenantId } : {}),
          });
        },
        async relaunch(next) {
          await runtime.stop();
          return launch(next, 0);
        },
        async stop() {
          await runtime.stop();
          await stopAll();
        },
      };
    };
    return await launch(options, options.port ?? 0);
  } catch (error) {
    await stopAll();
    throw error;
  }
}
