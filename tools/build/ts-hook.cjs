// Loads this repository's TypeScript in a plain `node` process: `node -r ./tools/build/ts-hook.cjs
// <file.ts>` is how every `npm run` tool runs (CONTRIBUTING.md, "How the tools run"). Each `.ts` file is
// compiled once per content by esbuild and cached by source hash (tools/build/ts-cache.cjs); later runs
// load the cached JavaScript with no compiler in the process.
//
// Why not tsx: its loader and per-file source-map handling cost about 1.3 s per process before the
// program runs (docs/benchmarks.md). Why plain JavaScript: this file is what makes TypeScript loadable.
"use strict";
require("./ts-cache.cjs").register();
