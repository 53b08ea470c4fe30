/**
 * Pure renderers of the gateway's API Management policy documents (GitHub issue 6) and the
 * descriptions of the APIs/operations they attach to. See docs/gateway.md for the request walk-through.
 */
export {
  COGNITIVE_SERVICES_AUDIENCE,
  renderContentSafetyFragment,
  SHIELD_PROMPT_API_VERSION,
  SHIELD_PROMPT_MAX_CHARACTERS,
} from "./content-safety";
export {
  audiences,
  backendRouteMarkup,
  DAILY_QUOTA_PERIOD_SECONDS,
  DEFAULT_BACKEND_TIMEOUT_SECONDS,
  MAX_POLICY_DOCUMENT_BYTES,
  rateLimitKeys,
  referencedNamedValues,
  renderMcpApiPolicy,
  SESSION_CACHING_TYPE,
  SESSION_KEY_NAMED_VALUE,
} from "./mcp-api";
export {
  mcpApiName,
  mcpApiSpec,
  POLICY_FORMAT,
  PRM_OPERATION_NAME,
  WELL_KNOWN_API_NAME,
  wellKnownApiSpec,
} from "./operations";
export {
  protectedResourceMetadata,
  prmResponseMarkup,
  renderGlobalPolicy,
  renderPrmOperationPolicy,
  renderProtectedResourceMetadataJson,
  renderWellKnownApiPolicy,
} from "./prm";
export { mcpApiPath, mcpResourceUrl, mcpServerUrls, PRM_WELL_KNOWN_PATH } from "./urls";
export type {
  ApiSpec,
  BackendAuth,
  ContentSafetyFailMode,
  ContentSafetyInput,
  GatewayTier,
  McpApiPolicyInput,
  McpServerIdentity,
  McpServerUrls,
  OperationSpec,
  PrmInput,
  ProtectedResourceMetadata,
  RateLimit,
  RateLimitsInput,
  ToolPolicy,
} from "./types";
