/**
 * The first-run certificate path (issue 17): a stack with a base64 PFX in secret config and nothing
 * imported by hand previews with the certificate written through ARM, read by both gateways through the
 * same versionless URI, after the read grants and their propagation wait, and never in plaintext.
 */
import { parseStackConfig, type ConfigProblem, type RawStackConfig } from "../../infra/config";
import { existingSecretScope, RBAC_PROPAGATION_WAIT } from "../../infra/keyvault/certificate";
import type { PlanResourceState, PreviewPlan } from "../../policies/check/plan";
import { planResources } from "../../policies/check/plan";
import { loadEngineConfig, secretPlaceholder, stackFilePath } from "../../tools/offline/stack-files";
import {
  inputAt,
  previewVariant,
  resourceNamed,
  resourcesOfType,
  stackPlan,
  stackPreviewLog,
  STACKS,
} from "../support/plans";

const P = "mcp-azure-gateway:";
const SECRET = "azure-native:keyvault:Secret";
const VAULT = "azure-native:keyvault:Vault";
const APIM = "azure-native:apimanagement:ApiManagementService";
const APPGW = "azure-native:network:ApplicationGateway";
const ROLE = "azure-native:authorization:RoleAssignment";
const SLEEP = "time:index/sleep:Sleep";
const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const PFX_KEY = `${P}gatewayTlsPfx`;

/** Every Key Vault secret URI anywhere in the plan's inputs (`https://<vault>.vault.azure.net/secrets/<name>`). */
function secretUrisIn(plan: PreviewPlan): string[] {
  const uris = JSON.stringify(planResources(plan).map((r) => r.inputs)).match(
    /https:\/\/[a-z0-9-]+\.vault\.azure\.net\/secrets\/[A-Za-z0-9-]+(\/[0-9a-f]{32})?/g,
  );
  return [...new Set(uris ?? [])];
}

function createdSecretUris(plan: PreviewPlan): string[] {
  const vaults = resourcesOfType(plan, VAULT);
  return resourcesOfType(plan, SECRET).flatMap((secret) =>
    vaults
      .filter((vault) => vault.inputs["vaultName"] === secret.inputs["vaultName"])
      .map(
        (vault) =>
          `https://${String(vault.inputs["vaultName"])}.vault.azure.net/secrets/${String(secret.inputs["secretName"])}`,
      ),
  );
}

function certificateUris(plan: PreviewPlan): { apim: unknown[]; edge: unknown[] } {
  return {
    apim: resourcesOfType(plan, APIM).flatMap((r) =>
      ((inputAt(r, "hostnameConfigurations") as { keyVaultId?: string }[] | undefined) ?? []).map(
        (h) => h.keyVaultId,
      ),
    ),
    edge: resourcesOfType(plan, APPGW).flatMap((r) =>
      ((inputAt(r, "sslCertificates") as { keyVaultSecretId?: string }[] | undefined) ?? []).map(
        (c) => c.keyVaultSecretId,
      ),
    ),
  };
}

const waitsFor = (resource: PlanResourceState, dependency: PlanResourceState): boolean =>
  (resource.dependencies ?? []).includes(dependency.urn);

