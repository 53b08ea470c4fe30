import { compilerRequired, findCompiler, INSTALL_HINT } from "./compile";

/** The `mcs` the suites compile with, if installed. */
export const COMPILER = findCompiler();

/**
 * `describe` for suites that need `mcs`. Without it they are skipped, with the install command in
 * their title, except in CI (CI=true) or with MCPGW_REQUIRE_MCS=1, where the missing compiler fails.
 */
export function describeWithCompiler(name: string, body: (compiler: string) => void): void {
  if (COMPILER !== undefined) {
    describe(name, () => body(COMPILER));
    return;
  }
  if (compilerRequired()) {
    describe(name, () => {
      it("has the C# compiler it needs", () => {
        throw new Error(`mcs is not installed and CI requires the expression check: ${INSTALL_HINT}`);
      });
    });
    return;
  }
  describe.skip(`${name} (SKIPPED: no C# compiler; install it with: ${INSTALL_HINT})`, () => body("mcs"));
}
