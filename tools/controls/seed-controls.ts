/**
 * The controls of the seed guide ("MCP security best practices", MCP spec 2025-11-25; shared/seeds/),
 * with stable IDs that components, policy rules and tests cite. `docs/controls.md` is generated from
 * this catalogue and the claims that cite it (see tools/controls/claims.ts).
 */
export interface SeedControl {
  readonly id: string;
  readonly section: string;
  readonly title: string;
}

const section = (name: string, ids: string, titles: readonly string[]): SeedControl[] =>
  titles.map((title, index) => ({ id: `${ids}.${index + 1}`, section: name, title }));

export const SEED_CONTROLS: readonly SeedControl[] = [
  {
    id: "MUST-1",
    section: "Mandatory controls",
    title: "Token validation: accept only tokens issued for this MCP server",
  },
  {
    id: "MUST-2",
    section: "Mandatory controls",
    title: "Authorization: verify every inbound request; never use sessions for authentication",
  },
  {
    id: "MUST-3",
    section: "Mandatory controls",
    title:
      "User consent: explicit consent per dynamically registered client when a proxy uses a static client ID",
  },
  {
    id: "MUST-4",
    section: "Mandatory controls",
    title: "Secure session IDs: cryptographically secure, non-deterministic",
  },
  ...section("1 Input validation and sanitization", "P1", [
    "Comprehensive input validation against injection, confused deputy and prompt injection",
    "Parameter schema enforcement: strict JSON schema validation of tool parameters and API inputs",
    "Content filtering with Prompt Shields and Azure AI Content Safety",
    "Output sanitization before presenting to users or downstream systems",
  ]),
  ...section("2 Authentication and authorization", "P2", [
    "External identity provider (Microsoft Entra ID), no custom authentication",
    "Fine-grained, tool-specific permissions on least privilege",
    "Token lifecycle: short-lived access tokens, secure rotation, audience validation",
    "Multi-factor authentication for administrative access and sensitive operations",
  ]),
  ...section("3 Secure communication", "P3", [
    "HTTPS/TLS 1.3 for all MCP communication with certificate validation",
    "End-to-end encryption layers for highly sensitive data in transit and at rest",
    "Certificate lifecycle management and automated renewal",
    "Protocol version enforcement: latest MCP protocol version with proper negotiation",
  ]),
  ...section("4 Rate limiting and resource protection", "P4", [
    "Multi-layer rate limits per user, session, tool and resource",
    "Adaptive rate limiting from usage patterns and threat indicators",
    "Resource quotas for compute, memory and execution time",
    "DDoS protection and traffic analysis",
  ]),
  ...section("5 Logging and monitoring", "P5", [
    "Structured, queryable audit logs of all MCP operations, tool executions and security events",
    "Real-time security monitoring with a SIEM and anomaly detection",
    "Privacy-compliant logging",
    "Incident response integration: logs feed automated response",
  ]),
  ...section("6 Secure storage", "P6", [
    "HSM-backed key storage for critical cryptographic operations",
    "Key management: rotation, separation and access control",
    "Secret management: all API keys, tokens and credentials in a dedicated secret store",
    "Data classification with matching protection",
  ]),
  ...section("7 Token management", "P7", [
    "Token passthrough prevention",
    "Audience validation: aud matches the MCP server's identity",
    "Claims-based authorization from token claims and user attributes",
    "Token binding to session, user or device where applicable",
  ]),
  ...section("8 Session management", "P8", [
    "Cryptographic session IDs from a secure random generator",
    "User-specific binding <user_id>:<session_id>",
    "Session lifecycle: expiry, rotation and invalidation",
    "Session security headers",
  ]),
  ...section("9 AI-specific controls", "P9", [
    "Prompt injection defence with Prompt Shields (spotlighting, delimiters, datamarking)",
    "Tool poisoning prevention: validate tool metadata, monitor changes, verify integrity",
    "Model output validation against data leakage and harmful content",
    "Context window protection against poisoning and manipulation",
  ]),
  ...section("10 Tool execution security", "P10", [
    "Execution sandbox: containerized, isolated, resource-limited",
    "Privilege separation: least privilege, separate service accounts",
    "Network isolation of tool execution environments",
    "Execution monitoring for anomalies, resource use and violations",
  ]),
  ...section("11 Continuous security validation", "P11", [
    "Automated security testing in CI/CD",
    "Vulnerability management: regular dependency scanning",
    "Penetration testing of the MCP implementation",
    "Secure code review of all MCP-related changes",
  ]),
  ...section("12 AI supply chain security", "P12", [
    "Component verification: provenance and integrity of AI components",
    "Dependency management: current inventory and vulnerability tracking",
    "Trusted repositories for models, libraries and tools",
    "Supply chain monitoring of AI providers and repositories",
  ]),
  ...section("Zero trust architecture", "ZT", [
    "Never trust, always verify: continuous verification of every MCP participant",
    "Micro-segmentation with network and identity controls",
    "Conditional access: risk-adaptive access control",
    "Continuous risk assessment",
  ]),
  ...section("Privacy-preserving AI", "PRIV", [
    "Data minimization per MCP operation",
    "Differential privacy",
    "Homomorphic encryption",
    "Federated learning",
  ]),
  ...section("AI incident response", "IR", [
    "AI-specific incident procedures",
    "Automated response: containment and remediation",
    "Forensic readiness",
    "Recovery procedures",
  ]),
  ...section("Continuous improvement", "CI", [
    "Track MCP specification changes and security advisories",
    "Threat intelligence subscriptions",
    "Community participation",
    "Quarterly security posture assessment",
  ]),
];

export const SEED_CONTROL_IDS: ReadonlySet<string> = new Set(SEED_CONTROLS.map((control) => control.id));
