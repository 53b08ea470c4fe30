import {
  isoDays,
  keyOperations,
  keyRotationPolicy,
  keyShape,
  networkAclBypass,
  plannedRoleAssignments,
  roleDefinitionIdFor,
  secretExpiry,
  utcDayStart,
  versionlessKeyUri,
  versionlessSecretUri,
  KEY_VAULT_ROLES,
} from "../../infra/keyvault";
import type { KeyConfig } from "../../infra/config/schema";
import { firstKeyVersionExpiry } from "../../infra/keyvault/lifecycle";

const cmk: KeyConfig = {
  name: "cmk-data",
  purpose: "encryption",
  type: "RSA-HSM",
  size: 3072,
  expiryDays: 365,
  rotateBeforeExpiryDays: 30,
};
const signing: KeyConfig = {
  name: "token-signing",
  purpose: "signing",
  type: "EC-HSM",
  curve: "P-256",
  expiryDays: 180,
  rotateBeforeExpiryDays: 30,
};

describe("key lifecycle", () => {
  test("every version expires after expiryDays; rotation fires rotateBeforeExpiryDays before that; Key Vault notifies", () => {
    expect(keyRotationPolicy(cmk)).toEqual({
      attributes: { expiryTime: "P365D" },
      lifetimeActions: [
        { trigger: { timeAfterCreate: "P335D" }, action: { type: "rotate" } },
        { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "notify" } },
      ],
    });
  });

  test("is deterministic: durations only, no timestamps", () => {
    expect(JSON.stringify(keyRotationPolicy(signing))).toBe(JSON.stringify(keyRotationPolicy(signing)));
    expect(JSON.stringify(keyRotationPolicy(signing))).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{10}/);
  });

  test("the first version expires expiryDays after the UTC day it is created, as rotated versions do", () => {
    const created = new Date("2026-12-07T15:42:00Z");
    const expires = firstKeyVersionExpiry(cmk, created);
    expect(new Date(expires * 1000).toISOString()).toBe("2027-12-07T00:00:00.000Z");
    // Same day, same value: the plan does not change within a day, and ignoreChanges pins it after creation.
    expect(firstKeyVersionExpiry(cmk, new Date("2026-12-07T00:00:01Z"))).toBe(expires);
    // Never longer than the rotation policy's validity, so never beyond the benchmark's maximum.
    expect(expires - created.getTime() / 1000).toBeLessThanOrEqual(cmk.expiryDays * 86_400);
    expect(() => firstKeyVersionExpiry({ name: "k", expiryDays: 7 }, created)).toThrow(
      /key k: expiryDays must be/,
    );
  });

  test("refuses policies Key Vault would reject", () => {
    expect(() => keyRotationPolicy({ name: "k", expiryDays: 30, rotateBeforeExpiryDays: 25 })).toThrow(
      /at the earliest 7 days after creation/,
    );
    expect(() => keyRotationPolicy({ name: "k", expiryDays: 20, rotateBeforeExpiryDays: 7 })).toThrow(
      /at least 28/,
    );
    expect(() => isoDays(-1)).toThrow();
  });

  test("HSM key shapes and least-privilege operations", () => {
    expect(keyShape(cmk)).toEqual({ kty: "RSA-HSM", keySize: 3072 });
    expect(keyShape(signing)).toEqual({ kty: "EC-HSM", curveName: "P-256" });
    expect(keyOperations("encryption")).toEqual(["wrapKey", "unwrapKey"]);
    expect(keyOperations("signing")).toEqual(["sign", "verify"]);
  });

  test("trusted-services bypass only when a customer-managed key needs it", () => {
    expect(networkAclBypass([cmk, signing])).toBe("AzureServices");
    expect(networkAclBypass([signing])).toBe("None");
  });
});

