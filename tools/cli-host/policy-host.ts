/**
 * Starts a policy pack the way the CLI's analyzer host does and talks to it as the engine does.
 *
 * The pack runs as `node @pulumi/pulumi/cmd/run-policy-pack <engine address> . -<option>=<value>...`
 * in its own directory (project.ts `policyPackArguments`); `cmd/run-policy-pack` registers ts-node
 * with type checking (always, whatever the options say) and the pack's `new PolicyPack(...)` serves
 * the Analyzer service and prints its port as the first line on stdout, which the host reads.
 * The engine then calls `GetAnalyzerInfo`, `Configure` with the pack config it resolved, `Analyze` for
 * each resource and `AnalyzeStack` once with all of them.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { inheritedEnvironment } from "./program-host";
import { policyPackArguments, readProjectFile, resolveSdkEntry } from "./project";

/** Ends the pack when this process is gone (parent-watchdog.cjs). */
const WATCHDOG = path.join(__dirname, "parent-watchdog.cjs");

/** The pack failed to start: its output (the compiler's message for a type error) and exit code. */
export class PolicyPackStartError extends Error {
  constructor(
    readonly packDirectory: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(
      `policy pack ${packDirectory} failed to start (exit code ${String(exitCode)}):\n${output.trimEnd()}`,
    );
    this.name = "PolicyPackStartError";
  }
}

export interface PolicyPackOptions {
  /**
   * ts-node's compile cache. Omitted: ts-node's default (a directory under the OS temp dir, as for
   * the CLI). A fresh directory makes ts-node type-check every file, as on a clean machine.
   */
  readonly cacheDirectory?: string;
  /** What the analyzer host passes as the engine address (`cmd/run-policy-pack` drops it). */
  readonly engineAddress?: string;
  readonly startTimeoutMs?: number;
}

export interface AnalyzerSession {
  readonly packDirectory: string;
  /** The pack process. */
  readonly pid: number | undefined;
  /** Milliseconds from spawning the pack to its port. */
  readonly startMs: number;
  getAnalyzerInfo(): Promise<analyzerpb.AnalyzerInfo>;
  configure(config: ReadonlyMap<string, analyzerpb.PolicyConfig>): Promise<void>;
  analyze(request: analyzerpb.AnalyzeRequest): Promise<analyzerpb.AnalyzeResponse>;
  analyzeStack(request: analyzerpb.AnalyzeStackRequest): Promise<analyzerpb.AnalyzeResponse>;
  /** What the pack wrote to stderr so far. */
  stderr(): string;
  close(): void;
}

