import {
  expressionPosition,
  extractExpressions,
  positionAt,
  lineStartsOf,
} from "../../../tools/expressions/extract";
import { findClosing, ScanError, tokenize } from "../../../tools/expressions/scan";

function only(xml: string) {
  const result = extractExpressions(xml);
  expect(result.problems).toEqual([]);
  expect(result.expressions).toHaveLength(1);
  return result.expressions[0]!;
}

describe("extractExpressions: where expressions are", () => {
  const policy = [
    "<policies>",
    "  <inbound>",
    "    <base />",
    '    <choose><when condition="@(context.Request.Method == &quot;POST&quot;)"><return-response /></when></choose>',
    '    <set-variable name="x" value="literal @(not an expression)" />',
    '    <set-header name="a" exists-action="override"><value>@(context.RequestId.ToString())</value></set-header>',
    "  </inbound>",
    "  <backend><forward-request /></backend>",
    "  <outbound>",
    "    <set-body>@{",
    "      var body = context.Response.Body.As&lt;JObject&gt;();",
    '      return body["a"].ToString();',
    "    }</set-body>",
    "  </outbound>",
    '  <on-error><set-variable name="e" value="@(context.LastError.Reason)" /></on-error>',
    "</policies>",
  ].join("\n");
  const { expressions, problems } = extractExpressions(policy);

  it("finds attribute and element-text expressions, XML-unescaped, in document order", () => {
    expect(problems).toEqual([]);
    expect(expressions.map((e) => e.text)).toEqual([
      '@(context.Request.Method == "POST")',
      "@(context.RequestId.ToString())",
      '@{\n      var body = context.Response.Body.As<JObject>();\n      return body["a"].ToString();\n    }',
      "@(context.LastError.Reason)",
    ]);
    expect(expressions.map((e) => e.index)).toEqual([1, 2, 3, 4]);
    expect(expressions.map((e) => e.kind)).toEqual(["inline", "inline", "block", "inline"]);
    expect(expressions[0]!.code).toBe('context.Request.Method == "POST"');
  });

  it("ignores values that only contain @( somewhere", () => {
    expect(expressions.some((e) => e.text.includes("not an expression"))).toBe(false);
  });

  it("maps each expression to its section, element path and attribute", () => {
    expect(expressions.map((e) => e.site)).toEqual([
      {
        section: "inbound",
        elementPath: "inbound/choose[1]/when[1]",
        element: "when",
        attribute: "condition",
      },
      { section: "inbound", elementPath: "inbound/set-header[1]/value[1]", element: "value" },
      { section: "outbound", elementPath: "outbound/set-body[1]", element: "set-body" },
      {
        section: "on-error",
        elementPath: "on-error/set-variable[1]",
        element: "set-variable",
        attribute: "value",
      },
    ]);
  });

  it("counts element positions among same-named siblings", () => {
    const xml =
      '<policies><inbound><choose /><choose><when condition="@(true)" /><when condition="@(false)" /></choose></inbound></policies>';
    expect(extractExpressions(xml).expressions.map((e) => e.site.elementPath)).toEqual([
      "inbound/choose[2]/when[1]",
      "inbound/choose[2]/when[2]",
    ]);
  });

  it("maps every character back to the document, through entities", () => {
    const first = expressions[0]!;
    const quote = first.text.indexOf('"');
    const at = expressionPosition(extractExpressions(policy), first, quote);
    const line = policy.split("\n")[at.line - 1]!;
    expect(line.slice(at.column - 1).startsWith("&quot;POST")).toBe(true);
    const block = expressions[2]!;
    const asOffset = block.text.indexOf("As<");
    const position = expressionPosition(extractExpressions(policy), block, asOffset);
    expect(position).toEqual({ line: 11, column: 40 });
  });

  it("treats a fragment document's expressions as section 'fragment'", () => {
    const e = only('<fragment><choose><when condition="@(true)" /></choose></fragment>');
    expect(e.site).toEqual({
      section: "fragment",
      elementPath: "choose[1]/when[1]",
      element: "when",
      attribute: "condition",
    });
  });

  it("reads CDATA text raw and normalises attribute whitespace like an XML parser", () => {
    expect(
      only("<policies><inbound><set-body><![CDATA[@(1 < 2)]]></set-body></inbound></policies>").text,
    ).toBe("@(1 < 2)");
    expect(only('<policies><inbound><x v="@(1 +&#10;2\n+ 3)" /></inbound></policies>').code).toBe(
      "1 +\n2 + 3",
    );
  });

  it("skips comments and processing instructions", () => {
    const xml =
      '<?xml version="1.0"?><!-- <x v="@(nope" /> --><policies><inbound><x v="@(1)" /></inbound></policies>';
    expect(only(xml).text).toBe("@(1)");
  });
});

