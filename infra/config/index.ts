import * as pulumi from "@pulumi/pulumi";
import * as pulumiRuntimeConfig from "@pulumi/pulumi/runtime/config";
import { ConfigValidationError, parseStackConfig } from "./parse";
import type { StackConfig, TlsCertificateConfig } from "./schema";

export * from "./schema";
export * from "./parse";
export * from "./cidr";
export * from "./regions";
export * from "./placement";

// `isConfigSecret` is exported by the runtime module but missing from its type declarations.
const runtimeConfig = pulumiRuntimeConfig as unknown as { isConfigSecret(key: string): boolean };

/**
 * Reads the stack's Pulumi config, validates all of it, and returns a frozen typed object.
 * Throws `pulumi.RunError` (a clean message, no stack trace) listing every problem at once.
 */
export function loadStackConfig(): StackConfig {
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter((key) => runtimeConfig.isConfigSecret(key)));
  const result = parseStackConfig({ values, secretKeys });
  if (!result.ok) {
    throw new pulumi.RunError(new ConfigValidationError(result.problems).message);
  }
  return result.config;
}

/** The alert webhook URL, when config names one, read only as a Pulumi secret. */
export function readAlertWebhookUrl(config: StackConfig): pulumi.Output<string> | undefined {
  const key = config.monitoring.alertWebhookSecretKey;
  return key === undefined ? undefined : new pulumi.Config().requireSecret(key);
}

/** Values of the Key Vault secrets named in config, read only as Pulumi secrets. */
export function readVaultSecretValues(config: StackConfig): Readonly<Record<string, pulumi.Output<string>>> {
  const projectConfig = new pulumi.Config();
  return Object.fromEntries(
    config.keyVault.secrets.map((secret) => [secret.name, projectConfig.requireSecret(secret.configKey)]),
  );
}

/** The base64 PFX of `gateway.tlsCertificate` (source `pfxConfig`), read only as a Pulumi secret. */
export function readTlsCertificatePfx(
  certificate: Extract<TlsCertificateConfig, { source: "pfxConfig" }>,
): pulumi.Output<string> {
  return new pulumi.Config().requireSecret(certificate.configKey);
}
