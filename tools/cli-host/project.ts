/**
 * How the Pulumi CLI turns a project directory into a Node.js process: the project file, the
 * program directory and entry point (the engine's `getPwdMain`), and the arguments and environment
 * the Node.js language host (`pulumi-language-nodejs`, `constructArguments` / `execRuntime`) gives
 * `@pulumi/pulumi/cmd/run`, or the analyzer host gives `cmd/run-policy-pack`.
 * Pure functions apart from reading the project file and stat-ing `main`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

export class ProjectError extends Error {}

export interface ProjectFile {
  /** `Pulumi.yaml` or `PulumiPolicy.yaml`. */
  readonly file: string;
  /** The directory holding it: the engine's root directory. */
  readonly rootDirectory: string;
  /** The project name (`name:`); policy packs have none. */
  readonly name?: string;
  readonly runtime: string;
  /** `runtime.options` (typescript, nodeargs, tsconfig, packagemanager, ...). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly main?: string;
}

/** Reads a project file; errors name the file and key. */
export function readProjectFile(file: string): ProjectFile {
  if (!existsSync(file)) throw new ProjectError(`project file not found: ${file}`);
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ProjectError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  if (typeof document !== "object" || document === null) throw new ProjectError(`${file}: not a mapping`);
  const record = document as Record<string, unknown>;
  const runtime = record["runtime"];
  const runtimeName =
    typeof runtime === "string"
      ? runtime
      : typeof runtime === "object" && runtime !== null
        ? (runtime as Record<string, unknown>)["name"]
        : undefined;
  if (runtimeName !== "nodejs")
    throw new ProjectError(`${file}: runtime must be nodejs (got ${JSON.stringify(runtimeName)})`);
  const options =
    typeof runtime === "object" && runtime !== null
      ? ((runtime as Record<string, unknown>)["options"] ?? {})
      : {};
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new ProjectError(`${file}: runtime.options must be a mapping`);
  const name = record["name"];
  const main = record["main"];
  if (main !== undefined && typeof main !== "string")
    throw new ProjectError(`${file}: main must be a relative path`);
  return {
    file,
    rootDirectory: path.dirname(file),
    ...(typeof name === "string" ? { name } : {}),
    runtime: runtimeName,
    options: options as Record<string, unknown>,
    ...(main !== undefined ? { main } : {}),
  };
}

/**
 * The engine's `getPwdMain`: with `main` naming a file, the program directory is that file's
 * directory and the entry point its base name; naming a directory, that directory and ".".
 * The program directory is the language host's `--pwd`, so its `tsconfig.json` is the one ts-node reads.
 */
export function programLocation(project: ProjectFile): { programDirectory: string; entryPoint: string } {
  if (project.main === undefined || project.main === "")
    return { programDirectory: project.rootDirectory, entryPoint: "." };
  const main = path.isAbsolute(project.main)
    ? project.main
    : path.normalize(path.join(project.rootDirectory, project.main));
  if (!existsSync(main)) throw new ProjectError(`${project.file}: project 'main' could not be read: ${main}`);
  return statSync(main).isDirectory()
    ? { programDirectory: main, entryPoint: "." }
    : { programDirectory: path.dirname(main), entryPoint: path.basename(main) };
}

export interface RunRequest {
  readonly runPath: string;
  readonly monitorAddress: string;
  readonly engineAddress: string;
  readonly organization: string;
  readonly project: string;
  readonly rootDirectory: string;
  readonly stack: string;
  readonly programDirectory: string;
  readonly entryPoint: string;
  readonly dryRun: boolean;
  readonly parallel: number;
}

/**
 * `constructArguments`: `cmd/run` and the flags the language host passes (no `--sync`: the pipes
 * for synchronous invokes are a Go-side detail the SDK only uses when given; no `--tracing`).
 */
export function runArguments(request: RunRequest): string[] {
  const args = [request.runPath];
  const add = (key: string, value: string): void => {
    if (value !== "") args.push(`--${key}`, value);
  };
  add("monitor", request.monitorAddress);
  add("engine", request.engineAddress);
  add("organization", request.organization);
  add("project", request.project);
  add("root-directory", request.rootDirectory);
  add("stack", request.stack);
  add("pwd", request.programDirectory);
  if (request.dryRun) args.push("--dry-run");
  add("parallel", String(request.parallel));
  args.push(request.entryPoint);
  return args;
}

/**
 * `constructConfig` / `constructConfigSecretKeys` / runtime options: config keys are handed over in
 * the old `<namespace>:config:<name>` form, secret keys as the engine names them, and
 * `PULUMI_NODEJS_TYPESCRIPT` / `PULUMI_NODEJS_TSCONFIG_PATH` from `runtime.options`.
 */
export function runEnvironment(
  config: Readonly<Record<string, string>>,
  secretKeys: readonly string[],
  options: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const transformed: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const separator = key.indexOf(":");
    if (separator <= 0) throw new ProjectError(`config key '${key}' has no namespace (<namespace>:<name>)`);
    transformed[`${key.slice(0, separator)}:config:${key.slice(separator + 1)}`] = value;
  }
  const env: Record<string, string> = {
    PULUMI_CONFIG: JSON.stringify(transformed),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
  };
  if (isTrue(options["typescript"])) env["PULUMI_NODEJS_TYPESCRIPT"] = "true";
  const tsconfig = options["tsconfig"];
  if (typeof tsconfig === "string" && tsconfig !== "") env["PULUMI_NODEJS_TSCONFIG_PATH"] = tsconfig;
  return env;
}

/**
 * The analyzer host's arguments for a policy pack: `<engine address> .` and one `-<key>=<value>` per
 * runtime option, run in the pack's directory.
 */
export function policyPackArguments(
  runPolicyPackPath: string,
  engineAddress: string,
  options: Readonly<Record<string, unknown>>,
): string[] {
  const args = [runPolicyPackPath, engineAddress, "."];
  for (const [key, value] of Object.entries(options)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (text !== "") args.push(`-${key}=${text}`);
  }
  return args;
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/**
 * Where the language host finds the SDK entry: Node's own resolution from the program directory,
 * as `require("@pulumi/pulumi/cmd/run")` there would.
 */
export function resolveSdkEntry(fromDirectory: string, entry: "cmd/run" | "cmd/run-policy-pack"): string {
  try {
    return require.resolve(`@pulumi/pulumi/${entry}`, { paths: [fromDirectory] });
  } catch {
    throw new ProjectError(
      `@pulumi/pulumi/${entry} cannot be resolved from ${fromDirectory}: install the project's dependencies`,
    );
  }
}
