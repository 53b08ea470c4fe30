import type { ComponentControls } from "../../tools/controls/types";

/** The controls the edge (Application Gateway v2 with WAF) implements; see docs/edge.md. */
export const CONTROLS: ComponentControls = {
  component: "mcpgw:edge:Edge",
  folder: "infra/edge",
  controls: {
    "P1.1": {
      how: "WAF (OWASP core rule set, prevention mode) in front of the gateway",
      resources: ["azure-native:network:WebApplicationFirewallPolicy"],
      tests: ["test/edge/policy.test.ts"],
    },
    "P3.1": {
      how: "the public listener accepts TLS 1.3 only (CustomV2 SSL policy) and re-encrypts to API Management with certificate validation",
      resources: ["azure-native:network:ApplicationGateway"],
      tests: ["test/edge/edge.component.test.ts", "test/edge/policy.test.ts"],
      docs: ["docs/edge.md#tls"],
    },
    "P3.3": {
      how: "the listener certificate is a versionless Key Vault reference, so a renewed certificate is picked up without a deployment",
      resources: ["azure-native:network:ApplicationGateway"],
      tests: ["test/edge/edge.component.test.ts"],
      docs: ["docs/edge.md#certificate-from-key-vault"],
    },
    "P4.4": {
      how: "autoscaling WAF_v2 in zones, WAF rate-limit rules, and the DDoS plan covering its public IP in prod",
      resources: ["azure-native:network:ApplicationGateway", "azure-native:network:PublicIPAddress"],
      tests: ["test/edge/edge.stack.test.ts"],
    },
    "P5.3": {
      how: "WAF log scrubbing masks Authorization, cookies, Mcp-Session-Id and argument values before a log record is written",
      resources: ["azure-native:network:WebApplicationFirewallPolicy"],
      tests: ["test/edge/policy.test.ts"],
    },
    "P8.4": {
      how: "header rewrites at the edge remove server banners and add security headers",
      resources: ["azure-native:network:ApplicationGateway"],
      tests: ["test/edge/edge.component.test.ts"],
    },
    "ZT.2": {
      how: "the edge is the only resource with a public IP; everything behind it is private",
      resources: ["azure-native:network:PublicIPAddress"],
      tests: ["test/edge/edge.stack.test.ts"],
    },
  },
};
