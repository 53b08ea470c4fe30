import { SEED } from "../lib/metadata";
import { asArray, ieq, isRecord, show, tryGet, UNKNOWN } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

/** `https://<vault>.vault.azure.net/secrets/<name>` without a version (public, China, US Government clouds). */
const VERSIONLESS_SECRET_URI =
  /^https:\/\/[a-z0-9-]{3,24}\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/[A-Za-z0-9-]{1,127}\/?$/;

function checkReference(where: string, uri: unknown, report: (message: string) => void): void {
  // A reference to a secret created in the same update is unknown at preview: still a reference.
  if (uri === UNKNOWN) return;
  if (typeof uri !== "string" || uri === "") {
    report(`${where} must reference a Key Vault secret (got ${show(uri)}).`);
  } else if (!VERSIONLESS_SECRET_URI.test(uri)) {
    report(
      `${where} must be a versionless Key Vault secret URI, so renewals reach the service (got ${show(uri)}).`,
    );
  }
}

export const tlsCertificateKeyVault = resourceRule({
  name: "secrets-tls-certificate-key-vault",
  area: "secrets",
  description:
    "TLS certificates of API Management custom host names and Application Gateway listeners come from Key Vault by a versionless " +
    "secret reference, never as inline PFX data or a PFX password in the deployment.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `hostnameConfigurations[].certificateSource: KeyVault` with `keyVaultId` (API Management) or `sslCertificates[].keyVaultSecretId` " +
    "(Application Gateway) to `https://<vault>.vault.azure.net/secrets/<name>` without a version, and remove `encodedCertificate`, " +
    "`certificatePassword`, `data` and `password`; write the PFX into Key Vault as a secret with content type application/x-pkcs12.",
  seedControls: [SEED.secureStorage],
  azureBuiltins: [],
  resourceTypes: [T.apimService, T.applicationGateway],
  validate: (props, args, report) => {
    if (canonicalType(args.type) === T.apimService) {
      asArray(tryGet(props, "hostnameConfigurations")).forEach((entry, index) => {
        if (!isRecord(entry)) return;
        const where = `hostnameConfigurations[${index}]`;
        for (const inline of ["encodedCertificate", "certificatePassword"])
          if (tryGet(entry, inline) !== undefined)
            report(`${where}.${inline} is set: the certificate belongs in Key Vault.`);
        const source = tryGet(entry, "certificateSource");
        if (source !== undefined && source !== UNKNOWN && !ieq(source, "KeyVault")) return;
        checkReference(`${where}.keyVaultId`, tryGet(entry, "keyVaultId"), report);
      });
      return;
    }
    asArray(tryGet(props, "sslCertificates")).forEach((entry, index) => {
      if (!isRecord(entry)) return;
      const where = `sslCertificates[${index}]`;
      for (const inline of ["data", "password"])
        if (tryGet(entry, inline) !== undefined)
          report(`${where}.${inline} is set: the certificate belongs in Key Vault.`);
      checkReference(`${where}.keyVaultSecretId`, tryGet(entry, "keyVaultSecretId"), report);
    });
  },
});