describe.each(STACKS)("first-run certificate path (%s)", (stack) => {
  const plan = (): PreviewPlan => stackPlan(stack);

  test("the stack writes the PFX from secret config as an application/x-pkcs12 secret, value masked", () => {
    const certificate = resourceNamed(plan(), SECRET, "certificate");
    expect(inputAt(certificate, "properties.contentType")).toBe("application/x-pkcs12");
    expect(inputAt(certificate, "properties.value")).toBe("[secret]");
    expect(typeof inputAt(certificate, "properties.attributes.expires")).toBe("number");
  });

  test("both gateways reference exactly that secret, versionless", () => {
    const uris = certificateUris(plan());
    const created = createdSecretUris(plan()).filter((uri) => uri.endsWith("/secrets/mcp-gateway-tls"));
    expect(created).toHaveLength(1);
    expect(uris).toEqual({ apim: created, edge: created });
  });

  test("no Key Vault reference to a secret the stack does not create", () => {
    const created = new Set(createdSecretUris(plan()));
    expect(secretUrisIn(plan()).filter((uri) => !created.has(uri))).toEqual([]);
  });

  test("grants on the certificate secret only, then the propagation wait, then both gateways", () => {
    const certificate = resourceNamed(plan(), SECRET, "certificate");
    const readers = resourcesOfType(plan(), ROLE).filter((r) => r.urn.endsWith("-certificate-reader"));
    expect(readers.map((r) => r.urn.split("::").pop()).sort()).toEqual([
      "kv-edge-tls-certificate-reader",
      "kv-gateway-tls-certificate-reader",
    ]);
    for (const reader of readers) {
      expect(String(reader.inputs["scope"])).toMatch(/\/vaults\/[^/]+\/secrets\/mcp-gateway-tls$/);
      expect(String(reader.inputs["roleDefinitionId"])).toMatch(new RegExp(`/${SECRETS_USER}$`));
      expect(waitsFor(reader, certificate)).toBe(true);
    }
    // No vault-wide certificate role any more: each identity reads one secret.
    expect(
      resourcesOfType(plan(), ROLE)
        .filter((r) => /certificate-user/.test(r.urn))
        .map((r) => r.urn),
    ).toEqual([]);
    const wait = resourceNamed(plan(), SLEEP, "certificate-rbac-propagation");
    expect(wait.inputs["createDuration"]).toBe(RBAC_PROPAGATION_WAIT);
    for (const reader of readers) expect(waitsFor(wait, reader)).toBe(true);
    for (const consumer of [...resourcesOfType(plan(), APIM), ...resourcesOfType(plan(), APPGW)]) {
      expect({ consumer: consumer.urn, waits: waitsFor(consumer, wait) }).toEqual({
        consumer: consumer.urn,
        waits: true,
      });
    }
  });

  test("the PFX placeholder never reaches the plan or the log in plaintext", () => {
    const placeholder = secretPlaceholder(PFX_KEY);
    expect(loadEngineConfig(stackFilePath(stack)).placeholders).toContain(PFX_KEY);
    expect(JSON.stringify(plan())).not.toContain(placeholder);
    expect(stackPreviewLog(stack)).not.toContain(placeholder);
  });
});

describe("a certificate the user names (source keyVaultSecret)", () => {
  const vaultId =
    "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-certs/providers/Microsoft.KeyVault/vaults/kv-fabrikam-certs";
  const secretUri = "https://kv-fabrikam-certs.vault.azure.net/secrets/mcp-dev-tls";
  const run = previewVariant("dev", (config) => {
    (config[`${P}gateway`] as Record<string, unknown>)["tlsCertificate"] = {
      source: "keyVaultSecret",
      secretUri,
      vaultResourceId: vaultId,
    };
  });

  test("previews without writing a certificate; both gateways and the grants use the named secret", () => {
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const plan = run.plan!;
    expect(resourcesOfType(plan, SECRET).filter((r) => r.urn.endsWith("::certificate"))).toEqual([]);
    expect(certificateUris(plan)).toEqual({ apim: [secretUri], edge: [secretUri] });
    const scopes = resourcesOfType(plan, ROLE)
      .filter((r) => r.urn.endsWith("-certificate-reader"))
      .map((r) => r.inputs["scope"]);
    expect(scopes).toEqual([`${vaultId}/secrets/mcp-dev-tls`, `${vaultId}/secrets/mcp-dev-tls`]);
    // The only secret URIs: the ones the stack creates and the one the user named.
    const known = new Set([...createdSecretUris(plan), secretUri]);
    expect(secretUrisIn(plan).filter((uri) => !known.has(uri))).toEqual([]);
  });

  test("existingSecretScope is the per-secret RBAC scope", () => {
    expect(
      existingSecretScope({ kind: "existing", secretUri: `${secretUri}/`, vaultResourceId: vaultId }),
    ).toBe(`${vaultId}/secrets/mcp-dev-tls`);
    expect(() =>
      existingSecretScope({
        kind: "existing",
        secretUri: `${secretUri}/0123456789abcdef0123456789abcdef`,
        vaultResourceId: vaultId,
      }),
    ).toThrow(/versionless/);
  });
});

