import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, isFalse, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const noAnonymousBlobAccess = resourceRule({
  name: "storage-no-anonymous-blob-access",
  area: "storage",
  description: "Storage accounts do not allow anonymous (public) read access to blobs.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `allowBlobPublicAccess: false`.",
  seedControls: [SEED.secureStorage],
  azureBuiltins: builtins("Storage/ASC_Storage_DisallowPublicBlobAccess_Audit"),
  rulesets: ["Azure.Storage.BlobPublicAccess", "CKV_AZURE_34"],
  resourceTypes: [T.storageAccount],
  validate: (props, _args, report) => {
    const value = get(props, "allowBlobPublicAccess");
    if (!isFalse(value)) report(`allowBlobPublicAccess must be false (got ${show(value)}).`);
  },
});
