/**
 * The whole check over a set of policy documents: extract every expression, compile each distinct one
 * once (all in one compiler run), and report each error at the document, section, element and renderer
 * source line it belongs to. Used by `cli.ts` and the jest suites.
 */
import { type CompileUnit, compileExpressions, type ExpectedType } from "./compile";
import type { PolicyDocument } from "./documents";
import {
  expressionPosition,
  type ExpressionSite,
  extractExpressions,
  type PolicyExpression,
} from "./extract";
import { locateSource, type SourceIndex, type SourceLocation } from "./sources";

export interface Place {
  readonly document: PolicyDocument;
  readonly index?: number;
  readonly site?: ExpressionSite;
}

export interface Finding extends Place {
  /** `CS1061` (compiler), `APIM-ALLOWED-TYPES`, `APIM-SYNTAX` or `XML` (extraction). */
  readonly code: string;
  readonly message: string;
  /** The expression (XML-unescaped) and the offset in it the error points at. */
  readonly expressionText?: string;
  readonly textOffset?: number;
  /** The renderer lines that most likely wrote the offending part (see sources.ts). */
  readonly sources: readonly SourceLocation[];
  /** Other places with the same expression and the same error (other stacks, servers, variants). */
  readonly alsoIn: readonly Place[];
}

export interface StackCount {
  documents: number;
  expressions: number;
}

export interface CheckReport {
  readonly findings: readonly Finding[];
  readonly internalErrors: readonly string[];
  readonly expressions: number;
  readonly uniqueExpressions: number;
  readonly perStack: ReadonlyMap<string, StackCount>;
  readonly compilerRuns: number;
}

export interface CheckOptions {
  readonly compiler: string;
  readonly sources: SourceIndex;
  readonly keepDir?: string;
}

const BOOL_ATTRIBUTES = new Set(["condition", "increment-condition"]);
const STRING_ATTRIBUTES = new Set(["counter-key", "key"]);

/** The type the policy expects from the expression: conditions are bool, cache and counter keys strings. */
export function expectedType(site: ExpressionSite): ExpectedType {
  if (site.attribute !== undefined && BOOL_ATTRIBUTES.has(site.attribute)) return "bool";
  if (site.attribute !== undefined && STRING_ATTRIBUTES.has(site.attribute)) return "string";
  return "object";
}

interface Occurrence {
  readonly document: PolicyDocument;
  readonly expression: PolicyExpression;
}

export function checkDocuments(documents: readonly PolicyDocument[], options: CheckOptions): CheckReport {
  const perStack = new Map<string, StackCount>();
  const units: CompileUnit[] = [];
  const occurrencesOf: Occurrence[][] = [];
  const unitOf = new Map<string, number>();
  const problems = new Map<string, Finding & { alsoIn: Place[] }>();
  let expressions = 0;

  for (const document of documents) {
    const count = perStack.get(document.stack) ?? { documents: 0, expressions: 0 };
    perStack.set(document.stack, count);
    count.documents += 1;
    const extraction = extractExpressions(document.xml);
    count.expressions += extraction.expressions.length;
    expressions += extraction.expressions.length;
    for (const problem of extraction.problems) {
      const line = document.xml.split("\n")[problem.position.line - 1] ?? "";
      const key = `${problem.message}\u0000${line.trim()}`;
      const place: Place = {
        document,
        ...(problem.index === undefined ? {} : { index: problem.index }),
        ...(problem.site === undefined ? {} : { site: problem.site }),
      };
      const existing = problems.get(key);
      if (existing !== undefined) {
        existing.alsoIn.push(place);
        continue;
      }
      const column = problem.position.column - 1;
      problems.set(key, {
        ...place,
        code: "XML",
        message: `${problem.message} (document line ${problem.position.line})`,
        expressionText: line,
        textOffset: column,
        sources: locateSource(options.sources, line, column),
        alsoIn: [],
      });
    }
    for (const expression of extraction.expressions) {
      const expected = expectedType(expression.site);
      const key = `${expression.kind}\u0000${expected}\u0000${expression.code}`;
      let unit = unitOf.get(key);
      if (unit === undefined) {
        unit = units.length;
        unitOf.set(key, unit);
        units.push({ kind: expression.kind, code: expression.code, expected });
        occurrencesOf.push([]);
      }
      occurrencesOf[unit]?.push({ document, expression });
    }
  }

  const result =
    units.length === 0
      ? { diagnostics: [], internalErrors: [], compilerRuns: 0 }
      : compileExpressions(units, {
          compiler: options.compiler,
          ...(options.keepDir === undefined ? {} : { keepDir: options.keepDir }),
        });

  const order = new Map(documents.map((document, i) => [document, i]));
  const findings: Finding[] = [...problems.values()];
  for (const diagnostic of result.diagnostics) {
    const [first, ...rest] = occurrencesOf[diagnostic.unit] ?? [];
    if (first === undefined) continue;
    const text = first.expression.text;
    findings.push({
      ...placeOf(first),
      code: diagnostic.code,
      message: diagnostic.message,
      expressionText: text,
      textOffset: diagnostic.textOffset,
      sources: locateSource(options.sources, text, diagnostic.textOffset),
      alsoIn: rest.map(placeOf),
    });
  }
  // In document order, then expression order, so the output reads like the documents.
  findings.sort(
    (a, b) => (order.get(a.document) ?? 0) - (order.get(b.document) ?? 0) || (a.index ?? 0) - (b.index ?? 0),
  );
  return {
    findings,
    internalErrors: result.internalErrors,
    expressions,
    uniqueExpressions: units.length,
    perStack,
    compilerRuns: result.compilerRuns,
  };
}

