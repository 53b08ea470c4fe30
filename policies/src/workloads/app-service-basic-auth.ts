import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { isFalse, tryGet } from "../lib/props";
import { refersTo } from "../lib/references";
import { ofType, stackRule } from "../lib/rule";
import { T } from "../lib/types";

export const appServiceBasicAuth = stackRule({
  name: "workloads-app-service-basic-auth-disabled",
  area: "workloads",
  description:
    "App Service apps disable basic (username/password) authentication for FTP and SCM deployments: each app has a " +
    "WebAppFtpAllowed and a WebAppScmAllowed with allow false.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create `web.WebAppFtpAllowed` and `web.WebAppScmAllowed` for the app with `allow: false`; deploy with Entra ID.",
  seedControls: [SEED.authentication, SEED.supplyChain],
  azureBuiltins: builtins("App Service/SCM_BasicAuthEnabled_AINE", "App Service/FTP_BasicAuthEnabled_AINE"),
  resourceTypes: [T.webApp, T.webAppFtpAllowed, T.webAppScmAllowed],
  appliesTo: [T.webApp],
  validate: (resources, _args, report) => {
    for (const app of ofType(resources, T.webApp)) {
      for (const [type, label] of [
        [T.webAppFtpAllowed, "FTP"],
        [T.webAppScmAllowed, "SCM"],
      ] as const) {
        const policy = ofType(resources, type).find(
          (candidate) => refersTo(candidate, "name", app) || candidate.parent === app,
        );
        if (!policy || !isFalse(tryGet(policy.props, "allow")))
          report(
            `app ${app.name} must disable ${label} basic authentication (${type} with allow false).`,
            app.urn,
          );
      }
    }
  },
});
