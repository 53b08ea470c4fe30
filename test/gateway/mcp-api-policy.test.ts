import {
  mcpServerUrls,
  type McpApiPolicyInput,
  referencedNamedValues,
  renderMcpApiPolicy,
} from "../../infra/gateway/policy";
import {
  API_CLIENT_ID,
  child,
  childNames,
  descendants,
  docsInput,
  findAll,
  orderOf,
  parseXml,
  section,
  TENANT_ID,
  VS_CODE_CLIENT_ID,
  type XmlNode,
} from "./support";

const SECTIONS = ["inbound", "backend", "outbound", "on-error"] as const;

function render(overrides: Partial<McpApiPolicyInput> = {}): XmlNode {
  return parseXml(renderMcpApiPolicy(docsInput(overrides)));
}

function headerValues(node: XmlNode, name: string): string[] {
  return findAll(node, "set-header")
    .filter((h) => h.attributes.name === name)
    .map((h) => child(h, "value").text);
}

/** Headers set by the section itself, not by a refusal nested in it. */
function ownHeaderValues(node: XmlNode, name: string): string[] {
  return node.children
    .filter((h) => h.name === "set-header" && h.attributes.name === name)
    .map((h) => child(h, "value").text);
}

function returnResponses(node: XmlNode): XmlNode[] {
  return findAll(node, "return-response");
}

function statusOf(response: XmlNode): string | undefined {
  return child(response, "set-status").attributes.code;
}

const urls = mcpServerUrls(docsInput());

describe("MCP API policy: document shape", () => {
  const policy = render();

  it("is well-formed XML with the four sections in order", () => {
    expect(policy.name).toBe("policies");
    expect(childNames(policy)).toEqual([...SECTIONS]);
  });

  it.each(SECTIONS)("starts the %s section with <base />", (name) => {
    expect(section(policy, name).children[0]?.name).toBe("base");
  });

  it("renders the same document for the same input", () => {
    expect(renderMcpApiPolicy(docsInput())).toBe(renderMcpApiPolicy(docsInput()));
  });

  it("never exposes LastError details, and reads a response body only to filter a tools/list answer or sign 2026-07-28 task IDs", () => {
    const xml = renderMcpApiPolicy(docsInput());
    expect(xml).not.toMatch(/LastError\.Message/);
    const readers = findAll(policy, "set-body").filter((b) => b.text.includes("context.Response.Body"));
    expect(readers).toHaveLength(2);
    const conditions = readers.map(
      (reader) =>
        findAll(section(policy, "outbound"), "when").find((w) => w.children.includes(reader))?.attributes
          .condition ?? "",
    );
    expect(conditions[0]).toContain('== "tools/list"');
    // Task answers only: a tools/call of a client that declared the Tasks extension, or tasks/get, on 2026-07-28.
    expect(conditions[1]).toContain('"mcp-modern"');
    expect(conditions[1]).toContain('[7]) == "tasks"');
    expect(conditions[1]).toContain('== "tasks/get"');
    const others = descendants(policy).filter(
      (n) => !readers.some((reader) => n === reader || descendants(reader).includes(n)),
    );
    expect(others.some((n) => n.text.includes("context.Response.Body"))).toBe(false);
    expect(
      others.some((n) =>
        Object.values(n.attributes).some((value) => value.includes("context.Response.Body")),
      ),
    ).toBe(false);
  });
});

