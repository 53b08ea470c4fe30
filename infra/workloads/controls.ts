import type { ComponentControls } from "../../tools/controls/types";

/** The controls the workloads component (sandboxed MCP servers in Container Apps) implements; see docs/workloads.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:workloads:Workloads",
  folder: "infra/workloads",
  controls: {
    "MUST-1": {
      how: "Container Apps authentication in front of every server accepts only v2 tokens for the server's own backend app from the gateway identity",
      resources: ["azure-native:app:ContainerAppsAuthConfig"],
      tests: ["test/workloads/workloads.component.test.ts"],
    },
    "P4.3": {
      how: "CPU, memory and replica bounds per server from config, validated against the Consumption profile",
      resources: ["azure-native:app:ContainerApp"],
      tests: ["test/workloads/config.test.ts", "test/workloads/workloads.component.test.ts"],
    },
    "P6.3": {
      how: "server secrets are Key Vault references read with the server's own identity",
      resources: ["azure-native:app:ContainerApp"],
      tests: ["test/workloads/workloads.component.test.ts"],
    },
    "P7.2": {
      how: "allowedAudiences = the backend app's client ID and URI; allowedApplications = the gateway identity",
      resources: ["azure-native:app:ContainerAppsAuthConfig"],
      tests: ["test/workloads/workloads.component.test.ts"],
    },
    "P10.1": {
      how: "one container app per server in an internal environment, image by digest, scratch EmptyDir, resource limits",
      resources: ["azure-native:app:ManagedEnvironment", "azure-native:app:ContainerApp"],
      tests: ["test/workloads/workloads.component.test.ts", "test/workloads/helpers.test.ts"],
      docs: ["docs/workloads.md#the-sandbox-boundary"],
    },
    "P10.2": {
      how: "each server runs as its own identity holding only AcrPull on the registry (and its own secrets)",
      resources: ["azure-native:authorization:RoleAssignment"],
      tests: ["test/workloads/workloads.component.test.ts"],
    },
    "P10.3": {
      how: "internal environment, ingress admits only the gateway subnet; egress rules for the workload subnet (NSG or firewall mode)",
      resources: ["azure-native:app:ManagedEnvironment", "azure-native:app:ContainerApp"],
      tests: ["test/workloads/helpers.test.ts", "test/workloads/workloads.component.test.ts"],
      docs: ["docs/workloads.md#egress"],
    },
    "P12.1": {
      how: "images must be pinned by sha256 digest (config refuses tags) and are promoted into the environment's registry by digest",
      resources: ["azure-native:containerregistry:Registry"],
      tests: ["test/workloads/config.test.ts"],
      docs: ["docs/workloads.md#image-supply-chain"],
    },
    "P12.3": {
      how: "each environment pulls only from its own private Premium registry (admin user and anonymous pull off)",
      resources: ["azure-native:containerregistry:Registry"],
      tests: ["test/workloads/workloads.component.test.ts"],
    },
    "ZT.1": {
      how: "workloads verify the gateway's token themselves instead of trusting the network",
      resources: ["azure-native:app:ContainerAppsAuthConfig"],
      tests: ["test/workloads/workloads.component.test.ts"],
    },
  },
};
