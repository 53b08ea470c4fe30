import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, isFalse, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const appServiceHardening = resourceRule({
  name: "workloads-app-service-hardening",
  area: "workloads",
  description:
    "App Service and Functions apps that host MCP tools have remote debugging off, end-to-end TLS to the workers on, and no CORS " +
    "wildcard origin.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `siteConfig.remoteDebuggingEnabled: false`, `endToEndEncryptionEnabled: true` and list explicit origins in " +
    '`siteConfig.cors.allowedOrigins` (never "*").',
  seedControls: [SEED.toolExecution, SEED.secureCommunication],
  azureBuiltins: builtins(
    "App Service/DisableRemoteDebugging_WebApp_Audit",
    "App Service/DisableRemoteDebugging_FunctionApp_Audit",
    "App Service/RestrictCORSAccess_WebApp_Audit",
    "App Service/RestrictCORSAccess_FuntionApp_Audit",
    "App Service/WebApp_EndToEndEncryption_Audit",
    "App Service/FunctionApp_EndToEndEncryption_Audit",
  ),
  rulesets: ["CKV_AZURE_72", "CKV_AZURE_155", "CKV_AZURE_57", "CKV_AZURE_62"],
  resourceTypes: [T.webApp, T.webAppSlot],
  validate: (props, _args, report) => {
    const debugging = get(props, "siteConfig.remoteDebuggingEnabled");
    if (!isFalse(debugging))
      report(`siteConfig.remoteDebuggingEnabled must be false (got ${show(debugging)}).`);
    const e2e = get(props, "endToEndEncryptionEnabled");
    if (e2e !== true && !(typeof e2e === "string" && e2e.toLowerCase() === "true"))
      report(`endToEndEncryptionEnabled must be true (got ${show(e2e)}).`);
    if (
      asArray(get(props, "siteConfig.cors.allowedOrigins")).some(
        (origin) => typeof origin === "string" && origin.trim() === "*",
      )
    ) {
      report('siteConfig.cors.allowedOrigins must not contain "*".');
    }
  },
});
