import type { ComponentControls } from "../../tools/controls/types";

/** The controls the Content Safety component (Prompt Shields account) implements; see docs/workloads.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:content-safety:ContentSafety",
  folder: "infra/content-safety",
  controls: {
    "P1.3": {
      how: "an Azure AI Content Safety account (local auth off, private endpoint only) that only the gateway identity may call",
      resources: ["azure-native:cognitiveservices:Account", "azure-native:authorization:RoleAssignment"],
      tests: [
        "test/content-safety/content-safety.component.test.ts",
        "test/content-safety/prompt-shields.test.ts",
      ],
      docs: ["docs/workloads.md#prompt-shields"],
    },
    "P9.1": {
      how: "the Prompt Shields endpoint the gateway screens tool arguments with",
      resources: ["azure-native:cognitiveservices:Account"],
      tests: ["test/content-safety/prompt-shields.test.ts"],
    },
  },
};
