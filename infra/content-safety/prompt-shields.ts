import type { McpServerConfig } from "../config/schema";

/**
 * Facts about Azure AI Content Safety's Prompt Shields API that the gateway's policy fragment needs.
 * The fragment itself (XML) belongs to the gateway; this module only names the endpoint and token.
 */

/** The GA API version of `text:shieldPrompt`. */
export const PROMPT_SHIELDS_API_VERSION = "2024-09-01";

/** The `resource=` a managed identity requests a token for to call any Cognitive Services account. */
export const COGNITIVE_SERVICES_TOKEN_RESOURCE = "https://cognitiveservices.azure.com";

/** `https://<subdomain>.cognitiveservices.azure.com/contentsafety/text:shieldPrompt?api-version=2024-09-01`. */
export function shieldPromptUrl(endpoint: string): string {
  if (!/^https:\/\/[a-z0-9-]+\.cognitiveservices\.azure\.com\/?$/.test(endpoint)) {
    throw new Error(
      `"${endpoint}" is not a custom-subdomain Cognitive Services endpoint (Entra ID auth needs one)`,
    );
  }
  return `${endpoint.replace(/\/$/, "")}/contentsafety/text:shieldPrompt?api-version=${PROMPT_SHIELDS_API_VERSION}`;
}

/** Servers whose `tools/call` arguments the gateway screens; the account exists only if this is non-empty. */
export function serversWithPromptShields(servers: readonly McpServerConfig[]): McpServerConfig[] {
  return servers.filter((server) => server.contentSafety.enabled);
}
