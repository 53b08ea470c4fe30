import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, isNonEmptyString, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

interface Config {
  readonly maxValidityDays: number;
  readonly minDaysBeforeExpiry: number;
}

const DEFAULTS: Config = { maxValidityDays: 730, minDaysBeforeExpiry: 30 };
const DAY = 86400;

export const keyVaultSecretExpiry = resourceRule({
  name: "secrets-key-vault-secret-expiry",
  area: "secrets",
  description:
    "Key Vault secrets carry an expiry (properties.attributes.expires, seconds since the epoch) no further out than the maximum " +
    "validity and not closer than the minimum remaining lifetime, and a content type.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `properties.attributes.expires` (Unix seconds) to creation time plus the secret's validity, at most `maxValidityDays`, " +
    "rotate before `minDaysBeforeExpiry`, and set `properties.contentType`.",
  seedControls: [SEED.secureStorage, SEED.tokenManagement],
  azureBuiltins: builtins(
    "Key Vault/Secrets_ExpirationSet",
    "Key Vault/Secrets_ValidityPeriod",
    "Key Vault/Secrets_Expiry_ByDays",
    "Key Vault/Secrets_ActivePeriod",
    "Key Vault/Secrets_ContentTypeSet",
  ),
  rulesets: ["CKV_AZURE_41", "CKV_AZURE_114"],
  resourceTypes: [T.secret],
  configSchema: {
    properties: {
      maxValidityDays: {
        type: "integer",
        minimum: 1,
        default: DEFAULTS.maxValidityDays,
        description: "Longest allowed lifetime from now (MCSB v2: 730).",
      },
      minDaysBeforeExpiry: {
        type: "integer",
        minimum: 0,
        default: DEFAULTS.minDaysBeforeExpiry,
        description: "Shortest allowed remaining lifetime.",
      },
    },
  },
  validate: (props, args, report) => {
    const { maxValidityDays, minDaysBeforeExpiry } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const expires = get(props, "properties.attributes.expires");
    if (typeof expires !== "number" || !Number.isFinite(expires)) {
      report(`properties.attributes.expires must be set (got ${show(expires)}).`);
    } else {
      const days = (expires - Date.now() / 1000) / DAY;
      if (days > maxValidityDays)
        report(`the secret expires in ${Math.round(days)} days, more than the ${maxValidityDays} allowed.`);
      if (days < minDaysBeforeExpiry)
        report(
          `the secret expires in ${Math.round(days)} days, fewer than the ${minDaysBeforeExpiry} required.`,
        );
    }
    const contentType = get(props, "properties.contentType");
    if (!isNonEmptyString(contentType))
      report(`properties.contentType must be set (got ${show(contentType)}).`);
  },
});
