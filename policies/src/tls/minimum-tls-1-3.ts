import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, ieq, isRecord, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

/** Where TLS 1.3 can be required, and the value that requires it. */
const CHECKS: Readonly<Record<string, readonly { path: string; expected: string }[]>> = {
  [T.webApp]: [
    { path: "siteConfig.minTlsVersion", expected: "1.3" },
    { path: "siteConfig.scmMinTlsVersion", expected: "1.3" },
  ],
  [T.webAppSlot]: [
    { path: "siteConfig.minTlsVersion", expected: "1.3" },
    { path: "siteConfig.scmMinTlsVersion", expected: "1.3" },
  ],
  [T.sqlServer]: [{ path: "minimalTlsVersion", expected: "1.3" }],
  [T.serviceBusNamespace]: [{ path: "minimumTlsVersion", expected: "1.3" }],
  [T.frontDoorCustomDomain]: [{ path: "tlsSettings.minimumTlsVersion", expected: "TLS13" }],
};

export const minimumTls13 = resourceRule({
  name: "tls-minimum-1-3",
  area: "tls",
  description:
    "Resources whose minimum TLS setting accepts 1.3 require TLS 1.3: App Service and Functions (site and SCM), SQL, Service Bus, " +
    "Application Gateway (CustomV2 SSL policy with TLSv1_3) and Front Door custom domains (TLS13).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set the minimum TLS version to 1.3: `siteConfig.minTlsVersion`/`scmMinTlsVersion: "1.3"` (web), `minimalTlsVersion: "1.3"` (SQL), ' +
    '`minimumTlsVersion: "1.3"` (Service Bus), `sslPolicy: { policyType: "CustomV2", minProtocolVersion: "TLSv1_3" }` on the ' +
    'Application Gateway and every SSL profile, `tlsSettings.minimumTlsVersion: "TLS13"` on Front Door custom domains.',
  seedControls: [SEED.secureCommunication],
  azureBuiltins: builtins(
    "App Service/RequireLatestTls_WebApp_Audit",
    "App Service/RequireLatestTls_FunctionApp_Audit",
    "App Service/RequireLatestTls_WebApp_DINE",
    "App Service/RequireLatestTls_FunctionApp_DINE",
  ),
  rulesets: ["CKV_AZURE_15", "CKV_AZURE_145"],
  resourceTypes: [...Object.keys(CHECKS), T.applicationGateway],
  validate: (props, args, report) => {
    const type = canonicalType(args.type);
    if (type === T.applicationGateway) {
      checkSslPolicy(get(props, "sslPolicy"), "sslPolicy", report);
      asArray(get(props, "sslProfiles")).forEach((profile, index) => {
        const name =
          isRecord(profile) && typeof profile["name"] === "string" ? profile["name"] : String(index);
        checkSslPolicy(get(profile, "sslPolicy"), `sslProfiles[${name}].sslPolicy`, report);
      });
      return;
    }
    for (const { path, expected } of CHECKS[type] ?? []) {
      const value = get(props, path);
      if (!ieq(value, expected)) report(`${path} must be "${expected}" (got ${show(value)}).`);
    }
  },
});

function checkSslPolicy(policy: unknown, at: string, report: (message: string) => void): void {
  const policyType = get(policy, "policyType");
  const minimum = get(policy, "minProtocolVersion");
  if (!ieq(policyType, "CustomV2") || !ieq(minimum, "TLSv1_3")) {
    report(
      `${at} must be { policyType: "CustomV2", minProtocolVersion: "TLSv1_3" } (got policyType ${show(policyType)}, minProtocolVersion ${show(minimum)}).`,
    );
  }
}
