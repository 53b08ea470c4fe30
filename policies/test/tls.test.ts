import { T } from "../src/lib/types";
import { check, type Fixture, violations } from "./harness";

const OFF = "False";
const P = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.";
const secureApimProperties = Object.fromEntries(
  [
    "Protocols.Tls10",
    "Protocols.Tls11",
    "Protocols.Ssl30",
    "Backend.Protocols.Tls10",
    "Backend.Protocols.Tls11",
    "Backend.Protocols.Ssl30",
    "Ciphers.TripleDes168",
    "Ciphers.TLS_RSA_WITH_AES_128_CBC_SHA",
    "Ciphers.TLS_RSA_WITH_AES_256_CBC_SHA",
    "Ciphers.TLS_RSA_WITH_AES_128_CBC_SHA256",
    "Ciphers.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "Ciphers.TLS_RSA_WITH_AES_256_CBC_SHA256",
    "Ciphers.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "Ciphers.TLS_RSA_WITH_AES_128_GCM_SHA256",
  ].map((key) => [P + key, OFF]),
);

describe("tls-minimum-1-3", () => {
  const rule = "tls-minimum-1-3";
  const gateway = (sslPolicy: unknown, sslProfiles?: unknown[]): Record<string, unknown> => ({
    sslPolicy,
    ...(sslProfiles ? { sslProfiles } : {}),
  });

  test.each([
    ["web app", T.webApp, { siteConfig: { minTlsVersion: "1.3", scmMinTlsVersion: "1.3" } }],
    ["SQL server", T.sqlServer, { minimalTlsVersion: "1.3" }],
    ["Service Bus", T.serviceBusNamespace, { minimumTlsVersion: "1.3" }],
    [
      "Front Door custom domain (lower case)",
      T.frontDoorCustomDomain,
      { tlsSettings: { minimumTlsVersion: "tls13", certificateType: "ManagedCertificate" } },
    ],
    [
      "Application Gateway",
      T.applicationGateway,
      gateway({ policyType: "CustomV2", minProtocolVersion: "TLSv1_3" }),
    ],
  ])("compliant: %s", async (_label, type, inputs) => {
    expect(await check(rule, type, inputs)).toEqual([]);
  });

  test.each([
    [
      "web app at 1.2",
      T.webApp,
      { siteConfig: { minTlsVersion: "1.2", scmMinTlsVersion: "1.3" } },
      /siteConfig.minTlsVersion must be "1.3" \(got "1.2"\)/,
    ],
    [
      "web app SCM missing",
      T.webApp,
      { siteConfig: { minTlsVersion: "1.3" } },
      /scmMinTlsVersion must be "1.3" \(got missing\)/,
    ],
    ["SQL missing", T.sqlServer, {}, /minimalTlsVersion must be "1.3" \(got missing\)/],
    ["Service Bus 1.2", T.serviceBusNamespace, { minimumTlsVersion: "1.2" }, /got "1.2"/],
    ["Front Door TLS12", T.frontDoorCustomDomain, { tlsSettings: { minimumTlsVersion: "TLS12" } }, /TLS13/],
    [
      "gateway predefined policy",
      T.applicationGateway,
      gateway({ policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" }),
      /CustomV2/,
    ],
    ["gateway without SSL policy", T.applicationGateway, {}, /sslPolicy must be/],
  ])("violating: %s", async (_label, type, inputs, message) => {
    const found = await check(rule, type, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
    expect(found[0]?.enforcementLevel).toBe("mandatory");
  });

  test("one weak SSL profile among good ones is caught", async () => {
    const good = { policyType: "CustomV2", minProtocolVersion: "TLSv1_3" };
    const found = await check(
      rule,
      T.applicationGateway,
      gateway(good, [
        { name: "strict", sslPolicy: good },
        { name: "legacy", sslPolicy: { policyType: "CustomV2", minProtocolVersion: "TLSv1_2" } },
      ]),
    );
    expect(found.map((v) => v.message)).toEqual([expect.stringContaining("sslProfiles[legacy].sslPolicy")]);
  });
});

describe("tls-highest-available", () => {
  const rule = "tls-highest-available";
  test.each([
    [T.storageAccount, { minimumTlsVersion: "TLS1_2" }],
    [T.redis, { minimumTlsVersion: "1.2", enableNonSslPort: false }],
    [T.eventHubNamespace, { minimumTlsVersion: "1.2" }],
    [T.cosmosDbAccount, { minimalTlsVersion: "tls12" }],
    ["azure-native:cache:Redis", { minimumTlsVersion: "1.2", enableNonSslPort: false }],
  ])("compliant: %s", async (type, inputs) => {
    expect(await check(rule, type, inputs)).toEqual([]);
  });

  test.each([
    [T.storageAccount, {}, /minimumTlsVersion must be "TLS1_2" or "TLS1_3" \(got missing\)/],
    [T.storageAccount, { minimumTlsVersion: "TLS1_1" }, /got "TLS1_1"/],
    [T.redis, { minimumTlsVersion: "1.2" }, /enableNonSslPort must be false \(got missing\)/],
    [
      T.redis,
      { minimumTlsVersion: "1.2", enableNonSslPort: true },
      /enableNonSslPort must be false \(got true\)/,
    ],
    [T.eventHubNamespace, { minimumTlsVersion: "1.0" }, /"1.2"/],
    [T.cosmosDbAccount, { minimalTlsVersion: "Tls11" }, /"Tls12"/],
    ["azure-native:documentdb:DatabaseAccount", {}, /minimalTlsVersion/],
  ])("violating: %s %j", async (type, inputs, message) => {
    const found = await check(rule, type, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });

  test("the description states the exception", async () => {
    const found = await check(rule, T.redis, {});
    expect(found[0]?.description).toMatch(/cannot enforce/);
  });
});

describe("tls-apim-protocols-ciphers", () => {
  const rule = "tls-apim-protocols-ciphers";
  test("compliant: every legacy protocol and weak cipher off (any case)", async () => {
    const lower = Object.fromEntries(
      Object.entries(secureApimProperties).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]),
    );
    expect(
      await check(rule, T.apimService, {
        sku: { name: "Premium", capacity: 1 },
        customProperties: secureApimProperties,
      }),
    ).toEqual([]);
    expect(
      await check(rule, T.apimService, { sku: { name: "Premium", capacity: 1 }, customProperties: lower }),
    ).toEqual([]);
  });

  test("v2 tiers need the protocols only (their ciphers are fixed)", async () => {
    const protocolsOnly = Object.fromEntries(
      Object.entries(secureApimProperties).filter(([k]) => !k.includes("Ciphers")),
    );
    expect(
      await check(rule, T.apimService, {
        sku: { name: "StandardV2", capacity: 1 },
        customProperties: protocolsOnly,
      }),
    ).toEqual([]);
    const found = await check(rule, T.apimService, {
      sku: { name: "Premium", capacity: 1 },
      customProperties: protocolsOnly,
    });
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/weak ciphers: Ciphers.TripleDes168=missing/),
    ]);
  });

  test("missing customProperties: every protocol counts as on", async () => {
    const found = await check(rule, T.apimService, { sku: { name: "StandardV2", capacity: 1 } });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/Protocols.Tls10=missing.*Backend.Protocols.Ssl30=missing/);
  });

  test("one protocol left on among good ones", async () => {
    const found = await check(rule, T.apimService, {
      sku: { name: "Premium", capacity: 1 },
      customProperties: { ...secureApimProperties, [`${P}Backend.Protocols.Tls11`]: "True" },
    });
    expect(found.map((v) => v.message)).toEqual([expect.stringMatching(/Backend.Protocols.Tls11="True"/)]);
  });

  test("the cipher list is configurable", async () => {
    const custom = { ...secureApimProperties };
    delete custom[`${P}Ciphers.TLS_RSA_WITH_AES_128_GCM_SHA256`];
    const packConfig = { policies: { [rule]: { config: { weakCiphers: ["TripleDes168"] } } } };
    expect(
      await check(
        rule,
        T.apimService,
        { sku: { name: "Premium" }, customProperties: custom },
        { packConfig },
      ),
    ).toEqual([]);
    expect(
      await check(rule, T.apimService, { sku: { name: "Premium" }, customProperties: custom }),
    ).toHaveLength(1);
  });
});

