/**
 * How the CLI turns this repository's project files into processes (tools/cli-host/project.ts), and
 * the structural guarantee behind it: the directory the CLI runs each project in holds a tsconfig.json
 * that ts-node reads with the repository's strict options.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import {
  policyPackArguments,
  programLocation,
  ProjectError,
  readProjectFile,
  resolveSdkEntry,
  runArguments,
  runEnvironment,
} from "../../../tools/cli-host/project";
import { REPO_ROOT } from "../../support/plans";

describe("program directory and entry point (the engine's getPwdMain)", () => {
  test("main naming a file: its directory is the program directory, its base name the entry point", () => {
    const main = readProjectFile(path.join(REPO_ROOT, "Pulumi.yaml"));
    expect(programLocation(main)).toEqual({
      programDirectory: path.join(REPO_ROOT, "infra"),
      entryPoint: "index.ts",
    });
    const bootstrap = readProjectFile(path.join(REPO_ROOT, "infra", "bootstrap", "Pulumi.yaml"));
    expect(programLocation(bootstrap)).toEqual({
      programDirectory: path.join(REPO_ROOT, "infra", "bootstrap"),
      entryPoint: "index.ts",
    });
  });

  test("no main: the project directory and '.'; main naming a directory: that directory and '.'", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cli-host-project-"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
    expect(programLocation(readProjectFile(path.join(dir, "Pulumi.yaml")))).toEqual({
      programDirectory: dir,
      entryPoint: ".",
    });
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nmain: .\n");
    expect(programLocation(readProjectFile(path.join(dir, "Pulumi.yaml"))).entryPoint).toBe(".");
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nmain: missing.ts\n");
    expect(() => programLocation(readProjectFile(path.join(dir, "Pulumi.yaml")))).toThrow(
      /project 'main' could not be read/,
    );
  });

  test("a project file that is not a Node.js project is a clear error", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cli-host-project-"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: python\n");
    expect(() => readProjectFile(path.join(dir, "Pulumi.yaml"))).toThrow(ProjectError);
    expect(() => readProjectFile(path.join(dir, "Pulumi.yaml"))).toThrow(
      /runtime must be nodejs \(got "python"\)/,
    );
    expect(() => readProjectFile(path.join(dir, "nope.yaml"))).toThrow(/project file not found/);
  });
});

describe("every Pulumi project's directory has the tsconfig.json the CLI's ts-node reads", () => {
  const directories = [
    programLocation(readProjectFile(path.join(REPO_ROOT, "Pulumi.yaml"))).programDirectory,
    programLocation(readProjectFile(path.join(REPO_ROOT, "infra", "bootstrap", "Pulumi.yaml")))
      .programDirectory,
    // Packs always run in their own directory (the analyzer host's pwd).
    path.join(REPO_ROOT, "policies"),
  ];

  test.each(directories)("%s: strict options as in the repository's own type check", (directory) => {
    const file = path.join(directory, "tsconfig.json");
    expect(existsSync(file)).toBe(true);
    // What ts-node 7 does with it: parse the file, follow `extends`, apply its own options.
    const parsed = ts.getParsedCommandLineOfConfigFile(
      file,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
        },
      },
    );
    expect(parsed?.errors).toEqual([]);
    expect(parsed?.options).toMatchObject({
      strict: true,
      noUncheckedIndexedAccess: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      resolveJsonModule: true,
      esModuleInterop: true,
    });
  });

  test("the pack declares the typescript it is compiled with (pulumi policy publish installs only its deps)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pack = require(path.join(REPO_ROOT, "policies", "package.json")) as {
      dependencies?: Record<string, string>;
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const root = require(path.join(REPO_ROOT, "package.json")) as { devDependencies: Record<string, string> };
    expect(pack.dependencies?.["typescript"]).toBe(root.devDependencies["typescript"]);
  });
});

describe("the language host's command line and environment", () => {
  test("cmd/run flags in the language host's order, empty values left out, entry point last", () => {
    expect(
      runArguments({
        runPath: "/sdk/cmd/run",
        monitorAddress: "127.0.0.1:1",
        engineAddress: "127.0.0.1:2",
        organization: "organization",
        project: "p",
        rootDirectory: "/repo",
        stack: "dev",
        programDirectory: "/repo/infra",
        entryPoint: "index.ts",
        dryRun: true,
        parallel: 16,
      }),
    ).toEqual([
      "/sdk/cmd/run",
      "--monitor",
      "127.0.0.1:1",
      "--engine",
      "127.0.0.1:2",
      "--organization",
      "organization",
      "--project",
      "p",
      "--root-directory",
      "/repo",
      "--stack",
      "dev",
      "--pwd",
      "/repo/infra",
      "--dry-run",
      "--parallel",
      "16",
      "index.ts",
    ]);
  });

  test("config in the <namespace>:config:<name> form, secret keys as JSON, TypeScript from runtime options", () => {
    const env = runEnvironment(
      { "p:a": "1", "azure-native:location": "westeurope", "p:s": "offline-secret-placeholder(p:s)" },
      ["p:s"],
      { typescript: true, tsconfig: "tsconfig.cli.json" },
    );
    expect(JSON.parse(env["PULUMI_CONFIG"]!)).toEqual({
      "p:config:a": "1",
      "azure-native:config:location": "westeurope",
      "p:config:s": "offline-secret-placeholder(p:s)",
    });
    expect(JSON.parse(env["PULUMI_CONFIG_SECRET_KEYS"]!)).toEqual(["p:s"]);
    expect(env["PULUMI_NODEJS_TYPESCRIPT"]).toBe("true");
    expect(env["PULUMI_NODEJS_TSCONFIG_PATH"]).toBe("tsconfig.cli.json");
    expect(runEnvironment({}, [], {})).toEqual({ PULUMI_CONFIG: "{}", PULUMI_CONFIG_SECRET_KEYS: "[]" });
    expect(() => runEnvironment({ nonamespace: "x" }, [], {})).toThrow(
      /config key 'nonamespace' has no namespace/,
    );
  });

  test("a pack: engine address, '.', then one -key=value per runtime option", () => {
    expect(policyPackArguments("/sdk/cmd/run-policy-pack", "127.0.0.1:9", { typescript: true })).toEqual([
      "/sdk/cmd/run-policy-pack",
      "127.0.0.1:9",
      ".",
      "-typescript=true",
    ]);
  });

  test("the SDK entry points resolve from each project directory as Node resolves them", () => {
    expect(resolveSdkEntry(path.join(REPO_ROOT, "policies"), "cmd/run-policy-pack")).toBe(
      path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js"),
    );
    expect(() => resolveSdkEntry(os.tmpdir(), "cmd/run")).toThrow(/cannot be resolved from/);
  });
});
