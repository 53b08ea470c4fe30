/**
 * The controls matrix: one claim per seed control (`seed-controls.ts`). A claim states how the control
 * stands and names the evidence that is not a component's own: policy rules, CI workflows, tests and docs.
 * Components declare their resources in `infra/<component>/controls.ts` (see `components.ts`) and policy
 * rules declare the seed practices they enforce in their metadata; `matrix.ts` merges all three and
 * `npm run docs:controls` writes `docs/controls.md`. `test/tools/controls/controls.test.ts` fails when a
 * control has no claim, a claim names something that does not exist, or the doc is stale.
 */
import type { ControlClaim } from "./types";

const PR = ".github/workflows/pr.yml";
const PREVIEW = ".github/workflows/preview.yml";
const DEPLOY = ".github/workflows/deploy.yml";
const DRIFT = ".github/workflows/drift.yml";
const DEPENDABOT = ".github/dependabot.yml";
const CONFORMANCE = "test/tools/conformance/conformance.test.ts";

export const CLAIMS: Readonly<Record<string, ControlClaim>> = {
  "MUST-1": {
    status: "implemented",
    summary:
      "The gateway validates every token's issuer, signature, lifetime and audience (this API's client ID or identifier URI); " +
      "backends accept only the gateway's own token for their own audience. The conformance suite replays wrong-audience and expired tokens against staging.",
    policies: ["entra-access-token-v2", "workloads-container-app-authentication"],
    tests: [CONFORMANCE, "policies/test/apim.test.ts"],
    artifacts: [DEPLOY],
  },
  "MUST-2": {
    status: "implemented",
    summary:
      "Token validation runs on every request before routing, tool authorization and session lookup; the session ID is a routing key bound to the " +
      "token's oid, never a credential. Nothing behind the edge is reachable without passing the gateway.",
    policies: ["network-public-ip-edge-only", "network-container-apps-internal"],
    tests: [CONFORMANCE, "policies/test/apim.test.ts"],
  },
  "MUST-3": {
    status: "partial",
    summary:
      "The gateway is a resource server, not an OAuth proxy with a static client ID: clients obtain tokens from Entra ID directly, and Entra asks for " +
      "consent. The scope is admin-consent only and only clients config pre-authorizes skip consent.",
    gap: 'The tenant\'s user-consent setting ("Do not allow user consent") is a tenant administrator step, not deployable from a stack.',
    tests: ["test/identity/model.test.ts"],
    docs: ["docs/identity.md#what-a-tenant-administrator-does"],
  },
  "MUST-4": {
    status: "partial",
    summary:
      "Session IDs are minted by each MCP server, not by the gateway; the gateway refuses malformed IDs and binds each to its owner. " +
      "The conformance suite checks issued IDs for length, alphabet and uniqueness against staging before prod is deployed.",
    gap: "The deployment cannot make a third-party server's generator cryptographically secure; it verifies the output black-box (session.id-quality).",
    tests: [CONFORMANCE],
    artifacts: [DEPLOY, "tools/conformance/checks/sessions.ts"],
  },
  "P1.1": {
    status: "partial",
    summary:
      "Layered request validation: WAF at the edge, transport and JSON-RPC envelope checks and the tool allow-list at the gateway, Prompt Shields on tool arguments. " +
      "No policy can skip the inherited validation.",
    gap: "Semantic validation of each tool's arguments (SQL, paths, shell) belongs in the MCP server itself.",
    policies: ["apim-policy-base-inheritance", "network-edge-waf-prevention"],
    tests: [CONFORMANCE],
  },
  "P1.2": {
    status: "partial",
    summary:
      "The gateway enforces one JSON-RPC 2.0 message per POST with a bounded size and only allow-listed tool names.",
    gap: "Tool arguments are not validated against each tool's JSON Schema at the gateway (that needs the servers' tool schemas in config); servers must validate them.",
    tests: [CONFORMANCE],
  },
  "P1.3": {
    status: "partial",
    summary:
      "Azure AI Content Safety Prompt Shields screens tools/call arguments for every server that enables contentSafety (fail-closed by default), reachable only privately with the gateway's identity.",
    gap: "Responses are not screened: reading the response body in API Management would buffer it and break SSE streaming.",
    docs: ["docs/workloads.md#prompt-shields"],
  },
  "P1.4": {
    status: "documented",
    summary:
      "The deployment runs no model and produces no model output; MCP responses stream through the gateway unread (reading them breaks SSE). Only response headers are normalized. " +
      "Servers that return untrusted content must mark or sanitize it, and clients must treat tool output as data.",
    docs: ["docs/workloads.md#prompt-shields"],
  },
  "P2.1": {
    status: "implemented",
    summary:
      "Microsoft Entra ID is the only identity provider: users through the API app, services through managed identities, CI through a federated credential. " +
      "No subscription keys, local auth, basic auth or client secrets.",
    policies: [
      "apim-subscription-scope",
      "apim-backend-authenticated",
      "secrets-local-auth-disabled",
      "secrets-no-entra-password-credentials",
      "entra-federated-credential-issuers",
      "workloads-app-service-basic-auth-disabled",
      "workloads-managed-identity",
    ],
  },
  "P2.2": {
    status: "implemented",
    summary:
      "Tools map to app roles in config; the gateway allows a tool only when the token's roles intersect the tool's roles, and Entra issues tokens only to assigned users. " +
      "Azure RBAC uses built-in roles at the narrowest scope.",
    policies: ["entra-assignment-required", "entra-no-custom-rbac-roles", "keyvault-rbac-authorization"],
    tests: [CONFORMANCE],
  },
  "P2.3": {
    status: "partial",
    summary:
      "Short-lived v2 access tokens from Entra with audience validation; no implicit grant; no long-lived credentials (secrets in Key Vault carry expiry dates).",
    gap: "Access-token lifetime and sign-in frequency are tenant settings (Conditional Access), not set by the stack.",
    policies: ["entra-no-implicit-grant", "secrets-key-vault-secret-expiry"],
    docs: ["docs/identity.md#what-a-tenant-administrator-does"],
  },
  "P2.4": {
    status: "documented",
    summary:
      "MFA is enforced by a tenant Conditional Access policy on the API app and on Azure management (phishing-resistant authentication strength, PIM-eligible administrators); " +
      "Conditional Access cannot be deployed from a resource group. The stack keeps administrative surfaces closed: no management ports open, API Management's direct management API and Git access off.",
    policies: ["apim-management-endpoints-disabled", "network-nsg-no-open-management-ports"],
    docs: ["docs/identity.md#what-a-tenant-administrator-does"],
  },
  "P3.1": {
    status: "implemented",
    summary:
      "Clients reach a TLS 1.3-only listener at the edge; every hop behind it is HTTPS with certificate validation; services whose minimum TLS stops below 1.3 use their highest setting.",
    policies: [
      "tls-minimum-1-3",
      "tls-highest-available",
      "tls-https-only",
      "tls-apim-protocols-ciphers",
      "tls-backend-certificate-validation",
      "apim-api-https-only",
      "workloads-app-service-hardening",
    ],
    tests: [CONFORMANCE, "policies/test/tls.test.ts"],
  },
  "P3.2": {
    status: "partial",
    summary:
      "Traffic is re-encrypted on every hop (edge to gateway to backend), Container Apps encrypt peer traffic, storage is double-encrypted and data services can use the HSM-backed customer-managed key.",
    gap: "No application-level payload encryption: MCP messages are plaintext inside TLS.",
    policies: ["storage-encryption", "monitoring-customer-managed-storage"],
  },
  "P3.3": {
    status: "partial",
    summary:
      "The TLS certificate lives in Key Vault and is read by versionless reference, so renewals roll out without a deployment; a Key Vault expiry alert warns before it lapses.",
    gap: "Issuing and renewing the certificate with the CA (or a Key Vault issuer) is an operator step.",
    docs: ["docs/keyvault.md#the-tls-certificate"],
  },
  "P3.4": {
    status: "implemented",
    summary:
      "Unsupported MCP-Protocol-Version values are refused with 400 at the gateway; the conformance suite checks it on staging.",
    tests: [CONFORMANCE],
  },
  "P4.1": {
    status: "implemented",
    summary:
      "Per-user, per-user-and-session and per-user-and-tool rate limits keyed on the validated oid, plus a daily quota per user; a Sentinel/Monitor alert watches 429 floods.",
    policies: ["apim-mcp-rate-limit"],
    tests: [CONFORMANCE],
  },
  "P4.2": {
    status: "out-of-scope",
    summary:
      "No machine-learning rate limiting: API Management limits are static counters and an adaptive limiter would need a model and a feedback loop outside the gateway. " +
      "The static per-user, per-session and per-tool limits plus the 429-flood alert and Sentinel rules are the deployment's answer; thresholds are tuned in config.",
  },
  "P4.3": {
    status: "implemented",
    summary:
      "Container Apps CPU, memory and replica bounds per server; request body cap and backend timeout at the gateway.",
  },
  "P4.4": {
    status: "implemented",
    summary:
      "DDoS Network Protection in prod, WAF_v2 autoscaling at the edge, zone redundancy for the edge, gateway and workloads in prod; flow logs and WAF logs for traffic analysis.",
    policies: ["network-ddos-protection", "resilience-zone-redundancy", "network-edge-waf-prevention"],
  },
  "P5.1": {
    status: "implemented",
    summary:
      "Structured gateway events for every MCP request and refusal, diagnostic settings on every resource, flow logs, into one Log Analytics workspace.",
    policies: ["monitoring-diagnostic-settings", "monitoring-app-insights-workspace", "network-flow-logs"],
  },
  "P5.2": {
    status: "partial",
    summary:
      "Microsoft Sentinel with MCP-specific analytics rules and Azure Monitor alerts, evaluated every 10-30 minutes.",
    gap: "The rules are thresholds; ML anomaly detection (Sentinel UEBA, Fusion) is a workspace setting an analyst enables.",
    docs: ["docs/operations.md#microsoft-sentinel-analytics-rules"],
  },
  "P5.3": {
    status: "implemented",
    summary:
      "No tokens, bodies or raw session IDs in any log; users as object IDs; per-class retention; workspace local auth off and queries only through the private link scope.",
    policies: ["monitoring-local-auth-disabled", "monitoring-private-link-scope-private-only"],
    docs: ["docs/operations.md#privacy-rules-for-every-log"],
  },
  "P5.4": {
    status: "partial",
    summary:
      "Alerts reach an action group; Sentinel automation rules label, assign and hook High-severity incidents to containment.",
    gap: "The containment playbook (Logic App with Graph permissions) is documented, not deployed: its Graph permissions need a tenant administrator.",
    docs: ["docs/operations.md#containment-playbook"],
  },
  "P6.1": {
    status: "implemented",
    summary: "Premium Key Vault (or optional Managed HSM) with RSA-HSM and EC-HSM keys only.",
    policies: ["keyvault-key-hsm-type", "keyvault-premium-sku", "keyvault-managed-hsm-protection"],
  },
  "P6.2": {
    status: "implemented",
    summary:
      "Automatic rotation and expiry on every key, RBAC-only vaults with per-purpose roles, purge protection; the state backend's secrets provider key is an HSM key too.",
    policies: [
      "keyvault-key-rotation",
      "keyvault-key-expiry",
      "keyvault-rbac-authorization",
      "keyvault-deletion-protection",
      "storage-encryption",
      "monitoring-customer-managed-storage",
    ],
    artifacts: ["infra/bootstrap/index.ts"],
  },
  "P6.3": {
    status: "implemented",
    summary:
      "Every API key, credential and the TLS certificate lives in Key Vault, set from Pulumi secret config and consumed by reference; Pulumi state secrets are encrypted with a Key Vault HSM key; CI holds no secrets (OIDC).",
    policies: [
      "secrets-apim-named-values-key-vault",
      "secrets-tls-certificate-key-vault",
      "secrets-container-app-key-vault-references",
      "secrets-no-literal-secrets",
      "secrets-key-vault-secret-expiry",
      "secrets-arm-secure-parameters",
      "secrets-storage-shared-key-disabled",
      "network-private-endpoints",
      "network-no-public-paas-access",
      "keyvault-no-public-access",
      "storage-no-anonymous-blob-access",
    ],
    artifacts: ["infra/bootstrap/index.ts", DEPLOY],
    docs: ["docs/delivery.md#state-backend-and-secrets-provider"],
  },
  "P6.4": {
    status: "partial",
    summary:
      "Every resource carries a dataClassification tag; logs are kept per data class (security audit, gateway access, operational, workload output) with matching retention.",
    gap: "MCP payloads are not classified: the gateway does not inspect content, so a server handling more sensitive data needs its own stack or controls.",
    tests: ["test/monitoring/diagnostics.test.ts"],
    docs: ["docs/operations.md#retention-per-data-class"],
  },
  "P7.1": {
    status: "implemented",
    summary:
      "The gateway deletes the client's Authorization header and calls backends with its own managed-identity token or a Key Vault-held API key; backends accept only the gateway's token.",
    policies: ["apim-mcp-no-token-passthrough", "apim-backend-authenticated"],
  },
  "P7.2": {
    status: "implemented",
    summary:
      "Audiences are exactly the API app's client ID and identifier URI at the gateway, and the backend app's at each workload; every MCP server URL is an identifier URI (RFC 8707).",
    policies: ["apim-mcp-token-validation", "entra-access-token-v2"],
    tests: [CONFORMANCE],
  },
  "P7.3": {
    status: "implemented",
    summary: "scp, roles, tid and oid decide access at the gateway; tools are authorized by role claim.",
    tests: [CONFORMANCE],
  },
  "P7.4": {
    status: "partial",
    summary:
      "Sessions are bound to the token's oid; clients use authorization code with PKCE (no implicit grant), binding the code to the client instance.",
    gap: "Entra ID issues bearer tokens for this API: no proof-of-possession (DPoP, mTLS-bound) tokens are available to bind a token to a device.",
    policies: ["entra-no-implicit-grant"],
  },
  "P8.1": {
    status: "partial",
    summary:
      "As MUST-4: servers mint session IDs; the gateway validates their shape and the conformance suite samples their quality on staging.",
    gap: "Generation is the MCP server's; the deployment verifies black-box only.",
    tests: [CONFORMANCE],
  },
  "P8.2": {
    status: "implemented",
    summary:
      "Sessions are stored as <server>:<session id> -> oid at the gateway; another user's request on the session gets 403 and feeds the session-hijack rule.",
    tests: [CONFORMANCE],
  },
  "P8.3": {
    status: "implemented",
    summary:
      "Sliding expiry (sessionTtlSeconds), DELETE ends the binding, unknown or expired sessions get 404 and the client re-initializes.",
    tests: [CONFORMANCE],
  },
  "P8.4": {
    status: "implemented",
    summary:
      "HSTS, X-Content-Type-Options, Cache-Control: no-store; server banners removed; CORS never allows credentials.",
    tests: [CONFORMANCE],
  },
  "P9.1": {
    status: "partial",
    summary:
      "Prompt Shields screens tool arguments (user prompt and document attacks) for servers that enable it; detections feed a Sentinel rule.",
    gap: "Spotlighting, delimiters and datamarking happen where prompts are built (the client or agent), and tool results are not screened (streaming).",
    docs: ["docs/workloads.md#prompt-shields"],
  },
  "P9.2": {
    status: "partial",
    summary:
      "Each server's callable tools are an allow-list in reviewed config, server images are pinned by digest, and bursts of refused or privileged calls raise alerts.",
    gap: "tools/list responses (tool descriptions) are not compared against a reviewed baseline at runtime: that needs the response body, which the gateway does not read.",
  },
  "P9.3": {
    status: "out-of-scope",
    summary:
      "The deployment hosts no model and sees no model output: MCP servers return tool results, which stream through the gateway unread. Output validation belongs to the client or agent that runs the model.",
  },
  "P9.4": {
    status: "out-of-scope",
    summary:
      "The context window lives in the client or agent, outside this deployment. The gateway bounds what one request can inject (body cap, Prompt Shields) but cannot see or manage a model's context.",
  },
  "P10.1": {
    status: "implemented",
    summary:
      "Containerized servers in an internal Container Apps environment with per-app CPU and memory limits, digest-pinned images, and authentication in front of each app.",
    policies: ["network-container-apps-internal", "workloads-app-service-hardening"],
  },
  "P10.2": {
    status: "implemented",
    summary:
      "A managed identity per server, per gateway and per edge, each holding only its own grants; built-in roles only.",
    policies: ["workloads-managed-identity", "entra-no-custom-rbac-roles", "apim-backend-authenticated"],
  },
  "P10.3": {
    status: "implemented",
    summary:
      "Private subnets with deny-by-default NSGs, private endpoints for every PaaS service, API Management VNet-injected, an internal Container Apps environment, egress restricted.",
    policies: [
      "network-subnet-nsg",
      "network-subnet-no-default-outbound",
      "network-private-endpoints",
      "network-no-public-paas-access",
      "network-nsg-no-open-management-ports",
      "network-public-ip-edge-only",
      "apim-vnet-injected",
      "keyvault-no-public-access",
      "monitoring-private-link-scope-private-only",
    ],
  },
  "P10.4": {
    status: "implemented",
    summary:
      "Console and system logs of every server, unknown-tool and tool-abuse detections, refusals logged with reasons.",
  },
  "P11.1": {
    status: "implemented",
    summary:
      "Every pull request runs lint, typecheck, unit tests, the CrossGuard pack over every stack (SARIF to code scanning) and a real `pulumi preview` with the pack per environment; staging deployments run the security conformance suite before prod.",
    tests: [
      "policies/test/engine.test.ts",
      "policies/test/cli-sarif.test.ts",
      "test/delivery/workflows.test.ts",
    ],
    artifacts: [PR, PREVIEW, DEPLOY],
    docs: ["docs/delivery.md#workflows"],
  },
  "P11.2": {
    status: "implemented",
    summary:
      "Dependabot for npm and GitHub Actions, dependency review on pull requests, an npm audit gate for high and critical advisories.",
    tests: ["test/delivery/workflows.test.ts"],
    artifacts: [DEPENDABOT, PR],
    docs: ["docs/delivery.md#dependency-hygiene"],
  },
  "P11.3": {
    status: "partial",
    summary:
      "A black-box security conformance suite (token, audience, session, rate-limit, transport and TLS checks) runs against staging on every deployment and blocks prod on failure.",
    gap: "Independent penetration tests and AI red-teaming are a periodic process, not automated here.",
    tests: [CONFORMANCE, "test/tools/conformance/cli.test.ts"],
    artifacts: [DEPLOY],
    docs: ["docs/delivery.md#workflows"],
  },
  "P11.4": {
    status: "partial",
    summary:
      "Every deployment goes through GitHub environments (dev, staging, prod) whose protection rules require reviewers; previews are posted to the pull request for review.",
    gap: "Branch protection and CODEOWNERS are repository settings an owner applies (listed in the doc).",
    artifacts: [DEPLOY, PREVIEW],
    docs: ["docs/delivery.md#code-review-and-environments"],
  },
  "P12.1": {
    status: "partial",
    summary:
      "Container images by sha256 digest, GitHub Actions by commit SHA, npm packages by lockfile integrity (npm ci); the CI identity trusts only this repository.",
    gap: "No signature or provenance verification (cosign, notation, SLSA attestations) of images before deployment.",
    tests: ["test/delivery/workflows.test.ts"],
    artifacts: [PR],
  },
  "P12.2": {
    status: "implemented",
    summary:
      "A CycloneDX SBOM of the deployment's npm dependency tree is produced by every CI run and kept as an artifact; Dependabot keeps the inventory current.",
    tests: ["test/delivery/workflows.test.ts"],
    artifacts: [PR, DEPENDABOT],
    docs: ["docs/delivery.md#dependency-hygiene"],
  },
  "P12.3": {
    status: "implemented",
    summary:
      "Images are pulled only from each environment's private registry after promotion by digest, code reaches Azure only from this repository's CI identity, npm packages only from the lockfile.",
    policies: ["entra-federated-credential-issuers", "workloads-app-service-basic-auth-disabled"],
  },
  "P12.4": {
    status: "partial",
    summary:
      "Dependabot security updates and dependency review watch the npm and Actions supply chain; scheduled drift detection catches out-of-band changes.",
    gap: "External MCP servers (backendUrl) and their providers are not monitored by the deployment; the deployment uses no AI model provider.",
    artifacts: [DEPENDABOT, DRIFT],
    docs: ["docs/delivery.md#dependency-hygiene"],
  },
  "ZT.1": {
    status: "implemented",
    summary:
      "Every hop authenticates: users by Entra token at the gateway on each request, the gateway by managed identity at each workload, CI by OIDC; no network location is trusted.",
    tests: [CONFORMANCE],
  },
  "ZT.2": {
    status: "implemented",
    summary:
      "Subnet per tier with NSGs, private endpoints per service, per-server identities and per-tool roles.",
    policies: ["network-subnet-nsg", "network-public-ip-edge-only"],
  },
  "ZT.3": {
    status: "documented",
    summary:
      "Risk-adaptive access is Entra Conditional Access (sign-in risk, device compliance, authentication strength) on the API app: a tenant policy an administrator creates; it cannot be deployed from a resource group.",
    docs: ["docs/identity.md#what-a-tenant-administrator-does"],
  },
  "ZT.4": {
    status: "partial",
    summary:
      "Sentinel analytics rules re-assess callers continuously; scheduled drift detection re-assesses the deployment against its code.",
    gap: "User risk (Entra ID Protection) and secure score (Defender for Cloud) are tenant and subscription services outside the stack.",
    artifacts: [DRIFT],
  },
  "PRIV.1": {
    status: "implemented",
    summary:
      "Each hop gets only what it needs: backends never see the user's token, logs hold object IDs and hashed session IDs but no payloads, headers are forwarded by allow-list.",
    docs: ["docs/operations.md#privacy-rules-for-every-log"],
  },
  "PRIV.2": {
    status: "out-of-scope",
    summary:
      "Differential privacy applies to releasing aggregates of sensitive data or training on it; the deployment neither trains models nor publishes statistics about user data.",
  },
  "PRIV.3": {
    status: "out-of-scope",
    summary:
      "Homomorphic encryption would require the MCP servers to compute on encrypted data; no Azure service in this deployment offers it, and the gateway only routes requests.",
  },
  "PRIV.4": {
    status: "out-of-scope",
    summary: "Federated learning concerns distributed model training; the deployment trains no model.",
  },
  "IR.1": {
    status: "implemented",
    summary:
      "MCP-specific detections (audience failures, session hijack, tool abuse, prompt injection, secret reads, config changes outside CI) each with a responder procedure.",
    docs: ["docs/operations.md#microsoft-sentinel-analytics-rules"],
  },
  "IR.2": {
    status: "partial",
    summary:
      "Automation rules triage every MCP incident and hook High-severity ones to a containment playbook (remove the user from access groups, revoke sessions).",
    gap: "The playbook itself is documented, not deployed (it needs Graph application permissions a tenant administrator grants).",
    docs: ["docs/operations.md#containment-playbook"],
  },
  "IR.3": {
    status: "implemented",
    summary:
      "Security audit logs are retained for a year, the workspace is locked, Pulumi state is versioned with soft delete, and every deployment is a reviewed workflow run.",
    artifacts: ["infra/bootstrap/index.ts"],
    docs: ["docs/operations.md#retention-per-data-class", "docs/delivery.md#teardown-and-recovery"],
  },
  "IR.4": {
    status: "implemented",
    summary:
      "Purge-protected vaults, resource locks in prod, versioned and soft-deleted Pulumi state, redeploy from main through the reviewed pipeline; the recovery steps are written down.",
    policies: ["keyvault-deletion-protection"],
    artifacts: ["infra/bootstrap/index.ts", DEPLOY],
    docs: ["docs/delivery.md#teardown-and-recovery"],
  },
  "CI.1": {
    status: "documented",
    summary:
      "Tracking MCP specification changes and advisories is a maintainer process: Dependabot raises the MCP SDK, and the doc lists the feeds to watch and what to re-check when the protocol version changes.",
    docs: ["docs/delivery.md#keeping-up-with-the-specification"],
  },
  "CI.2": {
    status: "documented",
    summary:
      "Threat intelligence feeds are Microsoft Sentinel content (Threat Intelligence connectors, TI matching analytics) that an analyst enables per workspace; the doc says which.",
    docs: ["docs/delivery.md#keeping-up-with-the-specification"],
  },
  "CI.3": {
    status: "out-of-scope",
    summary:
      "Community participation (working groups, disclosure programs) is an organisational activity, not something a deployment can implement.",
  },
  "CI.4": {
    status: "documented",
    summary:
      "A quarterly posture review is a process; the deployment supplies its inputs: this matrix, drift detection results, the conformance report, the policy pack's SARIF and Defender for Cloud's benchmark compliance of the assigned stack (docs/azure-policy.md).",
    artifacts: [DRIFT],
    docs: ["docs/delivery.md#keeping-up-with-the-specification"],
  },
};
