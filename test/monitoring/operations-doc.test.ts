import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ALERT_RULES, QUERIES_DIR } from "../../infra/monitoring/alerts";
import {
  DENIAL_REASONS,
  EVENT_FIELDS,
  EVENT_NAMES,
  TOKEN_ERRORS,
  TRACE_SEVERITY,
  TRACE_SOURCE,
} from "../../infra/conventions/logging-contract";
import { PARTIALS_DIR } from "../../infra/conventions/kql";
import { WORKBOOK_QUERIES_DIR } from "../../infra/monitoring/workbook";
import { ANALYTICS_RULES, SENTINEL_QUERIES_DIR } from "../../infra/sentinel/analytics-rules";
import { kqlFiles } from "../../tools/kql/sources";

const doc = readFileSync(path.join(__dirname, "../../docs/operations.md"), "utf8");
const partial = readFileSync(path.join(PARTIALS_DIR, "mcp-gateway-events.kql"), "utf8");
const allQueries = [QUERIES_DIR, SENTINEL_QUERIES_DIR, WORKBOOK_QUERIES_DIR].flatMap((dir) =>
  kqlFiles(dir).map((file) => readFileSync(path.join(dir, file), "utf8")),
);

describe("docs/operations.md", () => {
  it.each([...ALERT_RULES, ...ANALYTICS_RULES].map((rule) => [rule.id, rule] as const))(
    "documents %s: name, trigger and response",
    (id, rule) => {
      expect(doc).toContain(`### ${rule.displayName}`);
      expect(doc).toContain(`\`${id}\``);
      expect(doc).toContain(rule.runbook.trigger);
      expect(doc).toContain(rule.runbook.response);
    },
  );

  it("documents the retention per data class, the Entra ID step and the playbook hook", () => {
    for (const heading of [
      "## Retention per data class",
      "### Entra ID sign-in and audit logs",
      "### Containment playbook",
    ]) {
      expect(doc).toContain(heading);
    }
    expect(doc).toContain("Diagnostic settings");
    expect(doc).toMatch(/SignInLogs/);
    expect(doc).toMatch(/AuditLogs/);
  });
});

describe("gateway logging contract", () => {
  it("is the one the partial parses", () => {
    expect(partial).toContain(`tostring(TraceRecord.source) == "${TRACE_SOURCE}"`);
    expect(partial).toContain(`severity="${TRACE_SEVERITY}"`);
    for (const event of EVENT_NAMES) expect(partial).toContain(`"${event}"`);
    for (const field of Object.keys(EVENT_FIELDS).filter((f) => f !== "v" && f !== "event")) {
      expect(partial).toContain(`McpEvent.${field})`);
    }
  });

  it("is documented field by field and reason by reason", () => {
    expect(doc).toContain(`<trace source="${TRACE_SOURCE}" severity="${TRACE_SEVERITY}">`);
    for (const field of Object.keys(EVENT_FIELDS))
      expect(doc).toMatch(new RegExp(`\\|\\s*\`${field}\`\\s*\\|`));
    for (const [reason, { status }] of Object.entries(DENIAL_REASONS)) {
      expect(doc).toMatch(new RegExp(`\\|\\s*\`${reason}\`\\s*\\|\\s*${status}`));
    }
    for (const error of TOKEN_ERRORS) expect(doc).toContain(`\`${error}\``);
  });

  it("covers every reason and token error the queries test for", () => {
    const reasons = new Set(Object.keys(DENIAL_REASONS));
    const tokenErrors = new Set<string>(TOKEN_ERRORS);
    for (const query of allQueries) {
      for (const match of query.matchAll(/\bReason\s*(?:==|in)\s*\(?([^)|\n]*)/g)) {
        for (const literal of (match[1] ?? "").matchAll(/"([^"]+)"/g)) expect(reasons).toContain(literal[1]);
      }
      for (const match of query.matchAll(/\bTokenError\s*==\s*"([^"]+)"/g))
        expect(tokenErrors).toContain(match[1]);
    }
  });
});