describe("MCP API policy: inbound steps run in the issue's order", () => {
  const inbound = section(render(), "inbound");
  const at = (predicate: (n: XmlNode) => boolean) => {
    const index = orderOf(inbound, predicate);
    expect(index).toBeGreaterThanOrEqual(0);
    return index;
  };
  const named = (element: string, attribute?: [string, string]) => (n: XmlNode) =>
    n.name === element && (attribute === undefined || n.attributes[attribute[0]] === attribute[1]);
  const top = (element: string, attribute: [string, string]) => (n: XmlNode) =>
    inbound.children.includes(n) && named(element, attribute)(n);

  it("runs CORS, the address limit, transport, body, token, user limit, scope, method, session, limits, then swaps credentials", () => {
    const counterKey = (part: string) => (n: XmlNode) =>
      n.name === "rate-limit-by-key" && (n.attributes["counter-key"] ?? "").includes(part);
    const steps = [
      at(named("cors")),
      at(counterKey(":address")),
      at((n) => n.name === "when" && (n.attributes.condition ?? "").includes('GetValueOrDefault("Origin"')),
      at((n) => n.name === "when" && (n.attributes.condition ?? "").includes('"Content-Length"')),
      at(named("set-variable", ["name", "mcp-body"])),
      at(named("set-variable", ["name", "mcp-rpc-reading"])),
      at(named("set-variable", ["name", "mcp-rpc-envelope"])),
      // After the reading, so that its -32022 answer carries the request's id.
      at((n) => n.name === "when" && (n.attributes.condition ?? "").includes("MCP-Protocol-Version")),
      at(named("validate-azure-ad-token")),
      at(counterKey(":user")),
      at((n) => n.name === "when" && (n.attributes.condition ?? "").includes('GetValueOrDefault("scp"')),
      at(named("set-variable", ["name", "mcp-decision"])),
      at(named("cache-lookup-value")),
      at(counterKey(":session")),
      at(counterKey(":tool")),
      at(named("quota-by-key")),
      at(named("set-variable", ["name", "mcp-unlisted-headers"])),
      at(top("set-header", ["name", "Authorization"])),
      at(top("set-header", ["name", "X-MCP-Caller-OID"])),
      at(named("authentication-managed-identity")),
      at(top("set-header", ["name", "x-correlation-id"])),
    ];
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });

  it("reads the request body with preserveContent so the backend still gets it", () => {
    const body = descendants(inbound).find((n) => n.attributes.name === "mcp-body");
    expect(body?.attributes.value).toContain("Body.As<string>(preserveContent: true)");
  });

  it("refuses bad Origin (403), GET/DELETE on 2026-07-28 (405), size (413) and media type (415) before reading", () => {
    const transport = inbound.children.find(
      (n) => n.name === "choose" && (n.children[0]?.attributes.condition ?? "").includes('"Origin"'),
    );
    expect(transport?.children.map((w) => statusOf(child(w, "return-response")))).toEqual([
      "403",
      "405",
      "413",
      "415",
    ]);
    const [origin, , length] = transport?.children.map((w) => w.attributes.condition ?? "") ?? [];
    expect(origin).toContain('"https://vscode.dev"');
    expect(length).toContain("length > 1048576");
  });

  it("refuses an unsupported MCP-Protocol-Version (400) after the reading: size, JSON, envelope, then version", () => {
    const afterReading = inbound.children.find(
      (n) => n.name === "choose" && (n.children[0]?.attributes.condition ?? "").includes("GetByteCount"),
    );
    expect(afterReading?.children.map((w) => statusOf(child(w, "return-response")))).toEqual([
      "413",
      "400",
      "400",
      "400",
    ]);
    const version = afterReading?.children[3]?.attributes.condition ?? "";
    expect(version).toContain("MCP-Protocol-Version");
    expect(version).toContain('"2026-07-28", "2025-11-25", "2025-06-18"');
  });

  it("reads the body once: one strict reading, every later step reads its parts", () => {
    const reading =
      descendants(inbound).find((n) => n.attributes.name === "mcp-rpc-reading")?.attributes.value ?? "";
    expect(reading).toContain('(string)version != "2.0"');
    expect(reading).toContain("method.Type != JTokenType.String");
    expect(reading).toContain('"ambiguous"');
    const parsers = descendants(inbound).filter((n) =>
      Object.values(n.attributes).some((value) => value.includes("JObject.Parse(")),
    );
    expect(parsers.map((n) => n.attributes.name)).toEqual(["mcp-rpc-reading"]);
    const envelope = descendants(inbound).find((n) => n.attributes.name === "mcp-rpc-envelope");
    expect(envelope?.attributes.value).toContain(
      'JArray.Parse(context.Variables.GetValueOrDefault<string>("mcp-rpc-reading"',
    );
  });
});

