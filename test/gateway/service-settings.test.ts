import { FORBIDDEN_LOG_HEADERS } from "../../infra/conventions/logging-contract";
import { LEGACY_PROTOCOL_KEYS, DEFAULT_WEAK_CIPHERS } from "../../policies/src/tls/apim-protocols-ciphers";
import {
  assertVersionlessSecretUri,
  gatewayTier,
  HTTP2_SETTING,
  LEGACY_PROTOCOL_SETTINGS,
  managementLockdownTemplate,
  proxyHostname,
  requestLogging,
  securityCustomProperties,
  WEAK_CIPHERS,
  zoneProblems,
} from "../../infra/gateway/service-settings";

const CIPHERS = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.";

describe("TLS protocols and ciphers", () => {
  it("switches off SSL 3.0, TLS 1.0 and TLS 1.1 on both sides on every tier", () => {
    expect([...LEGACY_PROTOCOL_SETTINGS].sort()).toEqual([...LEGACY_PROTOCOL_KEYS].sort());
    for (const sku of ["Developer", "Premium", "StandardV2"] as const) {
      const properties = securityCustomProperties(sku);
      for (const key of LEGACY_PROTOCOL_SETTINGS) expect(properties[key]).toBe("False");
    }
  });

  it("switches off 3DES and the weak suites on classic tiers, a superset of the policy pack's list", () => {
    const properties = securityCustomProperties("Premium");
    for (const cipher of [...WEAK_CIPHERS, ...DEFAULT_WEAK_CIPHERS])
      expect(properties[`${CIPHERS}${cipher}`]).toBe("False");
    expect(properties[HTTP2_SETTING]).toBe("False");
    expect(Object.values(properties).every((value) => value === "False")).toBe(true);
  });

  it("never touches the suites Azure keeps (GCM with ECDHE)", () => {
    expect(WEAK_CIPHERS.some((cipher) => /ECDHE_.*_GCM_/.test(cipher))).toBe(false);
  });

  it("leaves ciphers alone on v2 tiers, which do not allow changing them", () => {
    const properties = securityCustomProperties("StandardV2");
    expect(Object.keys(properties).filter((key) => key.startsWith(CIPHERS))).toEqual([]);
    expect(Object.keys(properties)).toHaveLength(LEGACY_PROTOCOL_SETTINGS.length);
  });

  it("maps tiers to the renderer's platforms", () => {
    expect([gatewayTier("Developer"), gatewayTier("Premium"), gatewayTier("StandardV2")]).toEqual([
      "classic",
      "classic",
      "v2",
    ]);
  });
});

describe("zones", () => {
  it("accepts no zones, and Premium units spread evenly over the zones", () => {
    expect(zoneProblems({ sku: "Developer", capacity: 1, zones: [] })).toEqual([]);
    expect(zoneProblems({ sku: "Premium", capacity: 3, zones: ["1", "2", "3"] })).toEqual([]);
    expect(zoneProblems({ sku: "Premium", capacity: 2, zones: ["1", "2"] })).toEqual([]);
    expect(zoneProblems({ sku: "Premium", capacity: 4, zones: ["1", "2"] })).toEqual([]);
  });

  it("refuses units that cannot spread evenly, and zones below Premium", () => {
    expect(zoneProblems({ sku: "Premium", capacity: 2, zones: ["1", "2", "3"] })[0]).toMatch(
      /capacity \(2\) must be a multiple of the number of gateway.zones \(3\)/,
    );
    expect(zoneProblems({ sku: "Developer", capacity: 1, zones: ["1"] })[0]).toMatch(/Premium/);
  });
});

describe("custom hostname", () => {
  const uri = "https://kv-mcpgw-dev-abcde.vault.azure.net/secrets/mcp-gateway-tls";

  it("serves the gateway hostname with the Key Vault certificate, read by the given identity", () => {
    expect(proxyHostname("mcp.dev.contoso.com", uri, "client-id")).toEqual({
      type: "Proxy",
      hostName: "mcp.dev.contoso.com",
      certificateSource: "KeyVault",
      keyVaultId: uri,
      identityClientId: "client-id",
      negotiateClientCertificate: false,
      defaultSslBinding: true,
    });
  });

  it("accepts only versionless secret URIs, so rotations are picked up", () => {
    expect(assertVersionlessSecretUri("x", uri)).toBe(uri);
    expect(() => assertVersionlessSecretUri("x", `${uri}/0123456789abcdef0123456789abcdef`)).toThrow(
      /versionless/,
    );
    expect(() => assertVersionlessSecretUri("x", "https://example.com/secrets/x")).toThrow(/versionless/);
  });
});

describe("management side doors", () => {
  it("disables direct management and Git access on classic tiers, and portal sign-up everywhere", () => {
    const template = managementLockdownTemplate("apim-x", "Developer");
    expect(template.resources.map((r) => [r.type, r.name, r.properties])).toEqual([
      ["Microsoft.ApiManagement/service/tenant", "apim-x/access", { enabled: false }],
      ["Microsoft.ApiManagement/service/tenant", "apim-x/gitAccess", { enabled: false }],
      ["Microsoft.ApiManagement/service/portalsettings", "apim-x/signup", { enabled: false }],
    ]);
    expect(template.resources.every((r) => r.apiVersion === "2024-05-01")).toBe(true);
  });

  it("has no tenant access resources on v2 tiers, which have neither endpoint", () => {
    const template = managementLockdownTemplate("apim-x", "StandardV2");
    expect(template.resources.map((r) => r.name)).toEqual(["apim-x/signup"]);
  });
});

describe("request logging", () => {
  const logging = requestLogging();
  const messages = [
    logging.frontend.request,
    logging.frontend.response,
    logging.backend.request,
    logging.backend.response,
  ];

  it("never logs a body byte, a credential header or the raw session ID", () => {
    const forbidden = new Set(FORBIDDEN_LOG_HEADERS.map((h) => h.toLowerCase()));
    for (const message of messages) {
      expect(message.body.bytes).toBe(0);
      expect(message.headers.filter((h) => forbidden.has(h.toLowerCase()))).toEqual([]);
      expect(message.dataMasking.headers).toContainEqual({ value: "Authorization", mode: "Hide" });
    }
    expect(FORBIDDEN_LOG_HEADERS).toEqual(expect.arrayContaining(["Authorization", "Mcp-Session-Id"]));
  });

  it("refuses to log a configured backend key header", () => {
    expect(() => requestLogging(["Content-Type"])).toThrow(/Content-Type must never be logged/);
  });
});
