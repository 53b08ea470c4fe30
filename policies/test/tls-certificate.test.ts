import { T } from "../src/lib/types";
import { check } from "./harness";

const rule = "secrets-tls-certificate-key-vault";
const URI = "https://kv-mcpgw-dev-weu-16vok.vault.azure.net/secrets/mcp-gateway-tls";

describe("secrets-tls-certificate-key-vault", () => {
  test("compliant: both gateways reference the versionless secret; an unknown reference at preview", async () => {
    expect(
      await check(rule, T.apimService, {
        hostnameConfigurations: [
          { type: "Proxy", hostName: "mcp.dev.contoso.com", certificateSource: "KeyVault", keyVaultId: URI },
        ],
      }),
    ).toEqual([]);
    expect(
      await check(rule, T.applicationGateway, { sslCertificates: [{ name: "tls", keyVaultSecretId: URI }] }),
    ).toEqual([]);
    expect(
      await check(rule, T.applicationGateway, {
        sslCertificates: [{ name: "tls", keyVaultSecretId: "[unknown]" }],
      }),
    ).toEqual([]);
    // A managed certificate (no Key Vault) is not this rule's business; no host names at all neither.
    expect(
      await check(rule, T.apimService, {
        hostnameConfigurations: [{ type: "Proxy", hostName: "x.contoso.com", certificateSource: "Managed" }],
      }),
    ).toEqual([]);
    expect(await check(rule, T.apimService, {})).toEqual([]);
  });

  test.each<[string, string, Record<string, unknown>, RegExp]>([
    [
      "APIM: a versioned secret URI",
      T.apimService,
      {
        hostnameConfigurations: [
          { certificateSource: "KeyVault", keyVaultId: `${URI}/0123456789abcdef0123456789abcdef` },
        ],
      },
      /hostnameConfigurations\[0\]\.keyVaultId must be a versionless/,
    ],
    [
      "APIM: an inline PFX and its password",
      T.apimService,
      { hostnameConfigurations: [{ encodedCertificate: "MIIK...", certificatePassword: "[secret]" }] },
      /hostnameConfigurations\[0\]\.encodedCertificate is set/,
    ],
    [
      "APIM: Key Vault source without a reference",
      T.apimService,
      { hostnameConfigurations: [{ certificateSource: "KeyVault" }] },
      /keyVaultId must reference a Key Vault secret/,
    ],
    [
      "edge: inline certificate data",
      T.applicationGateway,
      { sslCertificates: [{ name: "tls", data: "MIIK...", password: "[secret]" }] },
      /sslCertificates\[0\]\.data is set/,
    ],
    [
      "edge: a certificate URI that is not Key Vault",
      T.applicationGateway,
      { sslCertificates: [{ name: "tls", keyVaultSecretId: "https://example.com/tls.pfx" }] },
      /keyVaultSecretId must be a versionless Key Vault secret URI/,
    ],
  ])("violation: %s", async (_name, type, inputs, message) => {
    const found = await check(rule, type, inputs);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((v) => v.message).join("\n")).toMatch(message);
    expect(found[0]?.enforcementLevel).toBe("mandatory");
  });
});
