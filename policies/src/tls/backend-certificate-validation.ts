import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, ieq, isRecord, isTrue, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

type Report = (message: string) => void;

export const backendCertificateValidation = resourceRule({
  name: "tls-backend-certificate-validation",
  area: "tls",
  description:
    "Hops behind the edge use TLS and validate the server certificate: API Management backends (https URL, certificate chain and " +
    "name validation explicitly on), Front Door origins (certificate name check on), Application Gateway backend settings (Https).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "APIM backends: an `https://` url and `tls: { validateCertificateChain: true, validateCertificateName: true }`. Front Door origins: " +
    '`enforceCertificateNameCheck: true`. Application Gateway: `protocol: "Https"` on every backend HTTP setting.',
  seedControls: [SEED.secureCommunication],
  azureBuiltins: builtins("API Management/BackendCertificateChecks_AuditDeny"),
  rulesets: ["Azure.APIM.HTTPBackend"],
  resourceTypes: [T.apimBackend, T.apimWorkspaceBackend, T.frontDoorOrigin, T.applicationGateway],
  validate: (props, args, report) => {
    switch (canonicalType(args.type)) {
      case T.apimBackend:
      case T.apimWorkspaceBackend:
        return checkApimBackend(props, report);
      case T.frontDoorOrigin: {
        const value = get(props, "enforceCertificateNameCheck");
        if (!isTrue(value)) report(`enforceCertificateNameCheck must be true (got ${show(value)}).`);
        return;
      }
      case T.applicationGateway:
        for (const [index, setting] of [
          ...asArray(get(props, "backendHttpSettingsCollection")),
          ...asArray(get(props, "backendSettingsCollection")),
        ].entries()) {
          const name =
            isRecord(setting) && typeof setting["name"] === "string" ? setting["name"] : String(index);
          const protocol = get(setting, "protocol");
          if (!ieq(protocol, "Https") && !ieq(protocol, "Tls"))
            report(`backend setting ${name} must use protocol Https (got ${show(protocol)}).`);
        }
        return;
    }
  },
});

function checkApimBackend(props: unknown, report: Report): void {
  const url = get(props, "url");
  // A pool backend has no url of its own; its members are backends checked on their own.
  if (get(props, "type") !== undefined && ieq(get(props, "type"), "Pool")) return;
  if (typeof url !== "string" || !url.trim().toLowerCase().startsWith("https://"))
    report(`url must be an https:// URL (got ${show(url)}).`);
  for (const flag of ["validateCertificateChain", "validateCertificateName"]) {
    const value = get(props, `tls.${flag}`);
    if (!isTrue(value))
      report(
        `tls.${flag} must be true (got ${show(value)}${value === undefined ? "; missing counts as off" : ""}).`,
      );
  }
}
