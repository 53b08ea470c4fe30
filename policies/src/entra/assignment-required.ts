import { SEED } from "../lib/metadata";
import { get, isTrue, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

export const assignmentRequired = resourceRule({
  name: "entra-assignment-required",
  area: "entra",
  description:
    "Service principals require an app role assignment: only users and groups assigned a role can get a token for the MCP server.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `appRoleAssignmentRequired: true` and assign app roles to groups (azuread.AppRoleAssignment).",
  seedControls: [SEED.authorizationVerification, SEED.authentication, SEED.userConsent],
  azureBuiltins: [],
  resourceTypes: [T.entraServicePrincipal],
  validate: (props, _args, report) => {
    const value = get(props, "appRoleAssignmentRequired");
    if (!isTrue(value)) report(`appRoleAssignmentRequired must be true (got ${show(value)}).`);
  },
});
