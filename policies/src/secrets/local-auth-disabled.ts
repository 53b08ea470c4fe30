import { SEED } from "../lib/metadata";
import { get, isFalse, isTrue, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

/** Per type: the input that switches key/password authentication off, and the value that does it. */
const CHECKS: Readonly<Record<string, { readonly path: string; readonly off: boolean }>> = {
  [T.containerRegistry]: { path: "adminUserEnabled", off: false },
  [T.cognitiveServicesAccount]: { path: "properties.disableLocalAuth", off: true },
  [T.serviceBusNamespace]: { path: "disableLocalAuth", off: true },
  [T.eventHubNamespace]: { path: "disableLocalAuth", off: true },
  [T.cosmosDbAccount]: { path: "disableLocalAuth", off: true },
};

export const localAuthDisabled = resourceRule({
  name: "secrets-local-auth-disabled",
  area: "secrets",
  description:
    "Services that can authenticate with keys or admin passwords have them switched off (Container Registry admin user, AI services " +
    "keys, Service Bus, Event Hubs and Cosmos DB local auth): callers use Entra ID and managed identities. Monitoring has its own rule.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `adminUserEnabled: false` (registry) or `disableLocalAuth: true` (`properties.disableLocalAuth` for AI services) and grant " +
    "the callers' managed identities data-plane roles (AcrPull, Cognitive Services User, ...).",
  seedControls: [SEED.secureStorage, SEED.authentication],
  azureBuiltins: [],
  resourceTypes: Object.keys(CHECKS),
  validate: (props, args, report) => {
    const check = CHECKS[canonicalType(args.type)];
    if (!check) return;
    const value = get(props, check.path);
    const ok = check.off ? isTrue(value) : isFalse(value);
    if (!ok)
      report(
        `${check.path} must be ${String(check.off)} (got ${show(value)}; missing counts as keys allowed).`,
      );
  },
});
