import { metadataUrls, validateMetadata } from "../../../tools/conformance/checks/metadata";
import { validRetryAfter } from "../../../tools/conformance/checks/rate-limit";
import { decodeClaims, tamperPayload, tamperSignature, unsignedToken } from "../../../tools/conformance/jwt";
import { findLeaks } from "../../../tools/conformance/leaks";
import { sseEvents } from "../../../tools/conformance/mcp";
import { redact } from "../../../tools/conformance/redact";
import { createTestIssuer, validateToken } from "./reference-server";
import { formatJUnit, formatTable } from "../../../tools/conformance/report";
import type { CheckRun } from "../../../tools/conformance/runner";
import { child, parseXml, type XmlNode } from "../../support/xml";
import { parseWwwAuthenticate } from "../../../tools/conformance/www-authenticate";

describe("WWW-Authenticate", () => {
  test("parses the MCP challenge, quoted strings and several schemes", () => {
    expect(
      parseWwwAuthenticate(
        'Bearer resource_metadata="https://h/.well-known/oauth-protected-resource/s/mcp", scope="a b", ' +
          'error="insufficient_scope", error_description="say \\"no\\"", Basic realm="x"',
      ),
    ).toEqual([
      {
        scheme: "bearer",
        params: {
          resource_metadata: "https://h/.well-known/oauth-protected-resource/s/mcp",
          scope: "a b",
          error: "insufficient_scope",
          error_description: 'say "no"',
        },
      },
      { scheme: "basic", params: { realm: "x" } },
    ]);
  });

  test("token values and a bare scheme", () => {
    expect(parseWwwAuthenticate("Bearer error=invalid_token")).toEqual([
      { scheme: "bearer", params: { error: "invalid_token" } },
    ]);
    expect(parseWwwAuthenticate("Bearer")).toEqual([{ scheme: "bearer", params: {} }]);
  });
});

describe("redaction", () => {
  const jwt = createTestIssuer().mint({ oid: "x", aud: "y" });

  test("removes exact secrets, JWT-shaped strings and bearer values", () => {
    expect(redact(`token ${jwt} end`, [])).toBe("token [redacted] end");
    expect(redact("opaque-secret-value here", ["opaque-secret-value"])).toBe("[redacted] here");
    expect(redact("Authorization: Bearer abcdefgh12345678", [])).toBe("Authorization: Bearer [redacted]");
  });

  test("keeps challenge parameters readable", () => {
    const challenge = 'Bearer resource_metadata="https://h/x", scope="s"';
    expect(redact(challenge, [])).toBe(challenge);
  });
});

describe("leak detection", () => {
  test("finds diagnostics, stack traces, paths and internal hosts", () => {
    expect(findLeaks("IDX10223: Lifetime validation failed.")).toEqual(
      expect.arrayContaining(["IdentityModel diagnostic", "token validation diagnostic"]),
    );
    expect(findLeaks("Error\n    at validate (/app/src/auth.js:12:5)")).toEqual(
      expect.arrayContaining(["stack trace", "file path", "source location"]),
    );
    expect(findLeaks("backend ca-docs.internal.azurecontainerapps.io unreachable")).toEqual([
      "internal host",
    ]);
    expect(findLeaks("connect to 10.40.4.7 failed")).toEqual(["private address"]);
    expect(findLeaks("you sent abcdefghijklmnop", ["abcdefghijklmnop"])).toEqual(["reflected token"]);
  });

  test("accepts the gateway's plain refusals", () => {
    for (const body of [
      '{"statusCode":401,"message":"Unauthorized. Access token is missing or invalid."}',
      '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Forbidden"}}',
      '{"message":"see https://mcp.contoso.com/app/mcp/.well-known/oauth-protected-resource"}',
      "",
    ]) {
      expect(findLeaks(body)).toEqual([]);
    }
  });
});

describe("JWT helpers and the reference validator", () => {
  const issuer = createTestIssuer();
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer.issuer, aud: "https://h/s/mcp", oid: "u1", exp: now + 60, roles: ["R"] };
  const rules = {
    jwks: issuer.jwks,
    issuer: issuer.issuer,
    audiences: ["https://h/s/mcp"],
    checkSignature: true,
    checkAudience: true,
    checkLifetime: true,
  };

  test("a minted token validates; tampered and unsigned ones do not", () => {
    const token = issuer.mint(claims);
    expect(validateToken(token, rules).ok).toBe(true);
    expect(validateToken(tamperSignature(token), rules).ok).toBe(false);
    expect(validateToken(tamperPayload(token), rules).ok).toBe(false);
    expect(decodeClaims(tamperPayload(token))?.["roles"]).toEqual(["R", "MCP.Admin"]);
    expect(validateToken(unsignedToken(claims), rules).ok).toBe(false);
    expect(validateToken(unsignedToken(claims), { ...rules, checkSignature: false }).ok).toBe(true);
  });

  test("audience, issuer and lifetime", () => {
    expect(validateToken(issuer.mint({ ...claims, aud: "api://other" }), rules).ok).toBe(false);
    expect(validateToken(issuer.mint({ ...claims, iss: "https://evil" }), rules).ok).toBe(false);
    expect(validateToken(issuer.mint({ ...claims, exp: now - 1 }), rules).ok).toBe(false);
  });
});

