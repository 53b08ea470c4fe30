/**
 * How a tool or test starts another of this repository's TypeScript entry points: plain `node` with
 * tools/build/ts-hook.cjs preloaded, exactly as the npm scripts run them (`node -r
 * ./tools/build/ts-hook.cjs <file.ts>`): compiled JavaScript from the source-hash cache, no compiler
 * on the run path. `spawn(process.execPath, [...TS_NODE_ARGS, "tools/offline/cli.ts", ...args])`.
 */
import * as path from "node:path";

export const TS_HOOK = path.resolve(__dirname, "ts-hook.cjs");

/** The node arguments before the script: preload the TypeScript hook. */
export const TS_NODE_ARGS: readonly string[] = ["--require", TS_HOOK];
