import {
  type ArmDocument,
  evaluateCondition,
  evaluateValue,
  type EvalContext,
  NotEvaluable,
  readPath,
  Unknown,
} from "../../../tools/azure-policy/evaluate";

const NOW = new Date("2026-12-01T00:00:00Z");

function ctx(
  doc: Partial<ArmDocument> & Record<string, unknown>,
  parameters: Record<string, unknown> = {},
): EvalContext {
  const full: ArmDocument = { id: "/x", name: "x", type: "Microsoft.Test/things", ...doc };
  return {
    doc: full,
    parameters,
    now: NOW,
    // Test aliases: `Microsoft.Test/things/<path>` is `properties.<path>`.
    resolve: (d, alias) =>
      alias === "type" || alias === "name"
        ? readPath(d, alias)
        : readPath(d, `properties.${alias.replace(/^Microsoft\.Test\/things\//, "")}`),
    apiVersion: "2024-11-01",
  };
}

describe("policy rule conditions", () => {
  test("equals and in compare case-insensitively; a missing field is null", () => {
    const c = ctx({ properties: { mode: "Disabled" } });
    expect(evaluateCondition({ field: "Microsoft.Test/things/mode", equals: "disabled" }, c)).toBe(true);
    expect(evaluateCondition({ field: "Microsoft.Test/things/mode", in: ["Enabled", "DISABLED"] }, c)).toBe(
      true,
    );
    expect(evaluateCondition({ field: "Microsoft.Test/things/other", equals: "x" }, c)).toBe(false);
    expect(evaluateCondition({ field: "Microsoft.Test/things/other", notEquals: "x" }, c)).toBe(true);
    expect(evaluateCondition({ field: "Microsoft.Test/things/other", exists: "false" }, c)).toBe(true);
    expect(evaluateCondition({ field: "Microsoft.Test/things/mode", exists: true }, c)).toBe(true);
  });

  test("allOf / anyOf / not in any spelling; like and notLike", () => {
    const c = ctx({ properties: { url: "https://a.example.com/mcp" } });
    expect(
      evaluateCondition(
        {
          allof: [
            { field: "type", equals: "Microsoft.Test/things" },
            { NOT: { field: "Microsoft.Test/things/url", like: "http://*" } },
          ],
        },
        c,
      ),
    ).toBe(true);
    expect(
      evaluateCondition({ anyOf: [{ field: "Microsoft.Test/things/url", like: "*.example.com/*" }] }, c),
    ).toBe(true);
  });

  test("a [*] field outside count must hold for every element; count with where binds the element", () => {
    const c = ctx({ properties: { rules: [{ port: 443 }, { port: 80 }] } });
    expect(evaluateCondition({ field: "Microsoft.Test/things/rules[*].port", in: [443, 80] }, c)).toBe(true);
    expect(evaluateCondition({ field: "Microsoft.Test/things/rules[*].port", equals: 443 }, c)).toBe(false);
    expect(
      evaluateCondition(
        {
          count: {
            field: "Microsoft.Test/things/rules[*]",
            where: { field: "Microsoft.Test/things/rules[*].port", equals: 80 },
          },
          equals: 1,
        },
        c,
      ),
    ).toBe(true);
    expect(evaluateCondition({ count: { field: "Microsoft.Test/things/none[*]" }, less: 1 }, c)).toBe(true);
  });

  test("template expressions: parameters, field, addDays, length, requestContext, padLeft", () => {
    const c = ctx(
      {
        properties: {
          created: "2026-12-01T00:00:00.000Z",
          expires: "2027-12-05T00:00:00.000Z",
          list: [1, 2],
        },
      },
      { days: 365 },
    );
    expect(
      evaluateCondition(
        {
          field: "Microsoft.Test/things/expires",
          greater: "[addDays(field('Microsoft.Test/things/created'), parameters('days'))]",
        },
        c,
      ),
    ).toBe(true);
    expect(evaluateValue("[length(field('Microsoft.Test/things/list'))]", c)).toBe(2);
    expect(
      evaluateCondition({ value: "[requestContext().apiVersion]", greaterOrEquals: "2021-06-01-preview" }, c),
    ).toBe(true);
    expect(evaluateValue("[padLeft('7', 3, '0')]", c)).toBe("007");
    expect(evaluateValue("[[literal]", c)).toBe("[literal]");
  });

  test("what a plan cannot know is not evaluable, never guessed", () => {
    const c = ctx({ properties: { state: new Unknown("set by Azure after deployment") } });
    expect(() => evaluateCondition({ field: "Microsoft.Test/things/state", equals: "x" }, c)).toThrow(
      NotEvaluable,
    );
    expect(() => evaluateValue("[subscription().id]", c)).toThrow(/subscription\(\)/);
    expect(() => evaluateValue("[parameters('missing')]", c)).toThrow(/missing/);
    // An undecidable branch does not matter when another branch of anyOf decides.
    expect(
      evaluateCondition(
        {
          anyOf: [
            { field: "Microsoft.Test/things/state", equals: "x" },
            { field: "type", equals: "Microsoft.Test/things" },
          ],
        },
        c,
      ),
    ).toBe(true);
  });
});
