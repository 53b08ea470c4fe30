import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  type CheckReport,
  checkDocuments,
  type Finding,
  findingPosition,
  formatFinding,
} from "../../../tools/expressions/check";
import {
  type CompileResult,
  type CompileUnit,
  compileExpressions,
  generateSource,
} from "../../../tools/expressions/compile";
import type { PolicyDocument } from "../../../tools/expressions/documents";
import { indexSources } from "../../../tools/expressions/sources";
import { describeWithCompiler } from "../../../tools/expressions/support";

/** A template with one seeded mistake per expression; rendered as-is, so its lines are the sources. */
const SEEDED_TEMPLATE = [
  "<policies>",
  "  <inbound>",
  "    <base />",
  '    <set-variable name="origin" value="@(context.Request.Headrs.GetValueOrDefault(&quot;Origin&quot;, &quot;&quot;))" />',
  '    <set-variable name="count" value="@(context.Variables.GetValueOrDefault&lt;int&gt;(&quot;x&quot;, &quot;&quot;))" />',
  "    <choose>",
  '      <when condition="@(context.Request.Body.As&lt;XYZ&gt;() != null)">',
  "        <set-body>@(System.IO.File.ReadAllText(&quot;/etc/passwd&quot;))</set-body>",
  "      </when>",
  "    </choose>",
  "  </inbound>",
  "  <backend>",
  "    <base />",
  "  </backend>",
  "  <outbound>",
  "    <base />",
  '    <set-variable name="status" value="@{ if (context.Response.StatusCode == 200) { return &quot;ok&quot;; }" />',
  '    <set-header name="x-request" exists-action="override">',
  "      <value>@(context.Request.Body.As&lt;int&gt;(preserveContent: true))</value>",
  "    </set-header>",
  "  </outbound>",
  "  <on-error>",
  "    <base />",
  "  </on-error>",
  "</policies>",
  "",
].join("\n");

function seededDocument(): { document: PolicyDocument; root: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), "mcpgw-seeded-"));
  mkdirSync(path.join(root, "policy"));
  writeFileSync(path.join(root, "policy", "seeded.policy.xml"), SEEDED_TEMPLATE);
  return {
    root,
    document: {
      stack: "test",
      resource: "gateway-api-mcp-seeded-policy",
      kind: "ApiPolicy",
      api: "mcp-seeded",
      xml: SEEDED_TEMPLATE,
    },
  };
}

