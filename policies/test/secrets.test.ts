import { sanitize } from "../../tools/offline/plan-builder";
import { T } from "../src/lib/types";
import { check } from "./harness";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** A secret as the mock monitor records it (the runtime's wire envelope). */
const envelope = (value: unknown): Record<string, unknown> => ({ [SIG]: SECRET_SIG, value });

// Credential-shaped strings built at runtime so no scanner mistakes this file for a leak.
const storageKey = `${"A".repeat(43)}${"b".repeat(43)}==`;
const jwt = ["eyJhbGciOiJSUzI1NiJ9", "eyJzdWIiOiJ1c2VyLTEyMyJ9", "c2lnbmF0dXJlLXNpZ25hdHVyZQ"].join(".");
const clientSecret = `abc8Q~${"x".repeat(34)}`;
const pem = ["-----BEGIN", "RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----"].join(" ");

describe("secrets-no-literal-secrets", () => {
  const rule = "secrets-no-literal-secrets";
  const app = (env: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    template: { containers: [{ name: "mcp", env }] },
    ...extra,
  });

  test("compliant: references, secretRef, Key Vault URIs, named values, ordinary text", async () => {
    const inputs = app(
      [
        { name: "WEATHER_KEY", secretRef: "weather-api-key" },
        { name: "TENANT", value: "3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13" },
        { name: "KV", value: "https://kv-mcpgw-prod.vault.azure.net/secrets/weather-api-key" },
      ],
      { tags: { owner: "platform-security@contoso.com" } },
    );
    expect(await check(rule, T.containerApp, inputs)).toEqual([]);
    expect(
      await check(rule, T.apimBackend, { credentials: { header: { "X-Api-Key": ["{{weather-api-key}}"] } } }),
    ).toEqual([]);
    expect(
      await check(rule, T.webApp, {
        siteConfig: {
          appSettings: [
            { name: "K", value: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/k/)" },
          ],
        },
      }),
    ).toEqual([]);
  });

  test.each([
    [
      "storage connection string",
      `DefaultEndpointsProtocol=https;AccountName=st;AccountKey=${storageKey};EndpointSuffix=core.windows.net`,
      /AccountKey|account or shared access key/,
    ],
    [
      "Service Bus connection string",
      "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=fakeFAKEfake0123456789",
      /shared access key/,
    ],
    [
      "SQL password",
      "Server=tcp:x.database.windows.net;Database=d;User ID=u;Password=Sup3rS3cret!",
      /password/,
    ],
    [
      "SAS URL",
      "https://st.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=FakeSignatureNotRealAbCdEf%3D",
      /SAS/,
    ],
    ["PEM private key", pem, /PEM private key/],
    ["JWT", `Bearer ${jwt}`, /JSON Web Token/],
    ["Entra client secret", clientSecret, /client secret/],
    ["bare storage key", storageKey, /storage account key/],
  ])("violating: %s in one env var among good ones", async (_label, value, message) => {
    const found = await check(
      rule,
      T.containerApp,
      app([
        { name: "OK", value: "hello" },
        { name: "BAD", value },
      ]),
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
    expect(found[0]?.message).toContain("template.containers.0.env.1.value");
    expect(found[0]?.message).not.toContain(value);
  });

  test("secrets in tags, APIM policy XML and ARM template parameters", async () => {
    expect(await check(rule, T.storageAccount, { tags: { note: `key ${storageKey}` } })).toHaveLength(1);
    const xml = `<policies><inbound><base /><set-header name="Authorization"><value>Bearer ${jwt}</value></set-header></inbound></policies>`;
    expect(await check(rule, T.apimApiPolicy, { apiId: "docs", value: xml })).toHaveLength(1);
    expect(
      await check(rule, T.armDeployment, {
        properties: { parameters: { conn: { value: `AccountKey=${storageKey}` } } },
      }),
    ).toHaveLength(1);
  });

  test("a literal in a credential input is a secret whatever it looks like; references are not", async () => {
    const found = await check(rule, T.apimSubscription, {
      scope: "/products/mcp",
      primaryKey: "plain-text-key",
    });
    expect(found.map((v) => v.message)).toEqual([
      expect.stringContaining("primaryKey is a credential input with a literal value"),
    ]);
    expect(
      await check(rule, T.apimSubscription, { scope: "/products/mcp", primaryKey: "{{subscription-key}}" }),
    ).toEqual([]);
  });

  test("a value marked secret outside a Key Vault secret (mock harness envelope)", async () => {
    // What the offline preview writes for `value: config.requireSecret("weatherApiKey")` inlined in an env var.
    const inputs = sanitize(
      app([
        {
          name: "WEATHER_KEY",
          value: envelope("offline-secret-placeholder(mcp-azure-gateway:weatherApiKey)"),
        },
      ]),
    ) as Record<string, unknown>;
    expect(JSON.stringify(inputs)).not.toContain("offline-secret-placeholder");
    const found = await check(rule, T.containerApp, inputs);
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/template.containers.0.env.0.value holds a value marked secret/),
    ]);
  });

  test("a value marked secret in a Key Vault secret is where it belongs (alone or lifted to the whole properties bag)", async () => {
    const inputs = sanitize({
      properties: { value: envelope("s3cret"), contentType: "text/plain" },
      vaultName: "kv",
    }) as Record<string, unknown>;
    expect(await check(rule, T.secret, inputs)).toEqual([]);
    const lifted = sanitize({
      properties: envelope({ value: "s3cret", contentType: "text/plain" }),
      vaultName: "kv",
    }) as Record<string, unknown>;
    expect(lifted["properties"]).toBe("[secret]");
    expect(await check(rule, T.secret, lifted)).toEqual([]);
  });

  test("a secret lifted to a whole top-level input elsewhere is still caught, at the coarser path", async () => {
    const inputs = sanitize({
      template: envelope({ containers: [{ name: "mcp", env: [{ name: "K", value: "s3cret" }] }] }),
    }) as Record<string, unknown>;
    expect((await check(rule, T.containerApp, inputs)).map((v) => v.message)).toEqual([
      expect.stringContaining("template holds a value marked secret"),
    ]);
  });

  test("a real preview's secret envelope (blinded ciphertext) is read as a secret marker", async () => {
    const inputs = app([{ name: "K", value: { [SIG]: SECRET_SIG, ciphertext: "[secret]" } }]);
    expect(await check(rule, T.containerApp, inputs)).toHaveLength(1);
  });

  test("an alert webhook URL marked secret is expected; one in plaintext with a token is not", async () => {
    const receivers = (serviceUri: unknown): Record<string, unknown> => ({
      webhookReceivers: [{ name: "webhook", serviceUri, useCommonAlertSchema: true }],
    });
    expect(
      await check(
        rule,
        T.actionGroup,
        sanitize(receivers(envelope("https://hooks.example/x"))) as Record<string, unknown>,
      ),
    ).toEqual([]);
    expect(
      await check(
        rule,
        T.scheduledQueryRule,
        sanitize(receivers(envelope("https://hooks.example/x"))) as Record<string, unknown>,
      ),
    ).toHaveLength(1);
  });

  test("the allow-list is configurable", async () => {
    const inputs = sanitize(app([{ name: "K", value: envelope("x") }])) as Record<string, unknown>;
    const packConfig = {
      policies: {
        [rule]: { config: { allowedSecretInputs: [`${T.containerApp}#template.containers.*.env.*.value`] } },
      },
    };
    expect(await check(rule, T.containerApp, inputs, { packConfig })).toEqual([]);
  });

  test("unknown values are skipped, not a reason to stop", async () => {
    const found = await check(
      rule,
      T.containerApp,
      app([
        { name: "A", value: "[unknown]" },
        { name: "B", value: `AccountKey=${storageKey}` },
      ]),
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.enforcementLevel).toBe("mandatory");
  });
});