describe("tls-https-only", () => {
  const rule = "tls-https-only";
  const redirectGateway = (protocol: string, redirect: boolean): Record<string, unknown> => ({
    httpListeners: [
      { name: "https", protocol: "Https" },
      { name: "http", protocol },
    ],
    requestRoutingRules: [
      { name: "main", httpListener: { id: "/x/httpListeners/https" } },
      {
        name: "redirect",
        httpListener: { id: "/x/httpListeners/http" },
        ...(redirect ? { redirectConfiguration: { id: "/x/redirectConfigurations/to-https" } } : {}),
      },
    ],
  });

  test.each([
    ["web app", T.webApp, { httpsOnly: true, siteConfig: { ftpsState: "Disabled" } }],
    ["storage", T.storageAccount, { enableHttpsTrafficOnly: true }],
    [
      "container app",
      T.containerApp,
      { configuration: { ingress: { allowInsecure: false, external: true } } },
    ],
    ["container app without ingress", T.containerApp, { configuration: {} }],
    ["gateway redirecting http", T.applicationGateway, redirectGateway("Http", true)],
    [
      "front door route redirecting",
      T.frontDoorRoute,
      { supportedProtocols: ["Http", "Https"], httpsRedirect: "Enabled", forwardingProtocol: "HttpsOnly" },
    ],
  ])("compliant: %s", async (_label, type, inputs) => {
    expect(await check(rule, type, inputs)).toEqual([]);
  });

  test.each([
    [
      "web app http allowed",
      T.webApp,
      { httpsOnly: false, siteConfig: { ftpsState: "FtpsOnly" } },
      /httpsOnly must be true \(got false\)/,
    ],
    [
      "web app FTP allowed",
      T.webApp,
      { httpsOnly: true, siteConfig: { ftpsState: "AllAllowed" } },
      /ftpsState/,
    ],
    ["storage missing", T.storageAccount, {}, /enableHttpsTrafficOnly must be true \(got missing\)/],
    ["storage string false", T.storageAccount, { enableHttpsTrafficOnly: "False" }, /got "False"/],
    [
      "container app insecure missing",
      T.containerApp,
      { configuration: { ingress: { external: false } } },
      /allowInsecure must be false \(got missing\)/,
    ],
    [
      "gateway plain http listener",
      T.applicationGateway,
      redirectGateway("Http", false),
      /listener http uses protocol "Http"/,
    ],
    [
      "front door http without redirect",
      T.frontDoorRoute,
      { supportedProtocols: ["Http", "Https"], forwardingProtocol: "HttpsOnly" },
      /httpsRedirect/,
    ],
    [
      "front door http to origin",
      T.frontDoorRoute,
      { supportedProtocols: ["Https"], forwardingProtocol: "MatchRequest" },
      /forwardingProtocol/,
    ],
  ])("violating: %s", async (_label, type, inputs, message) => {
    const found = await check(rule, type, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
});

describe("tls-backend-certificate-validation", () => {
  const rule = "tls-backend-certificate-validation";
  const backend = (tls: unknown, url = "https://mcp.internal.example/mcp"): Record<string, unknown> => ({
    url,
    protocol: "http",
    tls,
  });

  test("compliant APIM backend, Front Door origin and gateway settings", async () => {
    const fixtures: Fixture[] = [
      {
        type: T.apimBackend,
        name: "b",
        inputs: backend({ validateCertificateChain: true, validateCertificateName: "true" }),
      },
      { type: T.frontDoorOrigin, name: "o", inputs: { enforceCertificateNameCheck: true } },
      {
        type: T.applicationGateway,
        name: "g",
        inputs: {
          backendHttpSettingsCollection: [
            { name: "a", protocol: "Https" },
            { name: "b", protocol: "https" },
          ],
        },
      },
    ];
    expect(await violations(rule, fixtures)).toEqual([]);
  });

  test.each([
    [
      "validation missing",
      backend(undefined),
      /validateCertificateChain must be true \(got missing; missing counts as off\)/,
    ],
    [
      "name check off",
      backend({ validateCertificateChain: true, validateCertificateName: false }),
      /validateCertificateName must be true \(got false\)/,
    ],
    [
      "http url",
      backend(
        { validateCertificateChain: true, validateCertificateName: true },
        "http://mcp.internal.example",
      ),
      /https:\/\/ URL/,
    ],
  ])("violating APIM backend: %s", async (_label, inputs, message) => {
    const found = await check(rule, T.apimBackend, inputs);
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found.map((v) => v.message).join("\n")).toMatch(message);
  });

  test("one HTTP backend setting among HTTPS ones", async () => {
    const found = await check(rule, T.applicationGateway, {
      backendHttpSettingsCollection: [
        { name: "a", protocol: "Https" },
        { name: "plain", protocol: "Http" },
      ],
    });
    expect(found.map((v) => v.message)).toEqual([
      expect.stringContaining("backend setting plain must use protocol Https"),
    ]);
  });

  test("Front Door origin without the name check", async () => {
    expect(await check(rule, T.frontDoorOrigin, {})).toHaveLength(1);
  });
});
