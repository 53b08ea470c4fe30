/**
 * `gateway.tlsCertificate`: where the certificate of the public MCP host name comes from. Both routes
 * reach Key Vault through Azure Resource Manager, so the first `pulumi up` needs no data-plane path
 * into the (private-endpoint-only) vault and no manual import (docs/keyvault.md, "TLS certificate").
 */
import { z } from "zod";
import { secretConfigKey, type RefinementContext } from "./primitives";

/** The only content type under which API Management and Application Gateway read a secret as a PFX. */
export const PFX_CONTENT_TYPE = "application/x-pkcs12";

const SECRET_NAME = /^[A-Za-z0-9-]{1,127}$/;
/** `https://<vault>.vault.azure.net/secrets/<name>` (public, China and US Government clouds), no version. */
export const VERSIONLESS_SECRET_URI =
  /^https:\/\/([a-z0-9-]{3,24})\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/([A-Za-z0-9-]{1,127})\/?$/;
const VAULT_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.KeyVault\/vaults\/([A-Za-z0-9-]{3,24})$/i;

/** The stack writes the PFX (base64, from secret config) into its own vault as a secret. */
const pfxFromConfig = z.strictObject({
  source: z.literal("pfxConfig"),
  /** Secret name in the stack's vault; the versionless URI of this name is what both gateways read. */
  secretName: z
    .string()
    .regex(SECRET_NAME, { error: "must be 1-127 letters, digits or '-'" })
    .default("mcp-gateway-tls"),
  /** Secret stack config key holding the base64 PFX (`pulumi config set --secret <key> "$(base64 -w0 cert.pfx)"`). */
  configKey: secretConfigKey,
  /** The certificate's notAfter date (YYYY-MM-DD): the secret expires with it. Update it on every renewal. */
  expiresOn: z.iso.date({ error: "must be the certificate's expiry date as YYYY-MM-DD (openssl: notAfter)" }),
});

/** A secret (or Key Vault certificate) that already exists in a vault the user manages. */
const existingSecret = z.strictObject({
  source: z.literal("keyVaultSecret"),
  secretUri: z.string().regex(VERSIONLESS_SECRET_URI, {
    error:
      "must be a versionless Key Vault secret URI, https://<vault>.vault.azure.net/secrets/<name> (a version would pin the certificate and stop rotation)",
  }),
  /** ARM ID of that vault: the stack grants both gateway identities read access on the secret there. */
  vaultResourceId: z.string().regex(VAULT_RESOURCE_ID, {
    error:
      "must be the vault's ARM ID, /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>",
  }),
});

export const tlsCertificateSchema = z
  .discriminatedUnion("source", [pfxFromConfig, existingSecret], {
    error:
      "must set source: pfxConfig (a base64 PFX in secret config, written to the stack's vault) or keyVaultSecret (an existing secret URI in a vault you manage)",
  })
  .superRefine((certificate, ctx) => {
    if (certificate.source !== "keyVaultSecret") return;
    const uriVault = VERSIONLESS_SECRET_URI.exec(certificate.secretUri)?.[1];
    const idVault = VAULT_RESOURCE_ID.exec(certificate.vaultResourceId)?.[1]?.toLowerCase();
    if (uriVault !== undefined && idVault !== undefined && uriVault !== idVault) {
      ctx.addIssue({
        code: "custom",
        path: ["vaultResourceId"],
        input: certificate.vaultResourceId,
        message: `must name the vault of secretUri (${uriVault}), so the read grant lands where the certificate is`,
      });
    }
  });

export type TlsCertificateConfig = z.output<typeof tlsCertificateSchema>;

/** Cross-section check: a stack-written certificate secret must not share a name with `keyVault.secrets`. */
export function checkCertificateSecretName(
  certificate: TlsCertificateConfig,
  vaultSecretNames: readonly string[],
  ctx: RefinementContext,
): void {
  if (certificate.source !== "pfxConfig") return;
  if (vaultSecretNames.some((name) => name.toLowerCase() === certificate.secretName.toLowerCase())) {
    ctx.addIssue({
      code: "custom",
      path: ["gateway", "tlsCertificate", "secretName"],
      input: certificate.secretName,
      message: "must differ from every keyVault.secrets name (both would write the same Key Vault secret)",
    });
  }
}

/** `{ vault, name }` of a versionless secret URI, or undefined when it is not one. */
export function parseSecretUri(uri: string): { vault: string; name: string } | undefined {
  const match = VERSIONLESS_SECRET_URI.exec(uri);
  return match ? { vault: match[1]!, name: match[2]! } : undefined;
}
