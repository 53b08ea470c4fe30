import type { PlanResourceState } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { keyRotationPolicy, keyOperations } from "../../infra/keyvault";
import { REQUIRED_TAG_KEYS } from "../../infra/conventions/tags";
import { inputAt, resourceNamed, resourcesOfType, STACKS } from "../support/plans";
import { offlinePlan, parseStackVariant } from "../network/offline-plans";
import { OFFLINE_SUBSCRIPTION_ID } from "../../tools/offline/ids";
import { mockOutputs } from "../../tools/offline/mock-outputs";

const COMPONENT = "mcpgw:keyvault:KeyVault";

function configOf(stack: (typeof STACKS)[number]) {
  const result = parseStackVariant(stack, () => undefined);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const id = (resource: PlanResourceState): string => String(resource.outputs["id"]);

/** Azure built-in role definition GUIDs (the same in every tenant), spelled out rather than read from the code under test. */
const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const CERTIFICATE_USER = "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba";
const roleDefinitionId = (guid: string): string =>
  `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

const SECONDS_PER_DAY = 86_400;
const epochOfDate = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 1000;

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
      // The first version expires expiryDays after the UTC day of the plan, like every rotated version.
      const expires = Number(inputAt(resource, "properties.attributes.expires"));
      const today = Math.floor(Date.now() / 86_400_000) * 86_400;
      expect(expires % 86_400).toBe(0);
      expect([today, today - 86_400]).toContain(expires - key.expiryDays * 86_400);
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

  test("secrets are created from Pulumi secrets only: the value is a secret leaf, contentType and expiry stay readable, no plaintext anywhere", () => {
    // keyVault.secrets plus the TLS certificate the stack writes from secret config (gateway.tlsCertificate).
    const certificate = config.gateway.tlsCertificate;
    expect(certificate.source).toBe("pfxConfig"); // every stack file is a first-run config
    if (certificate.source !== "pfxConfig") return;
    const all = resourcesOfType(plan, "azure-native:keyvault:Secret");
    const tls = all.filter((secret) => inputAt(secret, "secretName") === certificate.secretName);
    expect(tls).toHaveLength(1);
    expect(tls[0]!.inputs["properties"]).toEqual({
      value: "[secret]",
      contentType: "application/x-pkcs12",
      attributes: { enabled: true, expires: epochOfDate(certificate.expiresOn) },
    });
    expect(inputAt(tls[0]!, "vaultName")).toBe(inputAt(vault, "vaultName"));
    // The gateway's session-binding key is generated (never in config): a RandomPassword's result, a secret leaf.
    const sessionKey = all.filter((secret) => inputAt(secret, "secretName") === "mcp-session-key");
    expect(sessionKey).toHaveLength(1);
    expect(sessionKey[0]!.inputs["properties"]).toEqual({
      value: "[secret]",
      contentType: "text/plain",
      attributes: { enabled: true, expires: expect.any(Number) },
    });
    const generator = resourcesOfType(plan, "random:index/randomPassword:RandomPassword");
    expect(generator.map((g) => [g.inputs["length"], g.inputs["special"]])).toEqual([[64, false]]);
    const secrets = all.filter((secret) => secret !== tls[0] && secret !== sessionKey[0]);
    expect(secrets.map((secret) => inputAt(secret, "secretName")).sort()).toEqual(
      config.keyVault.secrets.map((secret) => secret.name).sort(),
    );
    // The plan may have been built on the UTC day before this test runs (a run across midnight).
    const today = Math.floor(Date.now() / 1000 / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    for (const secret of secrets) {
      const secretConfig = config.keyVault.secrets.find(
        (candidate) => candidate.name === inputAt(secret, "secretName"),
      )!;
      // The harness redacts only the secret leaves inside the envelope: the value, never the metadata.
      expect(secret.inputs["properties"]).toEqual({
        value: "[secret]",
        contentType: secretConfig.contentType,
        attributes: { enabled: true, expires: expect.any(Number) },
      });
      const expires = inputAt(secret, "properties.attributes.expires") as number;
      expect(Number.isInteger(expires)).toBe(true); // epoch seconds, not milliseconds or an ISO string
      if (secretConfig.expiresOn !== undefined) {
        expect(expires).toBe(epochOfDate(secretConfig.expiresOn));
      } else {
        // expiryDays after the UTC day the secret is created.
        expect(
          [today, today - SECONDS_PER_DAY].map((day) => day + secretConfig.expiryDays * SECONDS_PER_DAY),
        ).toContain(expires);
      }
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

  test("Key Vault roles go only to the wired grants: gateway reads its API-key secrets, gateway and edge read the certificate secret", () => {
    const vaultId = id(vault);
    const keyVaultRoleGuids = new Set([
      SECRETS_USER,
      CERTIFICATE_USER,
      "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer
      "a4417e6f-fecd-4de8-b567-7b0420556985", // Key Vault Certificates Officer
      "e147488a-f6f5-4113-8e2d-b22465e65bf6", // Key Vault Crypto Service Encryption User
      "12338af0-0e69-4776-bea7-57ae8d297424", // Key Vault Crypto User
      "14b46e9e-c2b7-41b4-b07b-48a6ebf60603", // Key Vault Crypto Officer
      "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
      "21090545-7ca7-4776-b22c-e363652d74d2", // Key Vault Reader
      "8b54135c-b56d-4d72-a534-26097cfdc8d8", // Key Vault Data Access Administrator
    ]);
    // Every assignment the vault component makes, on the vault or anything in it, or of a Key Vault role.
    const assignments = resourcesOfType(plan, "azure-native:authorization:RoleAssignment").filter(
      (r) =>
        r.parent === component.urn ||
        inputAt(r, "scope") === vaultId ||
        String(inputAt(r, "scope")).startsWith(`${vaultId}/`) ||
        keyVaultRoleGuids.has(String(inputAt(r, "roleDefinitionId")).split("/").pop()!),
    );

    // The managed identities' principal IDs, as the mock runtime answered them for the plan's identities.
    const principalIdOf = (logical: string): string => {
      const identity = resourceNamed(plan, "azure-native:managedidentity:UserAssignedIdentity", logical);
      const identityId = id(identity);
      const principalId = mockOutputs(identity.type, {
        name: logical,
        azureName: identityId.split("/").pop()!,
        id: identityId,
        inputs: identity.inputs,
        tenantId: config.tenantId,
      })["principalId"];
      expect(typeof principalId).toBe("string");
      return String(principalId);
    };
    const gatewayPrincipal = principalIdOf("identity-mi-gateway");
    const edgePrincipal = principalIdOf("identity-mi-edge");
    expect(gatewayPrincipal).not.toBe(edgePrincipal);

    const secretIdOf = (name: string): string =>
      id(
        resourcesOfType(plan, "azure-native:keyvault:Secret").find(
          (secret) => inputAt(secret, "secretName") === name,
        )!,
      );
    const apiKeySecretNames = config.mcpServers.flatMap((server) =>
      server.backendAuth.type === "apiKey" ? [server.backendAuth.secretName] : [],
    );
    expect(apiKeySecretNames.length).toBeGreaterThan(0); // every stack exercises per-secret scope
    const certificate = config.gateway.tlsCertificate;
    if (certificate.source !== "pfxConfig") throw new Error("every stack file is a first-run config");
    const tlsSecretId = secretIdOf(certificate.secretName);
    expect(tlsSecretId).toBe(`${vaultId}/secrets/${certificate.secretName}`);
    const expected = [
      ...apiKeySecretNames.map((name) => ({
        principalId: gatewayPrincipal,
        roleDefinitionId: roleDefinitionId(SECRETS_USER),
        scope: secretIdOf(name),
      })),
      // The session-binding key: the gateway signs and verifies session IDs with it.
      {
        principalId: gatewayPrincipal,
        roleDefinitionId: roleDefinitionId(SECRETS_USER),
        scope: secretIdOf("mcp-session-key"),
      },
      // The TLS certificate: Secrets User on that one secret, not a vault-wide certificate role.
      { principalId: gatewayPrincipal, roleDefinitionId: roleDefinitionId(SECRETS_USER), scope: tlsSecretId },
      { principalId: edgePrincipal, roleDefinitionId: roleDefinitionId(SECRETS_USER), scope: tlsSecretId },
    ];
    for (const [index, name] of apiKeySecretNames.entries())
      expect(expected[index]!.scope).toBe(`${vaultId}/secrets/${name}`); // the secret itself, not the vault

    const byKey = (a: object, b: object): number => JSON.stringify(a).localeCompare(JSON.stringify(b));
    const actual = assignments.map((assignment) => ({
      principalId: inputAt(assignment, "principalId"),
      roleDefinitionId: inputAt(assignment, "roleDefinitionId"),
      scope: inputAt(assignment, "scope"),
    })) as { principalId: string; roleDefinitionId: string; scope: string }[];
    // Exactly these, once each: no vault-wide Secrets User, no officer roles, nothing for anyone else.
    expect(actual.sort(byKey)).toEqual(expected.sort(byKey));
    for (const assignment of assignments) {
      expect(assignment.parent).toBe(component.urn);
      expect(inputAt(assignment, "principalType")).toBe("ServicePrincipal");
    }
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
