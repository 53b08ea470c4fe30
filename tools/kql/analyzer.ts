import { createRequire } from "node:module";
import { EVENT_FIELDS, KQL_EVENT_COLUMN } from "../../infra/conventions/logging-contract";
import { LOG_TABLES, type LogTable, WORKSPACE_FUNCTIONS, type WorkspaceFunction } from "./tables";

/**
 * Microsoft's Kusto parser and semantic analyzer (`@kusto/language-service-next`, Kusto.Language compiled
 * to JavaScript with Bridge.NET), loaded once, with a database built from `tables.ts`.
 *
 * The package's own declarations are global-namespace scripts (1.7 MB, plus Bridge's, which need DOM
 * types); pulling them into every `tsc` run is not worth it for the handful of members used here, so this
 * module declares exactly those members (`KustoApi` below). The jest suite exercises every one of them, so
 * a renamed member in a new package version fails the tests, not silently.
 */

/** A `System.Collections.Generic.IReadOnlyList` as Bridge.NET exposes it. */
interface BridgeList<T> {
  readonly Count: number;
  getItem(index: number): T;
}

interface KustoDiagnostic {
  readonly Code: string;
  readonly Severity: string;
  readonly Message: string;
  readonly Start: number;
  readonly Length: number;
}

interface KustoSymbol {
  readonly Name: string;
  readonly Kind: number;
  readonly Type?: KustoSymbol | null;
}

interface KustoTableSymbol extends KustoSymbol {
  readonly Columns: BridgeList<KustoSymbol>;
  /** Throws for a name that is not a column. */
  GetColumn(name: string): KustoSymbol | null;
}

interface KustoSyntaxNode {
  readonly Kind: number;
  readonly TextStart: number;
  readonly Width: number;
  readonly SimpleName?: string;
  readonly ReferencedSymbol: KustoSymbol | null;
  /** PathExpression: `Expression.Selector`; ElementExpression: `Expression[Selector]`. */
  readonly Expression?: KustoSyntaxNode | null;
  readonly Selector?: KustoSyntaxNode | null;
  /** ElementExpression's bracketed part, and literals' constant value. */
  readonly ConstantValue?: unknown;
  readonly IsConstant?: boolean;
  WalkNodes(action: (node: KustoSyntaxNode) => void): void;
}

interface KustoCode {
  readonly Syntax: KustoSyntaxNode;
  readonly ResultType: KustoSymbol | null;
  GetDiagnostics(): BridgeList<KustoDiagnostic>;
}

interface KustoGlobalState {
  WithDatabase(database: unknown): KustoGlobalState;
}

interface KustoApi {
  readonly GlobalState: { readonly Default: KustoGlobalState };
  readonly KustoCode: { ParseAndAnalyze(text: string, globals: KustoGlobalState): KustoCode };
  readonly Symbols: {
    readonly TableSymbol: {
      readonly $ctor7: new (name: string, schema: string, description: string | null) => KustoTableSymbol;
    };
    readonly FunctionSymbol: {
      readonly $ctor16: new (
        name: string,
        parameterList: string,
        body: string,
        description: string | null,
      ) => KustoSymbol;
    };
    readonly DatabaseSymbol: {
      readonly $ctor1: new (name: string, members: readonly KustoSymbol[], isOpen: boolean) => KustoSymbol;
    };
    readonly SymbolKind: { readonly Column: number; readonly Table: number };
  };
  readonly Syntax: {
    readonly SyntaxKind: {
      readonly NameReference: number;
      readonly PathExpression: number;
      readonly ElementExpression: number;
      readonly BracketedExpression: number;
    };
  };
}

let loaded: KustoApi | undefined;