describe("secrets-apim-named-values-key-vault", () => {
  const rule = "secrets-apim-named-values-key-vault";
  test("compliant: secret from Key Vault; plain non-secret value", async () => {
    expect(
      await check(rule, T.apimNamedValue, {
        displayName: "k",
        secret: true,
        keyVault: { secretIdentifier: "https://kv.vault.azure.net/secrets/k" },
      }),
    ).toEqual([]);
    expect(
      await check(rule, T.apimNamedValue, { displayName: "tenant", secret: false, value: "contoso" }),
    ).toEqual([]);
    // A Key Vault reference to a secret created in the same update is unknown at preview: still a reference.
    expect(
      await check(rule, T.apimNamedValue, {
        displayName: "k",
        secret: true,
        keyVault: { secretIdentifier: "[unknown]" },
      }),
    ).toEqual([]);
  });
  test.each([
    [
      "secret value stored in APIM",
      { displayName: "k", secret: true, value: "[secret]" },
      /must reference Key Vault/,
    ],
    [
      "secret as string 'True' without Key Vault",
      { displayName: "k", secret: "True", value: "x" },
      /must reference Key Vault/,
    ],
    [
      "Key Vault reference plus a value",
      {
        displayName: "k",
        secret: true,
        value: "x",
        keyVault: { secretIdentifier: "https://kv.vault.azure.net/secrets/k" },
      },
      /must not carry a value/,
    ],
  ])("violating: %s", async (_label, inputs, message) => {
    const found = await check(rule, T.apimNamedValue, inputs);
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found[0]?.message).toMatch(message);
  });
});

