import {
  COGNITIVE_SERVICES_AUDIENCE,
  renderContentSafetyFragment,
  renderMcpApiPolicy,
} from "../../infra/gateway/policy";
import { child, childNames, docsInput, findAll, parseXml, section, type XmlNode } from "./support";

const endpoint = "https://cs-mcpgw-dev.cognitiveservices.azure.com/";

function statuses(node: XmlNode): (string | undefined)[] {
  return findAll(node, "return-response").map((r) => child(r, "set-status").attributes.code);
}

describe("Prompt Shields content-safety fragment", () => {
  it("is absent unless the server enables it", () => {
    const inbound = section(parseXml(renderMcpApiPolicy(docsInput())), "inbound");
    expect(findAll(inbound, "send-request")).toHaveLength(0);
    expect(renderMcpApiPolicy(docsInput())).not.toContain("mcp-shield");
  });

  it("renders a standalone <fragment> that screens tools/call arguments with a managed identity", () => {
    const fragment = parseXml(renderContentSafetyFragment({ endpoint, failMode: "closed" }));
    expect(fragment.name).toBe("fragment");
    const request = findAll(fragment, "send-request")[0] as XmlNode;
    expect(request.attributes).toMatchObject({ mode: "new", "ignore-error": "true", timeout: "10" });
    expect(child(request, "set-url").text).toBe(
      "https://cs-mcpgw-dev.cognitiveservices.azure.com/contentsafety/text:shieldPrompt?api-version=2024-09-01",
    );
    expect(child(request, "authentication-managed-identity").attributes.resource).toBe(
      COGNITIVE_SERVICES_AUDIENCE,
    );
    expect(child(fragment, "choose").children[0]?.attributes.condition).toBe(
      '@(((string)context.Variables["mcp-rpc-method"]) == "tools/call")',
    );
  });

  it("fails closed (413, 503) or open (attacks only) as configured", () => {
    expect(statuses(parseXml(renderContentSafetyFragment({ endpoint, failMode: "closed" })))).toEqual([
      "403",
      "413",
      "503",
    ]);
    expect(statuses(parseXml(renderContentSafetyFragment({ endpoint, failMode: "open" })))).toEqual(["403"]);
  });

  it("is inlined after the rate limits and before the backend credential when enabled", () => {
    const clientId = "12345678-1234-4234-8234-123456789012";
    const inbound = section(
      parseXml(
        renderMcpApiPolicy(
          docsInput({ contentSafety: { endpoint, failMode: "closed" }, managedIdentityClientId: clientId }),
        ),
      ),
      "inbound",
    );
    const names = childNames(inbound);
    const screening = inbound.children.findIndex((n) => findAll(n, "send-request").length > 0);
    expect(screening).toBeGreaterThan(names.lastIndexOf("quota-by-key"));
    expect(screening).toBeLessThan(names.indexOf("authentication-managed-identity"));
    const identities = findAll(inbound, "authentication-managed-identity").map(
      (n) => n.attributes["client-id"],
    );
    expect(identities).toEqual([clientId, clientId]);
  });

  it("rejects an endpoint that is not an https host", () => {
    expect(() => renderContentSafetyFragment({ endpoint: "http://cs.example", failMode: "closed" })).toThrow(
      /endpoint/,
    );
  });
});
