/**
 * The rendered policy documents of the three stacks, taken unmodified from the offline plans (jest's
 * global setup builds them), run by the local runtime: every document loads, the dev MCP API answers a
 * request without a token with the 401 challenge the renderer wrote, the RFC 9728 metadata operations
 * answer 200, and a token with the tool's role reaches the backend with the gateway's own credential.
 */
import { DEFAULT_SWITCHES, type RunningGateway } from "../../../tools/gateway-local/contract";
import { startGatewayRuntime } from "../../../tools/gateway-local/runtime";
import { STACKS, stackPlan } from "../../support/plans";
import {
  configFromPlan,
  type Issuer,
  type LocalServer,
  MICROSOFT_LOGIN,
  request,
  startIssuer,
  startServer,
  describeWithMono,
} from "./support";

const XML_ENTITIES: Record<string, string> = {
  "&quot;": '"',
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&apos;": "'",
};
const unescape = (text: string) =>
  text.replace(/&(quot|amp|lt|gt|apos);/g, (entity) => XML_ENTITIES[entity] ?? entity);

function first(pattern: RegExp, text: string, what: string): string {
  const match = pattern.exec(text);
  if (match?.[1] === undefined) throw new Error(`the rendered policy has no ${what}`);
  return unescape(match[1]);
}

describeWithMono("local gateway runtime: the stacks' rendered policies", () => {
  it.each(STACKS)("loads every policy document of %s unmodified", async (stack) => {
    const config = configFromPlan(stackPlan(stack));
    const documents = [
      config.globalPolicy,
      ...config.apis.flatMap((a) => [a.policy, ...a.operations.map((o) => o.policy)]),
    ];
    expect(documents.filter((d) => d !== undefined).length).toBeGreaterThanOrEqual(8);
    const gateway = await startGatewayRuntime(config);
    try {
      const metadata = await request(`${gateway.url}/.well-known/oauth-protected-resource/docs/mcp`);
      expect(metadata.status).toBe(200);
      expect((JSON.parse(metadata.body) as { resource: string }).resource).toMatch(
        /^https:\/\/.*\/docs\/mcp$/,
      );
    } finally {
      await gateway.stop();
    }
  });

  describe("dev", () => {
    const config = () => configFromPlan(stackPlan("dev"));
    let gateway: RunningGateway;
    let backend: LocalServer;
    let identity: LocalServer;
    let issuer: Issuer;
    let apiPolicy: string;

    beforeAll(async () => {
      const base = config();
      const docs = base.apis.find((api) => api.id === "mcp-docs");
      if (docs?.policy === undefined) throw new Error("the dev plan has no mcp-docs API policy");
      apiPolicy = docs.policy;
      const tenant = first(/<validate-azure-ad-token tenant-id="([^"]+)"/, apiPolicy, "tenant");
      backend = await startServer((_req, res) => {
        res.setHeader("content-type", "application/json");
        res.end('{"jsonrpc":"2.0","id":1,"result":{"content":[]}}');
      });
      identity = await startServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://x");
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            access_token: `gateway-token-for:${url.searchParams.get("resource")}`,
            expires_in: 3600,
          }),
        );
      });
      issuer = await startIssuer(tenant);
      const backendOrigin = new URL(base.backends["mcp-docs"] ?? "").origin;
      gateway = await startGatewayRuntime({
        ...base,
        hostOverrides: { [MICROSOFT_LOGIN]: issuer.server.url, [backendOrigin]: backend.url },
        managedIdentityEndpoint: `${identity.url}/identity`,
        switches: DEFAULT_SWITCHES,
      });
    });

    afterAll(async () => {
      await gateway?.stop();
      await Promise.all([backend?.close(), identity?.close(), issuer?.server.close()]);
    });

    const toolCall = (token?: string) =>
      request(`${gateway.url}/docs/mcp`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "search_docs", arguments: { q: "x" } },
        }),
      });

    it("answers a request without a token with 401 and the challenge the renderer wrote", async () => {
      const challenge = first(
        /<set-header name="WWW-Authenticate" exists-action="override">\s*<value>(Bearer resource_metadata=[^<]*)<\/value>/,
        apiPolicy,
        "challenge without error",
      );
      const response = await toolCall();
      expect(response.status).toBe(401);
      expect(response.headers["www-authenticate"]).toBe(challenge);
      expect(backend.requests).toHaveLength(0);
    });

    it("answers the RFC 9728 metadata operations of the MCP API and of the well-known API", async () => {
      for (const path of [
        "/docs/mcp/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/docs/mcp",
      ]) {
        const response = await request(`${gateway.url}${path}`);
        expect([path, response.status, response.headers["content-type"]]).toEqual([
          path,
          200,
          "application/json",
        ]);
        expect(JSON.parse(response.body)).toMatchObject({ bearer_methods_supported: ["header"] });
      }
    });

    it("answers a CORS preflight from an allowed origin with the rendered cors policy, before any token check", async () => {
      const origin = first(/<allowed-origins>\s*<origin>([^<]+)<\/origin>/, apiPolicy, "allowed origin");
      const preflight = await request(`${gateway.url}/docs/mcp`, {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization",
        },
      });
      expect([preflight.status, preflight.headers["access-control-allow-origin"]]).toEqual([200, origin]);
      expect(preflight.headers["access-control-allow-methods"]).toBe("GET,POST,DELETE");
      const foreign = await request(`${gateway.url}/docs/mcp`, {
        method: "POST",
        headers: { Origin: "https://attacker.example", "Content-Type": "application/json" },
        body: "{}",
      });
      expect(foreign.status).toBe(403);
    });

    it("forwards a tool call with the tool's role, with the gateway's credential instead of the client's token", async () => {
      const audience = first(/<audiences>\s*<audience>([^<]+)<\/audience>/, apiPolicy, "audience");
      const client = first(
        /<client-application-ids>\s*<application-id>([^<]+)<\/application-id>/,
        apiPolicy,
        "client application",
      );
      const scope = first(/scope=&quot;https:\/\/[^&]*\/([^&/]+)&quot;/, apiPolicy, "scope");
      const claims = { aud: audience, azp: client, scp: scope };
      const allowed = await toolCall(issuer.token({ ...claims, roles: ["MCP.Tools.Read"] }));
      expect(allowed.status).toBe(200);
      expect(backend.requests).toHaveLength(1);
      expect(backend.requests[0]?.headers["authorization"]).toMatch(/^Bearer gateway-token-for:api:\/\//);
      const refused = await toolCall(issuer.token({ ...claims, roles: [] }));
      expect(refused.status).toBe(403);
      expect(backend.requests).toHaveLength(1);
    });
  });
});
