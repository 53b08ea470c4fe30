import { mcpServerUrls, renderMcpApiPolicy, renderPrmOperationPolicy } from "../../infra/gateway/policy";
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
      expect(xml).toContain(`{ &quot;tool_${i}&quot;, new string[] { &quot;Role.${i}&quot; } }`);
      expect(xml).toContain(urls.metadataUrl);
    });
  });

  it("refuses a policy larger than API Management accepts", () => {
    const tools = Array.from({ length: 2000 }, (_, i) => ({
      name: `${"t".repeat(120)}${i}`,
      roles: ["MCP.Tools.Read"],
    }));
    expect(() => renderMcpApiPolicy(docsInput({ tools }))).toThrow(/256 KiB/);
  });
});