/** Loads the Bridge.NET runtime, then Kusto.Language; both register themselves as globals. */
export function kustoLanguage(): KustoApi {
  if (loaded === undefined) {
    const load = createRequire(__filename);
    load("@kusto/language-service-next/bridge.min.js");
    load("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
    const api = (globalThis as { Kusto?: { Language?: KustoApi } }).Kusto?.Language;
    if (api === undefined) throw new Error("@kusto/language-service-next did not register Kusto.Language");
    loaded = api;
  }
  return loaded;
}

/** One problem in a query text; `start`/`length` are character offsets into that text. */
export interface KqlProblem {
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
}

export interface KqlAnalysis {
  readonly problems: readonly KqlProblem[];
  /** Columns of the query's result, in order (what the rule's entity mappings and dimensions can use). */
  readonly resultColumns: readonly string[];
}

export interface SchemaOptions {
  readonly tables?: Readonly<Record<string, LogTable>>;
  readonly functions?: readonly WorkspaceFunction[];
}

/** Reused between calls: building the database is the costly part after loading. */
interface Database {
  readonly globals: KustoGlobalState;
  /** Column symbols that must never be read, with their table. */
  readonly forbidden: Map<KustoSymbol, string>;
}

const databases = new WeakMap<object, Database>();

function database(
  api: KustoApi,
  tables: Readonly<Record<string, LogTable>>,
  functions: readonly WorkspaceFunction[],
) {
  const key = tables === LOG_TABLES && functions === WORKSPACE_FUNCTIONS ? LOG_TABLES : undefined;
  const cached = key ? databases.get(key) : undefined;
  if (cached) return cached;
  const forbidden = new Map<KustoSymbol, string>();
  const members: KustoSymbol[] = [];
  for (const [name, table] of Object.entries(tables)) {
    const schema = Object.entries(table.columns)
      .map(([column, type]) => `['${column}']:${type}`)
      .join(", ");
    const symbol = new api.Symbols.TableSymbol.$ctor7(name, `(${schema})`, table.reference);
    for (const column of table.forbidden) {
      // Checked first: Kusto.Language's GetColumn throws its own, less helpful, error for a missing one.
      const columnSymbol = Object.hasOwn(table.columns, column) ? symbol.GetColumn(column) : null;
      if (columnSymbol === null)
        throw new Error(`tables.ts: ${name}.forbidden names ${column}, which is not a column`);
      forbidden.set(columnSymbol, name);
    }
    members.push(symbol);
  }
  for (const fn of functions) {
    members.push(new api.Symbols.FunctionSymbol.$ctor16(fn.name, fn.parameters, fn.body, fn.reference));
  }
  const db = new api.Symbols.DatabaseSymbol.$ctor1("workspace", members, false);
  const built: Database = { globals: api.GlobalState.Default.WithDatabase(db), forbidden };
  if (key) databases.set(key, built);
  return built;
}

const KNOWN_EVENT_FIELDS = new Set<string>(Object.keys(EVENT_FIELDS));

/** The string inside `['x']` / `["x"]`, for `McpEvent["x"]`. */
function bracketedName(node: KustoSyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const inner = node.Expression ?? node;
  return typeof inner.ConstantValue === "string" ? inner.ConstantValue : undefined;
}

/**
 * Parses and analyzes `text` against the Log Analytics tables (and workspace functions), then adds two
 * checks the analyzer cannot make: no forbidden column is read, and every member read from the parsed
 * gateway trace message is a field of the logging contract.
 */
export function analyzeKql(text: string, options: SchemaOptions = {}): KqlAnalysis {
  const api = kustoLanguage();
  const { globals, forbidden } = database(
    api,
    options.tables ?? LOG_TABLES,
    options.functions ?? WORKSPACE_FUNCTIONS,
  );
  const code = api.KustoCode.ParseAndAnalyze(text, globals);
  const problems: KqlProblem[] = [];
  const diagnostics = code.GetDiagnostics();
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    if (d.Severity !== "Error") continue;
    problems.push({ code: d.Code, message: d.Message, start: d.Start, length: d.Length });
  }
  const kinds = api.Syntax.SyntaxKind;
  code.Syntax.WalkNodes((node) => {
    if (node.Kind === kinds.NameReference && node.ReferencedSymbol) {
      const table = forbidden.get(node.ReferencedSymbol);
      if (table !== undefined) {
        problems.push({
          code: "MCPGW-FORBIDDEN-COLUMN",
          message: `${table}.${node.ReferencedSymbol.Name} must never be read: it can hold request content (tools/kql/tables.ts, forbidden)`,
          start: node.TextStart,
          length: node.Width,
        });
      }
    }
    const isPath = node.Kind === kinds.PathExpression;
    if ((isPath || node.Kind === kinds.ElementExpression) && node.Expression?.Kind === kinds.NameReference) {
      if (node.Expression.SimpleName !== KQL_EVENT_COLUMN) return;
      const field = isPath ? node.Selector?.SimpleName : bracketedName(node.Selector);
      if (field === undefined || !KNOWN_EVENT_FIELDS.has(field)) {
        problems.push({
          code: "MCPGW-TRACE-FIELD",
          message: `${KQL_EVENT_COLUMN}.${field ?? "<computed>"} is not a field of the gateway's audit trace (infra/conventions/logging-contract.ts EVENT_FIELDS: ${[...KNOWN_EVENT_FIELDS].join(", ")})`,
          start: node.TextStart,
          length: node.Width,
        });
      }
    }
  });
  problems.sort((a, b) => a.start - b.start);
  const resultColumns: string[] = [];
  const result = code.ResultType as KustoTableSymbol | null;
  if (result && result.Kind === api.Symbols.SymbolKind.Table) {
    for (let i = 0; i < result.Columns.Count; i++) resultColumns.push(result.Columns.getItem(i).Name);
  }
  return { problems, resultColumns };
}
