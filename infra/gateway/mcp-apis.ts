import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { createApi } from "./api-entity";
import {
  allowedClientAppIds,
  apiKeySecretNames,
  backendCredentials,
  backendId,
  mcpApiPolicyInput,
  namedValueName,
  type PolicyContext,
} from "./apis";
import type { GatewayArgs, ServiceEntity } from "./args";
import {
  SESSION_KEY_NAMED_VALUE,
  mcpApiSpec,
  mcpResourceUrl,
  referencedNamedValues,
  renderMcpApiPolicy,
  renderPrmOperationPolicy,
  renderWellKnownApiPolicy,
  wellKnownApiSpec,
} from "./policy";
import { assertVersionlessSecretUri } from "./service-settings";

export interface McpApisResult {
  /** Server name -> ARM ID of its API. */
  readonly apiIds: Record<string, pulumi.Output<string>>;
  /** Server name -> ARM ID of its Backend entity. */
  readonly backendIds: Record<string, pulumi.Output<string>>;
  /** Server name -> its MCP endpoint URL. */
  readonly urls: Record<string, string>;
  readonly wellKnownApiId: pulumi.Output<string>;
}

/** Key Vault named values for every `apiKey` backend's secret (by reference, never by value). */
export function createNamedValues(
  parent: pulumi.Resource,
  name: string,
  args: GatewayArgs,
  entity: ServiceEntity,
): Map<string, apimanagement.NamedValue> {
  const namedValues = new Map<string, apimanagement.NamedValue>();
  const references: [string, pulumi.Input<string>][] = [
    [SESSION_KEY_NAMED_VALUE, args.sessionKeySecretUri],
    ...apiKeySecretNames(args.mcpServers).map((secretName): [string, pulumi.Input<string>] => [
      secretName,
      args.namedValueSecrets[secretName]!,
    ]),
  ];
  for (const [secretName, secretUri] of references) {
    const id = namedValueName(secretName);
    const uri = pulumi
      .output(secretUri)
      .apply((value) => assertVersionlessSecretUri(`namedValueSecrets.${secretName}`, value));
    namedValues.set(
      secretName,
      new apimanagement.NamedValue(
        `${name}-nv-${id}`,
        {
          ...entity,
          namedValueId: id,
          displayName: id,
          secret: true,
          keyVault: { secretIdentifier: uri, identityClientId: args.identity.clientId },
        },
        { parent },
      ),
    );
  }
  return namedValues;
}

/**
 * Per MCP server: its Backend entity, its API with the rendered MCP policy and metadata operation; then the
 * anonymous well-known API that serves every server's RFC 9728 metadata.
 */
export function createMcpApis(
  parent: pulumi.Resource,
  name: string,
  args: GatewayArgs,
  entity: ServiceEntity,
  globalPolicy: apimanagement.Policy,
  namedValues: ReadonlyMap<string, apimanagement.NamedValue>,
): McpApisResult {
  const { gateway } = args;
  const context = pulumi
    .all([args.identity.clientId, args.firstPartyClientId, args.contentSafetyEndpoint])
    .apply(([clientId, firstParty, contentSafety]): PolicyContext => ({
      sku: gateway.sku,
      gatewayHostname: gateway.hostname,
      tenantId: args.tenantId,
      scopeValue: args.scopeValue,
      allowedClientAppIds: allowedClientAppIds(args.preAuthorizedClientIds, firstParty),
      gatewayPolicy: args.gatewayPolicy,
      managedIdentityClientId: clientId,
      ...(contentSafety === undefined ? {} : { contentSafetyEndpoint: contentSafety }),
    }));
  const prmPolicy = (server: GatewayArgs["mcpServers"][number]): string =>
    renderPrmOperationPolicy({
      serverName: server.name,
      gatewayHostname: gateway.hostname,
      tenantId: args.tenantId,
      scopeValue: args.scopeValue,
      resourceName: server.displayName,
    });

  const apiIds: Record<string, pulumi.Output<string>> = {};
  const backendIds: Record<string, pulumi.Output<string>> = {};
  const urls: Record<string, string> = {};
  for (const server of args.mcpServers) {
    const endpoint = args.servers[server.name]!;
    const secretName = server.backendAuth.type === "apiKey" ? server.backendAuth.secretName : undefined;
    const keyNamedValue = [
      namedValues.get(SESSION_KEY_NAMED_VALUE)!,
      ...(secretName === undefined ? [] : [namedValues.get(secretName)!]),
    ];
    const credentials = backendCredentials(server);
    const backendUrl = pulumi.output(endpoint.backendUrl).apply((url) => httpsUrl(server.name, url));
    const backend = new apimanagement.Backend(
      `${name}-backend-${server.name}`,
      {
        ...entity,
        backendId: backendId(server.name),
        title: server.displayName,
        description: `MCP server ${server.name}`,
        type: apimanagement.BackendType.Single,
        protocol: apimanagement.BackendProtocol.Http,
        url: backendUrl,
        tls: { validateCertificateChain: true, validateCertificateName: true },
        ...(credentials === undefined ? {} : { credentials }),
      },
      { parent, dependsOn: keyNamedValue },
    );
    backendIds[server.name] = backend.id;

    const policy = pulumi
      .all([context, endpoint.apiClientId, endpoint.backendAudience])
      .apply(([ctx, apiClientId, backendAudience]) => {
        const input = mcpApiPolicyInput(
          server,
          { apiClientId, ...(backendAudience === undefined ? {} : { backendAudience }) },
          ctx,
        );
        const missing = referencedNamedValues(input).filter((nv) => !namedValues.has(nv));
        if (missing.length > 0)
          throw new Error(`policy of ${server.name} references unknown named values: ${missing}`);
        return renderMcpApiPolicy(input);
      });
    const api = createApi(parent, name, entity, mcpApiSpec(server.name, server.displayName), {
      serviceUrl: backendUrl,
      description: `MCP server ${server.displayName}: Streamable HTTP (POST/GET/DELETE) behind Entra ID token validation`,
      apiPolicy: policy,
      operationPolicy: prmPolicy(server),
      policyDependsOn: [globalPolicy, backend, ...keyNamedValue],
    });
    apiIds[server.name] = api.id;
    urls[server.name] = mcpResourceUrl(gateway.hostname, server.name);
  }

  const prmByOperation = new Map(args.mcpServers.map((server) => [`prm-${server.name}`, prmPolicy(server)]));
  const wellKnown = createApi(parent, name, entity, wellKnownApiSpec(args.mcpServers.map((s) => s.name)), {
    description: "RFC 9728 Protected Resource Metadata of every MCP server; anonymous by design",
    apiPolicy: pulumi.output(renderWellKnownApiPolicy()),
    operationPolicy: (operation) => prmByOperation.get(operation)!,
    policyDependsOn: [globalPolicy],
  });
  return { apiIds, backendIds, urls, wellKnownApiId: wellKnown.id };
}

function httpsUrl(serverName: string, url: string): string {
  if (!/^https:\/\/[^/\s]+/i.test(url)) {
    throw new Error(`backendUrl of ${serverName} must be an https:// URL (got "${url}")`);
  }
  return url;
}
