import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, ieq, inList, isFalse, isRecord, isTrue, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

type Report = (message: string) => void;

export const httpsOnly = resourceRule({
  name: "tls-https-only",
  area: "tls",
  description:
    "Endpoints accept HTTPS only: App Service (httpsOnly, FTPS off or FTPS-only), Storage (secure transfer), Container Apps ingress " +
    "(no insecure connections), Application Gateway listeners (HTTP only to redirect to HTTPS) and Front Door routes (HTTPS, or HTTP " +
    "redirected; HTTPS to the origin).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `httpsOnly: true` and `siteConfig.ftpsState: "Disabled"` (web), `enableHttpsTrafficOnly: true` (storage), ' +
    "`configuration.ingress.allowInsecure: false` (container apps), HTTPS listeners or HTTP listeners whose routing rule redirects " +
    '(application gateway), `supportedProtocols: ["Https"]` or `httpsRedirect: "Enabled"` and `forwardingProtocol: "HttpsOnly"` (Front Door routes).',
  seedControls: [SEED.secureCommunication],
  azureBuiltins: builtins(
    "App Service/Webapp_AuditHTTP_Audit",
    "App Service/FunctionApp_AuditHTTP_Audit",
    "App Service/AuditFTPS_WebApp_Audit",
    "App Service/AuditFTPS_FunctionApp_Audit",
    "Storage/Storage_AuditForHTTPSEnabled_Audit",
    "Container Apps/EnableHTTPS_Audit",
  ),
  rulesets: [
    "CKV_AZURE_14",
    "CKV_AZURE_153",
    "CKV_AZURE_70",
    "CKV_AZURE_78",
    "CKV_AZURE_3",
    "Azure.Storage.SecureTransfer",
    "Azure.ContainerApp.Insecure",
  ],
  resourceTypes: [
    T.webApp,
    T.webAppSlot,
    T.storageAccount,
    T.containerApp,
    T.applicationGateway,
    T.frontDoorRoute,
  ],
  validate: (props, args, report) => {
    switch (canonicalType(args.type)) {
      case T.webApp:
      case T.webAppSlot:
        return checkWeb(props, report);
      case T.storageAccount: {
        const value = get(props, "enableHttpsTrafficOnly");
        if (!isTrue(value)) report(`enableHttpsTrafficOnly must be true (got ${show(value)}).`);
        return;
      }
      case T.containerApp: {
        const ingress = get(props, "configuration.ingress");
        if (ingress === undefined) return; // no ingress: nothing listens
        const value = get(ingress, "allowInsecure");
        if (!isFalse(value))
          report(`configuration.ingress.allowInsecure must be false (got ${show(value)}).`);
        return;
      }
      case T.applicationGateway:
        return checkGatewayListeners(props, report);
      case T.frontDoorRoute:
        return checkRoute(props, report);
    }
  },
});

function checkWeb(props: unknown, report: Report): void {
  const httpsOnlyValue = get(props, "httpsOnly");
  if (!isTrue(httpsOnlyValue)) report(`httpsOnly must be true (got ${show(httpsOnlyValue)}).`);
  const ftps = get(props, "siteConfig.ftpsState");
  if (!inList(ftps, ["Disabled", "FtpsOnly"]))
    report(`siteConfig.ftpsState must be "Disabled" or "FtpsOnly" (got ${show(ftps)}).`);
}

/** The last segment of a sub-resource ID (`.../httpListeners/<name>`). */
function lastSegment(id: unknown): string | undefined {
  return typeof id === "string" ? id.split("/").pop()?.toLowerCase() : undefined;
}

function checkGatewayListeners(props: unknown, report: Report): void {
  const redirectingListeners = new Set<string>();
  for (const rule of asArray(get(props, "requestRoutingRules"))) {
    if (get(rule, "redirectConfiguration.id") !== undefined) {
      const listener = lastSegment(get(rule, "httpListener.id"));
      if (listener) redirectingListeners.add(listener);
    }
  }
  for (const [index, listener] of [
    ...asArray(get(props, "httpListeners")),
    ...asArray(get(props, "listeners")),
  ].entries()) {
    const name =
      isRecord(listener) && typeof listener["name"] === "string" ? listener["name"] : String(index);
    const protocol = get(listener, "protocol");
    if (ieq(protocol, "Https") || ieq(protocol, "Tls")) continue;
    if (ieq(protocol, "Http") && redirectingListeners.has(name.toLowerCase())) continue;
    report(
      `listener ${name} uses protocol ${show(protocol)}: use Https (an Http listener is allowed only when its routing rule redirects).`,
    );
  }
}

function checkRoute(props: unknown, report: Report): void {
  const protocols = asArray(get(props, "supportedProtocols"));
  const redirect = get(props, "httpsRedirect");
  if (protocols.length === 0)
    report(`supportedProtocols must be set (got ${show(get(props, "supportedProtocols"))}).`);
  const plainHttp = protocols.some((protocol) => ieq(protocol, "Http"));
  if (plainHttp && !ieq(redirect, "Enabled"))
    report(`supportedProtocols includes Http: set httpsRedirect to "Enabled" (got ${show(redirect)}).`);
  const forwarding = get(props, "forwardingProtocol");
  if (!ieq(forwarding, "HttpsOnly"))
    report(`forwardingProtocol must be "HttpsOnly" (got ${show(forwarding)}).`);
}