describeWithCompiler("seeded mistakes are caught where they are", (compiler) => {
  const { document, root } = seededDocument();
  let report: CheckReport;
  beforeAll(() => {
    report = checkDocuments([document], { compiler, sources: indexSources(path.join(root, "policy"), root) });
  });
  const byIndex = (index: number): Finding[] => report.findings.filter((f) => f.index === index);
  const at = (finding: Finding | undefined): string =>
    finding?.expressionText?.slice(finding.textOffset ?? 0, (finding.textOffset ?? 0) + 12) ?? "";

  it("reports nothing the checker itself got wrong", () => {
    expect(report.internalErrors).toEqual([]);
    expect(report.expressions).toBe(5);
  });

  it("a misspelled member: CS1061 at the member, in inbound/set-variable[1], template line 4", () => {
    const [finding] = byIndex(1);
    expect(finding?.code).toBe("CS1061");
    expect(finding?.message).toMatch(/does not contain a definition for `Headrs'/);
    expect(finding?.site).toEqual({
      section: "inbound",
      elementPath: "inbound/set-variable[1]",
      element: "set-variable",
      attribute: "value",
    });
    expect(at(finding)).toBe("Headrs.GetVa");
    expect(finding?.sources).toEqual([{ file: "policy/seeded.policy.xml", line: 4 }]);
    expect(findingPosition(finding!)).toEqual({
      line: 4,
      column: SEEDED_TEMPLATE.split("\n")[3]!.indexOf("Headrs") + 1,
    });
  });

  it("a wrong generic type: GetValueOrDefault<int> with a string default does not compile", () => {
    const [finding] = byIndex(2);
    expect(finding?.code).toBe("CS1928");
    expect(at(finding)).toBe("GetValueOrDe");
    expect(finding?.sources).toEqual([{ file: "policy/seeded.policy.xml", line: 5 }]);
  });

  it("a body read as an unknown type (As<XYZ>) in a condition", () => {
    const [finding] = byIndex(3);
    expect(finding?.code).toBe("CS0246");
    expect(finding?.site?.elementPath).toBe("inbound/choose[1]/when[1]");
    expect(finding?.site?.attribute).toBe("condition");
    expect(at(finding)).toBe("XYZ>() != nu");
    expect(finding?.sources).toEqual([{ file: "policy/seeded.policy.xml", line: 7 }]);
  });

  it("a type outside the reference's allow-list (System.IO.File), in element text", () => {
    const [finding] = byIndex(4);
    expect(finding?.code).toBe("APIM-ALLOWED-TYPES");
    expect(finding?.message).toBe(
      "System.IO.File is not on API Management's list of types allowed in policy expressions",
    );
    expect(finding?.site).toEqual({
      section: "inbound",
      elementPath: "inbound/choose[1]/when[1]/set-body[1]",
      element: "set-body",
    });
    expect(at(finding)).toBe("System.IO.Fi");
    expect(finding?.sources).toEqual([{ file: "policy/seeded.policy.xml", line: 8 }]);
  });

  it("an unbalanced brace: reported at the brace that never closes, in outbound, template line 17", () => {
    const [finding] = byIndex(5);
    expect(finding?.code).toBe("XML");
    expect(finding?.message).toBe("unbalanced '{': no matching '}' (document line 17)");
    expect(finding?.site?.section).toBe("outbound");
    expect(finding?.site?.elementPath).toBe("outbound/set-variable[1]");
    expect(finding?.sources).toEqual([{ file: "policy/seeded.policy.xml", line: 17 }]);
  });

  it("a body read as a type IMessageBody.As<T> does not allow (As<int>)", () => {
    const [finding] = byIndex(6);
    expect(finding?.code).toBe("APIM-ALLOWED-TYPES");
    expect(finding?.message).toMatch(
      /^IMessageBody.As<T> reads a body only as String, Byte\[\], JObject, JToken, JArray, XNode, XElement, XDocument; not as System.Int32/,
    );
    expect(finding?.site?.elementPath).toBe("outbound/set-header[1]/value[1]");
    expect(at(finding)).toBe("As<int>(pres");
  });

  it("prints stack, resource, API, section, element, expression number and template line", () => {
    const [finding] = byIndex(1);
    const [first, code, caret] = formatFinding(finding!).split("\n");
    expect(first).toMatch(
      /^test gateway-api-mcp-seeded-policy \(ApiPolicy, api mcp-seeded\) inbound inbound\/set-variable\[1\]@value expression #1 \(template policy\/seeded\.policy\.xml:4\): error CS1061: Type `Apim\.PolicyExpressions\.IRequest' does not contain a definition for `Headrs'/,
    );
    expect(code).toBe('    @(context.Request.Headrs.GetValueOrDefault("Origin", ""))');
    expect(caret).toBe(`    ${" ".repeat("@(context.Request.".length)}^ column 19 of the expression`);
  });

  it("reports an expression once, with the other places it occurs", () => {
    const twice = checkDocuments([document, { ...document, stack: "prod" }], {
      compiler,
      sources: indexSources(path.join(root, "policy"), root),
    });
    const headrs = twice.findings.filter((f) => f.message.includes("Headrs"));
    expect(headrs).toHaveLength(1);
    expect(headrs[0]?.alsoIn.map((place) => place.document.stack)).toEqual(["prod"]);
    expect(formatFinding(headrs[0]!)).toContain(
      "also in: prod gateway-api-mcp-seeded-policy (ApiPolicy, api mcp-seeded) inbound",
    );
  });
});

function unit(code: string, expected: CompileUnit["expected"] = "object"): CompileUnit {
  return {
    kind: code.startsWith("{") ? "block" : "inline",
    code: code.startsWith("{") ? code.slice(1, -1) : code,
    expected,
  };
}

