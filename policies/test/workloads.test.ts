import { T } from "../src/lib/types";
import { check, type Fixture, violations } from "./harness";

describe("workloads-managed-identity", () => {
  const rule = "workloads-managed-identity";
  test.each([
    [T.containerApp, { identity: { type: "UserAssigned", userAssignedIdentities: { "/x/id": {} } } }],
    [T.apimService, { identity: { type: "SystemAssigned, UserAssigned" } }],
  ])("compliant %s", async (type, inputs) => expect(await check(rule, type, inputs)).toEqual([]));
  test.each([
    [T.containerApp, {}],
    [T.webApp, { identity: { type: "None" } }],
    [T.apimService, { identity: { type: "none" } }],
  ])("violating %s %j", async (type, inputs) => expect(await check(rule, type, inputs)).toHaveLength(1));
});

describe("workloads-app-service-hardening", () => {
  const rule = "workloads-app-service-hardening";
  const good = {
    endToEndEncryptionEnabled: true,
    siteConfig: { remoteDebuggingEnabled: false, cors: { allowedOrigins: ["https://vscode.dev"] } },
  };
  test("compliant", async () => expect(await check(rule, T.webApp, good)).toEqual([]));
  test.each([
    [{ ...good, endToEndEncryptionEnabled: undefined }, /endToEndEncryptionEnabled/],
    [{ ...good, siteConfig: { remoteDebuggingEnabled: true } }, /remoteDebuggingEnabled/],
    [
      {
        ...good,
        siteConfig: { remoteDebuggingEnabled: false, cors: { allowedOrigins: ["https://vscode.dev", "*"] } },
      },
      /"\*"/,
    ],
  ])("violating %j", async (inputs, message) => {
    const found = await check(rule, T.webApp, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
});

describe("stack rules for workloads", () => {
  test("workloads-app-service-basic-auth-disabled", async () => {
    const rule = "workloads-app-service-basic-auth-disabled";
    const app: Fixture = { type: T.webApp, name: "app", inputs: {} };
    const ftp = (allow: boolean): Fixture => ({
      type: T.webAppFtpAllowed,
      name: "ftp",
      inputs: { name: "[unknown]", allow },
      dependsOn: { name: ["app"] },
    });
    const scm: Fixture = {
      type: T.webAppScmAllowed,
      name: "scm",
      inputs: { name: "[unknown]", allow: false },
      dependsOn: { name: ["app"] },
    };
    expect(await violations(rule, [app, ftp(false), scm])).toEqual([]);
    expect((await violations(rule, [app, ftp(true), scm]))[0]?.message).toMatch(/FTP/);
    expect(await violations(rule, [app])).toHaveLength(2);
  });

  test("workloads-container-app-authentication (advisory)", async () => {
    const rule = "workloads-container-app-authentication";
    const app: Fixture = { type: T.containerApp, name: "docs", inputs: {} };
    const auth: Fixture = {
      type: T.containerAppAuthConfig,
      name: "auth",
      inputs: { containerAppName: "[unknown]", platform: { enabled: true } },
      dependsOn: { containerAppName: ["docs"] },
    };
    expect(await violations(rule, [app, auth])).toEqual([]);
    const found = await violations(rule, [app]);
    expect(found.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
  });
});

describe("storage rules", () => {
  test("storage-no-anonymous-blob-access", async () => {
    expect(
      await check("storage-no-anonymous-blob-access", T.storageAccount, { allowBlobPublicAccess: false }),
    ).toEqual([]);
    expect(await check("storage-no-anonymous-blob-access", T.storageAccount, {})).toHaveLength(1);
  });
  test("storage-encryption: infrastructure encryption; CMK when configured", async () => {
    const rule = "storage-encryption";
    expect(
      await check(rule, T.storageAccount, { encryption: { requireInfrastructureEncryption: true } }),
    ).toEqual([]);
    expect(await check(rule, T.storageAccount, { encryption: {} })).toHaveLength(1);
    const packConfig = { policies: { [rule]: { config: { requireCustomerManagedKey: true } } } };
    expect(
      await check(
        rule,
        T.storageAccount,
        { encryption: { requireInfrastructureEncryption: true, keySource: "Microsoft.Storage" } },
        { packConfig },
      ),
    ).toHaveLength(1);
    expect(
      await check(
        rule,
        T.storageAccount,
        { encryption: { requireInfrastructureEncryption: true, keySource: "microsoft.keyvault" } },
        { packConfig },
      ),
    ).toEqual([]);
  });
});

describe("resilience-zone-redundancy", () => {
  const rule = "resilience-zone-redundancy";
  test("compliant", async () => {
    expect(
      await check(rule, T.apimService, { sku: { name: "Premium", capacity: 2 }, zones: ["1", "2"] }),
    ).toEqual([]);
    expect(await check(rule, T.managedEnvironment, { zoneRedundant: true })).toEqual([]);
    expect(await check(rule, T.storageAccount, { sku: { name: "Standard_ZRS" }, kind: "StorageV2" })).toEqual(
      [],
    );
  });
  test("violating (advisory by default, mandatory when the environment says so)", async () => {
    const found = await check(rule, T.apimService, { sku: { name: "Premium", capacity: 1 }, zones: ["1"] });
    expect(found.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    const packConfig = { all: "mandatory" as const, policies: {} };
    expect(
      (await check(rule, T.storageAccount, { sku: { name: "Standard_LRS" } }, { packConfig })).map(
        (v) => v.enforcementLevel,
      ),
    ).toEqual(["mandatory"]);
  });
});
