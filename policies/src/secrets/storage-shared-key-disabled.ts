import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, isFalse, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const storageSharedKeyDisabled = resourceRule({
  name: "secrets-storage-shared-key-disabled",
  area: "secrets",
  description:
    "Storage accounts refuse shared key (account key and SAS) authorization: access is Entra ID only.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `allowSharedKeyAccess: false` and grant data-plane roles (e.g. Storage Blob Data Contributor) to the managed identities that " +
    "need access; flow logs and diagnostic settings write with trusted-service identity.",
  seedControls: [SEED.secureStorage],
  azureBuiltins: builtins("Storage/StorageAccountAllowSharedKeyAccess_Audit"),
  resourceTypes: [T.storageAccount],
  validate: (props, _args, report) => {
    const value = get(props, "allowSharedKeyAccess");
    if (!isFalse(value))
      report(`allowSharedKeyAccess must be false (got ${show(value)}; missing counts as allowed).`);
  },
});
