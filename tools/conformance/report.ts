import { controlTitle, type CheckRun } from "./runner";

const MARK = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const;

export interface Totals {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function totals(runs: readonly CheckRun[]): Totals {
  const count = (s: CheckRun["status"]): number => runs.filter((r) => r.status === s).length;
  return { total: runs.length, passed: count("pass"), failed: count("fail"), skipped: count("skip") };
}

/** A plain-text table: result, check, seed controls, time, detail. */
export function formatTable(runs: readonly CheckRun[]): string {
  const rows = [
    ["Result", "Check", "Seed controls", "Time", "Detail"],
    ...runs.map((r) => [MARK[r.status], r.id, r.seedControls.join(","), `${r.durationMs} ms`, r.detail]),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => (row[c] ?? "").length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, c) => (c < widths.length ? cell.padEnd(widths[c] ?? 0) : cell))
      .join("  ")
      .trimEnd();
  const t = totals(runs);
  return [
    line(rows[0] ?? []),
    line(widths.map((w) => "-".repeat(w)).concat("-".repeat(6))),
    ...rows.slice(1).map(line),
    "",
    `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped of ${t.total} checks`,
  ].join("\n");
}

// XML 1.0 cannot carry most control characters, even escaped.
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(value: string): string {
  return value
    .replace(XML_FORBIDDEN, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export interface JUnitOptions {
  readonly suiteName?: string;
  /** The endpoint tested, recorded as a property. */
  readonly url?: string;
  readonly timestamp?: Date;
}

/** JUnit XML as GitHub Actions test reporters and Azure DevOps read it: one testcase per check. */
export function formatJUnit(runs: readonly CheckRun[], options: JUnitOptions = {}): string {
  const name = options.suiteName ?? "mcp-conformance";
  const t = totals(runs);
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const time = seconds(runs.reduce((sum, r) => sum + r.durationMs, 0));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="${xmlEscape(name)}" tests="${t.total}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="${time}">`,
  );
  out.push(
    `  <testsuite name="${xmlEscape(name)}" tests="${t.total}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="${time}" timestamp="${(options.timestamp ?? new Date()).toISOString()}">`,
  );
  if (options.url !== undefined) {
    out.push(
      "    <properties>",
      `      <property name="url" value="${xmlEscape(options.url)}"/>`,
      "    </properties>",
    );
  }
  for (const r of runs) {
    const area = r.id.split(".")[0] ?? r.id;
    out.push(
      `    <testcase classname="${xmlEscape(`${name}.${area}`)}" name="${xmlEscape(`${r.id}: ${r.title}`)}" time="${seconds(r.durationMs)}">`,
    );
    if (r.status === "fail") {
      out.push(
        `      <failure message="${xmlEscape(r.detail)}" type="conformance">${xmlEscape(r.detail)}</failure>`,
      );
    } else if (r.status === "skip") {
      out.push(`      <skipped message="${xmlEscape(r.detail)}"/>`);
    }
    const controls = r.seedControls.map(controlTitle).join("\n");
    out.push(`      <system-out>${xmlEscape(`${r.detail}\nSeed controls:\n${controls}`)}</system-out>`);
    out.push("    </testcase>");
  }
  out.push("  </testsuite>", "</testsuites>", "");
  return out.join("\n");
}
