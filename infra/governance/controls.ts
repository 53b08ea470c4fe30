import type { ComponentControls } from "../../tools/controls/types";

/** The controls the Governance component implements; see docs/governance.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:governance:Governance",
  folder: "infra/governance",
  controls: {
    "CI.4": {
      how:
        "the Microsoft cloud security benchmark (v1 and v2 preview) assigned to the stack's resource group in audit mode, " +
        "so Defender for Cloud assesses exactly what was deployed between reviews; every deviation is a declared, expiring " +
        "exemption (docs/azure-policy.md)",
      resources: [
        "azure-native:authorization:PolicyAssignment",
        "azure-native:authorization:PolicyExemption",
      ],
      tests: ["test/governance/governance.test.ts", "test/tools/azure-policy/report.test.ts"],
      docs: ["docs/governance.md", "docs/azure-policy.md"],
    },
  },
};
