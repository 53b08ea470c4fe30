import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as network from "@pulumi/azure-native/network";
import * as time from "@pulumiverse/time";
import * as random from "@pulumi/random";
import type { KeyConfig, StackConfig } from "../config/schema";
import type { DiagnosticTarget, PrincipalGrant, PrivateDnsZoneRef } from "../conventions/contracts";
import { resourceName, type NamingContext } from "../conventions/naming";
import type { StandardTags } from "../conventions/tags";
import { stableUuid } from "../conventions/uuid";
import {
  checkReaders,
  existingSecretScope,
  PFX_CONTENT_TYPE,
  RBAC_PROPAGATION_WAIT,
  type VaultCertificateArgs,
} from "./certificate";
import {
  keyOperations,
  keyRotationPolicy,
  keyShape,
  networkAclBypass,
  firstKeyVersionExpiry,
  secretExpiry,
  versionlessSecretUri,
} from "./lifecycle";
import {
  KEY_VAULT_ROLES,
  plannedRoleAssignments,
  roleDefinitionIdFor,
  type KeyVaultGrants,
  type PlannedRoleAssignment,
} from "./roles";

export * from "./certificate";
export * from "./lifecycle";
export * from "./roles";

export interface KeyVaultArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
  /** `config.keyVault`: SKU, retention, keys, secrets, Managed HSM option (validated: premium, HSM keys only). */
  readonly keyVault: StackConfig["keyVault"];
  readonly tenantId: string;
  /** The network component's private-endpoint subnet. */
  readonly privateEndpointSubnetId: pulumi.Input<string>;
  /** `privatelink.vaultcore.azure.net`, linked to the VNet. */
  readonly vaultDnsZone: PrivateDnsZoneRef;
  /** `privatelink.managedhsm.azure.net`; required when `keyVault.managedHsm` is on. */
  readonly managedHsmDnsZone?: PrivateDnsZoneRef;
  /** Secret name -> value, read with `config.requireSecret` (`readVaultSecretValues`); every value must be a secret Output. */
  readonly secretValues: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * Secret name -> absolute expiry date (YYYY-MM-DD) of the credential. Deterministic and tracks
   * rotation; secrets without one expire `expiryDays` after first creation (docs/keyvault.md).
   */
  readonly secretExpiresOn?: Readonly<Record<string, string>>;
  /** `config.gateway.tlsCertificate`: the PFX to write (or the existing secret) and who reads it. */
  readonly certificate: VaultCertificateArgs;
  readonly grants: KeyVaultGrants;
  /**
   * Secrets no person ever sees: generated here (letters and digits, so they are safe inside a policy
   * expression's string literal), kept in Pulumi state only as secrets, granted like any other secret.
   */
  readonly generatedSecrets?: readonly GeneratedSecretArgs[];
  /** `config.features.protectStatefulResources`: `protect` on the vault, its keys and the Managed HSM. */
  readonly protect: boolean;
  /** `config.features.resourceLocks`: a CanNotDelete lock on the vault (and the Managed HSM). */
  readonly lock: boolean;
  /** Initial administrators of the Managed HSM (object IDs); required when `keyVault.managedHsm` is on. */
  readonly managedHsmAdministrators?: readonly pulumi.Input<string>[];
}

export interface GeneratedSecretArgs {
  readonly name: string;
  /** Characters; 64 letters and digits carry about 380 bits. */
  readonly length: number;
  /** Days from creation to expiry (pinned at creation; rotate by replacing the generator). */
  readonly expiryDays: number;
}

export interface VaultKeyRef {
  readonly name: string;
  readonly purpose: KeyConfig["purpose"];
  /** ARM resource ID (the scope of per-key role assignments). */
  readonly id: pulumi.Output<string>;
  /** `https://<vault>.vault.azure.net/keys/<name>`: consumers follow rotation automatically. */
  readonly keyUri: pulumi.Output<string>;
}