describe("MCP API policy: token validation", () => {
  const token = findAll(render(), "validate-azure-ad-token")[0] as XmlNode;

  it("validates the Authorization header against the tenant and returns 401 on failure", () => {
    expect(token.attributes).toMatchObject({
      "tenant-id": TENANT_ID,
      "header-name": "Authorization",
      "failed-validation-httpcode": "401",
      "output-token-variable-name": "mcp-token",
    });
  });

  it("keeps the reference's child order and accepts exactly the API client ID and identifier URI", () => {
    expect(childNames(token)).toEqual(["client-application-ids", "audiences", "required-claims"]);
    expect(child(token, "audiences").children.map((a) => a.text)).toEqual([API_CLIENT_ID, urls.resourceUrl]);
    expect(child(token, "client-application-ids").children.map((a) => a.text)).toEqual([VS_CODE_CLIENT_ID]);
  });

  it("places backend-application-ids between client IDs and audiences when given", () => {
    const backendId = "99999999-8888-4777-8666-555555555555";
    const withBackend = findAll(
      render({ backendApplicationIds: [backendId] }),
      "validate-azure-ad-token",
    )[0] as XmlNode;
    expect(childNames(withBackend)).toEqual([
      "client-application-ids",
      "backend-application-ids",
      "audiences",
      "required-claims",
    ]);
    expect(child(withBackend, "backend-application-ids").children.map((a) => a.text)).toEqual([backendId]);
  });

  it("answers validation failures with 401 and the RFC 9728 challenge in on-error", () => {
    const responses = returnResponses(section(render(), "on-error")).filter((r) => statusOf(r) === "401");
    expect(responses).toHaveLength(2);
    const challenges = responses.flatMap((r) => headerValues(r, "WWW-Authenticate"));
    expect(challenges).toEqual([
      `Bearer error="invalid_token", resource_metadata="${urls.metadataUrl}", scope="${urls.scope}"`,
      `Bearer resource_metadata="${urls.metadataUrl}", scope="${urls.scope}"`,
    ]);
    const conditions = findAll(section(render(), "on-error"), "when").map(
      (w) => w.attributes.condition ?? "",
    );
    expect(conditions[0]).toContain('context.LastError.Source == "validate-azure-ad-token"');
  });

  it("answers a token without the delegated scope with 403 insufficient_scope", () => {
    const inbound = section(render(), "inbound");
    const scopeWhen = findAll(inbound, "when").find((w) => (w.attributes.condition ?? "").includes('"scp"'));
    expect(scopeWhen?.attributes.condition).toContain('.Contains("user_impersonation")');
    const response = child(scopeWhen as XmlNode, "return-response");
    expect(statusOf(response)).toBe("403");
    expect(headerValues(response, "WWW-Authenticate")).toEqual([
      `Bearer error="insufficient_scope", scope="${urls.scope}", resource_metadata="${urls.metadataUrl}"`,
    ]);
  });
});

describe("MCP API policy: method and tool authorization (deny by default)", () => {
  const inbound = section(render(), "inbound");
  const decision =
    descendants(inbound).find((n) => n.attributes.name === "mcp-decision")?.attributes.value ?? "";

  it("renders every allowlisted tool with its roles, and the configured methods (default: tools/list)", () => {
    const callable =
      descendants(inbound).find((n) => n.attributes.name === "mcp-callable-tools")?.attributes.value ?? "";
    expect(callable).toContain('var roles = new string[] { "MCP.Tools.Read", "MCP.Admin" };');
    expect(callable).toContain('{ "search_docs", new int[] { 0 } }');
    expect(callable).toContain('{ "get_page", new int[] { 0, 1 } }');
    expect(callable).toContain('GetValueOrDefault("roles", "")');
    expect(decision).toContain('new string[] { "search_docs", "get_page" }.Contains(name)');
    expect(decision).toContain('{ "tools/list", new string[0] }');
    expect(decision).toContain('GetValueOrDefault("roles", "")');
    expect(decision).toContain(
      '"initialize", "notifications/initialized", "ping", "notifications/cancelled"',
    );
    const withMethods =
      descendants(
        section(render({ methods: [{ name: "resources/read", roles: ["MCP.Admin"] }] }), "inbound"),
      ).find((n) => n.attributes.name === "mcp-decision")?.attributes.value ?? "";
    expect(withMethods).toContain('{ "resources/read", new string[] { "MCP.Admin" } }');
    expect(withMethods).not.toContain('"tools/list"');
  });

  it("refuses methods not allowed, task augmentation, unknown tools and missing roles, each with its own answer", () => {
    const whens = findAll(inbound, "when").filter((w) =>
      (w.attributes.condition ?? "").includes("mcp-decision"),
    );
    expect(whens.map((w) => w.attributes.condition)).toEqual([
      '@(((string)context.Variables["mcp-decision"]) == "method-not-allowed" && context.Variables.GetValueOrDefault<bool>("mcp-modern", false))',
      '@(((string)context.Variables["mcp-decision"]) == "method-not-allowed")',
      '@(((string)context.Variables["mcp-decision"]) == "task-refused")',
      '@(((string)context.Variables["mcp-decision"]) == "unknown-tool")',
      '@(((string)context.Variables["mcp-decision"]) == "role-missing")',
      '@(((string)context.Variables["mcp-decision"]) == "task")',
      '@(((string)context.Variables["mcp-decision"]) == "task" && ((string)context.Variables["mcp-task-backend-id"]).Length == 0)',
    ]);
    const [notFound, method, task, unknown, role, , unbound] = whens.map((w) =>
      w.children.find((c) => c.name === "return-response"),
    ) as XmlNode[];
    expect([notFound, method, task, unknown, role, unbound].map((r) => statusOf(r as XmlNode))).toEqual([
      "404",
      "403",
      "400",
      "403",
      "403",
      "400",
    ]);
    expect(child(notFound as XmlNode, "set-body").text).toContain("-32601");
    expect(child(unbound as XmlNode, "set-body").text).toContain("-32602");
    expect(child(method as XmlNode, "set-body").text).toContain("-32601");
    expect(child(unknown as XmlNode, "set-body").text).toContain('"Unknown tool"');
    expect(child(unknown as XmlNode, "set-body").text).toContain('new JProperty("jsonrpc", "2.0")');
    // Roles are not scopes: no step-up challenge a client would loop on.
    expect(headerValues(role as XmlNode, "WWW-Authenticate")).toEqual([]);
  });
});

