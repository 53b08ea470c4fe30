/**
 * Compiles and starts the local API Management runtime (C#, `runtime/`, run by Mono) for a `RuntimeConfig`
 * (contract.ts). Named values are substituted first, as API Management does; then every `@(...)` /
 * `@{...}` of every document is extracted (`tools/expressions/extract.ts`) and generated into one C#
 * method each, compiled with `mcs` together with the runtime sources and the object model's interfaces
 * (`tools/expressions/stub/ApiManagement.Model.cs`) into one exe. The runtime finds each expression by
 * its text, so the documents themselves reach it unmodified. The exe is cached by the hash of everything
 * compiled into it, so repeated starts skip `mcs`.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { IMPLICIT_NAMESPACES } from "../expressions/allowed-types";
import { findCompiler, MODEL_FILE } from "../expressions/compile";
import { extractExpressions } from "../expressions/extract";
import {
  LISTENING_PREFIX,
  LOAD_ERROR_EXIT_CODE,
  LOAD_ERROR_PREFIX,
  type RunningGateway,
  type RuntimeConfig,
  type RuntimeTrace,
  TRACE_PREFIX,
} from "./contract";

export const RUNTIME_DIR = path.join(__dirname, "runtime");
const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Where Debian's libnewtonsoft-json5.0-cil installs the real Newtonsoft.Json. */
const DEFAULT_NEWTONSOFT = "/usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll";
export const INSTALL_HINT = "apt-get install -y mono-runtime mono-mcs libnewtonsoft-json5.0-cil";

/** A document the runtime refuses: the `LOAD-ERROR` message (also for what fails before Mono starts). */
export class GatewayLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GatewayLoadError";
  }
}

export interface CompiledRuntime {
  /** The exe to run with `mono <exe> <config.json>`. */
  readonly exe: string;
  /** The config as the runtime reads it: named values substituted into every document. */
  readonly config: RuntimeConfig;
  /** False when the exe came from the cache. */
  readonly compiled: boolean;
}

