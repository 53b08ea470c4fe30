import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import {
  EVENT_FIELDS,
  KQL_EVENT_COLUMN,
  KQL_EVENTS_PARTIAL,
  TRACE_SOURCE,
} from "../../infra/conventions/logging-contract";
import { PARTIALS_DIR } from "../../infra/conventions/kql";
import { REPO_ROOT } from "../support/plans";

const CONTRACT = "infra/conventions/logging-contract.ts";
const CONTRACT_NAMES = [
  "TRACE_SOURCE",
  "TRACE_SEVERITY",
  "EVENT_NAMES",
  "DENIAL_REASONS",
  "TOKEN_ERRORS",
  "EVENT_FIELDS",
  "FORBIDDEN_LOG_HEADERS",
];

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFiles(rel);
    return entry.name.endsWith(".ts") ? [rel] : [];
  });
}

describe("the gateway logging contract", () => {
  it("is declared once: no other module of the program, the pack or the tools defines its names", () => {
    const declaration = new RegExp(`\\b(?:const|let|var)\\s+(${CONTRACT_NAMES.join("|")})\\b`);
    const copies = ["infra", "tools", "policies"]
      .flatMap(tsFiles)
      .filter((file) => file !== CONTRACT)
      .flatMap((file) => {
        const match = declaration.exec(readFileSync(path.join(REPO_ROOT, file), "utf8"));
        return match ? [`${file}: ${match[1]}`] : [];
      });
    expect(copies).toEqual([]);
  });

  it("names the partial and the column the queries parse the trace message into", () => {
    const partial = readFileSync(path.join(PARTIALS_DIR, `${KQL_EVENTS_PARTIAL}.kql`), "utf8");
    expect(partial).toContain(`| extend ${KQL_EVENT_COLUMN} = parse_json(tostring(TraceRecord.message))`);
    expect(partial).toContain(`tostring(TraceRecord.source) == "${TRACE_SOURCE}"`);
    expect(Object.keys(EVENT_FIELDS)[0]).toBe("v");
  });
});
