const os = require("node:os");

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
  // Two workers even on two cores: most suites wait on child processes (previews, the local gateway
  // under Mono, the CLI-fidelity check), so jest's default of cores - 1 (one worker, in band) left a
  // core idle while the longest suite ran (CONTRIBUTING.md, "Tests share one plan per stack").
  maxWorkers: Math.max(2, (os.availableParallelism?.() ?? os.cpus().length) - 1),
};
