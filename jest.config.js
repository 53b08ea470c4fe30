/** @type {import('jest').Config} */
// Type-checking is `npm run typecheck`'s job; jest only strips types with esbuild.
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/policies"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/support/esbuild-transform.js" },
  moduleFileExtensions: ["ts", "js", "json"],
  globalSetup: "<rootDir>/test/support/global-setup.js",
  setupFilesAfterEnv: ["<rootDir>/test/support/close-served-packs.ts"],
  testTimeout: 120000,
};
