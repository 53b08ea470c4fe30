/**
 * A test-only Pulumi program: the Gateway component alone, with the dev stack's config and the literal
 * stand-ins of fixture-data.ts. The shared fixture runner (test/support/fixture.ts) runs it in a child
 * process per variant: `tsx test/gateway/component/fixture-program.ts <scenario.json> <plan.json>`, the
 * scenario being `{ "variant": "dev" | "v2" | "fifty" }`; `gateway.component.test.ts` reads the plan.
 */
import { PROJECT_NAME } from "../../../infra/config/schema";
import { namingContextFor } from "../../../infra/config/placement";
import { standardTags } from "../../../infra/conventions/tags";
import { Gateway, GatewayLogging, type GatewayArgs } from "../../../infra/gateway";
import { fixtureProgramMain } from "../../../tools/offline/mock-run";
import {
  APP_INSIGHTS,
  CERTIFICATE_SECRET_URI,
  CONTENT_SAFETY_ENDPOINT,
  devConfig,
  FIRST_PARTY_CLIENT_ID,
  fixtureConfig,
  FIXTURE_VARIANTS,
  type FixtureVariant,
  GATEWAY_SUBNET_ID,
  IDENTITY,
  INTEGRATION_SUBNET_ID,
  PE_SUBNET_ID,
  RESOURCE_GROUP,
  RG_ID,
  serverEndpoint,
  VAULT,
  VNET_ID,
} from "./fixture-data";

export function fixtureArgs(variant: FixtureVariant): GatewayArgs {
  const config = fixtureConfig(variant);
  const naming = namingContextFor(config);
  const secrets = Object.fromEntries(
    config.keyVault.secrets.map((secret) => [secret.name, `${VAULT}/secrets/${secret.name}`]),
  );
  return {
    resourceGroupName: RESOURCE_GROUP,
    location: config.location,
    naming,
    tags: standardTags(config),
    environment: config.environment,
    tenantId: config.tenantId,
    gateway: config.gateway,
    gatewayPolicy: config.gatewayPolicy,
    mcpServers: config.mcpServers,
    scopeValue: config.identity.scopeValue,
    preAuthorizedClientIds: config.identity.preAuthorizedClientIds,
    firstPartyClientId: FIRST_PARTY_CLIENT_ID,
    vnetId: VNET_ID,
    ...(variant === "v2"
      ? {
          integrationSubnetId: INTEGRATION_SUBNET_ID,
          privateEndpointSubnetId: PE_SUBNET_ID,
          apimDnsZone: {
            zoneName: "privatelink.azure-api.net",
            zoneId: `${RG_ID}/providers/Microsoft.Network/privateDnsZones/privatelink.azure-api.net`,
          },
        }
      : {
          subnetId: GATEWAY_SUBNET_ID,
          apimDnsZone: {
            zoneName: "apim-mcpgw-dev-weu-abcde.azure-api.net",
            zoneId: `${RG_ID}/providers/Microsoft.Network/privateDnsZones/apim-mcpgw-dev-weu-abcde.azure-api.net`,
          },
        }),
    identity: IDENTITY,
    servers: Object.fromEntries(
      config.mcpServers.map((server) => [server.name, serverEndpoint(config, server)]),
    ),
    namedValueSecrets: secrets,
    sessionKeySecretUri: `${VAULT}/secrets/mcp-session-key`,
    tlsCertificateSecretUri: CERTIFICATE_SECRET_URI,
    contentSafetyEndpoint: CONTENT_SAFETY_ENDPOINT,
  };
}

/** The program: one Gateway; its outputs become the stack outputs. */
export function declareGateway(variant: FixtureVariant): Record<string, unknown> {
  const args = fixtureArgs(variant);
  const gateway = new Gateway("gateway", args);
  new GatewayLogging("gateway-logging", {
    resourceGroupName: args.resourceGroupName,
    serviceName: gateway.serviceName,
    identityClientId: args.identity.clientId,
    mcpServers: args.mcpServers,
    appInsights: APP_INSIGHTS,
  });
  return {
    serviceName: gateway.serviceName,
    privateIpAddress: gateway.privateIpAddress,
    gatewayHostname: gateway.gatewayHostname,
    apiIds: gateway.apiIds,
    mcpServerUrls: gateway.mcpServerUrls,
    diagnosticTargets: gateway.diagnosticTargets.map((target) => ({ name: target.name, type: target.type })),
  };
}

export interface GatewayScenario {
  readonly variant: FixtureVariant;
}

/** The scenario file is written by the test; a wrong variant is a broken test, named here. */
function variantOf(scenario: GatewayScenario): FixtureVariant {
  if (!FIXTURE_VARIANTS.includes(scenario.variant))
    throw new Error(
      `variant ${JSON.stringify(scenario.variant)} is not one of ${FIXTURE_VARIANTS.join(", ")}`,
    );
  return scenario.variant;
}

if (require.main === module) {
  // Pulumi captures a stack trace per resource; source-mapping them dominates a large fixture run.
  process.setSourceMapsEnabled(false);
  fixtureProgramMain("gateway", "test/gateway/component/fixture-program.ts", (scenario: GatewayScenario) => {
    const variant = variantOf(scenario);
    return {
      project: PROJECT_NAME,
      stack: `gateway-${variant}`,
      tenantId: devConfig().tenantId,
      program: () => declareGateway(variant),
    };
  });
}
