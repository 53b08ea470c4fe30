import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  ATTACK_MARKER,
  COGNITIVE_SERVICES_RESOURCE,
  type RunningBackend,
  type RunningContentSafety,
  startBackend,
  startContentSafety,
} from "../../../tools/gateway-local/backends";
import {
  createLocalIssuer,
  entraIssuer,
  parseMintRequest,
  type RunningIssuer,
  startIssuer,
  userObjectId,
  verifyManagedIdentityToken,
} from "../../../tools/gateway-local/issuer";
import { decodeClaims } from "../../../tools/conformance/jwt";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

const TENANT = "3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13";
const BACKEND_AUDIENCE = `api://${TENANT}/mcpgw-dev-docs-backend`;
const GATEWAY_CLIENT_ID = "dbf68c72-4d32-475b-9c82-91a0e55d1efd";

let issuer: RunningIssuer;
let backend: RunningBackend;
let shield: RunningContentSafety;

beforeAll(async () => {
  issuer = await startIssuer(createLocalIssuer({ tenantId: TENANT }));
  backend = await startBackend(
    {
      name: "docs",
      tools: [{ name: "search_docs" }, { name: "get_page" }],
      auth: { kind: "managedIdentity", audience: BACKEND_AUDIENCE },
      streamIntervalMs: 40,
    },
    issuer.issuer,
  );
  shield = await startContentSafety(issuer.issuer);
});

afterAll(async () => {
  await Promise.all([backend.stop(), shield.stop(), issuer.stop()]);
});

async function miToken(resource: string): Promise<string> {
  const res = await fetch(
    `${issuer.managedIdentityEndpoint}?resource=${encodeURIComponent(resource)}&client_id=${GATEWAY_CLIENT_ID}`,
  );
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; expires_in: number };
  expect(body.expires_in).toBe(3600);
  return body.access_token;
}

function userToken(): string {
  return issuer.issuer.userToken({
    user: "alice",
    roles: ["MCP.Tools.Read"],
    audience: "https://mcp.dev.contoso.com/docs/mcp",
    clientId: "aebc6443-996d-45c2-90f0-388ff96faa56",
    scope: "user_impersonation",
  });
}

