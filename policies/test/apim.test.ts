import { T } from "../src/lib/types";
import { check, type Fixture, violations } from "./harness";

const validation = `
    <validate-azure-ad-token tenant-id="3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13" header-name="Authorization" failed-validation-httpcode="401" output-token-variable-name="token">
      <client-application-ids><application-id>aebc6443-996d-45c2-90f0-388ff96faa56</application-id></client-application-ids>
      <audiences><audience>api://mcp.contoso.com</audience><audience>{{mcp-client-id}}</audience></audiences>
    </validate-azure-ad-token>`;

/** A policy document in APIM's rawxml style: unescaped C# expressions in attributes and text. */
function policy({
  inbound = `<base />${validation}<authentication-managed-identity resource="api://docs" /><rate-limit-by-key calls="60" renewal-period="60" counter-key="@(((Jwt)context.Variables["token"]).Claims.GetValueOrDefault("oid", ""))" />`,
  backend = "<base />",
  outbound = "<base />",
  onError = "<base />",
} = {}): string {
  return `<policies>
  <inbound>${inbound}
    <choose>
      <when condition="@(context.Request.Headers.GetValueOrDefault("Origin", "") != "" && !context.Variables.GetValueOrDefault<bool>("originAllowed"))">
        <return-response><set-status code="403" reason="Forbidden" /></return-response>
      </when>
    </choose>
    <set-variable name="size" value="@{ var n = context.Request.Body?.As<string>(preserveContent: true)?.Length ?? 0; return n < 1048576; }" />
  </inbound>
  <backend>${backend}</backend>
  <outbound>${outbound}</outbound>
  <on-error>${onError}</on-error>
</policies>`;
}