describe("metadata", () => {
  const endpoint = new URL("https://mcp.contoso.com/docs/mcp");

  test("the well-known locations of an endpoint", () => {
    const urls = metadataUrls(endpoint);
    expect(urls.suffixed.href).toBe("https://mcp.contoso.com/.well-known/oauth-protected-resource/docs/mcp");
    expect(urls.endpoint.href).toBe("https://mcp.contoso.com/docs/mcp/.well-known/oauth-protected-resource");
    expect(urls.root.href).toBe("https://mcp.contoso.com/.well-known/oauth-protected-resource");
  });

  test("document validation", () => {
    const doc = {
      resource: endpoint.href,
      authorization_servers: ["https://login.microsoftonline.com/t/v2.0"],
      scopes_supported: ["https://mcp.contoso.com/docs/mcp/user_impersonation"],
      bearer_methods_supported: ["header"],
    };
    expect(validateMetadata(doc, endpoint)).toEqual([]);
    expect(
      validateMetadata({ ...doc, resource: "https://mcp.contoso.com/docs/mcp/" }, endpoint),
    ).toHaveLength(1);
    expect(validateMetadata({ ...doc, authorization_servers: [] }, endpoint)).toHaveLength(1);
    expect(
      validateMetadata({ ...doc, bearer_methods_supported: ["header", "query"] }, endpoint),
    ).toHaveLength(1);
    expect(validateMetadata([], endpoint)).toEqual(["not a JSON object"]);
  });
});

test("Retry-After accepts delta-seconds and HTTP-dates only", () => {
  expect(validRetryAfter("30")).toBe(true);
  expect(validRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT")).toBe(true);
  expect(validRetryAfter(undefined)).toBe(false);
  expect(validRetryAfter("soon")).toBe(false);
});

test("SSE events carry the arrival time of the chunk that completed them", () => {
  const res = {
    status: 200,
    headers: { "content-type": "text/event-stream" },
    body: "",
    chunks: [
      { at: 10, text: 'id: 1\ndata: {"a":1}\n\nid: 2\nda' },
      { at: 200, text: 'ta: {"b":2}\r\n\r\n: comment\n\n' },
    ],
  };
  expect(sseEvents(res)).toEqual([
    { at: 10, id: "1", event: undefined, data: '{"a":1}' },
    { at: 200, id: "2", event: undefined, data: '{"b":2}' },
  ]);
});

describe("reports", () => {
  const runs: CheckRun[] = [
    { id: "tls.versions", title: "TLS", seedControls: ["3"], status: "pass", detail: "ok", durationMs: 12 },
    {
      id: "auth.no-token",
      title: "401 <&>",
      seedControls: ["MUST-2"],
      status: "fail",
      detail: 'got "200" & <x>',
      durationMs: 5,
    },
    {
      id: "session.binding",
      title: "binding",
      seedControls: ["8"],
      status: "skip",
      detail: "needs --x",
      durationMs: 0,
    },
  ];

  test("the table lists every check and the totals", () => {
    const table = formatTable(runs);
    expect(table).toMatch(/^Result\s+Check\s+Seed controls\s+Time\s+Detail/);
    expect(table).toMatch(/FAIL\s+auth\.no-token\s+MUST-2\s+5 ms\s+got "200" & <x>/);
    expect(table).toContain("1 passed, 1 failed, 1 skipped of 3 checks");
  });

  const testcase = (suite: XmlNode, index: number): XmlNode => {
    const found = suite.children.filter((c) => c.name === "testcase")[index];
    if (found === undefined) throw new Error(`no <testcase> #${index}`);
    return found;
  };

  test("JUnit XML is well formed, escaped, with failures and skips", () => {
    const xml = formatJUnit(runs, { url: "https://h/s/mcp", timestamp: new Date(0) });
    const root = parseXml(xml); // throws unless well-formed
    expect(root.name).toBe("testsuites");
    const suite = child(root, "testsuite");
    expect(suite.attributes["tests"]).toBe("3");
    expect(suite.attributes["failures"]).toBe("1");
    expect(suite.attributes["skipped"]).toBe("1");
    expect(child(testcase(suite, 1), "failure").attributes["message"]).toBe('got "200" & <x>');
    expect(child(testcase(suite, 2), "skipped").attributes["message"]).toBe("needs --x");
    expect(child(child(suite, "properties"), "property").attributes["value"]).toBe("https://h/s/mcp");
  });
});
