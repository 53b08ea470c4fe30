/**
 * A real (offline) evaluator of Azure Policy `policyRule` conditions over ARM-shaped resource documents.
 *
 * Semantics follow Azure Policy's definition structure (learn.microsoft.com, "Azure Policy definition
 * structure policy rule"): `allOf` / `anyOf` / `not`; `field`, `value` and `count` conditions; string
 * comparisons case-insensitive; a missing field is `null` (so `equals` is false and `notEquals` true);
 * a field with `[*]` outside `count` must satisfy the condition for every element (true for none);
 * `count.where` binds `current()`. Template expressions (`[...]`) are evaluated by a small interpreter of
 * the ARM functions the reference definitions use; anything else (or a server-set value that a plan
 * cannot know) raises `NotEvaluable` with the reason, so the report says why instead of guessing.
 */

/** A condition or expression the offline evaluator cannot decide (an unknown value or function). */
export class NotEvaluable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "NotEvaluable";
  }
}

/** A value a plan cannot know (server-set), with why. Reading it makes a condition not evaluable. */
export class Unknown {
  constructor(readonly why: string) {}
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Resolves an alias (or top-level field name) on a document; `[*]` paths yield arrays of element values. */
export type FieldResolver = (doc: ArmDocument, alias: string) => unknown;

export interface ArmDocument {
  readonly id: string;
  readonly name: string;
  /** ARM type, e.g. `Microsoft.Storage/storageAccounts`. */
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface EvalContext {
  readonly doc: ArmDocument;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly resolve: FieldResolver;
  /** Evaluation time for `utcNow()` and for server-set creation times. */
  readonly now: Date;
  /** `count` scopes, innermost last: the alias prefix (`x[*]`) and the current element. */
  /** Canonical spelling of an alias (legacy `logs.enabled` is `logs[*].enabled`). */
  readonly canonicalAlias?: (alias: string) => string;
  /** `requestContext().apiVersion`: the API version the deployment writes the resource with. */
  readonly apiVersion?: string;
  readonly scopes?: readonly { readonly prefix: string; readonly name?: string; readonly value: unknown }[];
}

type Condition = Record<string, unknown>;

const OPERATORS = [
  "equals",
  "notEquals",
  "like",
  "notLike",
  "match",
  "matchInsensitively",
  "notMatch",
  "notMatchInsensitively",
  "contains",
  "notContains",
  "in",
  "notIn",
  "containsKey",
  "notContainsKey",
  "less",
  "lessOrEquals",
  "greater",
  "greaterOrEquals",
  "exists",
] as const;
type Operator = (typeof OPERATORS)[number];

/** Evaluates a policy rule's `if` (or an `existenceCondition`) on one document. */
export function evaluateCondition(condition: unknown, ctx: EvalContext): boolean {
  if (typeof condition !== "object" || condition === null || Array.isArray(condition)) {
    throw new NotEvaluable(`not a policy condition: ${JSON.stringify(condition)}`);
  }
  // Built-in definitions spell operators in any case (`allof`, `AnyOf`); Azure accepts them all.
  const c = Object.fromEntries(
    Object.entries(condition as Condition).map(([key, value]) => [canonicalKey(key), value]),
  );
  if (Array.isArray(c.allOf)) return c.allOf.every((child) => evaluateCondition(child, ctx));
  if (Array.isArray(c.anyOf)) {
    // An unknown branch only matters when no other branch decides the result.
    let pending: NotEvaluable | undefined;
    for (const child of c.anyOf) {
      try {
        if (evaluateCondition(child, ctx)) return true;
      } catch (error) {
        if (!(error instanceof NotEvaluable)) throw error;
        pending ??= error;
      }
    }
    if (pending) throw pending;
    return false;
  }
  if (c.not !== undefined) return !evaluateCondition(c.not, ctx);
  const operator = OPERATORS.find((op) => op in c);
  if (!operator) throw new NotEvaluable(`condition without a known operator: ${JSON.stringify(c)}`);
  const operand = evaluateValue(c[operator], ctx);

  if (c.count !== undefined) return compare(countOf(c.count, ctx), operator, operand);
  if (typeof c.field === "string") {
    const alias = ctx.canonicalAlias ? ctx.canonicalAlias(c.field) : c.field;
    if (alias.includes("[*]") && !inScope(alias, ctx)) {
      const values = fieldValue(alias, ctx);
      const list = Array.isArray(values) ? values : [values];
      return list.every((value) => compare(value, operator, operand));
    }
    return compare(fieldValue(alias, ctx), operator, operand);
  }
  if (c.value !== undefined) return compare(evaluateValue(c.value, ctx), operator, operand);
  throw new NotEvaluable(`condition without field, value or count: ${JSON.stringify(c)}`);
}

const KEYS = ["allOf", "anyOf", "not", "field", "value", "count", "where", "name", ...OPERATORS];

function canonicalKey(key: string): string {
  return KEYS.find((candidate) => candidate.toLowerCase() === key.toLowerCase()) ?? key;
}

function inScope(alias: string, ctx: EvalContext): boolean {
  return (ctx.scopes ?? []).some((scope) => alias.toLowerCase().startsWith(scope.prefix.toLowerCase()));
}

function fieldValue(rawAlias: string, ctx: EvalContext): unknown {
  const alias = ctx.canonicalAlias ? ctx.canonicalAlias(rawAlias) : rawAlias;
  // Inside `count` over `x[*]`, `x[*].y` reads `y` of the current element.
  const scope = [...(ctx.scopes ?? [])]
    .reverse()
    .find((s) => alias.toLowerCase().startsWith(s.prefix.toLowerCase()));
  const rest = scope ? alias.slice(scope.prefix.length).replace(/^\./, "") : "";
  // ARM nests an array element's settings under `properties`; azure-native inputs flatten them.
  const value = scope
    ? (readPath(scope.value, rest) ?? (rest === "" ? undefined : readPath(scope.value, `properties.${rest}`)))
    : ctx.resolve(ctx.doc, alias);
  if (value instanceof Unknown) throw new NotEvaluable(value.why);
  if (Array.isArray(value) && value.some((item) => item instanceof Unknown)) {
    throw new NotEvaluable((value.find((item) => item instanceof Unknown) as Unknown).why);
  }
  return value;
}

function countOf(count: unknown, ctx: EvalContext): number {
  if (typeof count !== "object" || count === null) throw new NotEvaluable("count without an object");
  const spec = count as { field?: string; value?: unknown; name?: string; where?: unknown };
  let items: unknown[];
  let prefix: string;
  if (typeof spec.field === "string") {
    const value = fieldValue(spec.field, ctx);
    items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    prefix = spec.field;
  } else if (spec.value !== undefined) {
    const value = evaluateValue(spec.value, ctx);
    items = Array.isArray(value) ? value : [];
    prefix = `\u0000value:${spec.name ?? ""}`;
  } else throw new NotEvaluable("count needs field or value");
  if (spec.where === undefined) return items.length;
  return items.filter((item) =>
    evaluateCondition(spec.where, {
      ...ctx,
      scopes: [...(ctx.scopes ?? []), { prefix, ...(spec.name ? { name: spec.name } : {}), value: item }],
    }),
  ).length;
}

/** Reads `a.b[*].c` (case-insensitive keys) from a value; `[*]` flattens. Missing: `undefined`. */
export function readPath(root: unknown, path: string): unknown {
  if (path === "") return root;
  const segments = path.split(".").flatMap((segment) => {
    const star = segment.endsWith("[*]");
    const name = star ? segment.slice(0, -3) : segment;
    return star ? [name, "[*]"] : [name];
  });
  let current: unknown[] = [root];
  let spread = false;
  for (const segment of segments) {
    if (segment === "[*]") {
      spread = true;
      current = current.flatMap((value) => (Array.isArray(value) ? value : []));
      continue;
    }
    if (segment === "") continue;
    current = current.map((value) => getKey(value, segment));
  }
  if (spread) return current.filter((value) => value !== undefined);
  return current[0];
}

function getKey(value: unknown, key: string): unknown {
  if (value instanceof Unknown) return value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (key in record) return record[key];
  const lower = key.toLowerCase();
  const match = Object.keys(record).find((candidate) => candidate.toLowerCase() === lower);
  return match === undefined ? undefined : record[match];
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return b === null;
  if (isString(a) && isString(b)) return a.toLowerCase() === b.toLowerCase();
  if (typeof a === "boolean" && isString(b)) return String(a) === b.toLowerCase();
  if (isString(a) && typeof b === "boolean") return a.toLowerCase() === String(b);
  if (typeof a === "number" && isString(b)) return String(a) === b;
  if (isString(a) && typeof b === "number") return a === String(b);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => looseEquals(item, b[index]));
  if (typeof a === "object" && typeof b === "object" && b !== null)
    return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function likePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "is");
}

