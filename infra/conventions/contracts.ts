import type * as pulumi from "@pulumi/pulumi";

/**
 * Shapes that components exchange through `infra/index.ts` (components never import each other).
 */

/** A resource that should send its logs to the workspace; the monitoring component attaches the setting. */
export interface DiagnosticTarget {
  /** Logical name, unique in the stack, used to name the diagnostic setting resource. */
  readonly name: string;
  /** azure-native type token of the target (selects the log categories). */
  readonly type: string;
  readonly resourceId: pulumi.Input<string>;
}

/** A private endpoint a component needs: the network component owns the subnet and DNS zones. */
export interface PrivateDnsZoneRef {
  readonly zoneName: string;
  readonly zoneId: pulumi.Input<string>;
}

/** A principal to be granted an Azure RBAC role (managed identities, service principals). */
export interface PrincipalGrant {
  /** Logical name, unique per grant, used to name the role assignment resource. */
  readonly name: string;
  readonly principalId: pulumi.Input<string>;
  readonly principalType: "ServicePrincipal" | "User" | "Group";
}
