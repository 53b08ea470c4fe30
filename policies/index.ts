/**
 * The pack's entry point, run by the Pulumi CLI (`pulumi preview --policy-pack policies`). It only
 * constructs the pack: `new PolicyPack` starts the analyzer's gRPC server and never returns, so
 * nothing imports this file; the policies live in `./src` and the offline check imports those.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./src";
import { PACK_DESCRIPTION, PACK_NAME } from "./src/pack";

new PolicyPack(PACK_NAME, {
  policies: [...allPolicies],
  enforcementLevel: "mandatory",
  description: PACK_DESCRIPTION,
  displayName: "MCP Azure gateway security baseline",
  provider: "azure",
  tags: ["azure", "mcp", "security"],
});
