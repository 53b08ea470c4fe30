// Jest transform: TypeScript -> CommonJS with esbuild, no type-checking (see `npm run typecheck`).
const { transformSync } = require("esbuild");
const { createHash } = require("node:crypto");

module.exports = {
  process(source, filename) {
    const result = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "inline",
      sourcefile: filename,
    });
    return { code: result.code };
  },
  getCacheKey(source, filename) {
    return createHash("sha256").update(source).update(filename).update("esbuild-v1").digest("hex");
  },
};
