/**
 * The pure steps of `runtime.ts` before Mono: named-value substitution, expression collection and the
 * generated C# (no compiler needed).
 */
import { DEFAULT_SWITCHES } from "../../../tools/gateway-local/contract";
import {
  collectExpressions,
  GatewayLoadError,
  generateExpressionSource,
  prepareConfig,
  substituteNamedValues,
} from "../../../tools/gateway-local/runtime";
import { singleApiConfig } from "./support";

describe("substituteNamedValues", () => {
  it("replaces every {{name}} with its value", () => {
    expect(substituteNamedValues("<v>{{a}}-{{b}}-{{a}}</v>", { a: "1", b: "2" }, "doc")).toBe("<v>1-2-1</v>");
  });

  it("refuses an unknown name, naming it, the document and what is configured", () => {
    expect(() => substituteNamedValues("<v>{{missing}}</v>", { a: "1" }, "policy of API x")).toThrow(
      new GatewayLoadError("policy of API x: named value {{missing}} is not configured (configured: a)"),
    );
  });

  it("does not treat inherited object members as named values", () => {
    expect(() => substituteNamedValues("{{constructor}}", {}, "doc")).toThrow(GatewayLoadError);
  });
});

describe("prepareConfig and collectExpressions", () => {
  const policy = `<policies><inbound>
    <set-header name="a" exists-action="override"><value>@(context.Request.Method)</value></set-header>
    <set-header name="b" exists-action="override"><value>@(context.Request.Method)</value></set-header>
    <set-variable name="c" value="@{ return &quot;{{nv}}&quot;; }" />
  </inbound></policies>`;

  it("substitutes into every document and collects each distinct expression once, XML-unescaped", () => {
    const config = prepareConfig({ ...singleApiConfig(policy), namedValues: { nv: "value" } });
    expect(config.apis[0]?.policy).toContain('value="@{ return &quot;value&quot;; }"');
    expect(collectExpressions(config)).toEqual(["@(context.Request.Method)", '@{ return "value"; }']);
  });

  it("refuses an expression that does not close, with its position", () => {
    const broken = singleApiConfig(
      '<policies><inbound><set-variable name="a" value="@(context.Request" /></inbound></policies>',
    );
    expect(() => collectExpressions(broken)).toThrow(/^policy of API t \(1:\d+\): /);
  });

  it("leaves the switches and everything else as given", () => {
    expect(prepareConfig(singleApiConfig("<policies />")).switches).toBe(DEFAULT_SWITCHES);
  });
});

describe("generateExpressionSource", () => {
  it("maps each expression's text (quotes doubled in a verbatim string) to a method returning object", () => {
    const source = generateExpressionSource([
      '@(context.Request.Headers.GetValueOrDefault("a", ""))',
      '@{ return "x"; }',
    ]);
    expect(source).toContain(
      '{ @"@(context.Request.Headers.GetValueOrDefault(""a"", """"))", X1.Evaluate },',
    );
    expect(source).toContain('{ @"@{ return ""x""; }", X2.Evaluate },');
    expect(source).toContain("internal static object Evaluate(IProxyContext context) { return (");
    expect(source).toContain('{ return "x"; }');
  });
});
