import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { isTrue, tryGet, UNKNOWN } from "../lib/props";
import { refersTo } from "../lib/references";
import { ofType, stackRule } from "../lib/rule";
import { T } from "../lib/types";

export const containerAppAuthentication = stackRule({
  name: "workloads-container-app-authentication",
  area: "workloads",
  description:
    "Container Apps authenticate callers themselves too (built-in authentication, platform.enabled), so a request that bypasses the " +
    "gateway inside the virtual network still needs a token. Advisory by default: API Management validates every token and the " +
    "apps are internal-only; defence in depth.",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps:
    'Create `app.ContainerAppsAuthConfig` (name "current") with `platform: { enabled: true }`, the Entra ID identity provider and ' +
    '`globalValidation.unauthenticatedClientAction: "Return401"`, allowing the gateway\'s identity.',
  seedControls: [SEED.authorizationVerification, SEED.tokenValidation],
  azureBuiltins: builtins("Container Apps/EnableAuth_AINE"),
  resourceTypes: [T.containerApp, T.containerAppAuthConfig],
  appliesTo: [T.containerApp],
  validate: (resources, _args, report) => {
    const configs = ofType(resources, T.containerAppAuthConfig);
    for (const app of ofType(resources, T.containerApp)) {
      const config = configs.find(
        (candidate) => refersTo(candidate, "containerAppName", app) || candidate.parent === app,
      );
      const enabled = config ? tryGet(config.props, "platform.enabled") : undefined;
      if (!config || (enabled !== UNKNOWN && !isTrue(enabled)))
        report(`container app ${app.name} has no built-in authentication enabled.`, app.urn);
    }
  },
});