function placeOf(occurrence: Occurrence): Place {
  return {
    document: occurrence.document,
    index: occurrence.expression.index,
    site: occurrence.expression.site,
  };
}

/** Where a finding's first place is, without the message: used for "also in" lists too. */
export function describePlace(place: Place): string {
  const { document, site } = place;
  const attachment = [
    document.kind,
    document.api && `api ${document.api}`,
    document.operation && `operation ${document.operation}`,
  ]
    .filter((part) => typeof part === "string" && part !== "")
    .join(", ");
  const where =
    site === undefined
      ? ""
      : ` ${site.section} ${site.elementPath}${site.attribute === undefined ? "" : `@${site.attribute}`}`;
  const index = place.index === undefined ? "" : ` expression #${place.index}`;
  return `${document.stack} ${document.resource} (${attachment})${where}${index}`;
}

const EXCERPT_WIDTH = 110;

/**
 * `<stack> <resource> (<kind, api>) <section> <element> expression #n (template <file>:<line>): <code>: <message>`,
 * then the expression with a caret under the offending part, then the other places it occurs.
 */
export function formatFinding(finding: Finding): string {
  const template =
    finding.sources.length === 0
      ? "template: not found in infra/gateway/policy"
      : `template ${finding.sources.map((s) => `${s.file}:${s.line}`).join(", ")}`;
  const lines = [`${describePlace(finding)} (${template}): error ${finding.code}: ${finding.message}`];
  if (finding.expressionText !== undefined && finding.textOffset !== undefined) {
    lines.push(...excerpt(finding.expressionText, finding.textOffset));
  }
  if (finding.alsoIn.length > 0) {
    const shown = finding.alsoIn.slice(0, 4).map(describePlace);
    const more = finding.alsoIn.length - shown.length;
    lines.push(`    also in: ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`);
  }
  return lines.join("\n");
}

function excerpt(text: string, offset: number): string[] {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = text.indexOf("\n", offset) < 0 ? text.length : text.indexOf("\n", offset);
  const line = text.slice(lineStart, lineEnd);
  const column = offset - lineStart;
  const from = Math.max(0, Math.min(column - Math.floor(EXCERPT_WIDTH / 2), line.length - EXCERPT_WIDTH));
  const to = Math.min(line.length, from + EXCERPT_WIDTH);
  const prefix = from > 0 ? "…" : "";
  const shown = `${prefix}${line.slice(from, to)}${to < line.length ? "…" : ""}`;
  const lineNumber = text.slice(0, lineStart).split("\n").length;
  const position = lineNumber > 1 ? `line ${lineNumber}, column ${column + 1}` : `column ${column + 1}`;
  return [`    ${shown}`, `    ${" ".repeat(prefix.length + column - from)}^ ${position} of the expression`];
}

/** For tests: the document position of a finding's offset. */
export function findingPosition(finding: Finding): { line: number; column: number } | undefined {
  if (finding.expressionText === undefined || finding.textOffset === undefined || finding.index === undefined)
    return undefined;
  const extraction = extractExpressions(finding.document.xml);
  const expression = extraction.expressions.find((e) => e.index === finding.index);
  return expression === undefined
    ? undefined
    : expressionPosition(extraction, expression, finding.textOffset);
}
