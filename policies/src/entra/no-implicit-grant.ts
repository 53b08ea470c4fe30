import { SEED } from "../lib/metadata";
import { get, isTrue, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const noImplicitGrant = resourceRule({
  name: "entra-no-implicit-grant",
  area: "entra",
  description:
    "App registrations do not enable the implicit grant (access or ID tokens from the authorization endpoint); clients use the " +
    "authorization code flow with PKCE. Not set means off (Entra's default).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove `web.implicitGrant` or set `accessTokenIssuanceEnabled` and `idTokenIssuanceEnabled` to false " +
    "(`implicitAccessTokenIssuanceEnabled`/`implicitIdTokenIssuanceEnabled` on ApplicationRegistration).",
  seedControls: [SEED.tokenManagement, SEED.authentication],
  azureBuiltins: [],
  resourceTypes: [T.entraApplication, T.entraApplicationRegistration],
  validate: (props, args, report) => {
    const paths =
      canonicalType(args.type) === T.entraApplication
        ? ["web.implicitGrant.accessTokenIssuanceEnabled", "web.implicitGrant.idTokenIssuanceEnabled"]
        : ["implicitAccessTokenIssuanceEnabled", "implicitIdTokenIssuanceEnabled"];
    for (const path of paths) {
      const value = get(props, path);
      if (isTrue(value)) report(`${path} must not be enabled (got ${show(value)}).`);
    }
  },
});
