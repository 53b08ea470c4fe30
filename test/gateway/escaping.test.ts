import { csString, xmlEscape } from "../../infra/gateway/policy/escape";
import { renderMcpApiPolicy } from "../../infra/gateway/policy";
import { splitCsharp } from "./csharp";
import { descendants, docsInput, findAll, parseXml, section, type XmlNode } from "./support";

const HOSTILE_TOOL = `evil"); return "allowed"; //</when><x a='&amp;'>{ } \\ \u2028`;
const HOSTILE_ORIGIN = `https://evil.example"><cors>&'`;

/** Every policy expression in the document (attribute values and element text starting with `@`). */
function expressions(root: XmlNode): string[] {
  return descendants(root).flatMap((n) => [
    ...Object.values(n.attributes).filter((v) => v.startsWith("@")),
    ...(n.text.startsWith("@") ? [n.text] : []),
  ]);
}

describe("escaping primitives", () => {
  it("escapes the five XML special characters", () => {
    expect(xmlEscape(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  });

  it("refuses characters XML 1.0 cannot carry", () => {
    expect(() => xmlEscape("a\u0001b")).toThrow(/XML cannot carry/);
  });

  it("writes C# literals that keep quotes, backslashes, line terminators and braces inside", () => {
    expect(csString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(csString("x\ny\r\u2028\u0085")).toBe('"x\\u000Ay\\u000D\\u2028\\u0085"');
    expect(csString("{{name}}")).toBe('"\\u007B\\u007Bname\\u007D\\u007D"');
    expect(splitCsharp(csString(HOSTILE_TOOL)).literals).toEqual([HOSTILE_TOOL]);
  });
});

describe("hostile input cannot break out of XML or a C# string", () => {
  const xml = renderMcpApiPolicy(
    docsInput({
      tools: [
        { name: HOSTILE_TOOL, roles: [`role"<&`] },
        { name: "get_page", roles: ["MCP.Tools.Read"] },
      ],
      allowedOrigins: [HOSTILE_ORIGIN],
    }),
  );
  const policy = parseXml(xml);
  const benign = parseXml(
    renderMcpApiPolicy(
      docsInput({
        tools: [
          { name: "t", roles: ["r"] },
          { name: "get_page", roles: ["MCP.Tools.Read"] },
        ],
      }),
    ),
  );

  it("stays well-formed with the same element structure as a benign document", () => {
    const shape = (root: XmlNode) => descendants(root).map((n) => n.name);
    expect(shape(policy).filter((n) => n !== "origin")).toEqual(shape(benign).filter((n) => n !== "origin"));
  });

  it("keeps the tool name and role inside C# literals, leaving the code unchanged", () => {
    const decision =
      descendants(policy).find((n) => n.attributes.name === "mcp-callable-tools")?.attributes.value ?? "";
    const benignDecision =
      descendants(benign).find((n) => n.attributes.name === "mcp-callable-tools")?.attributes.value ?? "";
    const split = splitCsharp(decision);
    expect(split.literals).toContain(HOSTILE_TOOL);
    expect(split.literals).toContain(`role"<&`);
    expect(split.code).toBe(splitCsharp(benignDecision).code);
  });

  it("keeps the origin inside the CORS element and the Origin check's literal", () => {
    const origins = findAll(section(policy, "inbound"), "origin").map((o) => o.text);
    expect(origins).toEqual([HOSTILE_ORIGIN]);
    const originCheck = expressions(policy).find((e) => e.includes('GetValueOrDefault("Origin"')) ?? "";
    expect(splitCsharp(originCheck).literals).toContain(HOSTILE_ORIGIN);
  });

  it("leaves no named-value braces and no raw line terminator in any expression", () => {
    // The session key is the one named value the policy references on purpose; nothing else may appear.
    expect(xml.replaceAll("{{mcp-session-key}}", "")).not.toMatch(/\{\{|\}\}/);
    for (const expression of expressions(policy)) {
      expect(expression).not.toMatch(/[\n\r\u2028\u0085]/);
      expect(() => splitCsharp(expression)).not.toThrow();
    }
  });

  it("refuses API Management syntax that escaping cannot neutralise", () => {
    expect(() => renderMcpApiPolicy(docsInput({ tools: [{ name: "{{secret}}", roles: ["r"] }] }))).toThrow(
      /named-value/,
    );
    expect(() => renderMcpApiPolicy(docsInput({ allowedOrigins: ["*"] }))).toThrow(/origin/);
    expect(() => renderMcpApiPolicy(docsInput({ tenantId: "@(context.Request.Url)" }))).toThrow(/tenantId/);
    const backend = { kind: "managedIdentity", audience: "@(context.Variables)" } as const;
    expect(() => renderMcpApiPolicy(docsInput({ backend }))).toThrow(/backend.audience/);
  });
});
