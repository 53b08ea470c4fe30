import { POLICY_LIMITS } from "../../infra/config/primitives";
import {
  MAX_POLICY_DOCUMENT_BYTES,
  mcpServerUrls,
  renderMcpApiPolicy,
  renderPrmOperationPolicy,
} from "../../infra/gateway/policy";
import { child, docsInput, findAll, parseXml, type XmlNode } from "./support";

describe("rendering many servers", () => {
  const inputs = Array.from({ length: 50 }, (_, i) =>
    docsInput({
      serverName: `server-${String(i).padStart(2, "0")}`,
      tools: [{ name: `tool_${i}`, roles: [`Role.${i}`] }],
    }),
  );

  it("renders 50 distinct, correct policies quickly", () => {
    const started = performance.now();
    const policies = inputs.map(renderMcpApiPolicy);
    const prms = inputs.map(renderPrmOperationPolicy);
    const elapsed = performance.now() - started;

    expect(new Set(policies).size).toBe(50);
    expect(new Set(prms).size).toBe(50);
    expect(elapsed).toBeLessThan(2000);

    policies.forEach((xml, i) => {
      const input = inputs[i] as (typeof inputs)[number];
      const urls = mcpServerUrls(input);
      const policy = parseXml(xml);
      const token = findAll(policy, "validate-azure-ad-token")[0] as XmlNode;
      expect(child(token, "audiences").children.map((a) => a.text)).toEqual([
        input.apiClientId,
        urls.resourceUrl,
      ]);
      expect(findAll(policy, "cache-lookup-value")[0]?.attributes.key).toContain(
        `"mcp-session:${input.serverName}:"`,
      );
      // Each distinct role once, the tool by role index (infra/gateway/policy/expressions.ts, callableTools).
      expect(xml).toContain(`var roles = new string[] { &quot;Role.${i}&quot; };`);
      expect(xml).toContain(`{ &quot;tool_${i}&quot;, new int[] { 0 } }`);
      expect(xml).toContain(urls.metadataUrl);
    });
  });

  it("renders the largest server the config schema allows (POLICY_LIMITS) under API Management's limit", () => {
    // Longest values the schema admits: 128-character tool names, 120-character role values, origins
    // with 253-character host names; the config's limits exist so that this never throws (issue 21).
    const roles = Array.from(
      { length: POLICY_LIMITS.rolesPerTool },
      (_, j) => `R${"r".repeat(115)}${String(j).padStart(4, "0")}`,
    );
    const tools = Array.from({ length: POLICY_LIMITS.toolsPerServer }, (_, i) => ({
      name: `${"t".repeat(124)}${String(i).padStart(4, "0")}`,
      roles,
    }));
    const label = "a".repeat(61);
    const allowedOrigins = Array.from(
      { length: POLICY_LIMITS.allowedOrigins },
      (_, i) => `https://${label}.${label}.${label}.${label.slice(0, 53)}${String(i).padStart(2, "0")}.com`,
    );
    const allowedClientAppIds = Array.from(
      { length: POLICY_LIMITS.preAuthorizedClientIds },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    const supportedProtocolVersions = Array.from(
      { length: POLICY_LIMITS.supportedProtocolVersions },
      (_, i) => `2025-01-${String(i + 10)}`,
    );
    const xml = renderMcpApiPolicy(
      docsInput({ tools, allowedOrigins, allowedClientAppIds, supportedProtocolVersions }),
    );
    expect(Buffer.byteLength(xml, "utf8")).toBeLessThanOrEqual(MAX_POLICY_DOCUMENT_BYTES);
  });

  it("refuses a policy larger than API Management accepts", () => {
    const tools = Array.from({ length: 2000 }, (_, i) => ({
      name: `${"t".repeat(120)}${i}`,
      roles: ["MCP.Tools.Read"],
    }));
    expect(() => renderMcpApiPolicy(docsInput({ tools }))).toThrow(/256 KiB/);
  });
});