describe("secret lifecycle", () => {
  const now = new Date("2026-11-22T15:30:00Z");

  test("a relative expiry counts from the UTC day of creation; an absolute date wins", () => {
    expect(utcDayStart(now)).toBe(Date.UTC(2026, 10, 22) / 1000);
    expect(secretExpiry({ name: "s", expiryDays: 90 }, now)).toBe(Date.UTC(2027, 1, 20) / 1000);
    expect(secretExpiry({ name: "s", expiryDays: 90 }, new Date("2026-11-22T23:59:59Z"))).toBe(
      secretExpiry({ name: "s", expiryDays: 90 }, now),
    );
    expect(secretExpiry({ name: "s", expiryDays: 90, expiresOn: "2027-03-01" }, now)).toBe(
      Date.UTC(2027, 2, 1) / 1000,
    );
    expect(() => secretExpiry({ name: "s", expiryDays: 90, expiresOn: "2027-02-30" }, now)).toThrow(
      /calendar date/,
    );
  });

  test("consumers get versionless URIs", () => {
    expect(versionlessSecretUri("https://kv-x.vault.azure.net/", "weather-api-key")).toBe(
      "https://kv-x.vault.azure.net/secrets/weather-api-key",
    );
    expect(versionlessKeyUri("https://kv-x.vault.azure.net", "cmk-data")).toBe(
      "https://kv-x.vault.azure.net/keys/cmk-data",
    );
  });
});

describe("role assignments", () => {
  const sp = (name: string) => ({
    name,
    principalId: `${name}-oid`,
    principalType: "ServicePrincipal" as const,
  });
  const secrets = [{ name: "weather-api-key" }, { name: "other" }];

  test("grant exactly the object each consumer needs, with the built-in role for it", () => {
    const planned = plannedRoleAssignments(
      {
        secretsUsers: [{ ...sp("gateway"), secretNames: ["weather-api-key"] }],
        cryptoUsers: [{ ...sp("monitoring"), keyNames: ["cmk-data"] }],
        signingUsers: [{ ...sp("gateway-sign"), keyNames: ["token-signing"] }],
        certificateUsers: [sp("edge")],
      },
      [cmk, signing],
      secrets,
    );
    expect(planned.map((p) => [p.name, p.role, p.scope])).toEqual([
      ["gateway-secrets-user-weather-api-key", "secretsUser", { kind: "secret", name: "weather-api-key" }],
      [
        "monitoring-crypto-encryption-cmk-data",
        "cryptoServiceEncryptionUser",
        { kind: "key", name: "cmk-data" },
      ],
      ["gateway-sign-crypto-user-token-signing", "cryptoUser", { kind: "key", name: "token-signing" }],
      ["edge-certificate-user", "certificateUser", { kind: "vault" }],
    ]);
  });

  test("refuses grants on missing objects or the wrong kind of key", () => {
    expect(() =>
      plannedRoleAssignments({ secretsUsers: [{ ...sp("g"), secretNames: ["nope"] }] }, [cmk], secrets),
    ).toThrow(/secret nope is not in keyVault.secrets/);
    expect(() =>
      plannedRoleAssignments(
        { cryptoUsers: [{ ...sp("m"), keyNames: ["token-signing"] }] },
        [cmk, signing],
        secrets,
      ),
    ).toThrow(/is a signing key, not encryption/);
    expect(() =>
      plannedRoleAssignments({ signingUsers: [{ ...sp("m"), keyNames: ["missing"] }] }, [cmk], secrets),
    ).toThrow(/key missing is not in keyVault.keys/);
    expect(() =>
      plannedRoleAssignments({ certificateUsers: [sp("edge"), sp("edge")] }, [cmk], secrets),
    ).toThrow(/planned twice/);
  });

  test("built-in role IDs and their resource IDs", () => {
    expect(KEY_VAULT_ROLES.secretsUser).toBe("4633458b-17de-408a-b874-0445c86b69e6");
    expect(KEY_VAULT_ROLES.cryptoServiceEncryptionUser).toBe("e147488a-f6f5-4113-8e2d-b22465e65bf6");
    expect(KEY_VAULT_ROLES.certificateUser).toBe("db79e9a7-68ee-4b58-9aeb-b90e7c24fcba");
    expect(
      roleDefinitionIdFor(
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
        KEY_VAULT_ROLES.secretsUser,
      ),
    ).toBe(
      "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6",
    );
    expect(() => roleDefinitionIdFor("kv", KEY_VAULT_ROLES.secretsUser)).toThrow(
      /not a scope inside a subscription/,
    );
  });
});