/**
 * The environment's Key Vault: premium (HSM-backed keys), RBAC only, purge-protected, reachable only
 * through its private endpoint. Holds the HSM keys and the secrets named in config; hands out
 * versionless references and grants RBAC on exactly the object each consumer needs.
 */
export class KeyVault extends pulumi.ComponentResource {
  readonly vaultId: pulumi.Output<string>;
  readonly vaultName: pulumi.Output<string>;
  /** `https://<vault>.vault.azure.net/` */
  readonly vaultUri: pulumi.Output<string>;
  readonly keys: Readonly<Record<string, VaultKeyRef>>;
  /** Secret name -> versionless secret URI (a reference, never the value). */
  readonly secretUris: Readonly<Record<string, pulumi.Output<string>>>;
  /** Secret name -> ARM resource ID (per-secret RBAC scope). */
  readonly secretIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Versionless secret URI of the TLS certificate (written by this stack or named in config). */
  readonly certificateSecretUri: pulumi.Output<string>;
  /**
   * Depend on these before reading the certificate: the certificate secret, its read grants and the
   * wait for their propagation (`RBAC_PROPAGATION_WAIT`).
   */
  readonly certificateReady: readonly pulumi.Resource[];
  readonly privateEndpointId: pulumi.Output<string>;
  readonly managedHsmId: pulumi.Output<string> | undefined;
  readonly diagnosticTargets: readonly DiagnosticTarget[];

  constructor(name: string, args: KeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:keyvault:KeyVault", name, {}, opts);
    const parent = { parent: this };
    const stateful = { parent: this, protect: args.protect };
    const { naming, tags, resourceGroupName, location, keyVault: config } = args;

    // Validate wiring before declaring anything: a grant on a missing key fails the preview, not the deployment.
    const generated = args.generatedSecrets ?? [];
    const clash = generated.find((secret) => config.secrets.some((s) => s.name === secret.name));
    if (clash !== undefined) throw new Error(`generated secret ${clash.name} clashes with keyVault.secrets`);
    const assignments = plannedRoleAssignments(args.grants, config.keys, [...config.secrets, ...generated]);
    for (const secret of config.secrets) {
      if (!(secret.name in args.secretValues))
        throw new Error(`keyVault.secrets: no value was passed for secret ${secret.name}`);
    }
    if (
      config.managedHsm &&
      (!args.managedHsmDnsZone || (args.managedHsmAdministrators ?? []).length === 0)
    ) {
      throw new Error(
        "keyVault.managedHsm needs managedHsmDnsZone and at least one managedHsmAdministrators object ID",
      );
    }

    const vaultName = resourceName("keyVault", naming);
    const vault = new keyvault.Vault(
      "vault",
      {
        resourceGroupName,
        location,
        vaultName,
        properties: {
          tenantId: args.tenantId,
          sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Premium },
          // RBAC only: no access policies, so every permission is an auditable role assignment.
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: config.softDeleteRetentionDays,
          enablePurgeProtection: true,
          publicNetworkAccess: "Disabled",
          networkAcls: {
            defaultAction: keyvault.NetworkRuleAction.Deny,
            bypass: networkAclBypass(config.keys),
            ipRules: [],
            virtualNetworkRules: [],
          },
          enabledForDeployment: false,
          enabledForDiskEncryption: false,
          enabledForTemplateDeployment: false,
        },
        tags,
      },
      stateful,
    );
    this.vaultId = vault.id;
    this.vaultName = vault.name;
    this.vaultUri = vault.properties.apply(
      (properties) => properties.vaultUri ?? `https://${vaultName}.vault.azure.net/`,
    );

    this.privateEndpointId = this.privateEndpoint("vault", vault.id, "vault", args.vaultDnsZone, args);