describe("MCP API policy: session binding", () => {
  const policy = render();

  it("verifies the session MAC without the cache, forwards the backend's own ID, and signs the one it hands out", () => {
    const inbound = section(policy, "inbound");
    const verified = descendants(inbound).find((n) => n.attributes.name === "mcp-session-backend-id");
    expect(verified?.attributes.value).toContain('HMACSHA256(Encoding.UTF8.GetBytes("{{mcp-session-key}}"))');
    expect(verified?.attributes.value).toContain('"docs"');
    expect(verified?.attributes.value).toContain("difference |= presented[i] ^ expected[i]");
    // The first Mcp-Session-Id element inbound deletes the header on 2026-07-28 (no sessions there).
    const [ignored, forwarded] = findAll(inbound, "set-header").filter(
      (h) => h.attributes.name === "Mcp-Session-Id",
    );
    expect(ignored?.attributes["exists-action"]).toBe("delete");
    expect(child(forwarded as XmlNode, "value").text).toBe(
      '@(((string)context.Variables["mcp-session-backend-id"]))',
    );
    const outbound = section(policy, "outbound");
    const signed = findAll(outbound, "set-header").filter((h) => h.attributes.name === "Mcp-Session-Id");
    expect(signed.map((h) => h.attributes["exists-action"])).toEqual(["override", "delete"]);
    expect(child(signed[0]!, "value").text).toContain(
      '((string)context.Variables["mcp-session-bind"]) + "." + ',
    );
  });

  it("looks the owner of an unverifiable session up under mcp-session:<server>:<id> for the audit only, and answers unknown and foreign sessions alike (404)", () => {
    const lookup = findAll(section(policy, "inbound"), "cache-lookup-value")[0] as XmlNode;
    expect(lookup.attributes.key).toBe(
      '@("mcp-session:docs:" + ((string)context.Variables["mcp-session-claimed"]))',
    );
    expect(lookup.attributes["variable-name"]).toBe("mcp-session-owner");
    const sessionWhen = findAll(section(policy, "inbound"), "when").find((w) =>
      w.children.some((c) => c.name === "cache-lookup-value"),
    );
    const responses = findAll(sessionWhen as XmlNode, "return-response");
    expect(responses.map(statusOf)).toEqual(["404", "404"]);
    expect(child(responses[1]!, "set-body").text).toBe(child(responses[0]!, "set-body").text);
  });

  it("binds the session to the validated oid on the way out, for the configured TTL, and unbinds on DELETE", () => {
    const outbound = section(policy, "outbound");
    const store = findAll(outbound, "cache-store-value")[0] as XmlNode;
    expect(store.attributes).toMatchObject({
      key: '@("mcp-session:docs:" + ((string)context.Variables["mcp-session-bind"]))',
      value: '@(((string)context.Variables["mcp-oid"]))',
      duration: "3600",
    });
    expect(findAll(outbound, "cache-remove-value")).toHaveLength(1);
    const bind =
      descendants(outbound).find((n) => n.attributes.name === "mcp-session-bind")?.attributes.value ?? "";
    expect(bind).toContain('context.Response.Headers.GetValueOrDefault("Mcp-Session-Id", "")');
  });

  it("still validates the token on requests that carry a session", () => {
    const inbound = section(policy, "inbound");
    expect(orderOf(inbound, (n) => n.name === "validate-azure-ad-token")).toBeLessThan(
      orderOf(inbound, (n) => n.name === "cache-lookup-value"),
    );
    const validation = findAll(inbound, "validate-azure-ad-token");
    expect(validation).toHaveLength(1);
    expect(inbound.children).toContain(validation[0]);
  });
});

