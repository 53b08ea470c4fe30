import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Pure helpers for the KQL files kept beside the alert and analytics rule catalogues:
 * a deliberately tiny template language, and a reference extractor good enough to check
 * that a query only names tables and columns listed in `log-schema.ts`.
 *
 * Template syntax (nothing else inside `{{ }}` is accepted):
 * - `{{name}}` is replaced by the parameter `name` rendered as a KQL literal (strings quoted and
 *   escaped, string lists as `dynamic([...])`), so configuration can never inject query text;
 * - `{{> partial-name}}` is replaced by the file `infra/conventions/kql-partials/<partial-name>.kql`.
 *
 * Partials live here, not beside one component's queries, because they are contracts shared across
 * components (the gateway logging contract is written by the gateway policy and read by the monitoring
 * alerts and workbook and by the Sentinel analytics rules); components never reach into each other.
 */

/** A value a query can take from configuration. */
export type KqlValue = string | number | boolean | readonly string[];
export type KqlParams = Readonly<Record<string, KqlValue>>;

/** Directory of shared query fragments (`{{> name}}`). */
export const PARTIALS_DIR = path.join(__dirname, "kql-partials");

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const PARTIAL_NAME = /^[a-z0-9][a-z0-9-]*$/;
const MAX_PARTIAL_DEPTH = 4;

/** `value` as a KQL string literal: double-quoted, with backslash escapes; control characters are refused. */
export function kqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
      throw new Error(
        `KQL parameter values must not contain control characters (found U+${code.toString(16)})`,
      );
    } else out += ch;
  }
  return `${out}"`;
}

/** Any parameter value as a KQL literal. */
export function kqlLiteral(value: KqlValue): string {
  if (typeof value === "string") return kqlString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value) || !/^-?\d+(\.\d+)?$/.test(String(value))) {
      throw new Error(`KQL numeric parameters must be plain finite numbers, got ${String(value)}`);
    }
    return String(value);
  }
  return `dynamic([${value.map(kqlString).join(", ")}])`;
}

/** Reads a partial by name from `PARTIALS_DIR`. */
export function readPartial(name: string): string {
  return readFileSync(path.join(PARTIALS_DIR, `${name}.kql`), "utf8");
}

/**
 * Renders a KQL template. Throws on an unknown parameter, a malformed placeholder or a partial cycle,
 * so a typo fails the unit tests instead of reaching Azure as a broken rule.
 */
export function renderKql(
  template: string,
  params: KqlParams = {},
  resolvePartial: (name: string) => string = readPartial,
  depth = 0,
): string {
  if (depth > MAX_PARTIAL_DEPTH) throw new Error(`KQL partials nest deeper than ${MAX_PARTIAL_DEPTH} levels`);
  const rendered = template.replace(PLACEHOLDER, (_whole, inner: string) => {
    const body = inner.trim();
    if (body.startsWith(">")) {
      const name = body.slice(1).trim();
      if (!PARTIAL_NAME.test(name)) throw new Error(`invalid KQL partial name "${name}"`);
      return renderKql(resolvePartial(name), params, resolvePartial, depth + 1).trimEnd();
    }
    if (!PARAM_NAME.test(body)) throw new Error(`invalid KQL placeholder "{{${inner}}}"`);
    const value = params[body];
    if (value === undefined) throw new Error(`KQL parameter "${body}" has no value`);
    return kqlLiteral(value);
  });
  if (rendered.includes("{{") || rendered.includes("}}")) {
    throw new Error("unbalanced {{ }} left in KQL template");
  }
  return rendered;
}

/** Reads and renders a KQL file. */
export function loadKqlFile(file: string, params: KqlParams = {}): string {
  return renderKql(readFileSync(file, "utf8"), params);
}

/** The template's own parameter names (partials not followed), for checking catalogue defaults. */
export function templateParameters(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const body = (match[1] ?? "").trim();
    if (!body.startsWith(">")) names.add(body);
  }
  return [...names];
}

// ---------------------------------------------------------------------------------------------
// Reference extraction
// ---------------------------------------------------------------------------------------------

type TokenKind = "ident" | "string" | "number" | "punct";
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/** Operators spelled with a hyphen; they tokenize as one keyword. */
const HYPHENATED = new Set([
  "mv-expand",
  "mv-apply",
  "project-away",
  "project-keep",
  "project-rename",
  "project-reorder",
  "make-series",
  "top-nested",
  "top-hitters",
]);

