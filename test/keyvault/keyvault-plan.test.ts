import type { PlanResourceState } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { keyRotationPolicy, keyOperations } from "../../infra/keyvault";
import { REQUIRED_TAG_KEYS } from "../../infra/conventions/tags";
import { inputAt, resourcesOfType, STACKS } from "../support/plans";
import { offlinePlan, parseStackVariant } from "../network/offline-plans";

const COMPONENT = "mcpgw:keyvault:KeyVault";

function configOf(stack: (typeof STACKS)[number]) {
  const result = parseStackVariant(stack, () => undefined);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const id = (resource: PlanResourceState): string => String(resource.outputs["id"]);

describe.each(STACKS)("Key Vault of %s under mocks", (stack) => {
  const config = configOf(stack);
  const plan = offlinePlan(stack);
  const component = planResources(plan).find((r) => r.type === COMPONENT)!;
  const vaults = resourcesOfType(plan, "azure-native:keyvault:Vault");
  const vault = vaults[0]!;

  test("is one component owning one vault", () => {
    expect(component).toBeDefined();
    expect(vaults).toHaveLength(1);
    expect(vault.parent).toBe(component.urn);
  });

  test("premium, RBAC only, soft delete 90 days, purge protection, no public network access, firewall deny", () => {
    const properties = inputAt(vault, "properties") as Record<string, unknown>;
    expect(properties["sku"]).toEqual({ family: "A", name: "premium" });
    expect(properties["enableRbacAuthorization"]).toBe(true);
    expect(properties["accessPolicies"]).toBeUndefined();
    expect(properties["enableSoftDelete"]).toBe(true);
    expect(properties["softDeleteRetentionInDays"]).toBe(90);
    expect(properties["enablePurgeProtection"]).toBe(true);
    expect(properties["publicNetworkAccess"]).toBe("Disabled");
    expect(properties["tenantId"]).toBe(config.tenantId);
    expect(properties["enabledForDeployment"]).toBe(false);
    expect(properties["enabledForTemplateDeployment"]).toBe(false);
    expect(properties["enabledForDiskEncryption"]).toBe(false);
    // Bypass only because a customer-managed key exists (Storage/Azure Monitor use the trusted-services path).
    expect(properties["networkAcls"]).toEqual({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [],
      virtualNetworkRules: [],
    });
  });

  test("has a private endpoint for the vault with a zone group on privatelink.vaultcore.azure.net", () => {
    const endpoint = resourcesOfType(plan, "azure-native:network:PrivateEndpoint").find(
      (pe) =>
        (inputAt(pe, "privateLinkServiceConnections") as Array<{ privateLinkServiceId: string }>)[0]!
          .privateLinkServiceId === id(vault),
    )!;
    expect(endpoint.parent).toBe(component.urn);
    expect(inputAt(endpoint, "privateLinkServiceConnections")).toEqual([
      expect.objectContaining({ groupIds: ["vault"] }),
    ]);
    const zone = resourcesOfType(plan, "azure-native:privatedns:PrivateZone").find(
      (z) => inputAt(z, "privateZoneName") === "privatelink.vaultcore.azure.net",
    )!;
    const group = resourcesOfType(plan, "azure-native:network:PrivateDnsZoneGroup").find(
      (g) => inputAt(g, "privateEndpointName") === inputAt(endpoint, "privateEndpointName"),
    )!;
    expect(inputAt(group, "privateDnsZoneConfigs")).toEqual([
      expect.objectContaining({ privateDnsZoneId: id(zone) }),
    ]);
  });

  test("HSM-backed keys sized by config, least-privilege operations, expiry and rotation policy", () => {
    const keys = resourcesOfType(plan, "azure-native:keyvault:Key");
    expect(keys.map((key) => inputAt(key, "keyName")).sort()).toEqual(
      config.keyVault.keys.map((key) => key.name).sort(),
    );
    for (const key of config.keyVault.keys) {
      const resource = keys.find((candidate) => inputAt(candidate, "keyName") === key.name)!;
      expect(inputAt(resource, "vaultName")).toBe(inputAt(vault, "vaultName"));
      expect(inputAt(resource, "properties.kty")).toMatch(/^(RSA|EC)-HSM$/);
      if (key.type === "RSA-HSM") {
        expect(inputAt(resource, "properties.keySize")).toBe(key.size);
        expect(Number(inputAt(resource, "properties.keySize"))).toBeGreaterThanOrEqual(3072);
      } else {
        expect(["P-256", "P-384", "P-521"]).toContain(inputAt(resource, "properties.curveName"));
        expect(inputAt(resource, "properties.curveName")).toBe(key.curve);
      }
      expect(inputAt(resource, "properties.keyOps")).toEqual(keyOperations(key.purpose));
      expect(inputAt(resource, "properties.rotationPolicy")).toEqual(keyRotationPolicy(key));
      expect(inputAt(resource, "properties.rotationPolicy.attributes.expiryTime")).toBe(
        `P${key.expiryDays}D`,
      );
      expect(inputAt(resource, "properties.attributes.exportable")).not.toBe(true);
    }
  });

  test(`stateful resources are ${config.features.protectStatefulResources ? "" : "not "}protected, ${config.features.resourceLocks ? "with" : "without"} a CanNotDelete lock`, () => {
    expect(vault.protect).toBe(config.features.protectStatefulResources);
    for (const key of resourcesOfType(plan, "azure-native:keyvault:Key"))
      expect(key.protect).toBe(config.features.protectStatefulResources);
    const locks = resourcesOfType(plan, "azure-native:authorization:ManagementLockByScope").filter(
      (lock) => lock.parent === component.urn,
    );
    if (config.features.resourceLocks) {
      expect(locks).toHaveLength(1);
      expect(inputAt(locks[0]!, "scope")).toBe(id(vault));
      expect(inputAt(locks[0]!, "level")).toBe("CanNotDelete");
    } else {
      expect(locks).toHaveLength(0);
    }
  });

  test("secrets are created from Pulumi secrets only: the whole properties bag is a secret envelope, no plaintext anywhere", () => {
    const secrets = resourcesOfType(plan, "azure-native:keyvault:Secret");
    expect(secrets.map((secret) => inputAt(secret, "secretName")).sort()).toEqual(
      config.keyVault.secrets.map((secret) => secret.name).sort(),
    );
    for (const secret of secrets) {
      // The runtime lifts a nested secret to its top-level property: value, contentType and expiry all travel encrypted.
      expect(secret.inputs["properties"]).toBe("[secret]");
      expect(inputAt(secret, "vaultName")).toBe(inputAt(vault, "vaultName"));
    }
    const text = JSON.stringify(plan);
    expect(text).not.toContain("offline-secret-placeholder");
  });

  test("consumers get versionless secret URIs (references, never values) as stack outputs", () => {
    const stackOutputs = planResources(plan).find((r) => r.type === "pulumi:pulumi:Stack")!.outputs;
    const vaultName = String(inputAt(vault, "vaultName"));
    expect(stackOutputs["keyVaultUri"]).toBe(`https://${vaultName}.vault.azure.net/`);
    const uris = stackOutputs["vaultSecretUris"] as Record<string, string>;
    for (const secret of config.keyVault.secrets)
      expect(uris[secret.name]).toBe(`https://${vaultName}.vault.azure.net/secrets/${secret.name}`);
    expect(stackOutputs["vnetId"]).toMatch(/\/virtualNetworks\/vnet-/);
  });

  test("no role assignment is made without a grant (grants are wired per consumer)", () => {
    const assignments = resourcesOfType(plan, "azure-native:authorization:RoleAssignment").filter(
      (r) => r.parent === component.urn,
    );
    expect(assignments).toHaveLength(0);
  });

  test("no Managed HSM unless asked for", () => {
    expect(resourcesOfType(plan, "azure-native:keyvault:ManagedHsm")).toHaveLength(
      config.keyVault.managedHsm ? 1 : 0,
    );
  });

  test("every taggable vault resource carries the standard tags", () => {
    const children = planResources(plan).filter(
      (r) => r.parent === component.urn && r.type.startsWith("azure-native:"),
    );
    const untaggable = new Set([
      "azure-native:network:PrivateDnsZoneGroup",
      "azure-native:authorization:RoleAssignment",
      "azure-native:authorization:ManagementLockByScope",
    ]);
    for (const resource of children.filter((r) => !untaggable.has(r.type))) {
      const tags = resource.inputs["tags"] as Record<string, string> | undefined;
      for (const key of REQUIRED_TAG_KEYS) expect(tags?.[key]).toBeTruthy();
    }
  });
});
