import type * as pulumi from "@pulumi/pulumi";
import { armResourceId, deterministicGuid, OFFLINE_SUBSCRIPTION_ID } from "./ids";
import { mockOutputs } from "./mock-outputs";
import { GENERATED_SECRET_PREFIX } from "./stack-files";

/** The deployer identity the offline preview pretends to be (getClientConfig answers). */
export interface OfflineIdentity {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly clientId: string;
  readonly objectId: string;
}

export function offlineIdentity(tenantId: string): OfflineIdentity {
  return {
    tenantId,
    subscriptionId: OFFLINE_SUBSCRIPTION_ID,
    clientId: deterministicGuid(`${tenantId}/offline-deployer/client`),
    objectId: deterministicGuid(`${tenantId}/offline-deployer/object`),
  };
}

/**
 * Mock provider answers: ARM-shaped IDs for azure-native resources, Entra-shaped object IDs for
 * azuread, deterministic UUIDs for random, and realistic outputs where other resources read them.
 */
export class OfflineMocks implements pulumi.runtime.Mocks {
  constructor(private readonly identity: OfflineIdentity) {}

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string | undefined;
    state: Record<string, unknown>;
  } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const seed = `${args.type}/${args.name}`;
    const id = this.idFor(args.type, args.name, inputs, seed);
    const azureName = args.type.startsWith("azure-native:") ? id.split("/").pop()! : args.name;
    const state: Record<string, unknown> = { ...inputs, name: inputs["name"] ?? azureName };
    if (args.type === "random:index/randomUuid:RandomUuid") state["result"] = id;
    // A generated secret: deterministic, letters and digits like the real one, never a real value.
    if (args.type === "random:index/randomPassword:RandomPassword")
      state["result"] = `${GENERATED_SECRET_PREFIX}${id.replace(/[^A-Za-z0-9]/g, "")}`.slice(
        0,
        Math.max(GENERATED_SECRET_PREFIX.length + 8, Number(inputs["length"] ?? 32)),
      );
    Object.assign(
      state,
      mockOutputs(args.type, { name: args.name, azureName, id, inputs, tenantId: this.identity.tenantId }),
    );
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case "azure-native:authorization:getClientConfig":
        return { ...this.identity };
      case "azuread:index/getClientConfig:getClientConfig":
        return {
          clientId: this.identity.clientId,
          objectId: this.identity.objectId,
          tenantId: this.identity.tenantId,
        };
      case "azuread:index/getServicePrincipal:getServicePrincipal": {
        // An existing service principal (Microsoft Graph's, looked up by client ID): a stable fake object ID.
        const clientId = String((args.inputs as Record<string, unknown>)["clientId"] ?? "");
        if (!clientId) throw new Error("getServicePrincipal offline: only lookups by clientId are answered");
        const objectId = deterministicGuid(`service-principal/${clientId}`);
        return { clientId, objectId, id: `/servicePrincipals/${objectId}`, appRoles: [], appRoleIds: {} };
      }
      default:
        throw new Error(
          `invoke ${args.token} has no offline answer: add one to tools/offline/mocks.ts (never call live Azure)`,
        );
    }
  }

  private idFor(type: string, name: string, inputs: Record<string, unknown>, seed: string): string {
    if (type.startsWith("azure-native:")) return armResourceId(type, name, inputs);
    if (
      type === "azuread:index/application:Application" ||
      type === "azuread:index/applicationRegistration:ApplicationRegistration"
    ) {
      return `/applications/${deterministicGuid(seed)}`;
    }
    return deterministicGuid(seed);
  }
}
