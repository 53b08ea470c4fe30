import type * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import type { ServiceEntity } from "./args";
import { type ApiSpec, POLICY_FORMAT } from "./policy";

export interface ApiOptions {
  readonly serviceUrl?: pulumi.Input<string>;
  readonly description: string;
  readonly apiPolicy: pulumi.Input<string>;
  readonly operationPolicy: string | ((operationName: string) => string);
  readonly policyDependsOn: pulumi.Resource[];
}

/** One API with its operations, its API-scope policy and the metadata operations' policies. */
export function createApi(
  parent: pulumi.Resource,
  name: string,
  entity: ServiceEntity,
  spec: ApiSpec,
  options: ApiOptions,
): apimanagement.Api {
  const api = new apimanagement.Api(
    `${name}-api-${spec.name}`,
    {
      ...entity,
      apiId: spec.name,
      displayName: spec.displayName,
      description: options.description,
      path: spec.path,
      apiType: apimanagement.ApiType.Http,
      protocols: [apimanagement.Protocol.Https],
      // Callers are identified by their Entra token; a subscription key would be a shared secret.
      subscriptionRequired: false,
      isCurrent: true,
      ...(options.serviceUrl === undefined ? {} : { serviceUrl: options.serviceUrl }),
    },
    { parent },
  );
  new apimanagement.ApiPolicy(
    `${name}-api-${spec.name}-policy`,
    { ...entity, apiId: api.name, policyId: "policy", format: POLICY_FORMAT, value: options.apiPolicy },
    { parent, dependsOn: options.policyDependsOn },
  );
  for (const operation of spec.operations) {
    const op = new apimanagement.ApiOperation(
      `${name}-api-${spec.name}-op-${operation.name}`,
      {
        ...entity,
        apiId: api.name,
        operationId: operation.name,
        displayName: operation.displayName,
        method: operation.method,
        urlTemplate: operation.urlTemplate,
      },
      { parent },
    );
    if (operation.policy !== "protectedResourceMetadata") continue;
    const value =
      typeof options.operationPolicy === "string"
        ? options.operationPolicy
        : options.operationPolicy(operation.name);
    new apimanagement.ApiOperationPolicy(
      `${name}-api-${spec.name}-op-${operation.name}-policy`,
      { ...entity, apiId: api.name, operationId: op.name, policyId: "policy", format: POLICY_FORMAT, value },
      { parent, dependsOn: options.policyDependsOn },
    );
  }
  return api;
}
