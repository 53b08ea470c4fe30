import { T } from "../src/lib/types";
import { check } from "./harness";

const secureVault = {
  properties: {
    tenantId: "3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13",
    sku: { family: "A", name: "premium" },
    enableSoftDelete: true,
    enablePurgeProtection: true,
    enableRbacAuthorization: true,
    publicNetworkAccess: "Disabled",
    networkAcls: { defaultAction: "Deny", bypass: "None" },
  },
};

function vaultWith(patch: Record<string, unknown>): Record<string, unknown> {
  return { properties: { ...secureVault.properties, ...patch } };
}

describe("vault rules", () => {
  test("a secure vault passes every vault rule", async () => {
    for (const rule of [
      "keyvault-premium-sku",
      "keyvault-deletion-protection",
      "keyvault-rbac-authorization",
      "keyvault-no-public-access",
    ]) {
      expect(await check(rule, T.vault, secureVault)).toEqual([]);
    }
  });

  test.each([
    ["keyvault-premium-sku", { sku: { family: "A", name: "standard" } }, /"premium" \(got "standard"\)/],
    ["keyvault-premium-sku", { sku: { family: "A", name: "PREMIUM" } }, null],
    [
      "keyvault-deletion-protection",
      { enablePurgeProtection: undefined },
      /enablePurgeProtection must be true \(got missing\)/,
    ],
    [
      "keyvault-deletion-protection",
      { enableSoftDelete: false },
      /enableSoftDelete must be true \(got false\)/,
    ],
    [
      "keyvault-rbac-authorization",
      { enableRbacAuthorization: false },
      /enableRbacAuthorization must be true/,
    ],
    [
      "keyvault-rbac-authorization",
      { accessPolicies: [{ objectId: "x", permissions: { secrets: ["get"] } }] },
      /accessPolicies must be empty/,
    ],
    [
      "keyvault-no-public-access",
      { publicNetworkAccess: "enabled" },
      /publicNetworkAccess must be "Disabled" \(got "enabled"\)/,
    ],
    ["keyvault-no-public-access", { publicNetworkAccess: "disabled" }, null],
    [
      "keyvault-no-public-access",
      { networkAcls: { defaultAction: "Allow" } },
      /defaultAction must be "Deny"/,
    ],
    [
      "keyvault-no-public-access",
      { networkAcls: { defaultAction: "Deny", ipRules: [{ value: "1.2.3.4" }] } },
      /ipRules must be empty/,
    ],
  ])("%s with %j", async (rule, patch, message) => {
    const found = await check(rule, T.vault, vaultWith(patch));
    if (message === null) expect(found).toEqual([]);
    else {
      expect(found).toHaveLength(1);
      expect(found[0]?.message).toMatch(message);
    }
  });
});

describe("key rules", () => {
  const rotation = {
    attributes: { expiryTime: "P365D" },
    lifetimeActions: [
      { action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } },
      { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P45D" } },
    ],
  };
  const rsa = { properties: { kty: "RSA-HSM", keySize: 3072, rotationPolicy: rotation } };
  const ec = { properties: { kty: "EC-HSM", curveName: "P-256", rotationPolicy: rotation } };

  test("RSA-HSM 3072 and EC-HSM P-256 keys with expiry and rotation pass", async () => {
    for (const rule of ["keyvault-key-hsm-type", "keyvault-key-expiry", "keyvault-key-rotation"]) {
      expect(await check(rule, T.key, rsa)).toEqual([]);
      expect(await check(rule, T.key, ec)).toEqual([]);
    }
  });

  test.each([
    [{ kty: "RSA", keySize: 4096 }, /"RSA-HSM" or "EC-HSM" \(got "RSA"\)/],
    [{ kty: "rsa-hsm", keySize: 2048 }, /keySize must be at least 3072 \(got 2048\)/],
    [{ kty: "RSA-HSM" }, /keySize must be at least 3072 \(got missing\)/],
    [{ kty: "EC-HSM", curveName: "P-256K" }, /curveName must be one of/],
    [{}, /got missing/],
  ])("keyvault-key-hsm-type violating %j", async (properties, message) => {
    const found = await check("keyvault-key-hsm-type", T.key, { properties });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });

  test("keyvault-key-hsm-type: minimum size is configurable", async () => {
    const packConfig = { policies: { "keyvault-key-hsm-type": { config: { minimumRsaKeySize: 2048 } } } };
    expect(
      await check(
        "keyvault-key-hsm-type",
        T.key,
        { properties: { kty: "RSA-HSM", keySize: 2048 } },
        { packConfig },
      ),
    ).toEqual([]);
  });

  test.each([
    [{ kty: "RSA-HSM", keySize: 3072 }, /no expiry/],
    [
      { rotationPolicy: { attributes: { expiryTime: "P3Y" } } },
      /valid for 1095 days, more than the 730 allowed/,
    ],
    [{ rotationPolicy: { attributes: { expiryTime: "365 days" } } }, /ISO 8601 duration/],
    [{ attributes: { expires: Math.floor(Date.now() / 1000) + 86400 } }, /fewer than the 30 required/],
  ])("keyvault-key-expiry violating %j", async (properties, message) => {
    const found = await check("keyvault-key-expiry", T.key, { properties });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });

  test.each([
    [{ rotationPolicy: { attributes: { expiryTime: "P365D" } } }, /no rotate action/],
    [
      {
        rotationPolicy: {
          lifetimeActions: [{ action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }],
        },
      },
      /no rotate action/,
    ],
    [
      {
        rotationPolicy: {
          attributes: { expiryTime: "P730D" },
          lifetimeActions: [{ action: { type: "Rotate" }, trigger: { timeBeforeExpiry: "P30D" } }],
        },
      },
      /rotates 700 days after creation/,
    ],
    [
      {
        rotationPolicy: {
          lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }],
        },
      },
      /no usable trigger/,
    ],
  ])("keyvault-key-rotation violating %j", async (properties, message) => {
    const found = await check("keyvault-key-rotation", T.key, { properties });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });

  test("keyvault-key-rotation accepts timeAfterCreate within the limit", async () => {
    const properties = {
      rotationPolicy: {
        lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P90D" } }],
      },
    };
    expect(await check("keyvault-key-rotation", T.key, { properties })).toEqual([]);
  });
});

describe("keyvault-managed-hsm-protection", () => {
  const rule = "keyvault-managed-hsm-protection";
  const good = {
    enableSoftDelete: true,
    enablePurgeProtection: true,
    publicNetworkAccess: "Disabled",
    networkAcls: { defaultAction: "Deny", ipRules: [] },
  };
  test("compliant", async () => expect(await check(rule, T.managedHsm, { properties: good })).toEqual([]));
  test.each([
    [{ ...good, enablePurgeProtection: undefined }, /enablePurgeProtection must be true \(got missing\)/],
    [{ ...good, publicNetworkAccess: "Enabled" }, /publicNetworkAccess/],
    [{ ...good, networkAcls: { defaultAction: "allow" } }, /defaultAction must be "Deny" \(got "allow"\)/],
  ])("violating %j", async (properties, message) => {
    const found = await check(rule, T.managedHsm, { properties });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
});
