// The compile cache behind tools/build/ts-hook.cjs: each `.ts` file of this repository is compiled to
// CommonJS by esbuild (types stripped, never checked: that is `npm run typecheck`'s job) the first time
// its content is seen, and the JavaScript and its source map are kept in node_modules/.cache/mcpgw-ts
// under a hash of the source, the file's path, esbuild's version and the compiler options. Later runs
// read the cached JavaScript: no compiler is loaded at all (esbuild is only required on a cache miss).
// Loading this file has no side effect; `register()` installs the loader (ts-hook.cjs calls it).
//
// Source positions: the cached JavaScript names its map (`sourceMappingURL`), so a process started
// with source maps on gets `.ts` positions in stacks; with them off (Node's default, and what the
// preview wants: Pulumi captures a stack per resource), `sourceMapFor` gives tools/internal-error the
// map of the exact code that ran, so program errors are still reported at the `.ts` file and line.
//
//   node tools/build/ts-cache.cjs --warm <directory>...   compiles every .ts file below into the cache
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const ROOT = path.resolve(__dirname, "..", "..");
/** Overridable for a test that needs an empty cache (MCPGW_TS_CACHE). */
const CACHE_DIRECTORY = process.env.MCPGW_TS_CACHE || path.join(ROOT, "node_modules", ".cache", "mcpgw-ts");
/** Bump when the output format changes, so stale entries are never read. */
const FORMAT_VERSION = "1";
const ESBUILD_OPTIONS = { loader: "ts", format: "cjs", target: "node20", platform: "node", sourcemap: true };

let esbuildVersion;
let esbuild;
function compiler() {
  esbuild ??= require("esbuild");
  return esbuild;
}
/** esbuild's version, read from its package.json without loading esbuild (part of the cache key). */
function compilerVersion() {
  esbuildVersion ??= JSON.parse(fs.readFileSync(require.resolve("esbuild/package.json"), "utf8")).version;
  return esbuildVersion;
}

function cacheKey(source, filename) {
  return createHash("sha256")
    .update(`${FORMAT_VERSION}\0${compilerVersion()}\0${JSON.stringify(ESBUILD_OPTIONS)}\0${filename}\0`)
    .update(source)
    .digest("hex");
}

/** Writes through a temporary file and a rename: parallel processes (jest workers) never read half a file. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/** The files this process loaded through the hook: filename -> cache entry (for sourceMapFor). */
const loaded = new Map();

/**
 * The compiled JavaScript of a TypeScript file: from the cache when its source was compiled before,
 * else compiled now and cached. `{ code, mapFile }`.
 */
function compile(filename, source = fs.readFileSync(filename, "utf8")) {
  const key = cacheKey(source, filename);
  const codeFile = path.join(CACHE_DIRECTORY, `${key}.js`);
  const mapFile = path.join(CACHE_DIRECTORY, `${key}.js.map`);
  let code;
  try {
    code = fs.readFileSync(codeFile, "utf8");
  } catch {
    const result = compiler().transformSync(source, { ...ESBUILD_OPTIONS, sourcefile: filename });
    code = `${result.code}//# sourceMappingURL=${pathToFileURL(mapFile).href}\n`;
    fs.mkdirSync(CACHE_DIRECTORY, { recursive: true });
    // The map first: whoever reads the code may ask for its map.
    writeAtomically(mapFile, result.map);
    writeAtomically(codeFile, code);
  }
  loaded.set(filename, mapFile);
  return { code, mapFile };
}

/**
 * The source map (parsed JSON) of the code this process ran for `filename`, or undefined when the
 * file was not loaded through this hook.
 */
function sourceMapFor(filename) {
  const mapFile = loaded.get(path.resolve(filename));
  if (!mapFile) return undefined;
  try {
    return JSON.parse(fs.readFileSync(mapFile, "utf8"));
  } catch {
    return undefined;
  }
}

/** Where tools/internal-error finds `sourceMapFor` without loading this file (and so registering nothing). */
const GLOBAL_KEY = Symbol.for("mcp-azure-gateway.ts-hook");

/** Installs the `.ts` loader in this process (idempotent). */
function register() {
  if (Module._extensions[".ts"]?.mcpgwTsHook) return;
  const load = (module, filename) => {
    module._compile(compile(filename).code, filename);
  };
  load.mcpgwTsHook = true;
  Module._extensions[".ts"] = load;
  globalThis[GLOBAL_KEY] = { sourceMapFor };
}

/**
 * Compiles every `.ts` file under the directories into the cache (what is already there is only
 * read): jest's global setup does it once before starting previews in parallel. Returns the count.
 */
function warm(directories) {
  let count = 0;
  const walk = (directory) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const file = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        compile(file);
        count += 1;
      }
    }
  };
  for (const directory of directories) walk(path.resolve(ROOT, directory));
  return count;
}

module.exports = { register, compile, sourceMapFor, warm, CACHE_DIRECTORY };

if (require.main === module) {
  const [flag, ...directories] = process.argv.slice(2);
  if (flag !== "--warm" || directories.length === 0) {
    console.error("usage: node tools/build/ts-cache.cjs --warm <directory>...");
    process.exitCode = 2;
  } else {
    const started = Date.now();
    const count = warm(directories);
    console.log(
      `${count} TypeScript files compiled or found in ${CACHE_DIRECTORY} (${Date.now() - started} ms)`,
    );
  }
}