describe("gateway.tlsCertificate validation", () => {
  function raw(): RawStackConfig & { values: Record<string, unknown> } {
    const engine = loadEngineConfig(stackFilePath("dev"));
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(engine.values))
      values[key] = /^\s*[[{]/.test(value) ? JSON.parse(value) : value;
    return { values, secretKeys: new Set(engine.secretKeys) };
  }
  function problems(
    mutate: (gateway: Record<string, unknown>, values: Record<string, unknown>) => void,
  ): ConfigProblem[] {
    const config = raw();
    mutate(config.values[`${P}gateway`] as Record<string, unknown>, config.values);
    const result = parseStackConfig(config);
    return result.ok ? [] : result.problems;
  }
  const certificate = (gateway: Record<string, unknown>): Record<string, unknown> =>
    gateway["tlsCertificate"] as Record<string, unknown>;

  test("the dev stack's first-run config is valid", () => {
    expect(problems(() => undefined)).toEqual([]);
  });

  test.each<[string, (g: Record<string, unknown>, v: Record<string, unknown>) => void, string, RegExp]>([
    [
      "the removed tlsCertificateName",
      (g) => (g["tlsCertificateName"] = "mcp-gateway-tls"),
      "gateway.tlsCertificateName",
      /replaced by gateway\.tlsCertificate/,
    ],
    ["no certificate at all", (g) => delete g["tlsCertificate"], "gateway.tlsCertificate", /./],
    [
      "an unknown source",
      (g) => (certificate(g)["source"] = "manualImport"),
      "gateway.tlsCertificate.source",
      /pfxConfig.*keyVaultSecret/,
    ],
    [
      "no expiry date",
      (g) => delete certificate(g)["expiresOn"],
      "gateway.tlsCertificate.expiresOn",
      /is required/,
    ],
    [
      "a name taken by keyVault.secrets",
      (g) => (certificate(g)["secretName"] = "weather-api-key"),
      "gateway.tlsCertificate.secretName",
      /keyVault\.secrets/,
    ],
    [
      "a versioned secret URI",
      (g) =>
        (g["tlsCertificate"] = {
          source: "keyVaultSecret",
          secretUri: "https://kv-certs.vault.azure.net/secrets/tls/0123456789abcdef0123456789abcdef",
          vaultResourceId:
            "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-certs",
        }),
      "gateway.tlsCertificate.secretUri",
      /versionless/,
    ],
    [
      "a vault ID of another vault",
      (g) =>
        (g["tlsCertificate"] = {
          source: "keyVaultSecret",
          secretUri: "https://kv-certs.vault.azure.net/secrets/tls",
          vaultResourceId:
            "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-other",
        }),
      "gateway.tlsCertificate.vaultResourceId",
      /kv-certs/,
    ],
  ])("rejects %s, naming the key and what is allowed", (_name, mutate, key, message) => {
    const found = problems(mutate);
    expect(found.map((p) => p.key)).toContain(`${P}${key}`);
    expect(found.find((p) => p.key === `${P}${key}`)!.message).toMatch(message);
  });

  test("the PFX is a secret reference: set in plaintext, it is refused", () => {
    const config = raw();
    config.values[PFX_KEY] = "MIIKdGVzdA==";
    (config.secretKeys as Set<string>).delete(PFX_KEY);
    const result = parseStackConfig(config);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const problem = result.problems.find(
        (p) => p.key.includes("gatewayTlsPfx") || p.key.includes("tlsCertificate"),
      );
      expect(problem?.message).toMatch(/--secret/);
      expect(JSON.stringify(result.problems)).not.toContain("MIIKdGVzdA==");
    }
  });
});