describe("apim-mcp-token-validation", () => {
  const rule = "apim-mcp-token-validation";
  test("compliant rawxml document with expressions; exempt metadata API; escaped xml format", async () => {
    expect(
      await check(rule, T.apimApiPolicy, { apiId: "docs-mcp", format: "rawxml", value: policy() }),
    ).toEqual([]);
    expect(
      await check(rule, T.apimApiPolicy, {
        apiId: "oauth-protected-resource",
        format: "rawxml",
        value: "<policies><inbound><base /><return-response /></inbound></policies>",
      }),
    ).toEqual([]);
    const escaped = `<policies><inbound><base />${validation}<set-variable name="o" value="@(context.Request.Headers.GetValueOrDefault(&quot;Origin&quot;, &quot;&quot;))" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
    expect(await check(rule, T.apimApiPolicy, { apiId: "docs-mcp", format: "xml", value: escaped })).toEqual(
      [],
    );
  });

  test.each([
    ["no validation", policy({ inbound: "<base />" }), /no validate-azure-ad-token or validate-jwt/],
    [
      "validation nested in choose (conditional)",
      policy({ inbound: `<base /><choose><when condition="@(true)">${validation}</when></choose>` }),
      /direct child/,
    ],
    [
      "no audiences",
      policy({
        inbound: `<base /><validate-azure-ad-token tenant-id="t"><client-application-ids><application-id>x</application-id></client-application-ids></validate-azure-ad-token>`,
      }),
      /at least one <audience>/,
    ],
    [
      "empty audience",
      policy({
        inbound: `<base /><validate-azure-ad-token tenant-id="t"><audiences><audience></audience></audiences></validate-azure-ad-token>`,
      }),
      /at least one <audience>/,
    ],
    [
      "validate-jwt without signature keys",
      policy({
        inbound: `<base /><validate-jwt header-name="Authorization"><audiences><audience>a</audience></audiences></validate-jwt>`,
      }),
      /openid-config/,
    ],
    [
      "validate-jwt accepting unsigned tokens",
      policy({
        inbound: `<base /><validate-jwt require-signed-tokens="False"><openid-config url="https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration" /><audiences><audience>a</audience></audiences></validate-jwt>`,
      }),
      /require-signed-tokens/,
    ],
    ["malformed XML", "<policies><inbound><base /></policies>", /not well-formed/],
    ["linked document", "https://example.com/policy.xml", /linked/],
  ])("violating: %s", async (label, value, message) => {
    const format = label === "linked document" ? "rawxml-link" : "rawxml";
    const found = await check(rule, T.apimApiPolicy, { apiId: "docs-mcp", format, value });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
    expect(found[0]?.severity).toBe("critical");
  });

  test("an apiId unknown at preview is judged by the policy resource's name", async () => {
    const bare = { apiId: "[unknown]", value: policy({ inbound: "<base />" }) };
    expect(await check(rule, T.apimApiPolicy, bare)).toHaveLength(1);
    expect(
      await violations(rule, [
        { type: T.apimApiPolicy, name: "gateway-api-mcp-well-known-policy", inputs: bare },
      ]),
    ).toEqual([]);
  });

  test("MCP API policies inside an ARM template deployment (native MCP API type)", async () => {
    const template = {
      resources: [
        {
          type: "Microsoft.ApiManagement/service/apis",
          name: "apim/docs-mcp",
          properties: { type: "mcp" },
          resources: [
            {
              type: "policies",
              name: "policy",
              properties: { format: "rawxml", value: policy({ inbound: "<base />" }) },
            },
          ],
        },
      ],
    };
    const found = await check(rule, T.armDeployment, { properties: { mode: "Incremental", template } });
    expect(found.map((v) => v.message)).toEqual([expect.stringContaining("template resource policy")]);
  });
});

describe("apim-policy-base-inheritance", () => {
  const rule = "apim-policy-base-inheritance";
  test("compliant API, operation and product policies", async () => {
    for (const type of [T.apimApiPolicy, T.apimApiOperationPolicy, T.apimProductPolicy])
      expect(await check(rule, type, { value: policy() })).toEqual([]);
  });
  test("the global policy has no parent: not applicable", async () => {
    expect(await check(rule, T.apimGlobalPolicy, { value: "<policies><inbound /></policies>" })).toEqual([]);
  });
  test.each([
    [
      "missing <base /> in on-error",
      policy({ onError: "<return-response />" }),
      /<on-error> does not contain <base \/>/,
    ],
    [
      "<base /> not first in outbound",
      policy({ outbound: '<set-header name="x" exists-action="delete" /><base />' }),
      /<outbound> must start with <base \/>/,
    ],
    [
      "<base /> nested in a choose is not inheritance",
      policy({ backend: '<choose><when condition="@(true)"><base /></when></choose>' }),
      /<backend> does not contain <base \/>/,
    ],
    ["missing backend section", policy().replace("<backend><base /></backend>", ""), /<backend> is missing/],
  ])("violating: %s", async (_label, value, message) => {
    const found = await check(rule, T.apimApiOperationPolicy, { value });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
  test("requireFirst can be turned off", async () => {
    const packConfig = { policies: { [rule]: { config: { requireFirst: false } } } };
    expect(
      await check(
        rule,
        T.apimApiPolicy,
        { value: policy({ outbound: '<set-header name="x" exists-action="delete" /><base />' }) },
        { packConfig },
      ),
    ).toEqual([]);
  });
});

describe("apim-mcp-no-token-passthrough and apim-mcp-rate-limit", () => {
  test("compliant", async () => {
    expect(
      await check("apim-mcp-no-token-passthrough", T.apimApiPolicy, { apiId: "docs-mcp", value: policy() }),
    ).toEqual([]);
    const deleting = policy({
      inbound: `<base />${validation}<set-header name="authorization" exists-action="delete" />`,
    });
    expect(
      await check("apim-mcp-no-token-passthrough", T.apimApiPolicy, {
        apiId: "weather-mcp",
        value: deleting,
      }),
    ).toEqual([]);
    expect(
      await check("apim-mcp-rate-limit", T.apimApiPolicy, { apiId: "docs-mcp", value: policy() }),
    ).toEqual([]);
  });
  test("violating: token forwarded; no rate limit (advisory)", async () => {
    const bare = policy({ inbound: `<base />${validation}` });
    expect(
      await check("apim-mcp-no-token-passthrough", T.apimApiPolicy, { apiId: "docs-mcp", value: bare }),
    ).toHaveLength(1);
    const limited = await check("apim-mcp-rate-limit", T.apimApiPolicy, { apiId: "docs-mcp", value: bare });
    expect(limited).toHaveLength(1);
    expect(limited[0]?.enforcementLevel).toBe("advisory");
  });
});

describe("apim-subscription-scope", () => {
  const rule = "apim-subscription-scope";
  test.each([
    ["/products/mcp"],
    ["/apis/docs-mcp"],
    ["/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim/products/mcp"],
  ])("compliant %s", async (scope) => {
    expect(await check(rule, T.apimSubscription, { displayName: "s", scope })).toEqual([]);
  });
  test.each([
    ["/apis"],
    ["/APIS/"],
    ["/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim/apis"],
    ["/"],
    [""],
  ])("violating %j", async (scope) => {
    expect(await check(rule, T.apimSubscription, { displayName: "s", scope })).toHaveLength(1);
  });
  test("a suspended all-APIs subscription is not active", async () => {
    expect(
      await check(rule, T.apimSubscription, { displayName: "s", scope: "/apis", state: "suspended" }),
    ).toEqual([]);
  });
});

describe("apim-api-https-only", () => {
  const rule = "apim-api-https-only";
  test("compliant", async () =>
    expect(
      await check(rule, T.apimApi, {
        path: "docs",
        protocols: ["HTTPS"],
        serviceUrl: "https://docs.internal",
      }),
    ).toEqual([]));
  test.each([
    [{ path: "docs" }, /protocols must be set/],
    [{ path: "docs", protocols: ["https", "http"] }, /must not include "http"/],
    [{ path: "docs", protocols: ["https"], serviceUrl: "http://docs.internal" }, /serviceUrl/],
  ])("violating %j", async (inputs, message) => {
    const found = await check(rule, T.apimApi, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
});

describe("apim-vnet-injected", () => {
  const rule = "apim-vnet-injected";
  const good = {
    sku: { name: "Premium", capacity: 2 },
    virtualNetworkType: "Internal",
    virtualNetworkConfiguration: { subnetResourceId: "/x/subnets/gateway" },
  };
  test("compliant Premium and Developer (lower case)", async () => {
    expect(await check(rule, T.apimService, good)).toEqual([]);
    expect(await check(rule, T.apimService, { ...good, sku: { name: "developer", capacity: 1 } })).toEqual(
      [],
    );
  });
  test.each([
    [{ ...good, sku: { name: "StandardV2", capacity: 1 } }, /sku.name must be one of/],
    [{ ...good, virtualNetworkType: "None" }, /virtualNetworkType/],
    [{ sku: { name: "Premium", capacity: 1 }, virtualNetworkType: "Internal" }, /subnetResourceId/],
  ])("violating %j", async (inputs, message) => {
    const found = await check(rule, T.apimService, inputs);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });
});

describe("apim-management-endpoints-disabled", () => {
  const rule = "apim-management-endpoints-disabled";
  test("compliant service and template", async () => {
    expect(
      await check(rule, T.apimService, { developerPortalStatus: "Disabled", legacyPortalStatus: "disabled" }),
    ).toEqual([]);
    const template = {
      resources: [
        {
          type: "Microsoft.ApiManagement/service/tenant",
          name: "apim/access",
          properties: { enabled: false },
        },
      ],
    };
    expect(await check(rule, T.armDeployment, { properties: { template } })).toEqual([]);
  });
  test("violating: portals enabled by default; direct management and basic auth in a template", async () => {
    expect(await check(rule, T.apimService, {})).toHaveLength(2);
    const template = {
      resources: [
        {
          type: "Microsoft.ApiManagement/service/tenant",
          name: "apim/access",
          properties: { enabled: true },
        },
        {
          type: "Microsoft.ApiManagement/service/portalconfigs",
          name: "apim/default",
          properties: { enableBasicAuth: true },
        },
      ],
    };
    expect(await check(rule, T.armDeployment, { properties: { template } })).toHaveLength(2);
  });
});

describe("apim-backend-authenticated", () => {
  const rule = "apim-backend-authenticated";
  const backend = (name: string, credentials?: unknown): Fixture => ({
    type: T.apimBackend,
    name,
    inputs: { backendId: name, url: "https://x", ...(credentials ? { credentials } : {}) },
  });
  test("credentials or a managed-identity policy that routes to the backend", async () => {
    const routing: Fixture = {
      type: T.apimApiPolicy,
      name: "p",
      inputs: {
        apiId: "docs-mcp",
        value: policy({
          inbound: `<base />${validation}<authentication-managed-identity resource="api://docs" /><set-backend-service backend-id="docs" />`,
        }),
      },
    };
    expect(
      await violations(rule, [
        backend("docs"),
        routing,
        backend("weather", { header: { "X-Api-Key": ["{{weather-api-key}}"] } }),
      ]),
    ).toEqual([]);
  });
  test("a backend with neither", async () => {
    const routing: Fixture = {
      type: T.apimApiPolicy,
      name: "p",
      inputs: {
        apiId: "docs-mcp",
        value: policy({ inbound: `<base /><set-backend-service backend-id="docs" />` }),
      },
    };
    expect((await violations(rule, [backend("docs"), routing])).map((v) => v.urn)).toEqual([
      expect.stringContaining("::docs"),
    ]);
  });
});
