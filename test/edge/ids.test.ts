import {
  applicationGatewayId,
  InvalidGatewayIdError,
  subResourceId,
  type GatewaySubResourceKind,
} from "../../infra/edge/ids";
import { armResourceId, OFFLINE_SUBSCRIPTION_ID } from "../../tools/offline/ids";

const SUB = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
const GATEWAY = `/subscriptions/${SUB}/resourceGroups/rg-mcpgw-prod-weu/providers/Microsoft.Network/applicationGateways/agw-mcpgw-prod-weu-edge`;

describe("applicationGatewayId", () => {
  test("builds the ARM ID of the gateway", () => {
    expect(applicationGatewayId(SUB, "rg-mcpgw-prod-weu", "agw-mcpgw-prod-weu-edge")).toBe(GATEWAY);
  });

  test("matches the ID the offline mocks (and ARM) give the gateway resource", () => {
    const mockId = armResourceId("azure-native:network:ApplicationGateway", "edge-application-gateway", {
      resourceGroupName: "rg-mcpgw-dev-weu",
      applicationGatewayName: "agw-mcpgw-dev-weu-edge",
    });
    expect(applicationGatewayId(OFFLINE_SUBSCRIPTION_ID, "rg-mcpgw-dev-weu", "agw-mcpgw-dev-weu-edge")).toBe(
      mockId,
    );
  });

  test.each([
    ["not-a-guid", "rg", "agw"],
    [SUB, "rg/../other", "agw"],
    [SUB, "rg.", "agw"],
    [SUB, "rg", "-agw"],
    [SUB, "rg", "agw/x"],
    [SUB, "rg", "a".repeat(81)],
  ])("rejects subscription %s, group %s, name %s", (subscription, group, name) => {
    expect(() => applicationGatewayId(subscription, group, name)).toThrow(InvalidGatewayIdError);
  });
});

describe("subResourceId", () => {
  test.each<[GatewaySubResourceKind, string]>([
    ["frontendIPConfigurations", "public-frontend"],
    ["frontendPorts", "https-443"],
    ["sslCertificates", "gateway-tls"],
    ["httpListeners", "https-mcp"],
    ["backendAddressPools", "apim"],
    ["backendHttpSettingsCollection", "apim-https"],
    ["probes", "apim-status"],
    ["rewriteRuleSets", "edge-headers"],
    ["requestRoutingRules", "mcp-to-apim"],
    ["trustedRootCertificates", "backend-root-ca"],
  ])("%s/%s is a child of the gateway ID", (kind, name) => {
    expect(subResourceId(GATEWAY, kind, name)).toBe(`${GATEWAY}/${kind}/${name}`);
  });

  test("rejects IDs that are not an application gateway's", () => {
    expect(() => subResourceId("$self", "probes", "p")).toThrow(InvalidGatewayIdError);
    expect(() => subResourceId(`${GATEWAY}/probes/p`, "probes", "p")).toThrow(InvalidGatewayIdError);
    expect(() =>
      subResourceId(GATEWAY.replace("applicationGateways", "loadBalancers"), "probes", "p"),
    ).toThrow(InvalidGatewayIdError);
  });

  test("rejects child names Azure would reject (or that would change the path)", () => {
    for (const name of ["", "a/b", "-x", "x-", "has space", "a".repeat(81)]) {
      expect(() => subResourceId(GATEWAY, "httpListeners", name)).toThrow(InvalidGatewayIdError);
    }
    expect(subResourceId(GATEWAY, "httpListeners", "x_")).toBe(`${GATEWAY}/httpListeners/x_`);
  });
});