describeWithCompiler("what the reference allows compiles", (compiler) => {
  // The reference's own examples first, then documented members and common sample patterns.
  const allowed: [string, string][] = [
    ["true", "true"],
    ["ToString", "(1+1).ToString()"],
    ["Length", '"Hi There".Length'],
    [
      "Regex groups",
      'Regex.Match(context.Response.Headers.GetValueOrDefault("Cache-Control",""), @"max-age=(?<maxAge>\\d+)").Groups["maxAge"]?.Value',
    ],
    [
      "Variables",
      'context.Variables.ContainsKey("maxAge") ? int.Parse((string)context.Variables["maxAge"]) : 3600',
    ],
    [
      "TryGetValue + Base64",
      '{ string[] value; if (context.Request.Headers.TryGetValue("Authorization", out value)) { if (value != null && value.Length > 0) { return Encoding.UTF8.GetString(Convert.FromBase64String(value[0])); } } return null; }',
    ],
    [
      "send-request response",
      '((IResponse)context.Variables["tokenstate"]).Body.As<JObject>()["active"].Value<bool>()',
    ],
    [
      "JWT claims",
      'context.Request.Headers.GetValueOrDefault("Authorization", "").AsJwt()?.Claims.GetValueOrDefault("oid", "")',
    ],
    [
      "TryParseJwt",
      '{ Jwt jwt; return context.Request.Headers.GetValueOrDefault("Authorization", "").Split(\' \').Last().TryParseJwt(out jwt) && jwt.Audiences.Contains("api://x"); }',
    ],
    [
      "one-argument GetValueOrDefault",
      'context.Request.Headers.GetValueOrDefault("Authorization").Split(\' \').Length + context.Variables.GetValueOrDefault<string>("x")',
    ],
    ["basic auth", 'context.Request.Headers.GetValueOrDefault("Authorization", "").AsBasic()?.UserId'],
    [
      "context members",
      "context.Deployment.Region + context.Api.Path + context.Operation.UrlTemplate + context.Elapsed.TotalMilliseconds + context.Product?.Name + context.Subscription?.Key + context.User?.Email + context.LastError.Source + context.Timestamp.Year",
    ],
    [
      "query",
      'context.Request.Url.Query.GetValueOrDefault("api-version", "") + context.Request.OriginalUrl.Host',
    ],
    [
      "HMAC",
      'Convert.ToBase64String(new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("key")).ComputeHash(Encoding.UTF8.GetBytes("x")))',
    ],
    [
      "SHA-256",
      "{ using (var sha = System.Security.Cryptography.SHA256.Create()) { return BitConverter.ToString(sha.ComputeHash(new byte[] { 1, 2, 3, 4, 5 })); } }",
    ],
    [
      "LINQ with lambdas",
      'string.Join(",", new List<int> { 3, 1, 2 }.Where(i => i > 1).OrderBy(i => i).Select(i => i.ToString()))',
    ],
    [
      "GroupBy",
      'new[] { "a", "bb", "cc" }.GroupBy(s => s.Length).Select(g => g.Key + ":" + g.Count()).First()',
    ],
    [
      "foreach over matches",
      '{ foreach (Match m in Regex.Matches("a1b2", @"\\d")) { return m.Value; } return ""; }',
    ],
    [
      "dictionary",
      '{ var d = new Dictionary<string, string[]>(StringComparer.Ordinal) { { "a", new string[0] } }; string[] v; return d.TryGetValue("a", out v); }',
    ],
    [
      "JArray",
      '{ var items = JArray.Parse("[1,2]"); return items.Select(t => (int)t).Sum() + items.Count; }',
    ],
    [
      "JObject",
      'new JObject(new JProperty("a", 1), new JProperty("b", new JArray("x"))).ToString(Newtonsoft.Json.Formatting.None)',
    ],
    ["JsonConvert", 'JsonConvert.SerializeObject(JsonConvert.DeserializeObject<JObject>("{}"))'],
    [
      "XML",
      'XElement.Parse("<a b=\\"1\\"/>").Attribute("b").Value + context.Request.Body.As<XDocument>(true).Root.Name.LocalName',
    ],
    [
      "DateTime members",
      'DateTime.UtcNow.AddMinutes(5).ToString("o") + DateTime.Parse("2020-01-01").Year + DateTime.MinValue.Ticks',
    ],
    ["Enum.Parse with typeof", 'Enum.Parse(typeof(JTokenType), "String").ToString()'],
    [
      "Guid, Uri, StringBuilder, Tuple",
      'Guid.NewGuid().ToString("N") + new Uri("https://a/b").Host + new StringBuilder("x").Append(1).ToString() + Tuple.Create(1, "a").Item2',
    ],
    ["string interpolation", '$"{context.RequestId}:{context.Request.Method.ToLowerInvariant()}"'],
    [
      "WebUtility and IPAddress",
      'System.Net.WebUtility.UrlEncode("a b") + System.Net.IPAddress.Parse("10.0.0.1").GetAddressBytes().Length',
    ],
    ["StringReader", 'new System.IO.StringReader("a\\nb").ReadLine()'],
    ["exceptions", '{ try { return JObject.Parse("x"); } catch (Exception ex) { return ex.Message; } }'],
    [
      "form body",
      "JsonConvert.SerializeObject(context.Request.Body.AsFormUrlEncodedContent(preserveContent: true))",
    ],
  ];

  let result: CompileResult;
  beforeAll(() => {
    result = compileExpressions(
      allowed.map(([, code]) => unit(code)),
      { compiler },
    );
  });

  it("in one compiler run, without checker errors", () => {
    expect(result.internalErrors).toEqual([]);
    expect(result.compilerRuns).toBe(1);
  });

  it.each(allowed.map(([name], index) => [name, index] as const))("%s", (_name, index) => {
    expect(result.diagnostics.filter((d) => d.unit === index)).toEqual([]);
  });
});

