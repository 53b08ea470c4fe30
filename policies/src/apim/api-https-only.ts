import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, inList, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const apiHttpsOnly = resourceRule({
  name: "apim-api-https-only",
  area: "apim",
  description:
    "API Management APIs accept only encrypted protocols (https, wss) and call their backend over https; the protocols are set " +
    "explicitly.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `protocols: ["https"]` (or `["wss"]` for WebSocket APIs) and an `https://` serviceUrl.',
  seedControls: [SEED.secureCommunication],
  azureBuiltins: builtins("API Management/HTTPEnabled_AuditDeny"),
  rulesets: ["Azure.APIM.HTTPEndpoint", "Azure.APIM.HTTPBackend"],
  resourceTypes: [T.apimApi],
  validate: (props, _args, report) => {
    const protocols = get(props, "protocols");
    const list = asArray(protocols);
    if (list.length === 0) report(`protocols must be set to ["https"] (got ${show(protocols)}).`);
    const plain = list.filter((protocol) => !inList(protocol, ["https", "wss"]));
    if (plain.length > 0) report(`protocols must not include ${plain.map((p) => show(p)).join(", ")}.`);
    const serviceUrl = get(props, "serviceUrl");
    if (typeof serviceUrl === "string" && !serviceUrl.trim().toLowerCase().startsWith("https://"))
      report(`serviceUrl must be https:// (got ${show(serviceUrl)}).`);
  },
});
