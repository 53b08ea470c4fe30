import type { PrincipalGrant } from "../conventions/contracts";
import type { KeyConfig } from "../config/schema";
import type { VaultSecretConfig } from "./lifecycle";

/** Built-in Key Vault data-plane roles (Azure built-in role definition GUIDs, the same in every tenant). */
export const KEY_VAULT_ROLES = {
  /** Read secret contents. */
  secretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  /** Any action on secrets except managing permissions. */
  secretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  /** Read certificate contents (through the certificate's secret); no plain secrets. */
  certificateUser: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
  /** Any action on certificates except managing permissions. */
  certificatesOfficer: "a4417e6f-fecd-4de8-b567-7b0420556985",
  /** Read key metadata and wrap/unwrap: what a customer-managed-key consumer needs. */
  cryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  /** Cryptographic operations with keys (sign/verify). */
  cryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  /** Any action on keys except managing permissions. */
  cryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
} as const;

export type KeyVaultRole = keyof typeof KEY_VAULT_ROLES;

export interface SecretGrant extends PrincipalGrant {
  /** Secrets the principal may read; omitted = every secret in the vault (avoid). */
  readonly secretNames?: readonly string[];
}

export interface KeyGrant extends PrincipalGrant {
  readonly keyNames: readonly string[];
}

export interface KeyVaultGrants {
  /** Key Vault Secrets User, on exactly the named secrets (or the vault when no names are given). */
  readonly secretsUsers?: readonly SecretGrant[];
  /** Key Vault Crypto Service Encryption User on each named `encryption` key (CMK consumers). */
  readonly cryptoUsers?: readonly KeyGrant[];
  /** Key Vault Crypto User on each named `signing` key. */
  readonly signingUsers?: readonly KeyGrant[];
  /** Key Vault Certificate User at vault scope: reads certificates (the edge and gateway TLS certificate), never plain secrets. */
  readonly certificateUsers?: readonly PrincipalGrant[];
  /** Break-glass operators: Crypto Officer, Secrets Officer and Certificates Officer at vault scope (certificate import, manual rotation). */
  readonly operators?: readonly PrincipalGrant[];
}

export type GrantScope =
  | { readonly kind: "vault" }
  | { readonly kind: "key"; readonly name: string }
  | { readonly kind: "secret"; readonly name: string };

export interface PlannedRoleAssignment {
  /** Logical resource name suffix, unique in the vault. */
  readonly name: string;
  readonly role: KeyVaultRole;
  readonly scope: GrantScope;
  readonly grant: PrincipalGrant;
}

/**
 * The role assignments that grants turn into, validated against the vault's keys and secrets: a
 * grant on a key or secret that does not exist, or a CMK grant on a signing key, is an error.
 */
export function plannedRoleAssignments(
  grants: KeyVaultGrants,
  keys: readonly Pick<KeyConfig, "name" | "purpose">[],
  secrets: readonly Pick<VaultSecretConfig, "name">[],
): PlannedRoleAssignment[] {
  const planned: PlannedRoleAssignment[] = [];
  const keyPurpose = new Map(keys.map((key) => [key.name, key.purpose]));
  const secretNames = new Set(secrets.map((secret) => secret.name));
  const requireKey = (grant: PrincipalGrant, name: string, purpose: KeyConfig["purpose"]): void => {
    const actual = keyPurpose.get(name);
    if (actual === undefined) throw new Error(`grant ${grant.name}: key ${name} is not in keyVault.keys`);
    if (actual !== purpose)
      throw new Error(`grant ${grant.name}: key ${name} is a ${actual} key, not ${purpose}`);
  };

  for (const grant of grants.secretsUsers ?? []) {
    if (grant.secretNames === undefined) {
      planned.push({
        name: `${grant.name}-secrets-user`,
        role: "secretsUser",
        scope: { kind: "vault" },
        grant,
      });
      continue;
    }
    for (const secret of grant.secretNames) {
      if (!secretNames.has(secret))
        throw new Error(`grant ${grant.name}: secret ${secret} is not in keyVault.secrets`);
      planned.push({
        name: `${grant.name}-secrets-user-${secret}`,
        role: "secretsUser",
        scope: { kind: "secret", name: secret },
        grant,
      });
    }
  }
  for (const grant of grants.cryptoUsers ?? []) {
    for (const key of grant.keyNames) {
      requireKey(grant, key, "encryption");
      planned.push({
        name: `${grant.name}-crypto-encryption-${key}`,
        role: "cryptoServiceEncryptionUser",
        scope: { kind: "key", name: key },
        grant,
      });
    }
  }
  for (const grant of grants.signingUsers ?? []) {
    for (const key of grant.keyNames) {
      requireKey(grant, key, "signing");
      planned.push({
        name: `${grant.name}-crypto-user-${key}`,
        role: "cryptoUser",
        scope: { kind: "key", name: key },
        grant,
      });
    }
  }
  for (const grant of grants.certificateUsers ?? []) {
    planned.push({
      name: `${grant.name}-certificate-user`,
      role: "certificateUser",
      scope: { kind: "vault" },
      grant,
    });
  }
  for (const grant of grants.operators ?? []) {
    for (const role of ["cryptoOfficer", "secretsOfficer", "certificatesOfficer"] as const) {
      planned.push({
        name: `${grant.name}-${role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        role,
        scope: { kind: "vault" },
        grant,
      });
    }
  }
  const names = new Set<string>();
  for (const assignment of planned) {
    if (names.has(assignment.name))
      throw new Error(`role assignment ${assignment.name} is planned twice (grant names must be unique)`);
    names.add(assignment.name);
  }
  return planned;
}

/** `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>` for a scope inside that subscription. */
export function roleDefinitionIdFor(scopeId: string, roleGuid: string): string {
  const match = /^\/subscriptions\/([0-9a-fA-F-]{36})(\/|$)/.exec(scopeId);
  if (!match) throw new Error(`"${scopeId}" is not a scope inside a subscription`);
  return `/subscriptions/${match[1]}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}
