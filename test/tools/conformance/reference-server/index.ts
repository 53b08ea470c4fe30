export { ALL_BREAK_SWITCHES, BREAK_SWITCHES, type BreakSwitch } from "./breaks";
export { makeTestCertificate, type TestCertificate } from "./certificate";
export { BACKEND_TOOLS } from "./backend";
export {
  DEFAULT_TOOLS,
  type ReferenceServer,
  type ReferenceServerOptions,
  startReferenceServer,
  type ToolRule,
} from "./server";
export { createTestIssuer, type Jwks, type TestIssuer, validateToken } from "./tokens";