    const now = new Date();
    const keys: Record<string, VaultKeyRef> = {};
    for (const key of config.keys) {
      const shape = keyShape(key);
      const resource = new keyvault.Key(
        `key-${key.name}`,
        {
          resourceGroupName,
          vaultName: vault.name,
          keyName: key.name,
          properties: {
            kty: shape.kty,
            ...(shape.keySize !== undefined ? { keySize: shape.keySize } : {}),
            ...(shape.curveName !== undefined ? { curveName: shape.curveName } : {}),
            keyOps: [...keyOperations(key.purpose)],
            attributes: { enabled: true, expires: firstKeyVersionExpiry(key, now) },
            rotationPolicy: keyRotationPolicy(key),
          },
          tags: { ...tags, purpose: key.purpose },
        },
        // Pinned at creation: ARM never updates an existing key, and recomputing from the clock would diff daily.
        { ...stateful, ignoreChanges: ["properties.attributes.expires"] },
      );
      keys[key.name] = { name: key.name, purpose: key.purpose, id: resource.id, keyUri: resource.keyUri };
    }
    this.keys = keys;

    const secretUris: Record<string, pulumi.Output<string>> = {};
    const secretIds: Record<string, pulumi.Output<string>> = {};
    for (const secret of config.secrets) {
      const expiresOn = args.secretExpiresOn?.[secret.name];
      const value = args.secretValues[secret.name]!;
      const resource = new keyvault.Secret(
        `secret-${secret.name}`,
        {
          resourceGroupName,
          vaultName: vault.name,
          secretName: secret.name,
          properties: {
            // pulumi.secret keeps the envelope even if a caller passed a plain Output by mistake.
            value: pulumi.secret(value),
            contentType: secret.contentType,
            attributes: {
              enabled: true,
              expires: secretExpiry(
                { name: secret.name, expiryDays: secret.expiryDays, ...(expiresOn ? { expiresOn } : {}) },
                now,
              ),
            },
          },
          tags,
        },
        // A relative expiry is pinned at creation: recomputing it from the clock would rewrite the secret daily.
        expiresOn === undefined ? { ...parent, ignoreChanges: ["properties.attributes.expires"] } : parent,
      );
      secretIds[secret.name] = resource.id;
      secretUris[secret.name] = this.vaultUri.apply((uri) => versionlessSecretUri(uri, secret.name));
    }
    for (const secret of generated) {
      const value = new random.RandomPassword(
        `secret-${secret.name}-value`,
        { length: secret.length, special: false },
        parent,
      );
      const resource = new keyvault.Secret(
        `secret-${secret.name}`,
        {
          resourceGroupName,
          vaultName: vault.name,
          secretName: secret.name,
          properties: {
            value: pulumi.secret(value.result),
            contentType: "text/plain",
            attributes: {
              enabled: true,
              expires: secretExpiry({ name: secret.name, expiryDays: secret.expiryDays }, now),
            },
          },
          tags,
        },
        { ...parent, ignoreChanges: ["properties.attributes.expires"] },
      );
      secretIds[secret.name] = resource.id;
      secretUris[secret.name] = this.vaultUri.apply((uri) => versionlessSecretUri(uri, secret.name));
    }
    this.secretUris = secretUris;
    this.secretIds = secretIds;
    const certificate = this.certificate(args, now);
    this.certificateSecretUri = certificate.secretUri;
    this.certificateReady = certificate.ready;

    for (const assignment of assignments) this.roleAssignment(assignment, vault.id, keys, secretIds);

    if (args.lock) {
      new authorization.ManagementLockByScope(
        "vault-lock",
        {
          scope: vault.id,
          lockName: resourceName("managementLock", naming, "key-vault"),
          level: authorization.LockLevel.CanNotDelete,
          notes:
            "Holds the customer-managed and signing keys; deleting it would make encrypted data unreadable.",
        },
        parent,
      );
    }

    const diagnosticTargets: DiagnosticTarget[] = [
      { name: "key-vault", type: "azure-native:keyvault:Vault", resourceId: vault.id },
    ];
    this.managedHsmId = config.managedHsm ? this.managedHsm(args, diagnosticTargets) : undefined;
    this.diagnosticTargets = diagnosticTargets;

