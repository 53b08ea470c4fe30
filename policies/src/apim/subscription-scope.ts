import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, ieq, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const subscriptionScope = resourceRule({
  name: "apim-subscription-scope",
  area: "apim",
  description:
    "API Management subscriptions are scoped to one API or product, never to all APIs (scope `/apis`) or the whole service (`/`), " +
    "unless they are not active.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: "Scope the subscription to a product (`/products/<id>`) or a single API (`/apis/<id>`).",
  seedControls: [SEED.authentication],
  azureBuiltins: builtins("API Management/AllApiSubscription_AuditDeny"),
  resourceTypes: [T.apimSubscription, T.apimWorkspaceSubscription],
  validate: (props, _args, report) => {
    const scope = get(props, "scope");
    const state = get(props, "state");
    if (state !== undefined && !ieq(state, "active")) return;
    if (typeof scope !== "string" || scope.trim().length === 0) {
      report(`scope must name a product or an API (got ${show(scope)}).`);
      return;
    }
    const normalized = scope.trim().replace(/\/+$/, "").toLowerCase();
    if (normalized === "" || normalized.endsWith("/apis") || /\/service\/[^/]+$/.test(normalized)) {
      report(`scope ${show(scope)} covers all APIs: scope it to one product or API.`);
    }
  },
});
