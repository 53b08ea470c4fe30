/**
 * The stack configuration schema. Every key lives under the project namespace
 * (`mcp-azure-gateway:<key>`); structured keys are YAML objects in `stacks/Pulumi.<stack>.yaml`.
 * Secure defaults are chosen here so that a stack file only states what differs.
 */
import { z } from "zod";
import { checkGatewayTierFeatures, gatewayPolicySchema } from "./gateway-policy";
import { checkProductionPosture, gatewaySchema } from "./gateway";
import { edgeSchema } from "./edge";
import { featuresSchema } from "./features";
import { identitySchema } from "./identity";
import { keyVaultSchema } from "./key-vault";
import {
  checkCrossReferences,
  checkProtocolVersionNarrowing,
  checkWorkloadNames,
  mcpServerSchema,
} from "./mcp-servers";
import { monitoringSchema } from "./monitoring";
import { checkGatewaySubnets, networkSchema } from "./network";
import { environment, guid, rateLimit } from "./primitives";
import { AZURE_REGIONS, REGION_SHORT_CODES } from "./regions";
import { tagsSchema } from "./tags";
import { checkCertificateSecretName } from "./tls-certificate";

export { DEFAULT_MCP_PROTOCOL_VERSIONS, PROJECT_NAME, VS_CODE_CLIENT_ID } from "./primitives";
export type { EnvironmentName } from "./primitives";
export { PFX_CONTENT_TYPE, parseSecretUri, type TlsCertificateConfig } from "./tls-certificate";

const namePrefix = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,7}$/, {
    error: "must be 2-8 lower-case letters or digits, starting with a letter",
  })
  .default("mcpgw");
const location = z.enum(AZURE_REGIONS);

export const stackConfigSchema = z
  .strictObject({
    environment,
    location,
    tenantId: guid,
    namePrefix,
    tags: tagsSchema,
    network: networkSchema,
    gateway: gatewaySchema,
    edge: edgeSchema,
    keyVault: keyVaultSchema,
    identity: identitySchema,
    mcpServers: z.array(mcpServerSchema).min(1, { error: "must list at least one MCP server" }),
    gatewayPolicy: gatewayPolicySchema,
    monitoring: monitoringSchema,
    features: featuresSchema.default({
      sentinel: true,
      protectStatefulResources: true,
      resourceLocks: false,
    }),
  })
  .superRefine(
    (config, ctx) => {
      // Runs even when other keys are invalid (so every problem is reported at once); each check
      // re-reads the sections it needs and skips those that already failed.
      const sections = {
        environment: environment.safeParse(config.environment),
        network: networkSchema.safeParse(config.network),
        gateway: gatewaySchema.safeParse(config.gateway),
        features: featuresSchema
          .default({ sentinel: true, protectStatefulResources: true, resourceLocks: false })
          .safeParse(config.features),
        identity: identitySchema.safeParse(config.identity),
        keyVault: keyVaultSchema.safeParse(config.keyVault),
        mcpServers: z.array(mcpServerSchema).safeParse(config.mcpServers),
        namePrefix: namePrefix.safeParse(config.namePrefix),
        location: location.safeParse(config.location),
      };
      if (sections.network.success && sections.gateway.success) {
        checkGatewaySubnets(sections.network.data, sections.gateway.data.sku, ctx);
      }
      const policy = gatewayPolicySchema.safeParse(config.gatewayPolicy);
      if (policy.success && sections.gateway.success) {
        checkGatewayTierFeatures(sections.gateway.data.sku, policy.data, ctx);
      }
      if (policy.success && sections.mcpServers.success) {
        checkProtocolVersionNarrowing(policy.data.supportedProtocolVersions, sections.mcpServers.data, ctx);
      }
      if (sections.environment.success && sections.gateway.success && sections.features.success) {
        checkProductionPosture(sections.environment.data, sections.gateway.data, sections.features.data, ctx);
      }
      if (sections.gateway.success && sections.keyVault.success) {
        checkCertificateSecretName(
          sections.gateway.data.tlsCertificate,
          sections.keyVault.data.secrets.map((secret) => secret.name),
          ctx,
        );
      }
      if (sections.identity.success && sections.keyVault.success && sections.mcpServers.success) {
        checkCrossReferences(sections.identity.data, sections.keyVault.data, sections.mcpServers.data, ctx);
      }
      if (
        sections.environment.success &&
        sections.namePrefix.success &&
        sections.location.success &&
        sections.mcpServers.success
      ) {
        const naming = {
          prefix: sections.namePrefix.data,
          environment: sections.environment.data,
          regionCode: REGION_SHORT_CODES[sections.location.data],
        };
        checkWorkloadNames(naming, sections.mcpServers.data, ctx);
      }
    },
    { when: () => true },
  );

/** The validated stack configuration as the components consume it (deeply frozen). */
export type StackConfig = z.output<typeof stackConfigSchema>;
export type McpServerConfig = StackConfig["mcpServers"][number];
export type KeyConfig = StackConfig["keyVault"]["keys"][number];
export type RateLimitConfig = z.output<typeof rateLimit>;

/** Top-level keys the schema knows; anything else under the project namespace is reported as unknown. */
export const CONFIG_KEYS: readonly string[] = Object.keys(stackConfigSchema.shape);