describe("secrets-no-entra-password-credentials", () => {
  const rule = "secrets-no-entra-password-credentials";
  test("compliant application", async () => {
    expect(await check(rule, T.entraApplication, { displayName: "mcp" })).toEqual([]);
  });
  test.each([
    [T.entraApplicationPassword, { applicationId: "/applications/x" }],
    [T.entraServicePrincipalPassword, { servicePrincipalId: "/servicePrincipals/x" }],
    [T.entraApplication, { displayName: "mcp", password: { displayName: "ci" } }],
  ])("violating: %s", async (type, inputs) => {
    expect(await check(rule, type, inputs)).toHaveLength(1);
  });
});

describe("secrets-key-vault-secret-expiry", () => {
  const rule = "secrets-key-vault-secret-expiry";
  const inDays = (days: number): number => Math.floor(Date.now() / 1000) + days * 86400;
  const secret = (attributes: unknown, contentType: unknown = "text/plain"): Record<string, unknown> => ({
    properties: { value: "[secret]", contentType, attributes },
  });
  test("compliant: 90-day expiry and a content type", async () => {
    expect(await check(rule, T.secret, secret({ expires: inDays(90) }))).toEqual([]);
  });
  test.each([
    ["no expiry", secret({ enabled: true }), /expires must be set \(got missing\)/],
    ["expiry as a string", secret({ expires: "2030-01-01" }), /expires must be set/],
    ["too far out", secret({ expires: inDays(1000) }), /more than the 730 allowed/],
    ["about to expire", secret({ expires: inDays(3) }), /fewer than the 30 required/],
    ["no content type", secret({ expires: inDays(90) }, ""), /contentType must be set/],
  ])("violating: %s", async (_label, inputs, message) => {
    const found = await check(rule, T.secret, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
  test("a plan that withholds the whole properties bag (the SDK marks it secret) cannot be checked offline: advisory, as an unknown", async () => {
    const found = await check(rule, T.secret, { properties: "[secret]" });
    expect(found).toHaveLength(1);
    expect(found[0]?.enforcementLevel).toBe("advisory");
    expect(found[0]?.message).toMatch(
      /can't run policy .* during preview: the value at .properties is secret in the plan/,
    );
  });

  test("the validity limit is configurable per environment", async () => {
    const packConfig = { policies: { [rule]: { config: { maxValidityDays: 60 } } } };
    expect(await check(rule, T.secret, secret({ expires: inDays(90) }), { packConfig })).toHaveLength(1);
  });
});

describe("secrets-storage-shared-key-disabled", () => {
  const rule = "secrets-storage-shared-key-disabled";
  test("compliant", async () =>
    expect(await check(rule, T.storageAccount, { allowSharedKeyAccess: false })).toEqual([]));
  test.each([[{}], [{ allowSharedKeyAccess: true }], [{ allowSharedKeyAccess: "TRUE" }]])(
    "violating %j",
    async (inputs) => {
      expect(await check(rule, T.storageAccount, inputs)).toHaveLength(1);
    },
  );
});

describe("secrets-container-app-key-vault-references", () => {
  const rule = "secrets-container-app-key-vault-references";
  const good = {
    name: "k",
    keyVaultUrl: "https://kv.vault.azure.net/secrets/k",
    identity: "/subscriptions/x/userAssignedIdentities/id",
  };
  test("compliant", async () => {
    expect(
      await check(rule, T.containerApp, {
        configuration: { secrets: [good], registries: [{ server: "cr.azurecr.io", identity: "system" }] },
      }),
    ).toEqual([]);
  });
  test.each([
    [
      "inline secret among references",
      { configuration: { secrets: [good, { name: "inline", value: "[secret]" }] } },
      /secret inline must be a Key Vault reference/,
    ],
    [
      "reference without identity",
      { configuration: { secrets: [{ name: "k", keyVaultUrl: "https://kv.vault.azure.net/secrets/k" }] } },
      /must name the identity/,
    ],
    [
      "registry password",
      {
        configuration: { registries: [{ server: "cr.azurecr.io", username: "u", passwordSecretRef: "pw" }] },
      },
      /managed identity/,
    ],
  ])("violating: %s", async (_label, inputs, message) => {
    const found = await check(rule, T.containerApp, inputs);
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found[0]?.message).toMatch(message);
  });
});

describe("secrets-local-auth-disabled", () => {
  const rule = "secrets-local-auth-disabled";
  test.each([
    [T.containerRegistry, { adminUserEnabled: false }],
    [T.cognitiveServicesAccount, { properties: { disableLocalAuth: true } }],
    [T.serviceBusNamespace, { disableLocalAuth: "true" }],
  ])("compliant %s", async (type, inputs) => expect(await check(rule, type, inputs)).toEqual([]));
  test.each([
    [T.containerRegistry, {}],
    [T.containerRegistry, { adminUserEnabled: true }],
    [T.cognitiveServicesAccount, { properties: {} }],
    [T.eventHubNamespace, { disableLocalAuth: false }],
    [T.cosmosDbAccount, {}],
  ])("violating %s %j", async (type, inputs) => expect(await check(rule, type, inputs)).toHaveLength(1));
});

describe("secrets-arm-secure-parameters", () => {
  const rule = "secrets-arm-secure-parameters";
  const template = {
    parameters: { apiKey: { type: "secureString" }, name: { type: "string" } },
    resources: [],
  };
  test("compliant: Key Vault reference for the secure parameter", async () => {
    const parameters = {
      apiKey: { reference: { keyVault: { id: "/subscriptions/x/vaults/kv" }, secretName: "k" } },
      name: { value: "n" },
    };
    expect(
      await check(rule, T.armDeployment, { properties: { mode: "Incremental", template, parameters } }),
    ).toEqual([]);
  });
  test("violating: secure parameter passed by value", async () => {
    const parameters = { apiKey: { value: "[secret]" }, name: { value: "n" } };
    const found = await check(rule, T.armDeployment, {
      properties: { mode: "Incremental", template, parameters },
    });
    expect(found.map((v) => v.message)).toEqual([expect.stringContaining("secure parameter apiKey")]);
  });
});
