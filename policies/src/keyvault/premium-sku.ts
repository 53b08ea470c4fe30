import { SEED } from "../lib/metadata";
import { get, ieq, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const keyVaultPremiumSku = resourceRule({
  name: "keyvault-premium-sku",
  area: "keyvault",
  description: "Key vaults use the premium SKU, the one that holds HSM-protected keys (RSA-HSM, EC-HSM).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: 'Set `properties.sku: { family: "A", name: "premium" }`.',
  seedControls: [SEED.secureStorage],
  azureBuiltins: [],
  resourceTypes: [T.vault],
  validate: (props, _args, report) => {
    const sku = get(props, "properties.sku.name");
    if (!ieq(sku, "premium")) report(`properties.sku.name must be "premium" (got ${show(sku)}).`);
  },
});
