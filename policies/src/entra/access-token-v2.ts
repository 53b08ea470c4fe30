import { SEED } from "../lib/metadata";
import { get, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const accessTokenV2 = resourceRule({
  name: "entra-access-token-v2",
  area: "entra",
  description:
    "The MCP server's app registration issues v2 access tokens (requestedAccessTokenVersion 2): their audience is the client ID, " +
    "which the gateway validates along with the identifier URI.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `api.requestedAccessTokenVersion: 2` (Application) or `requestedAccessTokenVersion: 2` (ApplicationRegistration).",
  seedControls: [SEED.tokenValidation, SEED.tokenManagement],
  azureBuiltins: [],
  resourceTypes: [T.entraApplication, T.entraApplicationRegistration],
  validate: (props, args, report) => {
    const path =
      canonicalType(args.type) === T.entraApplication
        ? "api.requestedAccessTokenVersion"
        : "requestedAccessTokenVersion";
    const value = get(props, path);
    if (value !== 2 && value !== "2") report(`${path} must be 2 (got ${show(value)}).`);
  },
});