describe("local token issuer", () => {
  test("serves Entra-shaped OpenID metadata and a JWKS holding the signing key", async () => {
    const meta = (await (
      await fetch(`${issuer.url}/${TENANT}/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(meta["issuer"]).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0`);
    expect(meta["jwks_uri"]).toBe(`https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`);
    const jwks = (await (await fetch(`${issuer.url}/${TENANT}/discovery/v2.0/keys`)).json()) as {
      keys: { kid: string; kty: string }[];
    };
    expect(jwks.keys.map((k) => [k.kid, k.kty])).toEqual([[issuer.issuer.key.kid, "RSA"]]);
    expect(
      (
        await fetch(
          `${issuer.url}/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration`,
        )
      ).status,
    ).toBe(404);
  });

  test("user tokens are v2 tokens with the requested claims; expired ones lie in the past", () => {
    const claims = decodeClaims(userToken())!;
    expect(claims).toMatchObject({
      ver: "2.0",
      tid: TENANT,
      iss: entraIssuer(TENANT),
      oid: userObjectId("alice"),
      azp: "aebc6443-996d-45c2-90f0-388ff96faa56",
      scp: "user_impersonation",
      roles: ["MCP.Tools.Read"],
      aud: "https://mcp.dev.contoso.com/docs/mcp",
    });
    const header = JSON.parse(Buffer.from(userToken().split(".")[0]!, "base64url").toString()) as Record<
      string,
      string
    >;
    expect(header).toEqual({ alg: "RS256", typ: "JWT", kid: issuer.issuer.key.kid });
    const expired = decodeClaims(
      issuer.issuer.userToken({ user: "a", roles: [], audience: "x", clientId: "c", expired: true }),
    )!;
    expect(expired["exp"] as number).toBeLessThan(Date.now() / 1000);
    expect(expired["roles"]).toBeUndefined();
    expect(userObjectId("alice")).not.toBe(userObjectId("bob"));
  });

  test("managed-identity tokens are app tokens for the resource; user tokens never pass as one", async () => {
    const token = await miToken(BACKEND_AUDIENCE);
    expect(verifyManagedIdentityToken(token, issuer.issuer, BACKEND_AUDIENCE)).toMatchObject({ ok: true });
    expect(verifyManagedIdentityToken(token, issuer.issuer, "https://other")).toMatchObject({ ok: false });
    expect(verifyManagedIdentityToken(userToken(), issuer.issuer, BACKEND_AUDIENCE)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("passthrough"),
    });
    expect(issuer.managedIdentityRequests).toContainEqual({
      resource: BACKEND_AUDIENCE,
      clientId: GATEWAY_CLIENT_ID,
    });
    expect((await fetch(issuer.managedIdentityEndpoint)).status).toBe(400);
  });

  test("the mint endpoint validates its request, naming the field at fault", async () => {
    expect(() => parseMintRequest({ user: "a", audience: "x", clientId: "c", roles: "Docs.Read" })).toThrow(
      /roles/,
    );
    expect(() => parseMintRequest({ user: "a", audience: "x", clientId: "c", colour: 1 })).toThrow(/colour/);
    const res = await fetch(`${issuer.url}/_local/token`, {
      method: "POST",
      body: JSON.stringify({ user: "carol", roles: ["R"], audience: "aud", clientId: "c" }),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    expect(decodeClaims(token)).toMatchObject({ oid: userObjectId("carol"), roles: ["R"], aud: "aud" });
  });
});

describe("local MCP server", () => {
  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: "test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${backend.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}`, "x-correlation-id": "corr-1" } },
      }),
    );
    return client;
  }

  test("with the gateway's managed identity: exactly the configured tools, echoing arguments and headers", async () => {
    const client = await connect(await miToken(BACKEND_AUDIENCE));
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(["search_docs", "get_page"]);
    const result = await client.callTool({ name: "search_docs", arguments: { query: "vpn" } });
    const content = result.content as { type: string; text: string }[];
    const echo = JSON.parse(content[0]!.text) as Record<string, unknown>;
    expect(echo).toMatchObject({ server: "docs", tool: "search_docs", arguments: { query: "vpn" } });
    expect((echo["headers"] as Record<string, string>)["x-correlation-id"]).toBe("corr-1");
    expect(JSON.stringify(echo)).not.toContain("Bearer");
    await client.close();
  });

  test("streams progress events over SSE before the result when asked for a count", async () => {
    const client = await connect(await miToken(BACKEND_AUDIENCE));
    const seen: number[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, () => {
      seen.push(performance.now());
    });
    const result = client.callTool({ name: "get_page", arguments: { count: 3 } }).then(() => seen.length);
    // All three progress events arrive before the result (no timing asserted: the machine is shared).
    expect(await result).toBe(3);
    await client.close();
  });

  test("refuses the client's own token (no passthrough), another audience and no token", async () => {
    const before = backend.requests.length;
    await expect(connect(userToken())).rejects.toThrow(/passthrough/);
    await expect(connect(await miToken("https://other.example"))).rejects.toThrow(/audience/);
    const res = await fetch(`${backend.url}/mcp`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(backend.requests.slice(before).map((r) => r.credential)).toEqual([
      "client-token",
      "invalid",
      "none",
    ]);
  });
});

describe("Content Safety stand-in", () => {
  const url = (): string => `${shield.url}/contentsafety/text:shieldPrompt?api-version=2024-09-01`;
  const post = async (token: string | undefined, userPrompt: unknown): Promise<Response> =>
    fetch(url(), {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ userPrompt }),
    });

  test("reports an attack only when the prompt holds the marker", async () => {
    const token = await miToken(COGNITIVE_SERVICES_RESOURCE);
    expect(await (await post(token, '{"q":"weather"}')).json()).toEqual({
      userPromptAnalysis: { attackDetected: false },
      documentsAnalysis: [],
    });
    expect(await (await post(token, `{"q":"${ATTACK_MARKER}"}`)).json()).toMatchObject({
      userPromptAnalysis: { attackDetected: true },
    });
    expect((await post(token, 42)).status).toBe(400);
  });

  test("requires the managed-identity token for Cognitive Services and the 2024-09-01 API", async () => {
    expect((await post(undefined, "x")).status).toBe(401);
    expect((await post(await miToken(BACKEND_AUDIENCE), "x")).status).toBe(401);
    expect((await post(userToken(), "x")).status).toBe(401);
    const wrongVersion = await fetch(url().replace("2024-09-01", "2023-10-01"), {
      method: "POST",
      body: "{}",
    });
    expect(wrongVersion.status).toBe(400);
  });
});
