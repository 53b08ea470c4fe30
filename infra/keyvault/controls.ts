import type { ComponentControls } from "../../tools/controls/types";

/** The controls the Key Vault component implements; see docs/keyvault.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:keyvault:KeyVault",
  folder: "infra/keyvault",
  controls: {
    "P3.2": {
      how: "an RSA-HSM key for customer-managed encryption of data services",
      resources: ["azure-native:keyvault:Key"],
      tests: ["test/keyvault/keyvault-plan.test.ts"],
    },
    "P3.3": {
      how: "the gateway TLS certificate lives in the vault; the edge and gateway read it by versionless reference",
      resources: ["azure-native:keyvault:Vault"],
      docs: ["docs/keyvault.md#the-tls-certificate"],
    },
    "P6.1": {
      how: "premium vault, keys only of type RSA-HSM (3072+) or EC-HSM; optional Managed HSM",
      resources: ["azure-native:keyvault:Vault", "azure-native:keyvault:Key"],
      tests: ["test/keyvault/keyvault-plan.test.ts", "test/keyvault/config-validation.test.ts"],
    },
    "P6.2": {
      how: "rotation policies and expiry on every key, RBAC per key and per secret, separate roles for crypto users, signers and operators",
      resources: ["azure-native:keyvault:Key", "azure-native:authorization:RoleAssignment"],
      tests: ["test/keyvault/lifecycle.test.ts", "test/keyvault/keyvault-plan.test.ts"],
    },
    "P6.3": {
      how: "secrets come only from Pulumi secret config into the vault; consumers get versionless URIs and Key Vault Secrets User on that secret",
      resources: ["azure-native:keyvault:Secret", "azure-native:authorization:RoleAssignment"],
      tests: ["test/keyvault/keyvault-plan.test.ts"],
    },
    "P10.3": {
      how: "the vault is reachable only through its private endpoint",
      resources: ["azure-native:network:PrivateEndpoint"],
      tests: ["test/keyvault/keyvault-plan.test.ts"],
    },
    "IR.4": {
      how: "soft delete with purge protection, protect and CanNotDelete locks in prod, so keys and secrets survive a bad deployment",
      resources: ["azure-native:keyvault:Vault", "azure-native:authorization:ManagementLockByScope"],
      tests: ["test/keyvault/keyvault-plan.test.ts"],
      docs: ["docs/keyvault.md#recovery-with-purge-protection"],
    },
  },
};