export interface RuntimeTools {
  readonly mcs: string;
  readonly mono: string;
  readonly newtonsoft: string;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    if (dir !== "" && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** Mono, mcs and Newtonsoft.Json, or undefined when one is missing (`MCPGW_NEWTONSOFT` overrides the DLL). */
export function findRuntimeTools(env: NodeJS.ProcessEnv = process.env): RuntimeTools | undefined {
  const mcs = findCompiler(env);
  const mono = onPath("mono", env);
  const newtonsoft = env["MCPGW_NEWTONSOFT"] ?? DEFAULT_NEWTONSOFT;
  if (mcs === undefined || mono === undefined || !existsSync(newtonsoft)) return undefined;
  return { mcs, mono, newtonsoft };
}

function requireTools(): RuntimeTools {
  const tools = findRuntimeTools();
  if (tools === undefined)
    throw new Error(`the local gateway needs Mono, mcs and Newtonsoft.Json: ${INSTALL_HINT}`);
  return tools;
}

const NAMED_VALUE = /\{\{([^{}]*)\}\}/g;

/**
 * `{{name}}` -> the named value, before anything else reads the document (API Management substitutes
 * named values into the policy text before it is parsed). An unknown name is a load error.
 */
export function substituteNamedValues(
  document: string,
  namedValues: Readonly<Record<string, string>>,
  where: string,
): string {
  return document.replace(NAMED_VALUE, (_match, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(namedValues, name) ? namedValues[name] : undefined;
    if (value === undefined) {
      const known = Object.keys(namedValues).join(", ") || "none";
      throw new GatewayLoadError(
        `${where}: named value {{${name}}} is not configured (configured: ${known})`,
      );
    }
    return value;
  });
}

/** Every document of the config with its name for messages, after named-value substitution. */
export function prepareConfig(config: RuntimeConfig): RuntimeConfig {
  const sub = (document: string, where: string) => substituteNamedValues(document, config.namedValues, where);
  return {
    ...config,
    globalPolicy: sub(config.globalPolicy, "global policy"),
    apis: config.apis.map((api) => ({
      ...api,
      ...(api.policy === undefined ? {} : { policy: sub(api.policy, `policy of API ${api.id}`) }),
      operations: api.operations.map((operation) => ({
        ...operation,
        ...(operation.policy === undefined
          ? {}
          : { policy: sub(operation.policy, `policy of operation ${api.id}/${operation.id}`) }),
      })),
    })),
  };
}

function documentsOf(config: RuntimeConfig): { where: string; xml: string }[] {
  const documents = [{ where: "global policy", xml: config.globalPolicy }];
  for (const api of config.apis) {
    if (api.policy !== undefined) documents.push({ where: `policy of API ${api.id}`, xml: api.policy });
    for (const operation of api.operations) {
      if (operation.policy !== undefined)
        documents.push({ where: `policy of operation ${api.id}/${operation.id}`, xml: operation.policy });
    }
  }
  return documents;
}

/** The distinct expression texts of the documents (`@(...)` / `@{...}`, XML-unescaped), in first-seen order. */
export function collectExpressions(config: RuntimeConfig): string[] {
  const texts = new Set<string>();
  for (const { where, xml } of documentsOf(config)) {
    const result = extractExpressions(xml);
    const problem = result.problems[0];
    if (problem !== undefined) {
      const { line, column } = problem.position;
      throw new GatewayLoadError(`${where} (${line}:${column}): ${problem.message}`);
    }
    for (const expression of result.expressions) texts.add(expression.text);
  }
  return [...texts];
}

function verbatim(text: string): string {
  return `@"${text.replace(/"/g, '""')}"`;
}

/**
 * One class per expression returning `object` (the element converts: a condition to bool, a key to
 * string), and the table from expression text to method that the runtime's loader reads.
 */
export function generateExpressionSource(texts: readonly string[]): string {
  const lines = [
    "// Generated by tools/gateway-local/runtime.ts: the policy expressions of one configuration.",
    ...IMPLICIT_NAMESPACES.map((ns) => `using ${ns};`),
    "using Apim.PolicyExpressions;",
    "",
    "namespace Apim.Local.Generated",
    "{",
    "    public static class CompiledExpressions",
    "    {",
    "        public static readonly IReadOnlyDictionary<string, Func<IProxyContext, object>> All =",
    "            new Dictionary<string, Func<IProxyContext, object>>(StringComparer.Ordinal)",
    "            {",
    ...texts.map((text, i) => `                { ${verbatim(text)}, X${i + 1}.Evaluate },`),
    "            };",
    "    }",
  ];
  texts.forEach((text, i) => {
    const code = text.slice(2, -1);
    const name = `expr-${String(i + 1).padStart(4, "0")}`;
    lines.push(`    internal static class X${i + 1}`, "    {");
    if (text.startsWith("@{")) {
      lines.push(
        "        internal static object Evaluate(IProxyContext context)",
        `#line 1 "${name}"`,
        `{${code}}`,
      );
    } else {
      lines.push(
        "        internal static object Evaluate(IProxyContext context) { return (",
        `#line 1 "${name}"`,
        code,
        "#line default",
        "        ); }",
      );
    }
    lines.push("#line default", "    }");
  });
  lines.push("}", "");
  return lines.join("\n");
}

function runtimeSources(): string[] {
  return [
    MODEL_FILE,
    ...readdirSync(RUNTIME_DIR)
      .filter((file) => file.endsWith(".cs"))
      .sort()
      .map((file) => path.join(RUNTIME_DIR, file)),
  ];
}

function cacheRoot(): string {
  const modules = path.join(REPO_ROOT, "node_modules");
  return existsSync(modules)
    ? path.join(modules, ".cache", "gateway-local")
    : path.join(os.tmpdir(), "mcpgw-gateway-local");
}

function run(command: string, args: readonly string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
    child.on("close", (status) => resolve({ status, output }));
  });
}

/**
 * Compiles (or finds in the cache) the runtime exe for the config's expressions. Asynchronous, so local
 * servers in the same process keep answering while `mcs` runs.
 */
