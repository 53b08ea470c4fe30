import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/plans";

/**
 * One room per job (issue 14): shipped code (the program, the pack and its runner, the tools) never
 * imports from `test/`, so `test/` can be skipped or deleted without breaking a command, and `test/`
 * holds only tests and what they use.
 */

const SOURCE = /\.(?:ts|js|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(["node_modules", ".git", "test"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return SKIPPED_DIRS.has(entry) ? [] : sourceFiles(full);
    return SOURCE.test(entry) ? [full] : [];
  });
}

/** Every module specifier in `import ... from`, `export ... from`, `import("...")`, `require("...")`. */
export function specifiers(source: string): string[] {
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;
  return [...source.matchAll(pattern)].map((match) => match[1] as string);
}

/** The relative specifiers of `file` that resolve into `dir`. */
function importsInto(file: string, dir: string): string[] {
  return specifiers(readFileSync(file, "utf8"))
    .filter((specifier) => specifier.startsWith("."))
    .filter((specifier) => {
      const target = path.resolve(path.dirname(file), specifier);
      return target === dir || target.startsWith(dir + path.sep);
    });
}

const TEST_DIR = path.join(REPO_ROOT, "test");
/** Shipped code: every room but `test/` (and the pack's own tests, which are tests). */
const SHIPPED_ROOTS = ["infra", "policies", "tools"].map((room) => path.join(REPO_ROOT, room));

describe("rooms", () => {
  test("the specifier scanner sees every import form", () => {
    const source = [
      'import { a } from "../../test/x";',
      'export { b } from "../test/y";',
      'import "./side-effect";',
      'const c = require("../test/z");',
      'const d = await import("./lazy");',
      'import type { E } from "./types";',
    ].join("\n");
    expect(specifiers(source)).toEqual([
      "../../test/x",
      "../test/y",
      "./side-effect",
      "../test/z",
      "./lazy",
      "./types",
    ]);
  });

  test("no shipped file imports from test/", () => {
    const files = SHIPPED_ROOTS.filter(existsSync).flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((file) =>
      importsInto(file, TEST_DIR).map((specifier) => `${path.relative(REPO_ROOT, file)} -> ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  test("test/ holds only tests and support that a test uses", () => {
    const all = readdirSync(TEST_DIR, { recursive: true, encoding: "utf8" })
      .map((entry) => path.join(TEST_DIR, entry))
      .filter((file) => SOURCE.test(file) && statSync(file).isFile());
    const tests = all.filter((file) => file.endsWith(".test.ts"));
    expect(tests.length).toBeGreaterThan(50);
    const importers = [
      ...all,
      ...readdirSync(path.join(REPO_ROOT, "policies", "test"))
        .filter((entry) => SOURCE.test(entry))
        .map((entry) => path.join(REPO_ROOT, "policies", "test", entry)),
    ];
    const used = new Set<string>();
    for (const file of importers) {
      const source = readFileSync(file, "utf8");
      for (const specifier of specifiers(source))
        if (specifier.startsWith(".")) {
          const target = path.resolve(path.dirname(file), specifier);
          used.add(target).add(path.join(target, "index"));
        }
      // Programs a test runs in a child process are named by path, not imported.
      for (const [, named] of source.matchAll(/["'`]([\w./-]+\.ts)["'`]/g))
        used
          .add(path.resolve(REPO_ROOT, named as string))
          .add(path.resolve(path.dirname(file), named as string));
    }
    // jest's own hooks are named in jest.config.js, not imported.
    const config = readFileSync(path.join(REPO_ROOT, "jest.config.js"), "utf8");
    const unused = all
      .filter((file) => !tests.includes(file))
      .filter((file) => !used.has(file.replace(SOURCE, "")) && !used.has(file))
      .filter((file) => !config.includes(`<rootDir>/${path.relative(REPO_ROOT, file)}`))
      .map((file) => path.relative(REPO_ROOT, file));
    expect(unused).toEqual([]);
  });

  test("nothing outside test/ points at the tools' old homes under test/", () => {
    const oldHomes = /test\/(?:offline|conformance|expressions|bench)\b/;
    const textFiles = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) return SKIPPED_DIRS.has(entry) ? [] : textFiles(full);
        return /\.(?:ts|js|mjs|json|md|ya?ml|sh)$|^run$/.test(entry) ? [full] : [];
      });
    const files = [
      ...["infra", "policies", "tools", "docs", ".ci", ".github"]
        .map((room) => path.join(REPO_ROOT, room))
        .filter(existsSync)
        .flatMap(textFiles),
      ...["README.md", "CONTRIBUTING.md", "package.json", "jest.config.js", "tsconfig.json"]
        .map((file) => path.join(REPO_ROOT, file))
        .filter(existsSync),
    ];
    const stale = files
      .filter((file) => oldHomes.test(readFileSync(file, "utf8")))
      .map((file) => path.relative(REPO_ROOT, file));
    expect(stale).toEqual([]);
  });

  test("shared helpers take values: conventions and foundation import no config module", () => {
    const configDir = path.join(REPO_ROOT, "infra", "config");
    const files = ["conventions", "foundation"].flatMap((room) =>
      sourceFiles(path.join(REPO_ROOT, "infra", room)),
    );
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.flatMap((file) =>
      importsInto(file, configDir).map((specifier) => `${path.relative(REPO_ROOT, file)} -> ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  test("component-under-mocks tests are named <component>.component.test.ts and use the one fixture runner", () => {
    const tests = readdirSync(TEST_DIR, { recursive: true, encoding: "utf8" }).filter((entry) =>
      entry.endsWith(".test.ts"),
    );
    const misnamed = tests.filter(
      (entry) => /\.mock\.test\.ts$/.test(entry) || path.basename(entry) === "component.test.ts",
    );
    expect(misnamed).toEqual([]);
    const runsFixture = tests.filter((entry) =>
      /\brun\w*Fixture(?:Program)?\(/.test(readFileSync(path.join(TEST_DIR, entry), "utf8")),
    );
    expect(runsFixture.length).toBeGreaterThanOrEqual(4);
    expect(runsFixture.filter((entry) => !entry.endsWith(".component.test.ts"))).toEqual([]);
    // One runner: nothing in test/ spawns a fixture program but test/support/fixture.ts.
    const spawners = readdirSync(TEST_DIR, { recursive: true, encoding: "utf8" })
      .filter((entry) => /\.ts$/.test(entry))
      .filter((entry) => /fixture-program\.ts/.test(readFileSync(path.join(TEST_DIR, entry), "utf8")))
      .filter((entry) => /\bspawn(?:Sync)?\(/.test(readFileSync(path.join(TEST_DIR, entry), "utf8")));
    expect(spawners).toEqual([]);
  });

  test("the pack itself (policies/index.ts, policies/src) imports nothing from tools/ or test/", () => {
    const pack = [
      path.join(REPO_ROOT, "policies", "index.ts"),
      ...sourceFiles(path.join(REPO_ROOT, "policies", "src")),
    ];
    expect(pack.length).toBeGreaterThan(30);
    const offenders = pack.flatMap((file) =>
      [path.join(REPO_ROOT, "tools"), TEST_DIR].flatMap((dir) =>
        importsInto(file, dir).map((specifier) => `${path.relative(REPO_ROOT, file)} -> ${specifier}`),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