/** KQL words that are never table or column names (operators, clauses, literals, types, join kinds). */
const KEYWORDS = new Set([
  "anti",
  "broadcast",
  "fullouter",
  "inner",
  "innerunique",
  "leftanti",
  "leftantisemi",
  "leftouter",
  "leftsemi",
  "rightanti",
  "rightantisemi",
  "rightouter",
  "rightsemi",
  "semi",
  "shuffle",
  "bagexpansion",
  "hint",
  "isfuzzy",
  "with_itemindex",
  "withsource",
  "and",
  "as",
  "asc",
  "between",
  "bool",
  "by",
  "contains",
  "contains_cs",
  "count",
  "datetime",
  "decimal",
  "default",
  "desc",
  "distinct",
  "double",
  "dynamic",
  "endswith",
  "endswith_cs",
  "extend",
  "false",
  "first",
  "from",
  "guid",
  "has",
  "has_all",
  "has_any",
  "has_cs",
  "hasprefix",
  "hassuffix",
  "in",
  "int",
  "join",
  "kind",
  "last",
  "let",
  "limit",
  "long",
  "lookup",
  "make-series",
  "matches",
  "mv-apply",
  "mv-expand",
  "not",
  "null",
  "nulls",
  "on",
  "or",
  "order",
  "project",
  "project-away",
  "project-keep",
  "project-rename",
  "project-reorder",
  "real",
  "regex",
  "render",
  "sort",
  "startswith",
  "startswith_cs",
  "step",
  "string",
  "summarize",
  "take",
  "timespan",
  "to",
  "top",
  "top-hitters",
  "top-nested",
  "true",
  "typeof",
  "union",
  "where",
  "with",
  "$left",
  "$right",
]);

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = query.length;
  const isIdentStart = (c: string) => /[A-Za-z_$]/.test(c);
  const isIdentPart = (c: string) => /[A-Za-z0-9_]/.test(c);
  while (i < n) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "/" && query[i + 1] === "/") {
      while (i < n && query[i] !== "\n") i++;
    } else if (
      c === '"' ||
      c === "'" ||
      ((c === "@" || c === "h" || c === "H") && /["']/.test(query[i + 1] ?? ""))
    ) {
      const verbatim = c === "@";
      const start = i;
      if (c !== '"' && c !== "'") i++;
      const quote = query[i]!;
      i++;
      while (i < n) {
        if (!verbatim && query[i] === "\\") i += 2;
        else if (query[i] === quote) {
          if (verbatim && query[i + 1] === quote) i += 2;
          else break;
        } else i++;
      }
      i++;
      tokens.push({ kind: "string", text: query.slice(start, i) });
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < n && /[0-9A-Za-z_.]/.test(query[i]!) && !(query[i] === "." && query[i + 1] === ".")) i++;
      tokens.push({ kind: "number", text: query.slice(start, i) });
    } else if (isIdentStart(c)) {
      const start = i;
      i++;
      while (i < n && isIdentPart(query[i]!)) i++;
      let word = query.slice(start, i);
      if (query[i] === "-") {
        const rest = /^-[A-Za-z]+/.exec(query.slice(i));
        if (rest && HYPHENATED.has(word + rest[0])) {
          word += rest[0];
          i += rest[0].length;
        }
      }
      tokens.push({ kind: "ident", text: word });
    } else {
      const two = query.slice(i, i + 2);
      if (["==", "!=", "=~", "!~", "<=", ">=", ".."].includes(two)) {
        tokens.push({ kind: "punct", text: two });
        i += 2;
      } else {
        tokens.push({ kind: "punct", text: c });
        i++;
      }
    }
  }
  return tokens;
}

/** What a query reads: tables at source positions, and column-like identifiers it does not define itself. */
export interface KqlReferences {
  /** Tables read (`Table | ...`, `let X = Table`, `union`, `join`), sorted. */
  readonly tables: readonly string[];
  /** Identifiers used as columns that the query does not define (`Name =`), sorted. */
  readonly columns: readonly string[];
  /** Names the query defines: `let` names and every `Name =` assignment. */
  readonly defined: readonly string[];
}

function splitStatements(tokens: readonly Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === "punct" && "([{".includes(token.text)) depth++;
    if (token.kind === "punct" && ")]}".includes(token.text)) depth--;
    if (token.kind === "punct" && token.text === ";" && depth === 0) {
      if (current.length > 0) statements.push(current);
      current = [];
    } else current.push(token);
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

const isPunct = (token: Token | undefined, text: string) => token?.kind === "punct" && token.text === text;
const isIdent = (token: Token | undefined, text?: string) =>
  token?.kind === "ident" && (text === undefined || token.text === text);

