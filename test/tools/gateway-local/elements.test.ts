/**
 * Each policy element of the local gateway runtime, run by the real runtime (Mono) with real HTTP
 * requests against small local servers. One config (one compile, one process) holds an API per
 * element; the switch tests start the same exe again with other switches.
 */
import * as http from "node:http";
import {
  DEFAULT_SWITCHES,
  type RuntimeApi,
  type RunningGateway,
  type RuntimeConfig,
} from "../../../tools/gateway-local/contract";
import { startGatewayRuntime } from "../../../tools/gateway-local/runtime";
import {
  type Issuer,
  type LocalServer,
  MICROSOFT_LOGIN,
  request,
  startIssuer,
  startServer,
  describeWithMono,
} from "./support";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT = "aaaaaaaa-0000-0000-0000-000000000001";
const AUDIENCE = "api://local-test";

/** The global on-error answers with LastError, so each test can see what the runtime raised. */
const GLOBAL = `<policies>
  <inbound><set-header name="X-Order" exists-action="append"><value>global</value></set-header></inbound>
  <backend />
  <outbound />
  <on-error>
    <return-response>
      <set-status code="@(context.Response.StatusCode)" reason="error" />
      <set-header name="X-Error-Source" exists-action="override"><value>@(context.LastError.Source)</value></set-header>
      <set-header name="X-Error-Reason" exists-action="override"><value>@(context.LastError.Reason)</value></set-header>
      <set-header name="X-Error-Scope" exists-action="override"><value>@(context.LastError.Scope)</value></set-header>
      <set-header name="X-Error-Section" exists-action="override"><value>@(context.LastError.Section)</value></set-header>
      <set-header name="X-Error-Path" exists-action="override"><value>@(context.LastError.Path)</value></set-header>
      <set-header name="Retry-After" exists-action="override"><value>@(context.Response.Headers.GetValueOrDefault("Retry-After", "none"))</value></set-header>
    </return-response>
  </on-error>
</policies>`;

const FORWARD = `<backend><base /><forward-request timeout="5" /></backend>`;

function policy(
  inbound: string,
  rest = `${FORWARD}<outbound><base /></outbound><on-error><base /></on-error>`,
): string {
  return `<policies><inbound><base />${inbound}</inbound>${rest}</policies>`;
}

const VALIDATE = `<validate-azure-ad-token tenant-id="${TENANT}" header-name="Authorization" failed-validation-httpcode="401" failed-validation-error-message="Unauthorized" output-token-variable-name="jwt">
  <client-application-ids><application-id>${CLIENT}</application-id></client-application-ids>
  <audiences><audience>${AUDIENCE}</audience></audiences>
  <required-claims><claim name="scp" match="any"><value>read</value><value>write</value></claim></required-claims>
</validate-azure-ad-token>`;

