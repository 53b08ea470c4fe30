import { readdirSync } from "node:fs";
import { extractKqlReferences } from "../../infra/conventions/kql";
import { isKnownTable, LOG_SCHEMA } from "../../infra/monitoring/log-schema";

/** Problems with a rendered query against log-schema.ts: unknown tables, unknown or forbidden columns. */
export function schemaProblems(query: string): string[] {
  const refs = extractKqlReferences(query);
  const problems: string[] = [];
  if (refs.tables.length === 0) problems.push("reads no table");
  const known = new Set<string>();
  const forbidden = new Set<string>();
  for (const table of refs.tables) {
    if (!isKnownTable(table)) {
      problems.push(`unknown table ${table}`);
      continue;
    }
    LOG_SCHEMA[table].columns.forEach((column) => known.add(column));
    LOG_SCHEMA[table].forbidden.forEach((column: string) => forbidden.add(column));
  }
  for (const column of refs.columns) {
    if (forbidden.has(column)) problems.push(`reads forbidden column ${column}`);
    else if (!known.has(column))
      problems.push(`unknown column ${column} (tables: ${refs.tables.join(", ")})`);
  }
  return problems;
}

/** `.kql` file names directly in `dir`. */
export function kqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".kql"))
    .sort();
}

/** Counts how often each value occurs. */
export function countBy<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  values.forEach((value) => counts.set(value, (counts.get(value) ?? 0) + 1));
  return counts;
}