/** Extracts the tables and source columns a (rendered) query references. */
export function extractKqlReferences(query: string): KqlReferences {
  const statements = splitStatements(tokenize(query));
  const letNames = new Set<string>();
  const tables = new Set<string>();
  const defined = new Set<string>();
  const candidates = new Set<string>();

  for (const tokens of statements) {
    const tableAt = new Set<number>();
    /** Marks the tabular source starting at `index` (skipping opening parentheses). */
    const markSource = (index: number) => {
      let k = index;
      while (isPunct(tokens[k], "(")) k++;
      const token = tokens[k];
      if (token?.kind === "ident" && !KEYWORDS.has(token.text) && !isPunct(tokens[k + 1], "(")) {
        tableAt.add(k);
        if (!letNames.has(token.text)) tables.add(token.text);
      }
    };
    /** Skips `name = value` option pairs (`kind=inner`, `isfuzzy=true`, `hint.strategy=shuffle`). */
    const skipOptions = (index: number): number => {
      let k = index;
      for (;;) {
        let m = k;
        while (isIdent(tokens[m]) && isPunct(tokens[m + 1], ".")) m += 2;
        if (isIdent(tokens[m]) && isPunct(tokens[m + 1], "=") && tokens[m + 2] !== undefined) k = m + 3;
        else return k;
      }
    };

    let bodyStart = 0;
    if (isIdent(tokens[0], "let") && isIdent(tokens[1]) && isPunct(tokens[2], "=")) {
      letNames.add(tokens[1]!.text);
      defined.add(tokens[1]!.text);
      bodyStart = 3;
    }
    if (isIdent(tokens[bodyStart], "union")) {
      // handled by the union scan below
    } else {
      markSource(bodyStart);
    }

    tokens.forEach((token, index) => {
      if (isIdent(token, "join") || isIdent(token, "lookup")) {
        markSource(skipOptions(index + 1));
      }
      if (isIdent(token, "union")) {
        let k = skipOptions(index + 1);
        for (;;) {
          markSource(k);
          // advance past this source (a parenthesised subquery or a single name) to a following comma
          if (isPunct(tokens[k], "(")) {
            let depth = 0;
            do {
              if (isPunct(tokens[k], "(")) depth++;
              if (isPunct(tokens[k], ")")) depth--;
              k++;
            } while (k < tokens.length && depth > 0);
          } else k++;
          if (isPunct(tokens[k], ",")) k++;
          else break;
        }
      }
    });

    tokens.forEach((token, index) => {
      if (token.kind !== "ident" || tableAt.has(index) || KEYWORDS.has(token.text)) return;
      if (isPunct(tokens[index - 1], ".")) return; // dynamic property access: Event.reason
      if (isPunct(tokens[index + 1], "(")) return; // function call
      if (isPunct(tokens[index + 1], "=")) {
        defined.add(token.text);
        return;
      }
      if (isPunct(tokens[index + 1], ".") && isIdent(tokens[index + 2]) && isPunct(tokens[index + 3], "=")) {
        return; // option such as hint.strategy=shuffle
      }
      candidates.add(token.text);
    });
  }

  const columns = [...candidates].filter(
    (name) => !defined.has(name) && !letNames.has(name) && !tables.has(name),
  );
  return {
    tables: [...tables].sort(),
    columns: columns.sort(),
    defined: [...defined].sort(),
  };
}

/**
 * Output column names of the query's final `| project` (in order). Rules map entities, custom details and
 * alert dimensions to these names, so a test can check the mapping against what the query really returns.
 * Returns `undefined` when the last statement does not end with a `project`.
 */
export function finalProjection(query: string): string[] | undefined {
  const statements = splitStatements(tokenize(query));
  const last = statements[statements.length - 1];
  if (!last) return undefined;
  let start = -1;
  let depth = 0;
  last.forEach((token, index) => {
    if (token.kind === "punct" && "([{".includes(token.text)) depth++;
    if (token.kind === "punct" && ")]}".includes(token.text)) depth--;
    if (depth === 0 && isPunct(token, "|")) start = isIdent(last[index + 1], "project") ? index + 2 : -1;
  });
  if (start < 0) return undefined;
  const names: string[] = [];
  let item: Token[] = [];
  depth = 0;
  const flush = () => {
    if (item.length > 0 && item[0]!.kind === "ident") names.push(item[0]!.text);
    item = [];
  };
  for (const token of last.slice(start)) {
    if (token.kind === "punct" && "([{".includes(token.text)) depth++;
    if (token.kind === "punct" && ")]}".includes(token.text)) depth--;
    if (depth === 0 && isPunct(token, ",")) flush();
    else item.push(token);
  }
  flush();
  return names;
}