function apis(backend: string): RuntimeApi[] {
  const api = (id: string, policyXml: string, extra: Partial<RuntimeApi> = {}): RuntimeApi => ({
    id,
    path: id,
    serviceUrl: `${backend}/svc`,
    policy: policyXml,
    operations: ["GET", "POST", "DELETE"].map((method) => ({
      id: `${id}-${method.toLowerCase()}`,
      method,
      urlTemplate: "/{*rest}",
    })),
    ...extra,
  });
  return [
    api(
      "compose",
      policy(`<set-header name="X-Order" exists-action="append"><value>api</value></set-header>`),
      {
        operations: [
          {
            id: "op",
            method: "GET",
            urlTemplate: "/items/{id}",
            policy: `<policies><inbound><base /><set-header name="X-Order" exists-action="append"><value>operation</value></set-header>
              <set-header name="X-Ids" exists-action="override"><value>@(context.Api.Id + "/" + context.Operation.Id + "/" + context.Request.MatchedParameters["id"])</value></set-header>
              </inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`,
          },
        ],
      },
    ),
    api(
      "headers",
      policy(
        `
        <set-header name="X-Override" exists-action="override"><value>new</value></set-header>
        <set-header name="X-Skip" exists-action="skip"><value>ignored</value></set-header>
        <set-header name="X-Append" exists-action="append"><value>b</value><value>c</value></set-header>
        <set-header name="X-Delete" exists-action="delete" />
        <set-header name="X-Client-Ip" exists-action="override"><value>@(context.Request.IpAddress)</value></set-header>
        <set-header name="X-Request-Id" exists-action="override"><value>@(context.RequestId.ToString())</value></set-header>`,
        `${FORWARD}<outbound><base />
          <set-header name="X-Backend-Status" exists-action="override"><value>@(context.Response.StatusCode.ToString())</value></set-header>
          <set-status code="202" reason="Accepted Here" />
          <set-header name="X-Backend-Only" exists-action="delete" /></outbound><on-error><base /></on-error>`,
      ),
    ),
    api(
      "choose",
      policy(`<set-variable name="kind" value="@(context.Request.Headers.GetValueOrDefault(&quot;X-Kind&quot;, &quot;&quot;))" />
        <choose>
          <when condition="@(context.Variables.GetValueOrDefault&lt;string&gt;(&quot;kind&quot;) == &quot;a&quot;)">
            <return-response><set-status code="200" reason="OK" /><set-body>first</set-body></return-response>
          </when>
          <when condition="@(context.Variables.GetValueOrDefault&lt;string&gt;(&quot;kind&quot;) == &quot;b&quot;)">
            <return-response><set-status code="200" reason="OK" /><set-body>second</set-body></return-response>
          </when>
          <otherwise>
            <return-response><set-status code="418" reason="Teapot" /><set-body>@("otherwise:" + context.Variables.GetValueOrDefault&lt;string&gt;("kind"))</set-body></return-response>
          </otherwise>
        </choose>`),
    ),
    api(
      "return",
      policy(
        `<return-response>
          <set-status code="201" reason="Made" />
          <set-header name="X-Returned" exists-action="override"><value>yes</value></set-header>
          <set-body>{"done":true}</set-body>
        </return-response>
        <trace source="after-return" severity="error"><message>must not run</message></trace>`,
        `${FORWARD}<outbound><base /><set-header name="X-Outbound" exists-action="override"><value>ran</value></set-header></outbound><on-error><base /></on-error>`,
      ),
    ),
    api(
      "body",
      policy(`<choose>
          <when condition="@(context.Request.Headers.GetValueOrDefault(&quot;X-Mode&quot;, &quot;&quot;) == &quot;consume&quot;)">
            <set-variable name="method" value="@((string)context.Request.Body.As&lt;JObject&gt;()[&quot;method&quot;])" />
          </when>
          <when condition="@(context.Request.Headers.GetValueOrDefault(&quot;X-Mode&quot;, &quot;&quot;) == &quot;preserve&quot;)">
            <set-variable name="method" value="@((string)context.Request.Body.As&lt;JObject&gt;(preserveContent: true)[&quot;method&quot;])" />
          </when>
          <otherwise>
            <set-body>@("replaced:" + context.Request.Body.As&lt;string&gt;(preserveContent: true))</set-body>
            <set-variable name="method" value="set-body" />
          </otherwise>
        </choose>
        <set-header name="X-Method" exists-action="override"><value>@(context.Variables.GetValueOrDefault&lt;string&gt;("method"))</value></set-header>`),
    ),
    api(
      "cors",
      policy(`<cors allow-credentials="false" terminate-unmatched-request="false">
          <allowed-origins><origin>https://app.example.com</origin></allowed-origins>
          <allowed-methods preflight-result-max-age="600"><method>GET</method><method>POST</method></allowed-methods>
          <allowed-headers><header>Authorization</header><header>Content-Type</header></allowed-headers>
          <expose-headers><header>Mcp-Session-Id</header></expose-headers>
        </cors>`),
    ),
    api(
      "trace",
      policy(`<trace source="unit" severity="information">
          <message>@("hello " + context.Request.Method)</message>
          <metadata name="api" value="@(context.Api.Id)" />
        </trace>`),
    ),
    api(
      "token",
      policy(`${VALIDATE}<set-header name="X-Roles" exists-action="override"><value>@(((Jwt)context.Variables["jwt"]).Claims.GetValueOrDefault("roles", ""))</value></set-header>
      <set-header name="X-As-Jwt" exists-action="override"><value>@(context.Request.Headers.GetValueOrDefault("Authorization", "").AsJwt().Claims.GetValueOrDefault("azp", ""))</value></set-header>`),
    ),
    api(
      "rate",
      policy(
        `<rate-limit-by-key calls="2" renewal-period="60" counter-key="@(context.Request.Headers.GetValueOrDefault(&quot;X-User&quot;, &quot;anon&quot;))" retry-after-header-name="X-Retry" remaining-calls-header-name="X-Remaining" />`,
      ),
    ),
    api(
      "quota",
      policy(
        `<quota-by-key calls="1" renewal-period="86400" counter-key="@(context.Request.Headers.GetValueOrDefault(&quot;X-User&quot;, &quot;anon&quot;))" />`,
      ),
    ),
    api(
      "cache",
      policy(`<choose>
          <when condition="@(context.Request.Method == &quot;POST&quot;)">
            <cache-store-value key="@(&quot;k:&quot; + context.Request.Headers.GetValueOrDefault(&quot;X-Key&quot;, &quot;&quot;))" value="@(context.Request.Headers.GetValueOrDefault(&quot;X-Value&quot;, &quot;&quot;))" duration="60" caching-type="internal" />
          </when>
          <when condition="@(context.Request.Method == &quot;DELETE&quot;)">
            <cache-remove-value key="@(&quot;k:&quot; + context.Request.Headers.GetValueOrDefault(&quot;X-Key&quot;, &quot;&quot;))" caching-type="internal" />
          </when>
        </choose>
        <cache-lookup-value key="@(&quot;k:&quot; + context.Request.Headers.GetValueOrDefault(&quot;X-Key&quot;, &quot;&quot;))" variable-name="found" default-value="missing" caching-type="prefer-external" />
        <return-response><set-status code="200" reason="OK" /><set-body>@(context.Variables.GetValueOrDefault&lt;string&gt;("found"))</set-body></return-response>`),
    ),
    api("backend-id", policy(`<set-backend-service backend-id="echo" />`)),
    api("base-url", policy(`<set-backend-service base-url="${backend}/other" />`)),
    api(
      "identity",
      policy(`<set-header name="Authorization" exists-action="delete" />
        <authentication-managed-identity resource="https://backend.example.com" client-id="mi-client" output-token-variable-name="mi-token" />
        <set-header name="X-Token-Variable" exists-action="override"><value>@(context.Variables.GetValueOrDefault&lt;string&gt;("mi-token"))</value></set-header>`),
    ),
    api(
      "slow",
      policy(
        "",
        `<backend><base /><forward-request timeout="1" /></backend><outbound><base /></outbound><on-error><base /></on-error>`,
      ),
    ),
    api("unreachable", policy(""), { serviceUrl: "http://127.0.0.1:9/closed" }),
    api("external", policy(""), { serviceUrl: "https://backend.example.com/api" }),
    api(
      "sse",
      policy(
        "",
        `<backend><base /><forward-request timeout="5" buffer-response="false" /></backend><outbound><base /><set-header name="X-Streamed" exists-action="override"><value>yes</value></set-header></outbound><on-error><base /></on-error>`,
      ),
    ),
    api(
      "send",
      policy(`<send-request mode="new" response-variable-name="side" timeout="5" ignore-error="false">
          <set-url>${backend}/side</set-url>
          <set-method>POST</set-method>
          <set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header>
          <set-body>@("{\\"from\\":\\"" + context.Request.Method + "\\"}")</set-body>
          <authentication-managed-identity resource="https://side.example.com" />
        </send-request>
        <send-request mode="new" response-variable-name="broken" timeout="2" ignore-error="true">
          <set-url>http://127.0.0.1:9/nothing</set-url>
          <set-method>GET</set-method>
        </send-request>
        <return-response>
          <set-status code="200" reason="OK" />
          <set-header name="X-Broken-Null" exists-action="override"><value>@((context.Variables["broken"] == null).ToString())</value></set-header>
          <set-body>@(((IResponse)context.Variables["side"]).StatusCode + " " + ((IResponse)context.Variables["side"]).Body.As&lt;string&gt;())</set-body>
        </return-response>`),
    ),
    api(
      "named",
      policy(
        `<set-header name="X-Named" exists-action="override"><value>{{plain-value}}</value></set-header>`,
      ),
    ),
    api("plain-refusal", policy(VALIDATE, `${FORWARD}<outbound><base /></outbound><on-error />`)),
    api(
      "error-in-on-error",
      policy(
        `<set-variable name="x" value="@(context.Request.Headers[&quot;X-Absent&quot;][0])" />`,
        `${FORWARD}<outbound><base /></outbound><on-error><set-header name="X-Before" exists-action="override"><value>set</value></set-header><set-header name="X-Seen" exists-action="override"><value>@(context.Request.Headers[&quot;X-Absent&quot;][0])</value></set-header></on-error>`,
      ),
    ),
    api(
      "failing",
      policy(`<set-variable name="x" value="@(context.Request.Headers[&quot;X-Absent&quot;][0])" />`),
    ),
  ];
}

