import { deterministicGuid, OFFLINE_SUBSCRIPTION_ID } from "./ids";

/**
 * Realistic outputs for the resource types whose outputs other resources read (URIs, principal and
 * client IDs, host names), so that cross-resource references in the plan point at the right thing.
 * Everything is derived from the inputs and the resource's identity: deterministic across runs.
 */
type Outputs = Record<string, unknown>;
type OutputFactory = (ctx: {
  name: string;
  azureName: string;
  id: string;
  inputs: Outputs;
  tenantId: string;
}) => Outputs;

const identityOutputs = (seed: string, tenantId: string): Outputs => ({
  principalId: deterministicGuid(`${seed}/principal`),
  clientId: deterministicGuid(`${seed}/client`),
  tenantId,
});

function withSystemIdentity(inputs: Outputs, seed: string, tenantId: string): Outputs {
  const identity = inputs["identity"] as { type?: string } | undefined;
  if (!identity || typeof identity.type !== "string" || !/SystemAssigned/i.test(identity.type)) return {};
  return { identity: { ...identity, principalId: deterministicGuid(`${seed}/system-principal`), tenantId } };
}

const OUTPUTS: Readonly<Record<string, OutputFactory>> = {
  "azure-native:keyvault:Vault": ({ azureName, inputs }) => ({
    properties: { ...(inputs["properties"] as Outputs), vaultUri: `https://${azureName}.vault.azure.net/` },
  }),
  "azure-native:keyvault:Key": ({ azureName, id, inputs }) => {
    const vault = String(inputs["vaultName"]);
    const keyUri = `https://${vault}.vault.azure.net/keys/${azureName}`;
    const version = deterministicGuid(id).replace(/-/g, "");
    return {
      keyUri,
      keyUriWithVersion: `${keyUri}/${version}`,
      properties: { ...(inputs["properties"] as Outputs), keyUri },
    };
  },
  "azure-native:keyvault:Secret": ({ azureName, id, inputs }) => {
    const vault = String(inputs["vaultName"]);
    const secretUri = `https://${vault}.vault.azure.net/secrets/${azureName}`;
    const version = deterministicGuid(id).replace(/-/g, "");
    return {
      properties: {
        ...(inputs["properties"] as Outputs),
        secretUri,
        secretUriWithVersion: `${secretUri}/${version}`,
      },
    };
  },
  "azure-native:managedidentity:UserAssignedIdentity": ({ id, tenantId }) => identityOutputs(id, tenantId),
  "azure-native:apimanagement:ApiManagementService": ({ azureName, id, inputs, tenantId }) => ({
    gatewayUrl: `https://${azureName}.azure-api.net`,
    developerPortalUrl: `https://${azureName}.developer.azure-api.net`,
    managementApiUrl: `https://${azureName}.management.azure-api.net`,
    privateIPAddresses: ["10.0.0.4"],
    ...withSystemIdentity(inputs, id, tenantId),
  }),
  "azure-native:operationalinsights:Workspace": ({ id }) => ({
    customerId: deterministicGuid(`${id}/customer`),
  }),
  "azure-native:applicationinsights:Component": ({ id, inputs }) => {
    const key = deterministicGuid(`${id}/ikey`);
    const region = String(inputs["location"] ?? "westeurope");
    return {
      appId: deterministicGuid(`${id}/app`),
      instrumentationKey: key,
      connectionString: `InstrumentationKey=${key};IngestionEndpoint=https://${region}-0.in.applicationinsights.azure.com/`,
    };
  },
  "azure-native:network:PublicIPAddress": ({ id }) => {
    const octet = parseInt(deterministicGuid(id).slice(0, 2), 16);
    return { ipAddress: `20.50.${octet}.10` };
  },
  "azure-native:network:PrivateEndpoint": ({ azureName, id }) => ({
    networkInterfaces: [
      {
        id: `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/providers/Microsoft.Network/networkInterfaces/${azureName}.nic`,
      },
    ],
    // The address Azure gives the endpoint in its subnet (what DNS records point at).
    customDnsConfigs: [
      {
        fqdn: `${azureName}.privatelink.offline`,
        ipAddresses: [`10.0.2.${(parseInt(deterministicGuid(id).slice(0, 2), 16) % 200) + 10}`],
      },
    ],
  }),
  "azure-native:app:ManagedEnvironment": ({ azureName, inputs, id }) => ({
    defaultDomain: `${azureName}.${String(inputs["location"] ?? "westeurope")}.azurecontainerapps.io`,
    staticIp: `10.0.4.${(parseInt(deterministicGuid(id).slice(0, 2), 16) % 200) + 10}`,
  }),
  // As Azure names them: `<app>.<environment default domain>` for ingress reachable from outside the
  // environment, `<app>.internal.<default domain>` for environment-only ingress (default domain as above).
  "azure-native:app:ContainerApp": ({ azureName, inputs, id, tenantId }) => {
    const configuration = (inputs["configuration"] as Outputs | undefined) ?? {};
    const ingress = configuration["ingress"] as Outputs | undefined;
    const environmentName = String(inputs["environmentId"] ?? inputs["managedEnvironmentId"] ?? "offline")
      .split("/")
      .pop();
    const domain = `${environmentName}.${String(inputs["location"] ?? "westeurope")}.azurecontainerapps.io`;
    const scope = ingress?.["external"] === true ? "" : "internal.";
    return {
      latestRevisionFqdn: `${azureName}--rev1.${scope}${domain}`,
      configuration: {
        ...configuration,
        ...(ingress ? { ingress: { ...ingress, fqdn: `${azureName}.${scope}${domain}` } } : {}),
      },
      ...withSystemIdentity(inputs, id, tenantId),
    };
  },
  "azure-native:containerregistry:Registry": ({ azureName }) => ({ loginServer: `${azureName}.azurecr.io` }),
  "azure-native:cognitiveservices:Account": ({ inputs, id, tenantId }) => {
    const props = (inputs["properties"] as Outputs | undefined) ?? {};
    const subdomain = String(props["customSubDomainName"] ?? "offline");
    return {
      properties: { ...props, endpoint: `https://${subdomain}.cognitiveservices.azure.com/` },
      ...withSystemIdentity(inputs, id, tenantId),
    };
  },
  "azuread:index/application:Application": ({ id }) => ({
    clientId: deterministicGuid(`${id}/client`),
    objectId: id.replace("/applications/", ""),
  }),
  "azuread:index/applicationRegistration:ApplicationRegistration": ({ id }) => ({
    clientId: deterministicGuid(`${id}/client`),
    objectId: id.replace("/applications/", ""),
  }),
  "azuread:index/servicePrincipal:ServicePrincipal": ({ id, tenantId }) => ({
    objectId: id,
    applicationTenantId: tenantId,
  }),
  "azuread:index/group:Group": ({ id }) => ({ objectId: id }),
};

export function mockOutputs(type: string, ctx: Parameters<OutputFactory>[0]): Outputs {
  const factory = OUTPUTS[type];
  return factory ? factory(ctx) : {};
}
