import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderMcpApiPolicy } from "../../../infra/gateway/policy";
import { REPO_ROOT } from "../../support/plans";
import { rendererDocuments } from "../../../tools/expressions/documents";
import { extractExpressions } from "../../../tools/expressions/extract";
import { indexSources, locateSource, stringLiterals } from "../../../tools/expressions/sources";

const POLICY_DIR = path.join(REPO_ROOT, "infra", "gateway", "policy");

describe("locateSource: back from a rendered expression to the renderer line", () => {
  const index = indexSources(POLICY_DIR, REPO_ROOT);
  const mcpPolicy = rendererDocuments().find(
    (d) => d.kind === "ApiPolicy" && d.resource.startsWith("mcp-api"),
  )!;
  const expressions = extractExpressions(mcpPolicy.xml).expressions;
  const lineOf = (location: { file: string; line: number }) =>
    readFileSync(path.join(REPO_ROOT, location.file), "utf8").split("\n")[location.line - 1] ?? "";

  it("finds an expression written literally in a template", () => {
    const correlation = expressions.find((e) => e.text === "@(context.RequestId.ToString())")!;
    const found = locateSource(index, correlation.text, 5);
    expect(found.length).toBeGreaterThan(0);
    for (const location of found) {
      expect(location.file).toMatch(/^infra\/gateway\/policy\/.*\.xml$/);
      expect(lineOf(location)).toContain("@(context.RequestId.ToString())");
    }
  });

  it("finds the renderer line that wrote the part at the offset", () => {
    const envelope = expressions.find((e) => e.text.includes('rpc["jsonrpc"]'))!;
    const offset = envelope.text.indexOf('rpc["jsonrpc"]');
    const [location] = locateSource(index, envelope.text, offset);
    expect(location?.file).toBe("infra/gateway/policy/message-reading.ts");
    expect(lineOf(location!)).toContain('rpc["jsonrpc"]');
  });

  it("finds a shared helper for a part every header read has", () => {
    const origin = expressions.find((e) =>
      e.text.includes('var origin = context.Request.Headers.GetValueOrDefault("Origin"'),
    )!;
    const [location] = locateSource(index, origin.text, origin.text.indexOf("GetValueOrDefault"));
    expect(location?.file).toBe("infra/gateway/policy/expressions.ts");
    expect(lineOf(location!)).toContain("context.Request.Headers.GetValueOrDefault(");
  });

  it("returns nothing for code no source wrote", () => {
    expect(locateSource(index, "@(zzz.qqq.www())", 3)).toEqual([]);
  });

  it("works on any renderer directory (a seeded typo in a copy of a TypeScript source)", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "mcpgw-sources-"));
    mkdirSync(path.join(root, "policy"));
    writeFileSync(
      path.join(root, "policy", "expressions.ts"),
      [
        "// a comment with 'context.Request.Headrs' in it",
        "export const x = () => block([",
        '  "var v = context.Request.Headrs;",',
        "]);",
        "",
      ].join("\n"),
    );
    const text = "@{ var v = context.Request.Headrs; return v; }";
    expect(locateSource(indexSources(path.join(root, "policy"), root), text, text.indexOf("Headrs"))).toEqual(
      [{ file: "policy/expressions.ts", line: 3 }],
    );
  });

  it("keeps working as the renderer changes: every expression of the main policy has a source", () => {
    const xml = renderMcpApiPolicy({
      serverName: "docs",
      gatewayHostname: "mcp.dev.contoso.com",
      tenantId: "3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13",
      scopeValue: "user_impersonation",
      gatewayTier: "classic",
      apiClientId: "11111111-2222-4333-8444-555555555555",
      allowedClientAppIds: ["aebc6443-996d-45c2-90f0-388ff96faa56"],
      tools: [{ name: "search_docs", roles: ["MCP.Tools.Read"] }],
      allowedOrigins: [],
      supportedProtocolVersions: ["2025-11-25"],
      maxRequestBodyBytes: 1024,
      sessionTtlSeconds: 60,
      rateLimits: {
        perUser: { calls: 1, renewalPeriodSeconds: 1 },
        perUserSession: { calls: 1, renewalPeriodSeconds: 1 },
        perUserTool: { calls: 1, renewalPeriodSeconds: 1 },
      },
      backend: { kind: "managedIdentity", audience: "api://x" },
    });
    for (const expression of extractExpressions(xml).expressions) {
      expect([expression.text, locateSource(index, expression.text, 2).length > 0]).toEqual([
        expression.text,
        true,
      ]);
    }
  });
});

describe("stringLiterals", () => {
  it("decodes quotes, escapes and template literal parts", () => {
    expect(stringLiterals(`const a = "x\\"y" + 'z' + \`p\${q("r")}s\`; // "comment"`)).toEqual([
      'x"y',
      "z",
      "p",
      "s",
    ]);
  });
});
