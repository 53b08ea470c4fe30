import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, inList, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

interface Config {
  readonly minimumRsaKeySize: number;
  readonly allowedCurves: readonly string[];
}

const DEFAULTS: Config = { minimumRsaKeySize: 3072, allowedCurves: ["P-256", "P-384", "P-521"] };

export const keyVaultKeyHsmType = resourceRule({
  name: "keyvault-key-hsm-type",
  area: "keyvault",
  description:
    "Key Vault keys are HSM-backed (RSA-HSM or EC-HSM), RSA keys have at least the minimum size and EC keys use an allowed curve.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `properties.kty` to "RSA-HSM" with `keySize` of at least `minimumRsaKeySize`, or "EC-HSM" with `curveName` one of ' +
    "`allowedCurves`, in a premium vault.",
  seedControls: [SEED.secureStorage],
  azureBuiltins: builtins(
    "Key Vault/Keys_HSMBacked",
    "Key Vault/Keys_AllowedKeyTypes",
    "Key Vault/Keys_RSA_MinimumKeySize",
    "Key Vault/Keys_EC_AllowedCurveNames",
  ),
  rulesets: ["CKV_AZURE_112"],
  resourceTypes: [T.key],
  configSchema: {
    properties: {
      minimumRsaKeySize: {
        type: "integer",
        enum: [2048, 3072, 4096],
        default: DEFAULTS.minimumRsaKeySize,
        description: "Smallest RSA key size.",
      },
      allowedCurves: {
        type: "array",
        items: { type: "string", enum: ["P-256", "P-256K", "P-384", "P-521"] },
        minItems: 1,
        default: DEFAULTS.allowedCurves,
        description: "Elliptic curves allowed for EC-HSM keys.",
      },
    },
  },
  validate: (props, args, report) => {
    const { minimumRsaKeySize, allowedCurves } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const kty = get(props, "properties.kty");
    if (!inList(kty, ["RSA-HSM", "EC-HSM"])) {
      report(`properties.kty must be "RSA-HSM" or "EC-HSM" (got ${show(kty)}).`);
      return;
    }
    if (inList(kty, ["RSA-HSM"])) {
      const size = get(props, "properties.keySize");
      if (typeof size !== "number" || size < minimumRsaKeySize)
        report(`properties.keySize must be at least ${minimumRsaKeySize} (got ${show(size)}).`);
    } else {
      const curve = get(props, "properties.curveName");
      if (!inList(curve, allowedCurves))
        report(`properties.curveName must be one of ${allowedCurves.join(", ")} (got ${show(curve)}).`);
    }
  },
});
