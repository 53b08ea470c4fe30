import { readFileSync } from "node:fs";
import {
  ALLOWED_NAMESPACES,
  ALLOWED_TYPES,
  bareTypeName,
  IMPLIED_TYPES,
  memberAllowed,
  referenceMemberName,
  TYPE_RULES,
} from "../../../tools/expressions/allowed-types";
import { STUB_FILES } from "../../../tools/expressions/compile";
import { ruleFor } from "../../../tools/expressions/il-check";
import { checkSyntax } from "../../../tools/expressions/syntax-check";

/** The model and the stub, as one text (the model's interfaces are shared with the local gateway). */
function stubText(): string {
  return STUB_FILES.map((file) => readFileSync(file, "utf8")).join("\n");
}

/** `namespace X { ... public class Y` pairs of the stub, by a line scan (the stub is hand-formatted). */
function stubTypes(): { namespace: string; name: string }[] {
  const types: { namespace: string; name: string }[] = [];
  let namespace = "";
  for (const line of stubText().split("\n")) {
    const ns = /^namespace ([\w.]+)/.exec(line);
    if (ns) namespace = ns[1] ?? "";
    const type = /^\s{4}public (?:(?:abstract|sealed|static) )?(?:class|interface|enum|struct) (\w+)/.exec(
      line,
    );
    if (type) types.push({ namespace, name: type[1] ?? "" });
  }
  return types;
}

describe("allowed types (the reference's table)", () => {
  it("has each type once", () => {
    const names = ALLOWED_TYPES.map((t) => bareTypeName(t.type));
    expect(new Set(names).size).toBe(names.length);
    for (const implied of IMPLIED_TYPES) expect(names).not.toContain(bareTypeName(implied.type));
  });

  it("declares in the stub, outside API Management's own namespace, only types the table allows", () => {
    const declared = stubTypes().filter((t) => t.namespace !== "Apim.PolicyExpressions");
    expect(declared.length).toBeGreaterThan(20);
    for (const { namespace, name } of declared)
      expect(TYPE_RULES.has(`${namespace}.${name}`) ? name : `${namespace}.${name}`).toBe(name);
  });

  it("stubs API Management's object model in its own namespace, with a reference link per type", () => {
    const stub = stubText();
    const model = stubTypes().filter((t) => t.namespace === "Apim.PolicyExpressions");
    expect(model.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        "IProxyContext",
        "IRequest",
        "IResponse",
        "IMessageBody",
        "IUrl",
        "Jwt",
        "BasicAuthCredentials",
      ]),
    );
    for (const { name } of model) {
      const declaration =
        stub.indexOf(` ${name}\n`) >= 0 ? stub.indexOf(` ${name}\n`) : stub.indexOf(` ${name} `);
      const before = stub.slice(Math.max(0, stub.lastIndexOf("\n\n", declaration)), declaration);
      expect(`${name}: ${/https:\/\/learn\.microsoft\.com\/azure\/api-management\//.test(before)}`).toBe(
        `${name}: true`,
      );
    }
  });

  it("knows the namespaces that hold allowed types", () => {
    expect(ALLOWED_NAMESPACES.has("System.IO")).toBe(true);
    expect(ALLOWED_NAMESPACES.has("System.Reflection")).toBe(false);
  });

  it("restricts members where the table lists them", () => {
    const dateTime = TYPE_RULES.get("System.DateTime")!;
    expect(memberAllowed(dateTime, "get_UtcNow")).toEqual({ allowed: true });
    expect(memberAllowed(dateTime, ".ctor")).toEqual({ allowed: true });
    expect(memberAllowed(dateTime, "ToUniversalTime").allowed).toBe(false);
    const symmetric = TYPE_RULES.get("System.Security.Cryptography.SymmetricAlgorithm")!;
    expect(memberAllowed(symmetric, "Create", 0).allowed).toBe(false);
    expect(memberAllowed(symmetric, "Create", 1).allowed).toBe(true);
    expect(referenceMemberName("get_Item")).toBe("Item");
  });

  it("covers nested types of an 'All' type, not of a restricted one", () => {
    expect(ruleFor("System.Collections.Generic.List`1.Enumerator")).toBeDefined();
    expect(ruleFor("System.Collections.Generic.Dictionary`2.KeyCollection")).toBeDefined();
    expect(ruleFor("System.DateTime.Something")).toBeUndefined();
    expect(ruleFor("System.IO.File")).toBeUndefined();
  });
});

describe("checkSyntax", () => {
  it("flags fully qualified names outside the list, with global:: too", () => {
    expect(checkSyntax("global::System.Console.WriteLine()")).toEqual([
      {
        offset: "global::".length,
        message: "System.Console is not on API Management's list of types allowed in policy expressions",
        typeName: "System.Console",
      },
    ]);
    expect(checkSyntax('System.String.Join(",", System.Linq.Enumerable.Range(1, 2))')).toEqual([]);
    expect(checkSyntax("System.TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule")).toEqual([]);
  });

  it("ignores names inside literals and comments, and members named like namespaces", () => {
    expect(checkSyntax('"System.IO.File" /* System.IO.File */ + x.System.IO')).toEqual([]);
  });

  it("checks restricted members through their simple names", () => {
    expect(checkSyntax("DateTime.Today.Year")).toEqual([]);
    expect(checkSyntax("DateTime.SpecifyKind(d, DateTimeKind.Utc)").map((f) => f.offset)).toEqual([
      "DateTime.".length,
    ]);
  });
});