describe("MCP API policy: rate limits", () => {
  const inbound = section(render(), "inbound");
  const limits = findAll(inbound, "rate-limit-by-key");

  it("renders the configured numbers and Retry-After", () => {
    expect(limits.map((l) => [l.attributes.calls, l.attributes["renewal-period"]])).toEqual([
      ["600", "60"],
      ["120", "60"],
      ["60", "30"],
      ["30", "90"],
    ]);
    limits.forEach((l) => expect(l.attributes["retry-after-header-name"]).toBe("Retry-After"));
    const quota = findAll(inbound, "quota-by-key")[0] as XmlNode;
    expect(quota.attributes).toMatchObject({ calls: "5000", "renewal-period": "86400" });
  });

  it("keys the first counter on the client address, every other on the validated token's oid, never on a raw header", () => {
    const keys = [...limits, ...findAll(inbound, "quota-by-key")].map(
      (l) => l.attributes["counter-key"] ?? "",
    );
    expect(keys).toEqual([
      '@("mcp-rl:docs:address" + ":" + ((string)context.Variables["mcp-audit-client-ip"]))',
      '@("mcp-rl:docs:user" + ":" + ((string)context.Variables["mcp-oid"]))',
      '@("mcp-rl:docs:session" + ":" + ((string)context.Variables["mcp-oid"]) + ":" + ((string)context.Variables["mcp-session-backend-id"]))',
      '@("mcp-rl:docs:tool" + ":" + ((string)context.Variables["mcp-oid"]) + ":" + ((string)context.Variables["mcp-tool-name"]))',
      '@("mcp-quota:docs:user" + ":" + ((string)context.Variables["mcp-oid"]))',
    ]);
    const oid = descendants(inbound).find((n) => n.attributes.name === "mcp-oid");
    expect(oid?.attributes.value).toBe(
      '@(((Jwt)context.Variables["mcp-token"]).Claims.GetValueOrDefault("oid", ""))',
    );
  });

  it("limits per tool only for tools/call", () => {
    const toolLimitWhen = findAll(inbound, "when").find((w) =>
      w.children.some((c) => c.attributes["counter-key"]?.includes(":tool")),
    );
    expect(toolLimitWhen?.attributes.condition).toBe(
      '@(((string)context.Variables["mcp-rpc-method"]) == "tools/call")',
    );
  });

  it("turns rate-limit and quota errors into 429 with Retry-After", () => {
    const tooMany = returnResponses(section(render(), "on-error")).filter((r) => statusOf(r) === "429");
    expect(tooMany).toHaveLength(2);
    tooMany.forEach((r) =>
      expect(headerValues(r, "Retry-After")[0]).toMatch(
        /^@\(context\.Response\.Headers\.GetValueOrDefault\("Retry-After"/,
      ),
    );
  });

  it("omits quota-by-key on v2 tiers and refuses a daily quota there", () => {
    const v2Limits = { ...docsInput().rateLimits, dailyQuotaPerUser: undefined };
    expect(findAll(render({ gatewayTier: "v2", rateLimits: v2Limits }), "quota-by-key")).toHaveLength(0);
    expect(() => renderMcpApiPolicy(docsInput({ gatewayTier: "v2" }))).toThrow(/quota-by-key/);
  });
});

describe("MCP API policy: backend call", () => {
  it("removes the client's Authorization header before the managed-identity token is added", () => {
    const inbound = section(render(), "inbound");
    const remove = inbound.children.findIndex(
      (n) => n.name === "set-header" && n.attributes.name === "Authorization",
    );
    const identity = inbound.children.findIndex((n) => n.name === "authentication-managed-identity");
    expect(inbound.children[remove]?.attributes["exists-action"]).toBe("delete");
    expect(identity).toBeGreaterThan(remove);
    expect(inbound.children[identity]?.attributes.resource).toBe("api://mcp-docs-backend");
  });

  it("uses a user-assigned identity when given", () => {
    const clientId = "12345678-1234-4234-8234-123456789012";
    const inbound = section(render({ managedIdentityClientId: clientId }), "inbound");
    expect(findAll(inbound, "authentication-managed-identity")[0]?.attributes["client-id"]).toBe(clientId);
  });

  it("sets an API key from a named value for apiKey backends", () => {
    const backend = { kind: "apiKey", headerName: "X-Api-Key", namedValueName: "weather-api-key" } as const;
    const input = docsInput({ backend });
    const inbound = section(parseXml(renderMcpApiPolicy(input)), "inbound");
    expect(headerValues(inbound, "X-Api-Key")).toEqual(["{{weather-api-key}}"]);
    expect(findAll(inbound, "authentication-managed-identity")).toHaveLength(0);
    expect(referencedNamedValues(input)).toEqual(["mcp-session-key", "weather-api-key"]);
  });

  it("routes to the server's Backend entity, and then takes an API key from the entity", () => {
    const routed = section(render({ backendId: "mcp-docs" }), "inbound");
    const route = findAll(routed, "set-backend-service");
    expect(route.map((n) => n.attributes["backend-id"])).toEqual(["mcp-docs"]);
    expect(findAll(routed, "authentication-managed-identity")).toHaveLength(1);
    expect(findAll(section(render(), "inbound"), "set-backend-service")).toHaveLength(0);

    const backend = { kind: "apiKey", headerName: "X-Api-Key", namedValueName: "weather-api-key" } as const;
    const input = docsInput({ backend, backendId: "mcp-weather" });
    const xml = renderMcpApiPolicy(input);
    expect(xml).not.toContain("{{weather-api-key}}");
    expect(headerValues(section(parseXml(xml), "inbound"), "X-Api-Key")).toEqual([]);
    expect(referencedNamedValues(input)).toEqual(["mcp-session-key"]);
    expect(() => renderMcpApiPolicy(docsInput({ backendId: 'x" y' }))).toThrow(/backendId/);
  });

  it("forwards once, unbuffered, so SSE streams", () => {
    const policy = render();
    const forwards = findAll(policy, "forward-request");
    expect(forwards).toHaveLength(1);
    expect(childNames(section(policy, "backend"))).toEqual(["base", "forward-request"]);
    expect(forwards[0]?.attributes).toMatchObject({ "buffer-response": "false", timeout: "120" });
  });

  it("adds a correlation ID for the backend and the client", () => {
    const policy = render();
    for (const name of ["inbound", "outbound"] as const) {
      expect(ownHeaderValues(section(policy, name), "x-correlation-id")).toEqual([
        "@(context.RequestId.ToString())",
      ]);
    }
  });
});

describe("MCP API policy: outbound and errors", () => {
  const policy = render();
  const outbound = section(policy, "outbound");

  it("adds security headers and removes fingerprinting headers", () => {
    expect(ownHeaderValues(outbound, "Strict-Transport-Security")).toEqual([
      "max-age=31536000; includeSubDomains",
    ]);
    expect(ownHeaderValues(outbound, "X-Content-Type-Options")).toEqual(["nosniff"]);
    expect(ownHeaderValues(outbound, "Cache-Control")).toEqual(["no-store"]);
    const deleted = outbound.children
      .filter((n) => n.attributes["exists-action"] === "delete")
      .map((n) => n.attributes.name);
    expect(deleted).toEqual([
      "WWW-Authenticate",
      "Set-Cookie",
      "X-Powered-By",
      "X-AspNet-Version",
      "X-AspNetMvc-Version",
      "X-Envoy-Upstream-Service-Time",
      "X-Runtime",
    ]);
  });

  it("answers every other error with a generic body carrying the correlation ID", () => {
    const onError = section(policy, "on-error");
    const fallback = child(child(child(onError, "choose"), "otherwise"), "return-response");
    expect(statusOf(fallback)).toBe("500");
    const body = child(fallback, "set-body").text;
    expect(body).toContain('"Internal error"');
    expect(body).toContain('new JProperty("correlationId", context.RequestId.ToString())');
  });

  it("adds CORS only when browser origins are allowed", () => {
    expect(findAll(section(render({ allowedOrigins: [] }), "inbound"), "cors")).toHaveLength(0);
    const cors = findAll(section(policy, "inbound"), "cors")[0] as XmlNode;
    expect(cors.attributes["allow-credentials"]).toBe("false");
    expect(child(cors, "allowed-origins").children.map((o) => o.text)).toEqual(["https://vscode.dev"]);
  });
});