/** Azure's `match`: `#` a digit, `?` a letter, `.` any character, anything else literal. */
function matchPattern(pattern: string, insensitive: boolean): RegExp {
  const body = [...pattern]
    .map((ch) =>
      ch === "#"
        ? "\\d"
        : ch === "?"
          ? "[A-Za-z]"
          : ch === "."
            ? "."
            : ch.replace(/[\\^$*+()|[\]{}]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${body}$`, insensitive ? "i" : "");
}

function orderable(value: unknown): number | string {
  if (typeof value === "number") return value;
  if (isString(value)) {
    // Dates, and API versions such as 2021-06-01-preview, order by their date.
    const date = /^\d{4}-\d{2}-\d{2}/.test(value)
      ? Date.parse(value.length > 10 && value[10] === "-" ? value.slice(0, 10) : value)
      : Number.NaN;
    if (!Number.isNaN(date)) return date;
    const number = Number(value);
    if (value.trim() !== "" && !Number.isNaN(number)) return number;
    return value.toLowerCase();
  }
  throw new NotEvaluable(`cannot order ${JSON.stringify(value)}`);
}

function compare(actual: unknown, operator: Operator, operand: unknown): boolean {
  switch (operator) {
    case "exists": {
      const want = looseEquals(operand, true) || operand === true;
      const present = actual !== undefined && actual !== null;
      return present === want;
    }
    case "equals":
      return looseEquals(actual, operand);
    case "notEquals":
      return !looseEquals(actual, operand);
    case "in":
      return Array.isArray(operand) && operand.some((item) => looseEquals(actual, item));
    case "notIn":
      return !(Array.isArray(operand) && operand.some((item) => looseEquals(actual, item)));
    case "like":
      return isString(actual) && isString(operand) && likePattern(operand).test(actual);
    case "notLike":
      return !(isString(actual) && isString(operand) && likePattern(operand).test(actual));
    case "match":
    case "matchInsensitively":
      return (
        isString(actual) && isString(operand) && matchPattern(operand, operator !== "match").test(actual)
      );
    case "notMatch":
    case "notMatchInsensitively":
      return !(
        isString(actual) &&
        isString(operand) &&
        matchPattern(operand, operator !== "notMatch").test(actual)
      );
    case "contains":
    case "notContains": {
      const has = Array.isArray(actual)
        ? actual.some((item) => looseEquals(item, operand))
        : isString(actual) && isString(operand) && actual.toLowerCase().includes(operand.toLowerCase());
      return operator === "contains" ? has : !has;
    }
    case "containsKey":
    case "notContainsKey": {
      const has =
        typeof actual === "object" &&
        actual !== null &&
        isString(operand) &&
        Object.keys(actual).some((key) => key.toLowerCase() === operand.toLowerCase());
      return operator === "containsKey" ? has : !has;
    }
    case "less":
    case "lessOrEquals":
    case "greater":
    case "greaterOrEquals": {
      if (actual === undefined || actual === null) return false;
      const a = orderable(actual);
      const b = orderable(operand);
      if (typeof a !== typeof b) throw new NotEvaluable(`cannot compare ${String(a)} with ${String(b)}`);
      if (operator === "less") return a < b;
      if (operator === "lessOrEquals") return a <= b;
      if (operator === "greater") return a > b;
      return a >= b;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Template expressions: "[func(args)]" strings inside conditions.

/** Evaluates a condition operand: a literal, or a `[...]` template expression (`[[` escapes). */
export function evaluateValue(value: unknown, ctx: EvalContext): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluateValue(item, ctx));
  if (!isString(value) || !value.startsWith("[") || !value.endsWith("]") || value.startsWith("[["))
    return isString(value) && value.startsWith("[[") ? value.slice(1) : value;
  const parser = new ExpressionParser(value.slice(1, -1), ctx);
  const result = parser.parseExpression();
  parser.expectEnd();
  if (result instanceof Unknown) throw new NotEvaluable(result.why);
  return result;
}

type Token =
  | { kind: "ident"; text: string }
  | { kind: "string"; text: string }
  | { kind: "number"; value: number }
  | { kind: "punct"; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let text = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new NotEvaluable(`unterminated string in [${source}]`);
        if (source[i] === "'" && source[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (source[i] === "'") {
          i++;
          break;
        } else text += source[i++];
      }
      tokens.push({ kind: "string", text });
    } else if (/[0-9-]/.test(ch)) {
      const match = /^-?\d+/.exec(source.slice(i))!;
      tokens.push({ kind: "number", value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ kind: "ident", text: match[0] });
      i += match[0].length;
    } else if ("(),.[]".includes(ch)) {
      tokens.push({ kind: "punct", text: ch });
      i++;
    } else throw new NotEvaluable(`unexpected '${ch}' in template expression [${source}]`);
  }
  return tokens;
}

class ExpressionParser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(
    private readonly source: string,
    private readonly ctx: EvalContext,
  ) {
    this.tokens = tokenize(source);
  }

  expectEnd(): void {
    if (this.position !== this.tokens.length)
      throw new NotEvaluable(`trailing input in template expression [${this.source}]`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private take(text?: string): Token {
    const token = this.tokens[this.position++];
    if (!token || (text !== undefined && (token.kind !== "punct" || token.text !== text)))
      throw new NotEvaluable(`malformed template expression [${this.source}]`);
    return token;
  }

  parseExpression(): unknown {
    const token = this.take();
    let value: unknown;
    if (token.kind === "string") value = token.text;
    else if (token.kind === "number") value = token.value;
    else if (token.kind === "ident") {
      this.take("(");
      const args: unknown[] = [];
      while (!(this.peek()?.kind === "punct" && (this.peek() as { text: string }).text === ")")) {
        args.push(this.parseExpression());
        if (this.peek()?.kind === "punct" && (this.peek() as { text: string }).text === ",") this.take(",");
      }
      this.take(")");
      value = callFunction(token.text, args, this.ctx);
    } else throw new NotEvaluable(`malformed template expression [${this.source}]`);
    // Property and index access: f().x, f()[0]
    for (;;) {
      const next = this.peek();
      if (next?.kind === "punct" && next.text === ".") {
        this.take(".");
        const name = this.take();
        if (name.kind !== "ident") throw new NotEvaluable(`malformed property access in [${this.source}]`);
        value = getKey(value, name.text);
      } else if (next?.kind === "punct" && next.text === "[") {
        this.take("[");
        const index = this.parseExpression();
        this.take("]");
        value =
          Array.isArray(value) && typeof index === "number" ? value[index] : getKey(value, String(index));
      } else break;
    }
    return value;
  }
}

function toNumber(value: unknown, fn: string): number {
  const number = typeof value === "number" ? value : Number(value);
  if (Number.isNaN(number)) throw new NotEvaluable(`${fn}: not a number: ${JSON.stringify(value)}`);
  return number;
}

function callFunction(name: string, args: unknown[], ctx: EvalContext): unknown {
  const unknown = args.find((arg) => arg instanceof Unknown);
  if (unknown) return unknown;
  switch (name.toLowerCase()) {
    case "parameters": {
      const key = String(args[0]);
      if (!(key in ctx.parameters)) throw new NotEvaluable(`parameter '${key}' has no value`);
      return ctx.parameters[key];
    }
    case "field":
      return fieldValue(String(args[0]), ctx);
    case "current": {
      const scopes = ctx.scopes ?? [];
      const scope =
        args.length === 0
          ? scopes[scopes.length - 1]
          : [...scopes].reverse().find((s) => s.name === args[0] || s.prefix === args[0]);
      if (!scope) throw new NotEvaluable(`current(${args.map(String).join(", ")}) outside a count`);
      return scope.value;
    }
    case "adddays": {
      const base = Date.parse(String(args[0]));
      if (Number.isNaN(base)) throw new NotEvaluable(`addDays: not a date: ${JSON.stringify(args[0])}`);
      return new Date(base + toNumber(args[1], "addDays") * 86_400_000).toISOString();
    }
    case "requestcontext":
      if (ctx.apiVersion === undefined)
        throw new NotEvaluable("reads requestContext() without a known API version");
      return { apiVersion: ctx.apiVersion };
    case "padleft": {
      const text = String(args[0] ?? "");
      return text.padStart(toNumber(args[1], "padLeft"), String(args[2] ?? " "));
    }
    case "utcnow":
      return ctx.now.toISOString();
    case "length":
      if (Array.isArray(args[0]) || isString(args[0])) return args[0].length;
      if (args[0] === undefined || args[0] === null) return 0;
      if (typeof args[0] === "object") return Object.keys(args[0]).length;
      throw new NotEvaluable(`length of ${JSON.stringify(args[0])}`);
    case "empty":
      return (
        args[0] === undefined ||
        args[0] === null ||
        args[0] === "" ||
        (Array.isArray(args[0]) && args[0].length === 0) ||
        (typeof args[0] === "object" && Object.keys(args[0]).length === 0)
      );
    case "concat":
      return args.every(Array.isArray) ? args.flat() : args.map((arg) => String(arg ?? "")).join("");
    case "tolower":
      return String(args[0] ?? "").toLowerCase();
    case "toupper":
      return String(args[0] ?? "").toUpperCase();
    case "equals":
      return looseEquals(args[0], args[1]);
    case "not":
      return !args[0];
    case "and":
      return args.every(Boolean);
    case "or":
      return args.some(Boolean);
    case "if":
      return args[0] ? args[1] : args[2];
    case "contains":
      return compare(args[0], "contains", args[1]);
    case "split":
      return String(args[0] ?? "").split(String(args[1]));
    case "first":
      return Array.isArray(args[0]) ? args[0][0] : String(args[0] ?? "").slice(0, 1);
    case "last":
      return Array.isArray(args[0]) ? args[0][args[0].length - 1] : String(args[0] ?? "").slice(-1);
    case "int":
      return Math.trunc(toNumber(args[0], "int"));
    case "string":
      return typeof args[0] === "string" ? args[0] : JSON.stringify(args[0]);
    case "bool":
      return looseEquals(args[0], true);
    case "substring":
      return String(args[0]).substring(
        toNumber(args[1], "substring"),
        args[2] === undefined ? undefined : toNumber(args[1], "substring") + toNumber(args[2], "substring"),
      );
    case "replace":
      return String(args[0]).split(String(args[1])).join(String(args[2]));
    case "greater":
      return orderable(args[0]) > orderable(args[1]);
    case "less":
      return orderable(args[0]) < orderable(args[1]);
    default:
      throw new NotEvaluable(`uses the template function ${name}(), which needs the live Azure context`);
  }
}
