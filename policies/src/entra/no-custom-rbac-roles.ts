import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const noCustomRbacRoles = resourceRule({
  name: "entra-no-custom-rbac-roles",
  area: "entra",
  description:
    "The deployment uses built-in Azure roles; a custom role definition is flagged for review (least privilege is easier to audit with built-ins).",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps:
    "Use the narrowest built-in role at the narrowest scope; keep a custom role only with a documented reason.",
  seedControls: [SEED.authentication, SEED.toolExecution],
  azureBuiltins: builtins("General/Subscription_AuditCustomRBACRoles_Audit"),
  resourceTypes: [T.roleDefinition],
  validate: (_props, args, report) => {
    report(`custom role definition ${args.name}: prefer a built-in role.`);
  },
});
