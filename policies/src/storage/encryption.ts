import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, ieq, isTrue, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

interface Config {
  readonly requireCustomerManagedKey: boolean;
}

const DEFAULTS: Config = { requireCustomerManagedKey: false };

export const storageEncryption = resourceRule({
  name: "storage-encryption",
  area: "storage",
  description:
    "Storage accounts encrypt twice (infrastructure encryption) and, where the environment's config asks for it, with a " +
    "customer-managed key from the HSM-backed vault.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `encryption: { requireInfrastructureEncryption: true, keySource: "Microsoft.Keyvault", keyVaultProperties: {...}, identity: {...} }` ' +
    "(infrastructure encryption can only be chosen at creation).",
  seedControls: [SEED.secureStorage],
  azureBuiltins: builtins(
    "Storage/StorageAccountInfrastructureEncryptionEnabled_Audit",
    "Storage/StorageAccountCustomerManagedKeyEnabled_Audit",
  ),
  resourceTypes: [T.storageAccount],
  configSchema: {
    properties: {
      requireCustomerManagedKey: {
        type: "boolean",
        default: DEFAULTS.requireCustomerManagedKey,
        description: "Require encryption.keySource Microsoft.Keyvault.",
      },
    },
  },
  validate: (props, args, report) => {
    const { requireCustomerManagedKey } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const infrastructure = get(props, "encryption.requireInfrastructureEncryption");
    if (!isTrue(infrastructure))
      report(`encryption.requireInfrastructureEncryption must be true (got ${show(infrastructure)}).`);
    const keySource = get(props, "encryption.keySource");
    if (requireCustomerManagedKey && !ieq(keySource, "Microsoft.Keyvault"))
      report(`encryption.keySource must be "Microsoft.Keyvault" (got ${show(keySource)}).`);
  },
});
