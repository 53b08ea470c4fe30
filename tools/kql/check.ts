import type { PreviewPlan } from "../../policies/check/plan";
import { analyzeKql, type KqlAnalysis, type SchemaOptions } from "./analyzer";
import { type DeployedQuery, type ExtractionProblem, planQueries } from "./extract";
import { indexQuerySources, locateQuery, type SourceIndex } from "./sources";

/** One error in one deployed query, located in its source file when a query file renders to it. */
export interface KqlFinding {
  readonly stack: string;
  readonly resourceType: string;
  readonly resource: string;
  readonly location: string;
  /** Source file and 1-based line; undefined when no query file renders to the deployed text. */
  readonly source?: { readonly file: string; readonly line: number };
  /** 1-based line and column in the deployed text. */
  readonly queryLine: number;
  readonly queryColumn: number;
  readonly code: string;
  readonly message: string;
  /** The deployed line the error is on. */
  readonly excerpt: string;
}

export interface KqlReport {
  readonly findings: KqlFinding[];
  /** Queries the check could not read (not KQL strings, unknown workbook parameters). */
  readonly problems: ExtractionProblem[];
  /** Deployed queries that no file under the query directories renders to (hand-written in code). */
  readonly unmapped: DeployedQuery[];
  readonly perStack: Map<string, { queries: number; resources: number }>;
  queries: number;
}

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

export interface CheckOptions extends SchemaOptions {
  readonly sources?: SourceIndex;
}

/** Analyzes every query of the given plans. */
export function checkPlans(
  plans: readonly { readonly stack: string; readonly plan: PreviewPlan }[],
  options: CheckOptions = {},
): KqlReport {
  const sources = options.sources ?? indexQuerySources();
  // Stacks deploy mostly the same texts: analyze each distinct text once.
  const analyses = new Map<string, KqlAnalysis>();
  const report: KqlReport = { findings: [], problems: [], unmapped: [], perStack: new Map(), queries: 0 };
  for (const { stack, plan } of plans) {
    const { queries, problems } = planQueries(stack, plan);
    report.problems.push(...problems);
    report.perStack.set(stack, {
      queries: queries.length,
      resources: new Set(queries.map((q) => q.resource)).size,
    });
    for (const query of queries) report.findings.push(...checkQuery(query, sources, options, analyses));
    report.queries += queries.length;
    report.unmapped.push(...queries.filter((query) => locateQuery(sources, query.deployed) === undefined));
  }
  return report;
}

/** Analyzes one deployed query and locates each error in its source. */
export function checkQuery(
  query: DeployedQuery,
  sources: SourceIndex,
  options: SchemaOptions = {},
  analyses: Map<string, KqlAnalysis> = new Map(),
): KqlFinding[] {
  const analysis = analyses.get(query.text) ?? analyzeKql(query.text, options);
  analyses.set(query.text, analysis);
  const { problems } = analysis;
  if (problems.length === 0) return [];
  const lines = locateQuery(sources, query.deployed);
  const textLines = query.text.split("\n");
  return problems.map((problem) => {
    const { line, column } = lineAndColumn(query.text, problem.start);
    const source = lines?.[line - 1];
    return {
      stack: query.stack,
      resourceType: query.resourceType,
      resource: query.resource,
      location: query.location,
      ...(source ? { source } : {}),
      queryLine: line,
      queryColumn: column,
      code: problem.code,
      message: problem.message,
      excerpt: (textLines[line - 1] ?? "").trim(),
    };
  });
}

/** `file:line: stack type name (input path): CODE message` and the offending line. */
export function formatFinding(finding: KqlFinding): string {
  const where = finding.source
    ? `${finding.source.file}:${finding.source.line}`
    : `(no query file renders to this query) line ${finding.queryLine}`;
  return (
    `${where}: ${finding.stack} ${finding.resourceType} ${finding.resource} (${finding.location}, query line ${finding.queryLine} column ${finding.queryColumn}): ` +
    `${finding.code} ${finding.message}\n    ${finding.excerpt}`
  );
}
