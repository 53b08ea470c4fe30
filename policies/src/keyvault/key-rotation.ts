import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { asArray, get, ieq, isoDurationDays, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

interface Config {
  readonly maxDaysToRotate: number;
}

const DEFAULTS: Config = { maxDaysToRotate: 365 };

export const keyVaultKeyRotation = resourceRule({
  name: "keyvault-key-rotation",
  area: "keyvault",
  description:
    "Key Vault keys rotate automatically: the rotation policy has a `rotate` lifetime action that fires at most `maxDaysToRotate` " +
    "days after creation (timeAfterCreate, or expiryTime minus timeBeforeExpiry).",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Add `properties.rotationPolicy.lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }]` ' +
    "(or `timeAfterCreate`) so that rotation happens within `maxDaysToRotate` days, plus a `notify` action if someone must act.",
  seedControls: [SEED.secureStorage],
  azureBuiltins: builtins("Key Vault/Keys_KeyRotationPolicy_MaximumDaysToRotate"),
  rulesets: ["Azure.KeyVault.AutoRotationPolicy"],
  resourceTypes: [T.key],
  configSchema: {
    properties: {
      maxDaysToRotate: {
        type: "integer",
        minimum: 1,
        default: DEFAULTS.maxDaysToRotate,
        description: "Latest rotation after creation (MCSB v2 assigns 30).",
      },
    },
  },
  validate: (props, args, report) => {
    const { maxDaysToRotate } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const policy = get(props, "properties.rotationPolicy");
    const rotations = asArray(get(policy, "lifetimeActions")).filter((action) =>
      ieq(get(action, "action.type"), "rotate"),
    );
    if (rotations.length === 0) {
      report("properties.rotationPolicy.lifetimeActions has no rotate action.");
      return;
    }
    const expiryDays = isoDurationDays(get(policy, "attributes.expiryTime"));
    const days = rotations.map((action) => {
      const afterCreate = isoDurationDays(get(action, "trigger.timeAfterCreate"));
      if (afterCreate !== undefined) return afterCreate;
      const beforeExpiry = isoDurationDays(get(action, "trigger.timeBeforeExpiry"));
      return beforeExpiry !== undefined && expiryDays !== undefined ? expiryDays - beforeExpiry : undefined;
    });
    const earliest = Math.min(...days.filter((d): d is number => d !== undefined));
    if (!Number.isFinite(earliest)) {
      report(
        `the rotate action has no usable trigger (got ${show(rotations.map((action) => get(action, "trigger")))}).`,
      );
    } else if (earliest > maxDaysToRotate) {
      report(
        `the key rotates ${Math.round(earliest)} days after creation, later than the ${maxDaysToRotate} allowed.`,
      );
    }
  },
});
