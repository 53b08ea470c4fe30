import {
  mcpApiSpec,
  mcpServerUrls,
  PRM_WELL_KNOWN_PATH,
  protectedResourceMetadata,
  renderGlobalPolicy,
  renderMcpApiPolicy,
  renderPrmOperationPolicy,
  renderProtectedResourceMetadataJson,
  renderWellKnownApiPolicy,
  wellKnownApiSpec,
} from "../../infra/gateway/policy";
import { child, childNames, docsInput, findAll, parseXml, section, TENANT_ID, type XmlNode } from "./support";

const identity = {
  serverName: "docs",
  gatewayHostname: "mcp.dev.contoso.com",
  tenantId: TENANT_ID,
  scopeValue: "user_impersonation",
};

describe("RFC 9728 Protected Resource Metadata", () => {
  it("names the MCP endpoint as the resource, the tenant as issuer and the full scope", () => {
    expect(JSON.parse(renderProtectedResourceMetadataJson(identity))).toEqual({
      resource: "https://mcp.dev.contoso.com/docs/mcp",
      authorization_servers: [`https://login.microsoftonline.com/${TENANT_ID}/v2.0`],
      scopes_supported: ["https://mcp.dev.contoso.com/docs/mcp/user_impersonation"],
      bearer_methods_supported: ["header"],
    });
  });

  it("adds resource_name only when given", () => {
    expect(protectedResourceMetadata({ ...identity, resourceName: 'Docs "search"' }).resource_name).toBe(
      'Docs "search"',
    );
    expect("resource_name" in protectedResourceMetadata(identity)).toBe(false);
  });

  it("keeps resource, identifier URI (audience) and scope consistent with the API policy", () => {
    const urls = mcpServerUrls(identity);
    const metadata = protectedResourceMetadata(identity);
    const token = findAll(parseXml(renderMcpApiPolicy(docsInput())), "validate-azure-ad-token")[0];
    const audiences = token === undefined ? [] : child(token, "audiences").children.map((a) => a.text);
    expect(audiences).toContain(metadata.resource);
    expect(metadata.scopes_supported.every((scope) => scope.startsWith(`${metadata.resource}/`))).toBe(true);
    expect(urls.metadataUrl).toBe(`https://mcp.dev.contoso.com/${PRM_WELL_KNOWN_PATH}/docs/mcp`);
    expect(urls.endpointMetadataUrl).toBe(`https://mcp.dev.contoso.com/docs/mcp/${PRM_WELL_KNOWN_PATH}`);
  });
});

describe("PRM operation policy", () => {
  const policy = parseXml(renderPrmOperationPolicy(identity));
  const inbound = section(policy, "inbound");

  it("starts every section with <base /> and then answers, with no token validation of its own", () => {
    expect(childNames(inbound)).toEqual(["base", "return-response"]);
    for (const name of ["backend", "outbound", "on-error"] as const) {
      expect(childNames(section(policy, name))).toEqual(["base"]);
    }
    expect(findAll(policy, "validate-azure-ad-token")).toHaveLength(0);
  });

  it("serves the metadata document as JSON", () => {
    const response = child(inbound, "return-response");
    expect(child(response, "set-status").attributes.code).toBe("200");
    expect(JSON.parse(child(response, "set-body").text)).toEqual(protectedResourceMetadata(identity));
    const contentType = findAll(response, "set-header").find((h) => h.attributes.name === "Content-Type");
    expect(contentType && child(contentType, "value").text).toBe("application/json");
  });
});

describe("the metadata operation inside an MCP API", () => {
  const inbound = section(parseXml(renderMcpApiPolicy(docsInput())), "inbound");
  const isMetadataChoose = (n: XmlNode) =>
    n.name === "choose" && (n.children[0]?.attributes.condition ?? "").includes("context.Operation.Id");
  const first = inbound.children.find(isMetadataChoose);

  it("is answered by the API policy after CORS and the address limit, before transport checks and the token", () => {
    expect(inbound.children.map((n) => n.name).slice(0, 2)).toEqual(["base", "cors"]);
    const at = (predicate: (n: XmlNode) => boolean) => inbound.children.findIndex(predicate);
    const metadata = at(isMetadataChoose);
    expect(metadata).toBeGreaterThan(at((n) => n.name === "rate-limit-by-key"));
    expect(metadata).toBeLessThan(at((n) => n.name === "validate-azure-ad-token"));
    expect(metadata).toBeLessThan(
      at((n) => n.name === "choose" && (n.children[0]?.attributes.condition ?? "").includes('"Origin"')),
    );
    const when = first === undefined ? undefined : child(first, "when");
    expect(when?.attributes.condition).toBe('@(context.Operation.Id == "prm")');
    const operation = mcpApiSpec("docs").operations.find((o) => o.policy === "protectedResourceMetadata");
    expect(when?.attributes.condition).toContain(`"${operation?.name}"`);
  });

  it("answers with the same document as the operation policy", () => {
    const when = first === undefined ? undefined : child(first, "when");
    const response = when === undefined ? undefined : child(when, "return-response");
    expect(response && JSON.parse(child(response, "set-body").text)).toEqual(
      protectedResourceMetadata(docsInput()),
    );
    const named = protectedResourceMetadata({ ...docsInput(), resourceName: "Docs" });
    const withName = child(
      child(
        section(parseXml(renderMcpApiPolicy(docsInput({ resourceName: "Docs" }))), "inbound").children.find(
          isMetadataChoose,
        )!,
        "when",
      ),
      "return-response",
    );
    expect(JSON.parse(child(withName, "set-body").text)).toEqual(named);
  });
});

describe("where the metadata is served", () => {
  const urls = mcpServerUrls(identity);
  const pathOf = (url: string) => new URL(url).pathname;

  it("routes the path-suffixed URL (the challenge's resource_metadata) to the well-known API", () => {
    const api = wellKnownApiSpec(["docs", "weather"]);
    expect(api.path).toBe(PRM_WELL_KNOWN_PATH);
    expect(api.operations.map((o) => [o.method, `/${api.path}${o.urlTemplate}`, o.policy])).toEqual([
      ["GET", "/.well-known/oauth-protected-resource/docs/mcp", "protectedResourceMetadata"],
      ["GET", "/.well-known/oauth-protected-resource/weather/mcp", "protectedResourceMetadata"],
    ]);
    expect(pathOf(urls.metadataUrl)).toBe(`/${api.path}${api.operations[0]?.urlTemplate}`);
  });

  it("routes the endpoint-relative URL to a GET operation of the MCP API next to POST/GET/DELETE", () => {
    const api = mcpApiSpec("docs", "Internal documentation search");
    expect(api.path).toBe(urls.apiPath);
    expect(api.operations.map((o) => [o.method, o.urlTemplate, o.policy])).toEqual([
      ["POST", "/", "none"],
      ["GET", "/", "none"],
      ["DELETE", "/", "none"],
      ["GET", `/${PRM_WELL_KNOWN_PATH}`, "protectedResourceMetadata"],
    ]);
    const prm = api.operations.find((o) => o.policy === "protectedResourceMetadata");
    expect(pathOf(urls.endpointMetadataUrl)).toBe(`/${api.path}${prm?.urlTemplate}`);
  });

  it("renders the well-known API and global policies as well-formed documents", () => {
    const wellKnown = parseXml(renderWellKnownApiPolicy());
    expect(childNames(wellKnown)).toEqual(["inbound", "backend", "outbound", "on-error"]);
    const global = parseXml(renderGlobalPolicy());
    expect(findAll(global, "forward-request")).toHaveLength(0);
  });
});
