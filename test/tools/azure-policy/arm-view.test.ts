import type { PlanResourceState } from "../../../policies/check/plan";
import { aliasResolver, apiVersionOf, armDocuments, armTypeOf } from "../../../tools/azure-policy/arm-view";
import { Unknown } from "../../../tools/azure-policy/evaluate";
import type { AliasRow } from "../../../tools/azure-policy/reference";

const RG = "/subscriptions/s/resourceGroups/rg/providers";
const state = (
  type: string,
  name: string,
  id: string,
  inputs: Record<string, unknown>,
): PlanResourceState => ({
  urn: `urn:pulumi:prod::p::${type}::${name}`,
  type,
  custom: true,
  inputs,
  outputs: { id },
});

describe("the ARM view of a plan", () => {
  test("ARM types come from the offline harness's ID templates; API versions from the SDK", () => {
    expect(armTypeOf("azure-native:apimanagement:Backend")).toBe("Microsoft.ApiManagement/service/backends");
    expect(armTypeOf("azure-native:monitor:DiagnosticSetting")).toBe("Microsoft.Insights/diagnosticSettings");
    expect(armTypeOf("azure-native:keyvault:Key")).toBe("Microsoft.KeyVault/vaults/keys");
    expect(armTypeOf("azure-native:no:Such")).toBeUndefined();
    expect(apiVersionOf("azure-native:keyvault:Vault")).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });

  test("azure-native inputs become ARM properties; storage names follow ARM; keys get a data-plane view", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    const docs = armDocuments(
      [
        state("azure-native:storage:StorageAccount", "sa", `${RG}/Microsoft.Storage/storageAccounts/sa`, {
          sku: { name: "Standard_ZRS" },
          networkRuleSet: { defaultAction: "Deny" },
          enableHttpsTrafficOnly: true,
        }),
        state("azure-native:keyvault:Key", "k", `${RG}/Microsoft.KeyVault/vaults/v/keys/k`, {
          properties: {
            kty: "RSA-HSM",
            attributes: { expires: Date.UTC(2027, 0, 1) / 1000 },
            rotationPolicy: {
              lifetimeActions: [{ trigger: { timeAfterCreate: "P30D" }, action: { type: "rotate" } }],
            },
          },
        }),
        state("azure-native:network:PrivateEndpoint", "pe", `${RG}/Microsoft.Network/privateEndpoints/pe`, {
          privateLinkServiceConnections: [
            { privateLinkServiceId: `${RG}/Microsoft.Storage/storageAccounts/sa` },
          ],
        }),
      ],
      now,
    );
    const account = docs.find((d) => d.doc.type === "Microsoft.Storage/storageAccounts")!.doc;
    expect(account.sku).toEqual({ name: "Standard_ZRS" });
    expect(account.properties).toMatchObject({
      networkAcls: { defaultAction: "Deny" },
      supportsHttpsTrafficOnly: true,
      privateEndpointConnections: [
        { properties: { privateLinkServiceConnectionState: { status: "Approved" } } },
      ],
    });
    const key = docs.find((d) => d.doc.type === "Microsoft.KeyVault.Data/vaults/keys")!.doc;
    expect(key.properties).toMatchObject({
      keyType: "RSA-HSM",
      attributes: { expiresOn: "2027-01-01T00:00:00.000Z", createdOn: "2026-12-01T00:00:00.000Z" },
      scheduledRotationDate: "2026-12-31T00:00:00.000Z",
    });
  });

  test("aliases resolve through ALIASES.tsv; read-only values a plan cannot know are Unknown", () => {
    const aliases = new Map<string, AliasRow>([
      [
        "microsoft.storage/storageaccounts/networkacls.defaultaction",
        { alias: "x", armPath: "properties.networkAcls.defaultAction", note: "" },
      ],
      [
        "microsoft.test/things/state",
        { alias: "y", armPath: "properties.state", note: "read-only (set after deployment)" },
      ],
    ]);
    const resolve = aliasResolver(aliases);
    const doc = {
      id: "/a",
      name: "a",
      type: "Microsoft.Storage/storageAccounts",
      properties: { networkAcls: { defaultAction: "Deny" }, minimumTlsVersion: "TLS1_2" },
    };
    expect(resolve(doc, "Microsoft.Storage/storageAccounts/networkAcls.defaultAction")).toBe("Deny");
    // Not in the table: the documented convention, properties.<path>.
    expect(resolve(doc, "Microsoft.Storage/storageAccounts/minimumTlsVersion")).toBe("TLS1_2");
    expect(resolve({ ...doc, type: "Microsoft.Test/things" }, "Microsoft.Test/things/state")).toBeInstanceOf(
      Unknown,
    );
  });
});