describe("extractExpressions: where an expression ends", () => {
  const cases: [string, string][] = [
    ["parentheses in a string", '@("(" + context.Request.Method)'],
    ["a closing brace in a string", '@{ return "}"; }'],
    ["escaped quotes", '@("a\\")" + "b")'],
    ["char literals", "@('(' == ')')"],
    ["escaped char literal", "@('\\'' == 'x')"],
    ["a verbatim string with doubled quotes", '@(@"C:\\x"")(" + "y")'],
    ["an interpolated string with holes", '@($"{context.Request.Method}({1 + (2)})")'],
    ["escaped braces in an interpolated string", '@{ return $"{{{1}}}"; }'],
    ["an interpolated verbatim string", '@($@"{"a"}"")(")'],
    ["a hole with a format", '@($"{DateTime.UtcNow:yyyy}(")'],
    ["a block comment", "@(1 /* ) */ + 2)"],
    ["a line comment", "@{ return 1; // }\n }"],
    ["nested brackets", "@(new[] { 1, 2 }.Select(i => (i)).ToArray()[0])"],
  ];
  it.each(cases)("respects %s", (_name, expression) => {
    const xml = `<policies><inbound><set-body>${expression.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</set-body></inbound></policies>`;
    expect(only(xml).text).toBe(expression);
  });
});

describe("extractExpressions: problems", () => {
  it("reports an unbalanced brace with the position of the bracket that never closes", () => {
    const xml =
      '<policies>\n  <inbound>\n    <set-variable name="v" value="@{ if (true) { return 1; }" />\n  </inbound>\n</policies>';
    const { expressions, problems } = extractExpressions(xml);
    expect(expressions).toEqual([]);
    expect(problems).toEqual([
      {
        index: 1,
        message: "unbalanced '{': no matching '}'",
        offset: xml.indexOf("@{") + 1,
        position: { line: 3, column: xml.split("\n")[2]!.indexOf("@{") + 2 },
        site: {
          section: "inbound",
          elementPath: "inbound/set-variable[1]",
          element: "set-variable",
          attribute: "value",
        },
      },
    ]);
  });

  it("reports mismatched brackets where the wrong closer is", () => {
    const xml = '<policies><inbound><x v="@(a[0)" /></inbound></policies>';
    const [problem] = extractExpressions(xml).problems;
    expect(problem?.message).toBe("unbalanced brackets: ')' closes '[' (which needs ']')");
    expect(problem?.offset).toBe(xml.indexOf("0)") + 1);
  });

  it("reports an unterminated string literal", () => {
    const xml = '<policies><inbound><x v="@(&quot;abc)" /></inbound></policies>';
    expect(extractExpressions(xml).problems[0]?.message).toBe("unterminated string literal");
  });

  it("reports text after the expression", () => {
    const xml = '<policies><inbound><x v="@(1) + @(2)" /></inbound></policies>';
    const [problem] = extractExpressions(xml).problems;
    expect(problem?.message).toMatch(/^text after the expression/);
    expect(problem?.offset).toBe(xml.indexOf("+ @(2)"));
  });

  it("reports malformed XML instead of throwing", () => {
    expect(extractExpressions("<policies><inbound></policies>").problems[0]?.message).toBe(
      "not well-formed XML: end tag </policies> closes <inbound>",
    );
    expect(extractExpressions('<policies a="&bogus;" />').problems[0]?.message).toBe(
      "not well-formed XML: unknown entity &bogus;",
    );
  });

  it("counts broken expressions in the numbering, so #n matches the document", () => {
    const xml = '<policies><inbound><x v="@(1" /><x v="@(2)" /></inbound></policies>';
    const result = extractExpressions(xml);
    expect(result.problems[0]?.index).toBe(1);
    expect(result.expressions[0]?.index).toBe(2);
  });
});

describe("scan", () => {
  it("finds the closing bracket", () => {
    expect(findClosing("(a(b)c)d", 0)).toBe(6);
    expect(() => findClosing("(a", 0)).toThrow(ScanError);
  });

  it("lexes identifiers inside interpolation holes and skips literals and comments", () => {
    const identifiers = tokenize('$"x{System.IO.File.ReadAllText("a")}" + "System" /* System */ + @class')
      .filter((t) => t.kind === "identifier")
      .map((t) => t.text);
    expect(identifiers).toEqual(["System", "IO", "File", "ReadAllText", "class"]);
  });

  it("marks preprocessor directives at the start of a line only", () => {
    expect(tokenize("1\n  #if X").map((t) => t.kind)).toEqual(["number", "directive"]);
    expect(tokenize("a # b").map((t) => t.kind)).toEqual(["identifier", "punctuation", "identifier"]);
  });

  it("positions", () => {
    const starts = lineStartsOf("ab\ncd\n");
    expect(positionAt(starts, 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt(starts, 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt(starts, 6)).toEqual({ line: 3, column: 1 });
  });
});