describeWithCompiler("what the reference does not allow fails, at the offending name", (compiler) => {
  const denied: [string, string, string, RegExp][] = [
    // [name, code, text at the reported offset, message]
    ["System.IO.File", 'System.IO.File.ReadAllText("x")', "System.IO", /System\.IO\.File is not on/],
    [
      "an unqualified mscorlib type",
      'Environment.GetEnvironmentVariable("PATH")',
      "GetEnvironment",
      /System\.Environment is not on/,
    ],
    [
      "reflection through GetType",
      '"a".GetType().Assembly.FullName',
      "GetType",
      /GetType is not on the list/,
    ],
    [
      "reflection through typeof",
      "typeof(string).GetMethods().Length",
      "GetMethods",
      /System\.Type allows only GetTypeFromHandle; GetMethods/,
    ],
    [
      "threads",
      "System.Threading.Thread.CurrentThread.ManagedThreadId",
      "System.Thre",
      /System\.Threading is not on/,
    ],
    [
      "a restricted DateTime member",
      "DateTime.UtcNow.ToUniversalTime()",
      "ToUniversal",
      /ToUniversalTime is not on the list/,
    ],
    [
      "a restricted enum value",
      "DateTimeKind.Local.ToString()",
      "Local",
      /DateTimeKind allows only Utc; Local/,
    ],
    [
      "a restricted Regex member",
      'Regex.Escape("a")',
      "Escape",
      /Regex allows only .*; Escape is not on the list/,
    ],
    [
      "an excluded overload",
      "System.Security.Cryptography.SymmetricAlgorithm.Create()",
      "Create",
      /SymmetricAlgorithm\.Create is excluded/,
    ],
    [
      "a disallowed generic argument",
      'context.Variables.GetValueOrDefault<System.Diagnostics.Process>("p")',
      "System.Diag",
      /System\.Diagnostics is not on/,
    ],
    [
      "nameof leaves no IL but is still a use",
      "nameof(System.Console)",
      "System.Cons",
      /System\.Console is not on/,
    ],
    [
      "a body read as a list",
      "context.Request.Body.As<List<string>>()",
      "As<List",
      /IMessageBody\.As<T> reads a body only as/,
    ],
    [
      "BCL GetValueOrDefault that is not the documented one",
      'System.Collections.Generic.CollectionExtensions.GetValueOrDefault(context.Variables, "x")',
      "System.Coll",
      /CollectionExtensions is not on/,
    ],
  ];

  let result: CompileResult;
  beforeAll(() => {
    result = compileExpressions(
      denied.map(([, code]) => unit(code)),
      { compiler },
    );
  });

  it("reports no checker error and needs no more than the runs it must", () => {
    expect(result.internalErrors).toEqual([]);
    expect(result.compilerRuns).toBe(1);
  });

  it.each(denied.map((entry, index) => [entry[0], index, entry[2], entry[3]] as const))(
    "%s",
    (_name, index, at, message) => {
      const found = result.diagnostics.filter((d) => d.unit === index);
      expect(found.length).toBeGreaterThan(0);
      const first = found[0]!;
      expect(first.code).toBe("APIM-ALLOWED-TYPES");
      expect(first.message).toMatch(message);
      const text = `@(${denied[index]![1]})`;
      expect(text.slice(first.textOffset).startsWith(at)).toBe(true);
    },
  );

  it("catch types, also in the fat exception tables of long blocks", () => {
    const tries = Array.from(
      { length: 24 },
      (_, i) => `try { n += int.Parse("${i}"); } catch (Exception) { n -= 1; }`,
    );
    const code = `{ int n = 0; ${tries.join(" ")} try { n = 1; } catch (FormatException) { n = 2; } return n; }`;
    const [d, ...rest] = compileExpressions([unit(code)], { compiler }).diagnostics;
    expect(rest).toEqual([]);
    expect(d?.message).toMatch(/^System\.FormatException is not on API Management's list of allowed types/);
    expect(`@${code}`.slice(d?.textOffset ?? 0).startsWith("FormatException")).toBe(true);
  });

  it("XDocument.Load is not in the stub (the reference excludes it)", () => {
    const [d] = compileExpressions([unit('XDocument.Load("x")')], { compiler }).diagnostics;
    expect(d?.code).toBe("CS0117");
  });
});

describeWithCompiler("compiler errors map back to the expression", (compiler) => {
  it("a condition must be a bool", () => {
    const [d] = compileExpressions([unit("context.Request.Method", "bool")], { compiler }).diagnostics;
    expect(d?.code).toBe("CS0029");
    expect(d?.message).toMatch(/`string' to `bool'/);
  });

  it("every path of a statement block must return", () => {
    const [d] = compileExpressions([unit('{ if (context.Request.Method == "GET") { return 1; } }')], {
      compiler,
    }).diagnostics;
    expect(d?.code).toBe("CS0161");
    expect(d?.textOffset).toBe(0);
  });

  it("a line and column inside a multi-line block", () => {
    const code = "{\n  var a = 1;\n  return a.Lenght;\n}";
    const [d] = compileExpressions([unit(code)], { compiler }).diagnostics;
    expect(d?.code).toBe("CS1061");
    expect(`@${code}`.slice(d?.textOffset ?? 0).startsWith("Lenght")).toBe(true);
  });

  it("a syntax error does not hide another expression's errors or allow-list violations", () => {
    const result = compileExpressions([unit("1 + "), unit('"a".Lenght'), unit("Environment.MachineName")], {
      compiler,
    });
    expect(result.diagnostics.map((d) => [d.unit, d.code])).toEqual([
      [0, "CS1525"],
      [1, "CS1061"],
      [2, "APIM-ALLOWED-TYPES"],
    ]);
    expect(result.compilerRuns).toBe(3);
  });

  it("an expression cannot reach the checker's other generated classes", () => {
    const result = compileExpressions([unit("1"), unit("E0001.Evaluate(context)")], { compiler });
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/generated by the checker/),
    ]);
  });

  it("a preprocessor directive is refused before it can escape the wrapper", () => {
    const result = compileExpressions([unit("{\n#if X\n return 1;\n#endif\n}")], { compiler });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["APIM-SYNTAX", "APIM-SYNTAX"]);
    expect(result.compilerRuns).toBe(0);
  });
});

describe("generateSource", () => {
  it("wraps each expression in its own class with #line directives", () => {
    const { source, unitOfLine } = generateSource([unit("true", "bool"), unit("{ return 1; }")], [0, 1]);
    expect(source).toContain(
      'internal static bool Evaluate(IProxyContext context) { return (\n#line 1 "expr-0001"\ntrue\n#line default',
    );
    expect(source).toContain(
      'internal static object Evaluate(IProxyContext context)\n#line 1 "expr-0002"\n{ return 1; }\n#line default',
    );
    const lines = source.split("\n");
    expect(unitOfLine.get(lines.indexOf("{ return 1; }") + 1)).toBe(1);
  });
});
