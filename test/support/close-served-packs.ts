/**
 * Jest `setupFilesAfterEnv`: after each test file, closes the policy packs it served in-process
 * (tools/cli-host/policy-host.ts `servePolicyPackInProcess`, behind policies/check/engine.ts). Jest
 * loads modules afresh per test file, so each file that evaluates a plan serves its own pack; its
 * open connections would keep the test process from exiting. Read through the global registry so that
 * files which never evaluate a plan load nothing for it.
 */
afterAll(() => {
  const packs = (globalThis as Record<symbol, Set<{ close(): void }> | undefined>)[
    Symbol.for("mcp-azure-gateway.served-packs")
  ];
  for (const pack of [...(packs ?? [])]) pack.close();
});