async function echoBackend(): Promise<LocalServer & { finishStream: () => void }> {
  let streams: http.ServerResponse[] = [];
  const server = await startServer((req, res, body) => {
    if (req.url?.startsWith("/svc/slow") || req.url?.startsWith("/svc/hang")) {
      setTimeout(() => res.end("late"), 3000);
      return;
    }
    if (req.url?.startsWith("/svc/stream")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("event: message\ndata: first\n\n");
      streams.push(res);
      return;
    }
    if (req.url?.startsWith("/side")) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ got: JSON.parse(body || "{}"), auth: req.headers["authorization"] ?? "" }));
      return;
    }
    res.setHeader("content-type", "application/json");
    res.setHeader("x-backend-only", "secret-ish");
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
  });
  return {
    ...server,
    finishStream: () => {
      for (const res of streams) res.end("event: message\ndata: last\n\n");
      streams = [];
    },
  };
}

describeWithMono("local gateway runtime: elements", () => {
  let backend: Awaited<ReturnType<typeof echoBackend>>;
  let identity: LocalServer;
  let issuer: Issuer;
  let config: RuntimeConfig;
  let gateway: RunningGateway;

  beforeAll(async () => {
    backend = await echoBackend();
    identity = await startServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          access_token: `mi:${url.searchParams.get("resource")}:${url.searchParams.get("client_id") ?? "system"}`,
          expires_in: 3600,
        }),
      );
    });
    issuer = await startIssuer(TENANT);
    config = {
      listen: { host: "127.0.0.1", port: 0 },
      globalPolicy: GLOBAL,
      apis: apis(backend.url),
      backends: { echo: `${backend.url}/from-backend-id` },
      namedValues: { "plain-value": "from-named-value" },
      hostOverrides: { [MICROSOFT_LOGIN]: issuer.server.url },
      managedIdentityEndpoint: `${identity.url}/identity`,
      switches: DEFAULT_SWITCHES,
    };
    gateway = await startGatewayRuntime(config);
  });

  afterAll(async () => {
    await gateway?.stop();
    backend?.finishStream();
    await Promise.all([backend?.close(), identity?.close(), issuer?.server.close()]);
  });

  const echoed = (body: string) =>
    JSON.parse(body) as { method: string; url: string; headers: Record<string, string>; body: string };

  it("composes global -> API -> operation through <base/> and matches the operation template", async () => {
    const response = await request(`${gateway.url}/compose/items/42`);
    expect(response.status).toBe(200);
    const seen = echoed(response.body);
    expect(seen.headers["x-order"]).toBe("global,api,operation");
    expect(seen.headers["x-ids"]).toBe("compose/op/42");
    expect(seen.url).toBe("/svc/items/42");
  });

  it("answers 404 when no API or no operation matches", async () => {
    expect((await request(`${gateway.url}/nothing-here`)).status).toBe(404);
    expect((await request(`${gateway.url}/compose/other`)).status).toBe(404);
    expect((await request(`${gateway.url}/compose/items/42`, { method: "DELETE" })).status).toBe(404);
  });

  it("set-header: override, skip, append, delete on the request; set-status and delete on the response", async () => {
    const response = await request(`${gateway.url}/headers/x`, {
      headers: { "X-Override": "old", "X-Skip": "kept", "X-Append": "a", "X-Delete": "gone" },
    });
    const seen = echoed(response.body);
    expect(seen.headers["x-override"]).toBe("new");
    expect(seen.headers["x-skip"]).toBe("kept");
    expect(seen.headers["x-append"]).toBe("a,b,c");
    expect(seen.headers["x-delete"]).toBeUndefined();
    expect(seen.headers["x-client-ip"]).toBe("127.0.0.1");
    expect(seen.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.status).toBe(202);
    expect(response.headers["x-backend-status"]).toBe("200");
    expect(response.headers["x-backend-only"]).toBeUndefined();
  });

  it("choose: the first true when, else otherwise; set-variable feeds later expressions", async () => {
    expect((await request(`${gateway.url}/choose/x`, { headers: { "X-Kind": "a" } })).body).toBe("first");
    expect((await request(`${gateway.url}/choose/x`, { headers: { "X-Kind": "b" } })).body).toBe("second");
    const other = await request(`${gateway.url}/choose/x`, { headers: { "X-Kind": "c" } });
    expect([other.status, other.body]).toEqual([418, "otherwise:c"]);
  });

  it("return-response ends the pipeline: nothing after it runs, outbound included", async () => {
    const before = gateway.traces.length;
    const response = await request(`${gateway.url}/return/x`);
    expect([response.status, response.body, response.headers["x-returned"]]).toEqual([
      201,
      '{"done":true}',
      "yes",
    ]);
    expect(response.headers["x-outbound"]).toBeUndefined();
    expect(gateway.traces.slice(before).some((t) => t.source === "after-return")).toBe(false);
    expect(
      backend.requests.some((r) => r.url.startsWith("/svc/x") && r.headers["x-order"] === undefined),
    ).toBe(false);
  });

  it("Body.As<JObject>() consumes the body unless preserveContent; set-body replaces it", async () => {
    const body = '{"jsonrpc":"2.0","method":"tools/list"}';
    const post = (mode: string) =>
      request(`${gateway.url}/body/x`, {
        method: "POST",
        headers: { "X-Mode": mode, "Content-Type": "application/json" },
        body,
      });
    const consumed = echoed((await post("consume")).body);
    expect([consumed.headers["x-method"], consumed.body]).toEqual(["tools/list", ""]);
    const preserved = echoed((await post("preserve")).body);
    expect([preserved.headers["x-method"], preserved.body]).toEqual(["tools/list", body]);
    // Newtonsoft.Json as API Management runs it: the last of duplicate keys wins, and keys are case-sensitive.
    const duplicated = '{"method":"tools/list","Method":"x","method":"tools/call"}';
    const dup = await request(`${gateway.url}/body/x`, {
      method: "POST",
      headers: { "X-Mode": "preserve", "Content-Type": "application/json" },
      body: duplicated,
    });
    expect(echoed(dup.body).headers["x-method"]).toBe("tools/call");
    const replaced = echoed((await post("set")).body);
    expect(replaced.body).toBe(`replaced:${body}`);
  });

  it("cors: a matching preflight is answered with the CORS headers and ends the pipeline", async () => {
    const before = backend.requests.length;
    const response = await request(`${gateway.url}/cors/x`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://app.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(response.headers["access-control-allow-methods"]).toBe("GET,POST");
    expect(response.headers["access-control-allow-headers"]).toBe("authorization");
    expect(response.headers["access-control-max-age"]).toBe("600");
    expect(backend.requests.length).toBe(before);
  });

  it("cors: a preflight from another origin gets no CORS headers; actual requests get allow-origin and expose-headers", async () => {
    const foreign = await request(`${gateway.url}/cors/x`, {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example.com", "Access-Control-Request-Method": "POST" },
    });
    expect(foreign.status).toBe(200);
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
    const actual = await request(`${gateway.url}/cors/x`, { headers: { Origin: "https://app.example.com" } });
    expect(actual.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(actual.headers["access-control-expose-headers"]).toBe("Mcp-Session-Id");
    const unmatched = await request(`${gateway.url}/cors/x`, {
      method: "POST",
      headers: { Origin: "https://evil.example.com" },
      body: "{}",
    });
    expect(unmatched.status).toBe(200);
    expect(unmatched.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("trace writes one TRACE line with source, severity, message and metadata", async () => {
    await request(`${gateway.url}/trace/x`, { method: "DELETE" });
    expect(gateway.traces).toContainEqual({
      source: "unit",
      severity: "information",
      message: "hello DELETE",
      metadata: { api: "trace" },
    });
  });

  describe("validate-azure-ad-token", () => {
    const call = (token?: string) =>
      request(
        `${gateway.url}/token/x`,
        token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
      );
    const good = { aud: AUDIENCE, azp: CLIENT, scp: "read", roles: ["Tools.Read", "Tools.Write"] };

    it("accepts a valid token and stores it as a Jwt (multi-valued claims comma-joined)", async () => {
      const response = await call(issuer.token(good));
      expect(response.status).toBe(200);
      const seen = echoed(response.body);
      expect(seen.headers["x-roles"]).toBe("Tools.Read,Tools.Write");
      expect(seen.headers["x-as-jwt"]).toBe(CLIENT);
    });

    it.each([
      ["no token", undefined, "TokenNotPresent"],
      ["a bad signature", "forged", "TokenSignatureInvalid"],
      ["a wrong audience", { ...good, aud: "api://other" }, "TokenAudienceNotAllowed"],
      ["an expired token", { ...good, exp: Math.floor(Date.now() / 1000) - 3600 }, "TokenExpired"],
      [
        "another tenant",
        {
          ...good,
          tid: "99999999-2222-3333-4444-555555555555",
          iss: `${MICROSOFT_LOGIN}/99999999-2222-3333-4444-555555555555/v2.0`,
        },
        "TokenIssuerNotAllowed",
      ],
      ["a missing required claim", { aud: AUDIENCE, azp: CLIENT }, "TokenClaimNotFound"],
      ["a required claim without an allowed value", { ...good, scp: "admin" }, "TokenClaimValueNotAllowed"],
      [
        "another client application",
        { ...good, azp: "bbbbbbbb-0000-0000-0000-000000000002" },
        "TokenClaimValueNotAllowed",
      ],
      ["a malformed token", "not-a-jwt", "JwtInvalid"],
    ])("refuses %s: on-error runs with LastError", async (_name, claims, reason) => {
      let token: string | undefined;
      if (claims === "forged") token = issuer.token(good, { key: issuer.foreignKey });
      else if (typeof claims === "string") token = claims;
      else if (claims !== undefined) token = issuer.token(claims);
      const response = await call(token);
      expect(response.status).toBe(401);
      expect(response.headers["x-error-reason"]).toBe(reason);
      expect(response.headers["x-error-source"]).toBe("validate-azure-ad-token");
      expect(response.headers["x-error-scope"]).toBe("api");
      expect(response.headers["x-error-section"]).toBe("inbound");
      expect(response.headers["x-error-path"]).toBe("validate-azure-ad-token[1]");
    });
  });

  it("a refused token with an on-error that answers nothing gets the policy's own 401 body", async () => {
    const response = await request(`${gateway.url}/plain-refusal/x`);
    expect([response.status, response.headers["content-type"]]).toEqual([401, "application/json"]);
    expect(JSON.parse(response.body)).toEqual({ statusCode: 401, message: "Unauthorized" });
  });

  it("rate-limit-by-key: 429 with Retry-After and RateLimitExceeded once a key's calls are used up", async () => {
    const user = { "X-User": `u-${Date.now()}` };
    const first = await request(`${gateway.url}/rate/x`, { headers: user });
    expect([first.status, first.headers["x-remaining"]]).toEqual([200, "1"]);
    expect((await request(`${gateway.url}/rate/x`, { headers: user })).status).toBe(200);
    const third = await request(`${gateway.url}/rate/x`, { headers: user });
    expect(third.status).toBe(429);
    expect(third.headers["x-error-reason"]).toBe("RateLimitExceeded");
    expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(third.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(
      (await request(`${gateway.url}/rate/x`, { headers: { "X-User": `other-${Date.now()}` } })).status,
    ).toBe(200);
  });

  it("quota-by-key: 403 and QuotaExceeded once the quota is used", async () => {
    const user = { "X-User": `q-${Date.now()}` };
    expect((await request(`${gateway.url}/quota/x`, { headers: user })).status).toBe(200);
    const second = await request(`${gateway.url}/quota/x`, { headers: user });
    expect([second.status, second.headers["x-error-reason"]]).toEqual([403, "QuotaExceeded"]);
  });

  it("cache-store-value / cache-lookup-value / cache-remove-value", async () => {
    const key = { "X-Key": `c-${Date.now()}` };
    expect((await request(`${gateway.url}/cache/x`, { headers: key })).body).toBe("missing");
    expect(
      (
        await request(`${gateway.url}/cache/x`, {
          method: "POST",
          headers: { ...key, "X-Value": "v1" },
          body: "",
        })
      ).body,
    ).toBe("v1");
    expect((await request(`${gateway.url}/cache/x`, { headers: key })).body).toBe("v1");
    expect((await request(`${gateway.url}/cache/x`, { method: "DELETE", headers: key })).body).toBe(
      "missing",
    );
  });

  it("set-backend-service: backend-id resolves through config.backends; base-url is used as given", async () => {
    expect(echoed((await request(`${gateway.url}/backend-id/a`)).body).url).toBe("/from-backend-id/a");
    expect(echoed((await request(`${gateway.url}/base-url/b?q=1`)).body).url).toBe("/other/b?q=1");
  });

  it("authentication-managed-identity: Authorization from the identity endpoint, and the output variable", async () => {
    const seen = echoed(
      (await request(`${gateway.url}/identity/x`, { headers: { Authorization: "Bearer client" } })).body,
    );
    expect(seen.headers["authorization"]).toBe("Bearer mi:https://backend.example.com:mi-client");
    expect(seen.headers["x-token-variable"]).toBe("mi:https://backend.example.com:mi-client");
  });

  it("forward-request: a timeout enters on-error with Reason Timeout (504)", async () => {
    const response = await request(`${gateway.url}/slow/slow`);
    expect([response.status, response.headers["x-error-source"], response.headers["x-error-reason"]]).toEqual(
      [504, "forward-request", "Timeout"],
    );
    expect(response.headers["x-error-section"]).toBe("backend");
  });

  it("forward-request: an unreachable backend, or one with no local override, is BackendConnectionFailure", async () => {
    for (const path of ["unreachable", "external"]) {
      const response = await request(`${gateway.url}/${path}/x`);
      expect([path, response.status, response.headers["x-error-reason"]]).toEqual([
        path,
        500,
        "BackendConnectionFailure",
      ]);
    }
  });

  it('forward-request buffer-response="false" streams: the first SSE event arrives before the backend ends', async () => {
    const firstChunk = await new Promise<{
      chunk: string;
      headers: http.IncomingHttpHeaders;
      rest: Promise<string>;
    }>((resolve, reject) => {
      const req = http.request(`${gateway.url}/sse/stream`, (res) => {
        let all = "";
        let resolveRest: (text: string) => void = () => undefined;
        const rest = new Promise<string>((r) => (resolveRest = r));
        res.setEncoding("utf8");
        res.once("data", (chunk: string) => {
          all += chunk;
          resolve({ chunk, headers: res.headers, rest });
          res.on("data", (more: string) => (all += more));
          res.on("end", () => resolveRest(all));
        });
      });
      req.on("error", reject);
      req.end();
    });
    expect(firstChunk.chunk).toContain("data: first");
    expect(firstChunk.chunk).not.toContain("data: last");
    expect(firstChunk.headers["x-streamed"]).toBe("yes");
    expect(firstChunk.headers["content-type"]).toBe("text/event-stream");
    backend.finishStream();
    expect(await firstChunk.rest).toContain("data: last");
  });

  it("open SSE streams do not hold up other requests to the same backend", async () => {
    const streams = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<http.ClientRequest>((resolve, reject) => {
            const req = http.request(`${gateway.url}/sse/stream`, (res) =>
              res.once("data", () => resolve(req)),
            );
            req.on("error", reject);
            req.end();
          }),
      ),
    );
    try {
      const response = await request(`${gateway.url}/compose/items/7`);
      expect(response.status).toBe(200);
    } finally {
      backend.finishStream();
      for (const stream of streams) stream.destroy();
    }
  });

  it("send-request: set-url/method/header/body and managed identity; ignore-error leaves a null response", async () => {
    const response = await request(`${gateway.url}/send/x`, { method: "POST", body: "" });
    expect(response.status).toBe(200);
    expect(response.headers["x-broken-null"]).toBe("True");
    const [status, json] = [
      response.body.slice(0, 3),
      JSON.parse(response.body.slice(4)) as { got: unknown; auth: string },
    ];
    expect(status).toBe("200");
    expect(json).toEqual({ got: { from: "POST" }, auth: "Bearer mi:https://side.example.com:system" });
  });

  it("substitutes {{named values}} before the document is read", async () => {
    expect(echoed((await request(`${gateway.url}/named/x`)).body).headers["x-named"]).toBe(
      "from-named-value",
    );
  });

  it("an expression that throws enters on-error with ExpressionValueEvaluationFailure (500)", async () => {
    const response = await request(`${gateway.url}/failing/x`);
    expect([response.status, response.headers["x-error-source"], response.headers["x-error-reason"]]).toEqual(
      [500, "set-variable", "ExpressionValueEvaluationFailure"],
    );
  });

  it("an error inside on-error answers 500", async () => {
    const response = await request(`${gateway.url}/error-in-on-error/x`);
    // on-error set X-Before, then failed: the answer is a bare 500, not the half-built response.
    expect([response.status, response.headers["x-before"], response.headers["x-seen"]]).toEqual([
      500,
      undefined,
      undefined,
    ]);
  });

  describe("switches", () => {
    const withSwitches = (switches: Partial<RuntimeConfig["switches"]>) =>
      startGatewayRuntime({ ...config, switches: { ...DEFAULT_SWITCHES, ...switches } });

    it("cacheVisibilityDelayMs: a stored value is found only after the delay", async () => {
      const delayed = await withSwitches({ cacheVisibilityDelayMs: 700 });
      try {
        const key = { "X-Key": "delayed" };
        expect(
          (
            await request(`${delayed.url}/cache/x`, {
              method: "POST",
              headers: { ...key, "X-Value": "v" },
              body: "",
            })
          ).body,
        ).toBe("missing");
        expect((await request(`${delayed.url}/cache/x`, { headers: key })).body).toBe("missing");
        await new Promise((resolve) => setTimeout(resolve, 800));
        expect((await request(`${delayed.url}/cache/x`, { headers: key })).body).toBe("v");
      } finally {
        await delayed.stop();
      }
    });

    it("cacheEmptiedBetweenRequests: nothing survives to the next request", async () => {
      const emptied = await withSwitches({ cacheEmptiedBetweenRequests: true });
      try {
        const key = { "X-Key": "emptied" };
        expect(
          (
            await request(`${emptied.url}/cache/x`, {
              method: "POST",
              headers: { ...key, "X-Value": "v" },
              body: "",
            })
          ).body,
        ).toBe("v");
        expect((await request(`${emptied.url}/cache/x`, { headers: key })).body).toBe("missing");
      } finally {
        await emptied.stop();
      }
    });

    it.each(["validate-jwt", ""] as const)(
      "tokenValidationErrorSource %j is the LastError.Source of a refused token",
      async (source) => {
        const other = await withSwitches({ tokenValidationErrorSource: source });
        try {
          const response = await request(`${other.url}/token/x`);
          expect([
            response.status,
            response.headers["x-error-source"],
            response.headers["x-error-reason"],
          ]).toEqual([401, source, "TokenNotPresent"]);
        } finally {
          await other.stop();
        }
      },
    );
  });
});
