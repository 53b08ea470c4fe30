import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, inList, isFalse, show } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

interface Check {
  readonly path: string;
  readonly allowed: readonly string[];
}

/**
 * Services whose minimum TLS setting stops below 1.3: the highest value each accepts. Storage's enum
 * lists TLS1_3 but the service rejects it today; it is accepted here so the rule does not block the
 * day it works.
 */
const CHECKS: Readonly<Record<string, readonly Check[]>> = {
  [T.storageAccount]: [{ path: "minimumTlsVersion", allowed: ["TLS1_2", "TLS1_3"] }],
  [T.redis]: [{ path: "minimumTlsVersion", allowed: ["1.2"] }],
  [T.eventHubNamespace]: [{ path: "minimumTlsVersion", allowed: ["1.2"] }],
  [T.cosmosDbAccount]: [{ path: "minimalTlsVersion", allowed: ["Tls12"] }],
};

export const highestAvailableTls = resourceRule({
  name: "tls-highest-available",
  area: "tls",
  description:
    "Where Azure caps the minimum TLS version below 1.3 (Storage, Azure Cache for Redis, Event Hubs, Cosmos DB) the highest allowed " +
    "value, 1.2, is required and legacy transports are off (Redis non-TLS port). Exception to TLS 1.3 everywhere: these services " +
    "cannot enforce it; API Management has its own rule (tls-apim-protocols-ciphers).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `minimumTlsVersion: "TLS1_2"` (Storage), `minimumTlsVersion: "1.2"` and `enableNonSslPort: false` (Redis), ' +
    '`minimumTlsVersion: "1.2"` (Event Hubs), `minimalTlsVersion: "Tls12"` (Cosmos DB).',
  seedControls: [SEED.secureCommunication],
  azureBuiltins: builtins("Storage/StorageAccountMinimumTLSVersion_Audit"),
  rulesets: ["CKV_AZURE_44", "Azure.Storage.MinTLS"],
  resourceTypes: Object.keys(CHECKS),
  validate: (props, args, report) => {
    const type = canonicalType(args.type);
    for (const { path, allowed } of CHECKS[type] ?? []) {
      const value = get(props, path);
      if (!inList(value, allowed))
        report(`${path} must be ${allowed.map((v) => `"${v}"`).join(" or ")} (got ${show(value)}).`);
    }
    if (type === T.redis) {
      const nonSsl = get(props, "enableNonSslPort");
      if (!isFalse(nonSsl)) report(`enableNonSslPort must be false (got ${show(nonSsl)}).`);
    }
  },
});
