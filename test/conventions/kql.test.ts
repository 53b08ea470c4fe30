import { days, hours, minutes, parseIsoDuration } from "../../infra/conventions/duration";
import { analyzeKql } from "../../tools/kql/analyzer";
import { kqlLiteral, kqlString, renderKql, templateParameters } from "../../infra/conventions/kql";

const noPartials = (name: string): string => {
  throw new Error(`unexpected partial ${name}`);
};

describe("KQL templating", () => {
  it("renders parameters as escaped literals", () => {
    expect(renderKql("T | where Oid == {{oid}}", { oid: "abc" }, noPartials)).toBe('T | where Oid == "abc"');
    expect(renderKql("let L = {{ids}};", { ids: ["a", "b"] }, noPartials)).toBe(
      'let L = dynamic(["a", "b"]);',
    );
    expect(renderKql("let E = {{ids}};", { ids: [] }, noPartials)).toBe("let E = dynamic([]);");
    expect(renderKql("T | where N >= {{n}} and B == {{b}}", { n: 5, b: false }, noPartials)).toBe(
      "T | where N >= 5 and B == false",
    );
  });

  it("cannot be used to inject query text", () => {
    const hostile = '" or 1 == 1 | union SigninLogs //';
    const template = "AzureActivity | where Caller == {{oid}} | project Caller";
    const rendered = renderKql(template, { oid: hostile }, noPartials);
    expect(rendered).toBe(
      'AzureActivity | where Caller == "\\" or 1 == 1 | union SigninLogs //" | project Caller',
    );
    // The whole value stays one string literal: the analyzer sees no union (SigninLogs is not even
    // declared, so reading it would be an error) and the final projection still applies.
    expect(analyzeKql(rendered)).toEqual({ problems: [], resultColumns: ["Caller"] });
    expect(
      analyzeKql('AzureActivity | where Caller == "" or 1 == 1 | union SigninLogs').problems,
    ).not.toEqual([]);
    expect(kqlString("a\\b")).toBe('"a\\\\b"');
    expect(kqlString("line\nbreak")).toBe('"line\\nbreak"');
    expect(() => kqlString("bell\u0007")).toThrow(/control characters/);
    expect(() => kqlLiteral(Number.NaN)).toThrow(/finite/);
    expect(() => kqlLiteral(1e21)).toThrow(/plain finite/);
  });

  it("fails loudly on missing parameters and malformed placeholders", () => {
    expect(() => renderKql("T | where X == {{missing}}", {}, noPartials)).toThrow(/"missing" has no value/);
    expect(() => renderKql("T | where X == {{ not valid }}", {}, noPartials)).toThrow(
      /invalid KQL placeholder/,
    );
    expect(() => renderKql("T | where X == {{x}", { x: 1 }, noPartials)).toThrow(/unbalanced/);
  });

  it("inlines partials, renders their parameters and stops cycles", () => {
    const partials: Record<string, string> = { base: "let B = T | where N > {{n}};\n", loop: "{{> loop}}" };
    const resolve = (name: string) => partials[name] ?? "";
    expect(renderKql("{{> base}}\nB", { n: 1 }, resolve)).toBe("let B = T | where N > 1;\nB");
    expect(() => renderKql("{{> loop}}", {}, resolve)).toThrow(/nest deeper/);
    expect(() => renderKql("{{> Bad_Name}}", {}, resolve)).toThrow(/invalid KQL partial name/);
  });

  it("lists a template's own parameters", () => {
    expect(templateParameters("{{> p}} A {{x}} {{ y }} {{x}}").sort()).toEqual(["x", "y"]);
  });
});

describe("ISO 8601 durations", () => {
  it("parses day/time durations", () => {
    expect(parseIsoDuration("PT5M")).toBe(minutes(5));
    expect(parseIsoDuration("PT1H30M")).toBe(hours(1) + minutes(30));
    expect(parseIsoDuration("P1D")).toBe(days(1));
    expect(parseIsoDuration("P14D")).toBe(days(14));
    expect(parseIsoDuration("P1W")).toBe(days(7));
    expect(parseIsoDuration("P1DT12H")).toBe(days(1) + hours(12));
  });

  it("rejects anything else", () => {
    for (const bad of ["", "P", "PT", "5M", "PT5", "P1M", "P1Y", "pt5m", "PT-5M", "P1DT"]) {
      expect(() => parseIsoDuration(bad)).toThrow(/ISO 8601/);
    }
  });
});
