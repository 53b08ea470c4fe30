import { parseStackConfig, type StackConfig } from "../../infra/config";
import { identityModel, type IdentityModel, type IdentityModelInput } from "../../infra/identity/model";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";

/** The validated config of a stack file, exactly as the program sees it. */
export function stackConfig(stack: string, mutate?: (values: Record<string, unknown>) => void): StackConfig {
  const engine = loadEngineConfig(stackFilePath(stack));
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(engine.values)) {
    const text = value.trim();
    values[key] = text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : value;
  }
  mutate?.(values);
  const result = parseStackConfig({ values, secretKeys: new Set(engine.secretKeys) });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.key}: ${p.message}`).join("\n"));
  return result.config;
}

export function modelInput(config: StackConfig): IdentityModelInput {
  return {
    tenantId: config.tenantId,
    environment: config.environment,
    namePrefix: config.namePrefix,
    gatewayHostname: config.gateway.hostname,
    identity: config.identity,
    mcpServers: config.mcpServers,
  };
}

export function modelFor(stack: string): IdentityModel {
  return identityModel(modelInput(stackConfig(stack)));
}
