/**
 * The controls of the MCP security practices seed (MCP specification 2025-11-25) that the checks
 * evidence. Keys are stable identifiers for reports; values are the seed's wording, in English.
 */
export const SEED_CONTROLS = {
  "MUST-1": "Token validation: never accept a token not issued for this MCP server",
  "MUST-2": "Authorization verification: verify every inbound request; never use sessions for authentication",
  "MUST-4": "Secure session IDs: cryptographically secure, non-deterministic",
  "1": "Input validation: strict JSON schema enforcement of requests",
  "2": "Authentication and authorization: fine-grained, tool-specific permissions (least privilege)",
  "3": "Secure communication: HTTPS/TLS 1.3 with certificate validation; protocol version enforcement",
  "4": "Rate limiting per user, session and tool",
  "7": "Advanced token management: audience validation, claim-based authorization",
  "8": "Session management: user-specific binding <user_id>:<session_id>, lifecycle, security headers",
  "10": "Tool execution security: only allowed tools run",
} as const;

export type SeedControl = keyof typeof SEED_CONTROLS;