    this.registerOutputs({
      vaultId: this.vaultId,
      vaultUri: this.vaultUri,
      secretUris: this.secretUris,
      certificateSecretUri: this.certificateSecretUri,
    });
  }

  /**
   * The certificate secret (source `pfx`: written through ARM, so no data-plane path is needed) and a
   * Key Vault Secrets User grant per reader on exactly that secret, then a wait for the grants to
   * propagate. The wait is replaced (and waits again) whenever a grant is.
   */
  private certificate(
    args: KeyVaultArgs,
    now: Date,
  ): { secretUri: pulumi.Output<string>; ready: pulumi.Resource[] } {
    const { source, readers } = args.certificate;
    checkReaders(readers);
    let scope: pulumi.Output<string>;
    let secretUri: pulumi.Output<string>;
    const ready: pulumi.Resource[] = [];
    if (source.kind === "pfx") {
      const secret = new keyvault.Secret(
        "certificate",
        {
          resourceGroupName: args.resourceGroupName,
          vaultName: this.vaultName,
          secretName: source.secretName,
          properties: {
            // The PFX is the secret value; pulumi.secret keeps it encrypted in state and masked in plans.
            value: pulumi.secret(source.value),
            // The content type under which API Management and Application Gateway accept a secret as a certificate.
            contentType: PFX_CONTENT_TYPE,
            attributes: {
              enabled: true,
              expires: secretExpiry(
                { name: source.secretName, expiryDays: 1, expiresOn: source.expiresOn },
                now,
              ),
            },
          },
          tags: { ...args.tags, purpose: "tls-certificate" },
        },
        { parent: this },
      );
      ready.push(secret);
      scope = secret.id;
      secretUri = this.vaultUri.apply((uri) => versionlessSecretUri(uri, source.secretName));
    } else {
      scope = pulumi.output(existingSecretScope(source));
      secretUri = pulumi.output(source.secretUri.replace(/\/+$/, ""));
    }
    const grants = readers.map(
      (reader) =>
        new authorization.RoleAssignment(
          `kv-${reader.name}-certificate-reader`,
          {
            scope,
            principalId: reader.principalId,
            principalType: reader.principalType,
            roleDefinitionId: scope.apply((id) => roleDefinitionIdFor(id, KEY_VAULT_ROLES.secretsUser)),
            roleAssignmentName: pulumi
              .all([scope, reader.principalId])
              .apply(([scopeId, principalId]) =>
                stableUuid([
                  "role-assignment",
                  scopeId.toLowerCase(),
                  principalId.toLowerCase(),
                  KEY_VAULT_ROLES.secretsUser,
                ]),
              ),
            description: `${reader.name}: reads the TLS certificate secret (nothing else in the vault)`,
          },
          { parent: this, dependsOn: ready.slice() },
        ),
    );
    ready.push(...grants);
    if (grants.length > 0) {
      ready.push(
        new time.Sleep(
          "certificate-rbac-propagation",
          {
            createDuration: RBAC_PROPAGATION_WAIT,
            // A replaced grant (new identity, new scope) replaces the wait, so the consumers wait again.
            triggers: pulumi
              .all(grants.map((grant) => grant.id))
              .apply((ids) => ({ grants: [...ids].sort().join(",") })),
          },
          { parent: this, dependsOn: grants },
        ),
      );
    }
    return { secretUri, ready };
  }

  private privateEndpoint(
    purpose: string,
    targetId: pulumi.Input<string>,
    groupId: string,
    zone: PrivateDnsZoneRef,
    args: KeyVaultArgs,
  ): pulumi.Output<string> {
    const peName = resourceName("privateEndpoint", args.naming, purpose === "vault" ? "key-vault" : purpose);
    const endpoint = new network.PrivateEndpoint(
      `${purpose}-pe`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        privateEndpointName: peName,
        subnet: { id: args.privateEndpointSubnetId },
        privateLinkServiceConnections: [
          { name: peName, privateLinkServiceId: targetId, groupIds: [groupId] },
        ],
        tags: args.tags,
      },
      { parent: this },
    );
    new network.PrivateDnsZoneGroup(
      `${purpose}-pe-dns`,
      {
        resourceGroupName: args.resourceGroupName,
        // The endpoint's name output (not the string) records the dependency the policy pack and engine follow.
        privateEndpointName: endpoint.name,
        privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: [{ name: zone.zoneName.replace(/\./g, "-"), privateDnsZoneId: zone.zoneId }],
      },
      { parent: this },
    );
    return endpoint.id;
  }

  private roleAssignment(
    assignment: PlannedRoleAssignment,
    vaultId: pulumi.Output<string>,
    keys: Readonly<Record<string, VaultKeyRef>>,
    secretIds: Readonly<Record<string, pulumi.Output<string>>>,
  ): void {
    const scope =
      assignment.scope.kind === "vault"
        ? vaultId
        : assignment.scope.kind === "key"
          ? keys[assignment.scope.name]!.id
          : secretIds[assignment.scope.name]!;
    const roleGuid = KEY_VAULT_ROLES[assignment.role];
    const grant: PrincipalGrant = assignment.grant;
    new authorization.RoleAssignment(
      `kv-${assignment.name}`,
      {
        scope,
        principalId: grant.principalId,
        principalType: grant.principalType,
        roleDefinitionId: scope.apply((id) => roleDefinitionIdFor(id, roleGuid)),
        // Same scope, principal and role -> same name on every run: no replace churn, no duplicates.
        roleAssignmentName: pulumi
          .all([scope, grant.principalId])
          .apply(([scopeId, principalId]) =>
            stableUuid(["role-assignment", scopeId.toLowerCase(), principalId.toLowerCase(), roleGuid]),
          ),
        description: `${grant.name}: ${assignment.role} on ${assignment.scope.kind === "vault" ? "the vault" : `${assignment.scope.kind} ${assignment.scope.name}`}`,
      },
      { parent: this },
    );
  }

  /**
   * Optional Managed HSM (FIPS 140-3 Level 3, single tenant). Unusable until activated by downloading
   * its security domain (docs/keyvault.md); its keys are created on the data plane after activation.
   */
  private managedHsm(args: KeyVaultArgs, diagnosticTargets: DiagnosticTarget[]): pulumi.Output<string> {
    const hsm = new keyvault.ManagedHsm(
      "managed-hsm",
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        name: resourceName("managedHsm", args.naming),
        sku: { family: keyvault.ManagedHsmSkuFamily.B, name: keyvault.ManagedHsmSkuName.Standard_B1 },
        properties: {
          tenantId: args.tenantId,
          initialAdminObjectIds: [...(args.managedHsmAdministrators ?? [])],
          enableSoftDelete: true,
          softDeleteRetentionInDays: args.keyVault.softDeleteRetentionDays,
          enablePurgeProtection: true,
          publicNetworkAccess: keyvault.PublicNetworkAccess.Disabled,
          networkAcls: {
            defaultAction: keyvault.NetworkRuleAction.Deny,
            bypass: networkAclBypass(args.keyVault.keys),
            ipRules: [],
            virtualNetworkRules: [],
          },
        },
        tags: args.tags,
      },
      { parent: this, protect: args.protect },
    );
    this.privateEndpoint("managed-hsm", hsm.id, "managedhsm", args.managedHsmDnsZone!, args);
    if (args.lock) {
      new authorization.ManagementLockByScope(
        "managed-hsm-lock",
        {
          scope: hsm.id,
          lockName: resourceName("managementLock", args.naming, "managed-hsm"),
          level: authorization.LockLevel.CanNotDelete,
          notes: "Holds HSM keys; its security domain cannot be recreated.",
        },
        { parent: this },
      );
    }
    diagnosticTargets.push({
      name: "managed-hsm",
      type: "azure-native:keyvault:ManagedHsm",
      resourceId: hsm.id,
    });
    return hsm.id;
  }
}
