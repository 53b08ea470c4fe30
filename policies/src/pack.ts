/** The pack's identity, shared by the pack entry (`policies/index.ts`) and the offline check. */
import packageJson from "../package.json";

export const PACK_NAME = "mcp-azure-gateway";
export const PACK_VERSION: string = packageJson.version;
export const PACK_DESCRIPTION =
  "mcp-azure-gateway security baseline: TLS 1.3, secret handling, Key Vault, network, API Management, Entra ID and monitoring.";
