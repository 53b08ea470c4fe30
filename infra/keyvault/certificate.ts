/**
 * The TLS certificate of the public MCP host name, as both gateways read it: a Key Vault secret
 * holding a PFX (content type `application/x-pkcs12`), referenced by its versionless URI so that a
 * renewal (a new secret version) reaches API Management and Application Gateway without a deployment.
 * Written through Azure Resource Manager, never through the vault's data plane (docs/keyvault.md).
 */
import type * as pulumi from "@pulumi/pulumi";
import { PFX_CONTENT_TYPE, parseSecretUri } from "../config/schema";
import type { PrincipalGrant } from "../conventions/contracts";

/**
 * How long consumers wait after the read grants exist. Azure RBAC documents that a new role assignment
 * can take up to 10 minutes to take effect; API Management and Application Gateway read the certificate
 * while they are created and fail the deployment if the read is refused, and a failed classic API
 * Management deployment costs another 30-45 minutes. Paid only when the grants are created or replaced.
 */
export const RBAC_PROPAGATION_WAIT = "10m";

/** Where the certificate comes from (`gateway.tlsCertificate`, resolved by `infra/index.ts`). */
export type VaultCertificateSource =
  | {
      /** The stack writes the PFX from secret config into its own vault. */
      readonly kind: "pfx";
      readonly secretName: string;
      /** Base64 PFX without a password, read with `config.requireSecret`: must be a secret Output. */
      readonly value: pulumi.Output<string>;
      /** The certificate's notAfter date (YYYY-MM-DD): the secret's expiry. */
      readonly expiresOn: string;
    }
  | {
      /** A secret that already exists in a vault the user manages. */
      readonly kind: "existing";
      /** Versionless `https://<vault>.vault.azure.net/secrets/<name>`. */
      readonly secretUri: string;
      /** ARM ID of that vault. */
      readonly vaultResourceId: string;
    };

export interface VaultCertificateArgs {
  readonly source: VaultCertificateSource;
  /** Principals that read the certificate (the gateway's and the edge's identities): Key Vault Secrets User on that one secret. */
  readonly readers: readonly PrincipalGrant[];
}

export { PFX_CONTENT_TYPE };

/** ARM scope of an existing secret: `<vault ID>/secrets/<name>` (per-secret RBAC, nothing else in that vault). */
export function existingSecretScope(source: Extract<VaultCertificateSource, { kind: "existing" }>): string {
  const parsed = parseSecretUri(source.secretUri);
  if (!parsed) {
    throw new RangeError(
      `certificate secretUri must be a versionless Key Vault secret URI (got "${source.secretUri}")`,
    );
  }
  return `${source.vaultResourceId.replace(/\/+$/, "")}/secrets/${parsed.name}`;
}

/** Reader names must be unique: they name the role assignments. */
export function checkReaders(readers: readonly PrincipalGrant[]): void {
  const seen = new Set<string>();
  for (const reader of readers) {
    if (seen.has(reader.name)) throw new Error(`certificate reader ${reader.name} is listed twice`);
    seen.add(reader.name);
  }
}