export async function startPolicyPack(
  packDirectory: string,
  options: PolicyPackOptions = {},
): Promise<AnalyzerSession> {
  const directory = path.resolve(packDirectory);
  const project = readProjectFile(path.join(directory, "PulumiPolicy.yaml"));
  const args = policyPackArguments(
    resolveSdkEntry(directory, "cmd/run-policy-pack"),
    options.engineAddress ?? "127.0.0.1:0",
    project.options,
  );
  const env: NodeJS.ProcessEnv = { ...inheritedEnvironment() };
  if (options.cacheDirectory) env["TS_NODE_CACHE_DIRECTORY"] = options.cacheDirectory;
  const started = Date.now();
  const child = spawn(process.execPath, ["--require", WATCHDOG, ...args], {
    cwd: directory,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  // The pack serves until it is killed: never let it outlive this process.
  process.once("exit", kill);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await readPort(child, options.startTimeoutMs ?? 300_000, () => stderr).catch(
    (error: unknown) => {
      kill();
      throw error instanceof Error && error.message === "exited"
        ? new PolicyPackStartError(directory, child.exitCode, stderr)
        : error;
    },
  );
  // Neither the pack nor its pipes keep this process alive once the caller is done.
  child.unref();
  (child.stdout as Readable & { unref?: () => void }).unref?.();
  (child.stderr as Readable & { unref?: () => void }).unref?.();

  return analyzerSession(
    directory,
    child.pid,
    Date.now() - started,
    port,
    () => stderr,
    () => {
      kill();
      process.off("exit", kill);
    },
  );
}

/**
 * The pack served inside this process, for the repository's own tools (`policy:check`, the offline
 * preview): the pack's entry (`main` of its package.json) is loaded by whatever loads TypeScript here
 * (tools/build/ts-hook.cjs; jest's transform in tests), its `new PolicyPack` starts the pack's own
 * Analyzer gRPC server on a loopback port, and the session talks to that server over gRPC exactly as
 * with `startPolicyPack`: the same handlers, the same wire encoding, the same answers. What it saves
 * is a second Node.js process that loads the SDK again and type-checks the pack with ts-node (about
 * 2 s of CPU and 190 MiB, docs/benchmarks.md). `startPolicyPack`, the CLI's own way, stays what
 * `check:cli-fidelity` uses, and that check compares both verdicts over every stack's plan.
 *
 * One pack per process (`@pulumi/policy` refuses a second). The pack reads `package.json` from the
 * working directory, so its entry is loaded with the pack's directory as the working directory and the
 * previous one is restored right after. The port is taken from the server's `bindAsync` instead of the
 * line the pack prints for the CLI, so this process's stdout stays its own.
 */
export async function servePolicyPackInProcess(packDirectory: string): Promise<AnalyzerSession> {
  const directory = path.resolve(packDirectory);
  const started = Date.now();
  const manifest = JSON.parse(readFileSync(path.join(directory, "package.json"), "utf8")) as {
    main?: string;
  };
  const entry = path.resolve(directory, manifest.main ?? "index.js");
  // The gRPC module the pack's `@pulumi/policy` serves with (the one it resolves, not necessarily ours).
  const policySdk = path.dirname(require.resolve("@pulumi/policy", { paths: [directory] }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const packGrpc = require(require.resolve("@grpc/grpc-js", { paths: [policySdk] })) as typeof grpc;
  const prototype = packGrpc.Server.prototype;
  const bindAsync = prototype.bindAsync;
  let server: grpc.Server | undefined;
  const port = new Promise<number>((resolve, reject) => {
    prototype.bindAsync = function (this: grpc.Server, address, credentials) {
      prototype.bindAsync = bindAsync;
      // The server the pack created: captured to shut it down when the session closes.
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      server = this;
      bindAsync.call(this, address, credentials, (error, boundPort) =>
        error ? reject(error) : resolve(boundPort),
      );
    };
  });
  const previousDirectory = process.cwd();
  try {
    process.chdir(directory);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(entry);
  } catch (error) {
    throw new PolicyPackStartError(
      directory,
      null,
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
  } finally {
    prototype.bindAsync = bindAsync;
    process.chdir(previousDirectory);
  }
  const serving = server;
  if (!serving) {
    throw new PolicyPackStartError(
      directory,
      null,
      `${entry} did not start an Analyzer server (new PolicyPack)`,
    );
  }
  const boundPort = await port;
  const session = analyzerSession(
    directory,
    process.pid,
    Date.now() - started,
    boundPort,
    () => "",
    () => {
      serving.forceShutdown();
      servedPacks().delete(session);
    },
  );
  servedPacks().add(session);
  return session;
}

/**
 * The packs served in this process and not closed yet, on a global symbol so that a test harness can
 * close them without importing this module (test/support/close-served-packs.ts): a served pack's
 * connections would otherwise keep a test process alive.
 */
export function servedPacks(): Set<AnalyzerSession> {
  const key = Symbol.for("mcp-azure-gateway.served-packs");
  const registry = globalThis as Record<symbol, Set<AnalyzerSession> | undefined>;
  return (registry[key] ??= new Set());
}

/** An Analyzer client on the pack's port, as the engine holds one; `stop` ends the pack on close. */
function analyzerSession(
  directory: string,
  pid: number | undefined,
  startMs: number,
  port: number,
  stderr: () => string,
  stop: () => void,
): AnalyzerSession {
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
  });
  const unary = <Req, Res>(
    method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    request: Req,
  ): Promise<Res> =>
    new Promise((resolve, reject) => {
      method.call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
    });

  return {
    packDirectory: directory,
    pid,
    startMs,
    getAnalyzerInfo: () => unary(client.getAnalyzerInfo, new Empty()),
    configure: async (config) => {
      const request = new analyzerpb.ConfigureAnalyzerRequest();
      const map = request.getPolicyconfigMap();
      for (const [name, entry] of config) map.set(name, entry);
      await unary(client.configure, request);
    },
    analyze: (request) => unary(client.analyze, request),
    analyzeStack: (request) => unary(client.analyzeStack, request),
    stderr,
    close: () => {
      client.close();
      stop();
    },
  };
}

/** The first line the pack prints is its port; anything else first means it failed. */
function readPort(
  child: ChildProcessByStdio<null, Readable, Readable>,
  timeoutMs: number,
  stderr: () => string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      reject(new Error(`policy pack did not report its port within ${timeoutMs} ms:\n${stderr()}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      const line = stdout.slice(0, newline).trim();
      if (/^\d+$/.test(line)) resolve(Number(line));
      else reject(new Error(`policy pack printed ${JSON.stringify(line)} instead of its port:\n${stderr()}`));
    };
    child.stdout.on("data", onData);
    child.on("close", () => {
      clearTimeout(timer);
      reject(new Error("exited"));
    });
  });
}
