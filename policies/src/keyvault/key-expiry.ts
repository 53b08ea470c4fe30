import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, isoDurationDays, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

interface Config {
  readonly maxValidityDays: number;
  readonly minDaysBeforeExpiry: number;
}

const DEFAULTS: Config = { maxValidityDays: 730, minDaysBeforeExpiry: 30 };

export const keyVaultKeyExpiry = resourceRule({
  name: "keyvault-key-expiry",
  area: "keyvault",
  description:
    "Key Vault keys expire: the rotation policy sets an expiry (rotationPolicy.attributes.expiryTime, an ISO 8601 duration) of at " +
    "most the maximum validity; an absolute expiry (attributes.expires), if set, is within the same bounds.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `properties.rotationPolicy.attributes.expiryTime` (e.g. "P365D"), at most `maxValidityDays`; the rotation policy renews ' +
    "the expiry at each rotation.",
  seedControls: [SEED.secureStorage],
  azureBuiltins: builtins(
    "Key Vault/Keys_ExpirationSet",
    "Key Vault/Keys_ValidityPeriod",
    "Key Vault/Keys_Expiry_ByDays",
    "Key Vault/Keys_ActivePeriod",
  ),
  rulesets: ["CKV_AZURE_40"],
  resourceTypes: [T.key],
  configSchema: {
    properties: {
      maxValidityDays: {
        type: "integer",
        minimum: 1,
        default: DEFAULTS.maxValidityDays,
        description: "Longest key validity (MCSB v2: 730).",
      },
      minDaysBeforeExpiry: {
        type: "integer",
        minimum: 0,
        default: DEFAULTS.minDaysBeforeExpiry,
        description: "Shortest remaining lifetime of an absolute expiry.",
      },
    },
  },
  validate: (props, args, report) => {
    const { maxValidityDays, minDaysBeforeExpiry } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const expiryTime = get(props, "properties.rotationPolicy.attributes.expiryTime");
    const expires = get(props, "properties.attributes.expires");
    if (expiryTime === undefined && expires === undefined) {
      report("the key has no expiry: set properties.rotationPolicy.attributes.expiryTime.");
      return;
    }
    if (expiryTime !== undefined) {
      const days = isoDurationDays(expiryTime);
      if (days === undefined)
        report(
          `properties.rotationPolicy.attributes.expiryTime must be an ISO 8601 duration (got ${show(expiryTime)}).`,
        );
      else if (days > maxValidityDays)
        report(`the key is valid for ${Math.round(days)} days, more than the ${maxValidityDays} allowed.`);
    }
    if (expires !== undefined) {
      const days = typeof expires === "number" ? (expires - Date.now() / 1000) / 86400 : Number.NaN;
      if (Number.isNaN(days))
        report(`properties.attributes.expires must be Unix seconds (got ${show(expires)}).`);
      else if (days > maxValidityDays)
        report(`the key expires in ${Math.round(days)} days, more than the ${maxValidityDays} allowed.`);
      else if (days < minDaysBeforeExpiry)
        report(
          `the key expires in ${Math.round(days)} days, fewer than the ${minDaysBeforeExpiry} required.`,
        );
    }
  },
});
