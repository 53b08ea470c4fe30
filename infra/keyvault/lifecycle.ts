import type { KeyConfig, StackConfig } from "../config/schema";

/**
 * Key and secret lifecycle as pure data: what the vault's keys and secrets look like for a config.
 * Durations are ISO 8601 (`P365D`); the one absolute date, the first key version's expiry, is pinned at
 * creation (see docs/keyvault.md, "The first key version's expiry").
 */

export type VaultSecretConfig = StackConfig["keyVault"]["secrets"][number];

/** Key Vault's own limits on a rotation policy. */
export const KEY_VAULT_MIN_EXPIRY_DAYS = 28;
export const KEY_VAULT_MIN_ROTATION_DAYS = 7;

export function isoDays(days: number): string {
  if (!Number.isInteger(days) || days < 0)
    throw new Error(`a duration in days must be a whole number >= 0, got ${days}`);
  return `P${days}D`;
}

export interface RotationPolicy {
  readonly attributes: { readonly expiryTime: string };
  // Mutable array: azure-native's input type does not accept readonly arrays.
  readonly lifetimeActions: Array<{
    readonly trigger: { readonly timeAfterCreate?: string; readonly timeBeforeExpiry?: string };
    readonly action: { readonly type: "rotate" | "notify" };
  }>;
}

/**
 * Every key version expires `expiryDays` after it is created (`expiryTime`). Rotation is triggered
 * `expiryDays - rotateBeforeExpiryDays` after creation: for a version that carries the policy's
 * expiry that is exactly `rotateBeforeExpiryDays` before it expires, and unlike a `timeBeforeExpiry`
 * trigger it also fires for a version created without an expiry (the first one, created through ARM).
 * Key Vault notifies (Event Grid `KeyNearExpiry`) `rotateBeforeExpiryDays` before expiry.
 */
export function keyRotationPolicy(
  key: Pick<KeyConfig, "name" | "expiryDays" | "rotateBeforeExpiryDays">,
): RotationPolicy {
  const rotateAfter = key.expiryDays - key.rotateBeforeExpiryDays;
  if (key.expiryDays < KEY_VAULT_MIN_EXPIRY_DAYS) {
    throw new Error(
      `key ${key.name}: expiryDays must be at least ${KEY_VAULT_MIN_EXPIRY_DAYS} (Key Vault rotation policy minimum)`,
    );
  }
  if (rotateAfter < KEY_VAULT_MIN_ROTATION_DAYS) {
    throw new Error(
      `key ${key.name}: expiryDays - rotateBeforeExpiryDays = ${rotateAfter}; Key Vault rotates at the earliest ${KEY_VAULT_MIN_ROTATION_DAYS} days after creation`,
    );
  }
  if (key.rotateBeforeExpiryDays < KEY_VAULT_MIN_ROTATION_DAYS) {
    throw new Error(
      `key ${key.name}: rotateBeforeExpiryDays must be at least ${KEY_VAULT_MIN_ROTATION_DAYS} (Key Vault notification minimum)`,
    );
  }
  return {
    attributes: { expiryTime: isoDays(key.expiryDays) },
    lifetimeActions: [
      { trigger: { timeAfterCreate: isoDays(rotateAfter) }, action: { type: "rotate" } },
      { trigger: { timeBeforeExpiry: isoDays(key.rotateBeforeExpiryDays) }, action: { type: "notify" } },
    ],
  };
}

/** Least-privilege key operations: a CMK only wraps and unwraps, a signing key only signs and verifies. */
export function keyOperations(purpose: KeyConfig["purpose"]): readonly string[] {
  return purpose === "encryption" ? ["wrapKey", "unwrapKey"] : ["sign", "verify"];
}

export interface KeyShape {
  readonly kty: "RSA-HSM" | "EC-HSM";
  readonly keySize?: number;
  readonly curveName?: string;
}

export function keyShape(key: KeyConfig): KeyShape {
  if (key.type === "RSA-HSM") {
    if (key.size === undefined) throw new Error(`key ${key.name}: RSA-HSM needs a size`);
    return { kty: "RSA-HSM", keySize: key.size };
  }
  if (key.curve === undefined) throw new Error(`key ${key.name}: EC-HSM needs a curve`);
  return { kty: "EC-HSM", curveName: key.curve };
}

const SECONDS_PER_DAY = 86_400;

/** Midnight UTC of the day `now` falls on, in epoch seconds. */
export function utcDayStart(now: Date): number {
  return Math.floor(now.getTime() / 1000 / SECONDS_PER_DAY) * SECONDS_PER_DAY;
}

/**
 * A secret's expiry (epoch seconds). With an absolute `expiresOn` (YYYY-MM-DD, the date the credential
 * itself must be replaced) the value is fully determined by config. Without one, the expiry is
 * `expiryDays` after the UTC day the secret is first created; the caller pins that value with
 * `ignoreChanges` so it never drifts (docs/keyvault.md).
 */
export function secretExpiry(
  secret: Pick<VaultSecretConfig, "name" | "expiryDays"> & { readonly expiresOn?: string },
  now: Date,
): number {
  if (secret.expiresOn !== undefined) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(secret.expiresOn);
    const epoch = match
      ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 1000
      : Number.NaN;
    if (
      !match ||
      Number.isNaN(epoch) ||
      new Date(epoch * 1000).toISOString().slice(0, 10) !== secret.expiresOn
    ) {
      throw new Error(
        `secret ${secret.name}: expiresOn must be a calendar date YYYY-MM-DD, got "${secret.expiresOn}"`,
      );
    }
    return epoch;
  }
  return utcDayStart(now) + secret.expiryDays * SECONDS_PER_DAY;
}

/**
 * The first key version's expiry (epoch seconds): `expiryDays` after the UTC day it is created, the same
 * validity the rotation policy gives every later version, so "Keys should have the specified maximum
 * validity period" holds from day one. ARM creates a key only if it does not exist and never updates its
 * attributes, so the caller pins the value with `ignoreChanges` (no diff on later runs); rotation
 * (`timeAfterCreate` = expiryDays - rotateBeforeExpiryDays) replaces the version before it expires.
 */
export function firstKeyVersionExpiry(key: Pick<KeyConfig, "name" | "expiryDays">, now: Date): number {
  if (!Number.isInteger(key.expiryDays) || key.expiryDays < KEY_VAULT_MIN_EXPIRY_DAYS)
    throw new Error(`key ${key.name}: expiryDays must be a whole number >= ${KEY_VAULT_MIN_EXPIRY_DAYS}`);
  return utcDayStart(now) + key.expiryDays * SECONDS_PER_DAY;
}

/** Versionless URIs: consumers always read the current version, so rotation needs no redeploy. */
export function versionlessSecretUri(vaultUri: string, secretName: string): string {
  return `${vaultUri.replace(/\/+$/, "")}/secrets/${secretName}`;
}

export function versionlessKeyUri(vaultUri: string, keyName: string): string {
  return `${vaultUri.replace(/\/+$/, "")}/keys/${keyName}`;
}

/**
 * Network ACL bypass: only when a key is a customer-managed key (`encryption`). Storage and Azure
 * Monitor reach a CMK through the "trusted Microsoft services" path, not through the VNet; every
 * other consumer (API Management, Application Gateway, Container Apps) uses the private endpoint.
 */
export function networkAclBypass(keys: readonly Pick<KeyConfig, "purpose">[]): "AzureServices" | "None" {
  return keys.some((key) => key.purpose === "encryption") ? "AzureServices" : "None";
}