export async function compileRuntime(config: RuntimeConfig): Promise<CompiledRuntime> {
  const prepared = prepareConfig(config);
  const texts = collectExpressions(prepared);
  const generated = generateExpressionSource(texts);
  const tools = requireTools();
  const sources = runtimeSources();
  const hash = createHash("sha256");
  for (const file of sources) hash.update(file).update(readFileSync(file));
  hash.update(generated).update(tools.newtonsoft);
  const dir = path.join(cacheRoot(), hash.digest("hex").slice(0, 32));
  const exe = path.join(dir, "gateway.exe");
  if (existsSync(exe)) return { exe, config: prepared, compiled: false };

  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(path.join(dir, "build-"));
  try {
    const generatedFile = path.join(work, "Expressions.g.cs");
    writeFileSync(generatedFile, generated);
    const out = path.join(work, "gateway.exe");
    const result = await run(tools.mcs, [
      "-nologo",
      "-target:exe",
      "-warn:0",
      "-r:System.dll",
      "-r:System.Core.dll",
      "-r:System.Xml.dll",
      "-r:System.Xml.Linq.dll",
      `-r:${tools.newtonsoft}`,
      `-out:${out}`,
      ...sources,
      generatedFile,
    ]);
    if (result.status !== 0 || !existsSync(out)) {
      const errors = result.output.split("\n").filter((line) => /error CS\d+/.test(line));
      // `#line` directives name each expression's errors `expr-NNNN(line,col)`: quote the expression.
      const inExpressions = errors.flatMap((line) => {
        const unit = /expr-(\d+)\(/.exec(line);
        const text = unit === null ? undefined : texts[Number(unit[1]) - 1];
        return text === undefined ? [] : [`${line.slice(line.indexOf("expr-")).trim()} in ${text}`];
      });
      if (inExpressions.length > 0)
        throw new GatewayLoadError(
          `an expression does not compile: ${inExpressions.slice(0, 5).join(" | ")}`,
        );
      throw new Error(
        `the local gateway runtime does not compile: ${errors.slice(0, 5).join(" | ") || result.output}`,
      );
    }
    // Atomic: a concurrent start either sees no exe or a complete one.
    renameSync(out, exe);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { exe, config: prepared, compiled: true };
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      onLine(pending.slice(0, newline).replace(/\r$/, ""));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  });
  stream.on("end", () => {
    if (pending !== "") onLine(pending);
  });
}

function parseTrace(json: string): RuntimeTrace {
  const value = JSON.parse(json) as Partial<RuntimeTrace>;
  return {
    source: String(value.source ?? ""),
    severity: String(value.severity ?? ""),
    message: String(value.message ?? ""),
    metadata: { ...(value.metadata ?? {}) },
  };
}

/**
 * Starts the runtime for `config` and resolves once it serves (its `LISTENING` line). Rejects with a
 * `GatewayLoadError` carrying the `LOAD-ERROR` message when the runtime refuses the documents (exit code
 * 2), or when they fail before Mono starts (unknown named value, malformed expression, compile error).
 */
export async function startGatewayRuntime(
  config: RuntimeConfig,
  options: { log?: (line: string) => void } = {},
): Promise<RunningGateway> {
  const log = options.log ?? (() => undefined);
  const tools = requireTools();
  const compiled = await compileRuntime(config);
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-gateway-"));
  const configFile = path.join(dir, "config.json");
  writeFileSync(configFile, JSON.stringify(compiled.config), { mode: 0o600 });
  const child = spawn(tools.mono, [compiled.exe, configFile], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, MONO_PATH: path.dirname(tools.newtonsoft) },
  });
  const traces: RuntimeTrace[] = [];
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let loadError: string | undefined;
  const stderr: string[] = [];

  const url = await new Promise<string>((resolve, reject) => {
    lines(child.stdout, (line) => {
      if (line.startsWith(LISTENING_PREFIX)) resolve(line.slice(LISTENING_PREFIX.length).trim());
      else if (line.startsWith(TRACE_PREFIX)) traces.push(parseTrace(line.slice(TRACE_PREFIX.length)));
      else log(line);
    });
    lines(child.stderr, (line) => {
      if (line.startsWith(LOAD_ERROR_PREFIX)) loadError = line.slice(LOAD_ERROR_PREFIX.length);
      else stderr.push(line);
      log(line);
    });
    child.on("error", reject);
    void exited.then((code) => {
      if (code === LOAD_ERROR_EXIT_CODE && loadError !== undefined) reject(new GatewayLoadError(loadError));
      else reject(new Error(`the local gateway exited with ${code} before serving: ${stderr.join("\n")}`));
    });
  }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });

  let stopped: Promise<void> | undefined;
  return {
    url,
    traces,
    stop(): Promise<void> {
      stopped ??= (async () => {
        // Closing stdin ends the runtime with exit code 0; SIGTERM if it does not.
        child.stdin.end();
        const timer = setTimeout(() => child.kill("SIGTERM"), 3000);
        await exited;
        clearTimeout(timer);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
