import { block, csString, expr, markup, type Markup } from "./escape";
import { VARIABLES } from "./expressions";
import { fillTemplate, loadTemplate } from "./template";
import {
  type DenialReason,
  EVENT_FIELD_NAMES,
  type EventField,
  type TokenError,
  TRACE_SCHEMA_VERSION,
  TRACE_SEVERITY,
  TRACE_SOURCE,
} from "../../conventions/logging-contract";

/**
 * The gateway's side of the logging contract (`infra/conventions/logging-contract.ts`, prose in
 * docs/operations.md, "Gateway logging contract"): one `<trace>` per forwarded request (`mcp.request`)
 * and one per refusal (`mcp.denied`), read by the monitoring and Sentinel queries through the
 * `mcp-gateway-events` partial. The contract's names are imported, never repeated here.
 */

/**
 * `context.LastError.Reason` of a failed token validation -> `tokenError`; anything else is `other`.
 * The error reference names the missing token `TokenNotPresent` in some revisions, `TokenNotFound` in others.
 */
export const TOKEN_ERROR_BY_LAST_ERROR_REASON = {
  TokenNotPresent: "missing",
  TokenNotFound: "missing",
  TokenExpired: "expired",
  TokenAudienceNotAllowed: "audience",
  TokenIssuerNotAllowed: "issuer",
  TokenSignatureInvalid: "signature",
  TokenSignatureKeyNotFound: "signature",
  JwtInvalid: "malformed",
} as const satisfies Record<string, TokenError>;

/** `tokenError` read from `context.LastError.Reason` (on-error only). */
export const TOKEN_ERROR_FROM_LAST_ERROR = "fromLastError";

/** Why a request was refused. `token_invalid` says which token error; no other reason carries one. */
export type Denial =
  | { readonly reason: Exclude<DenialReason, "token_invalid"> }
  | {
      readonly reason: "token_invalid";
      readonly tokenError: TokenError | typeof TOKEN_ERROR_FROM_LAST_ERROR;
    };

export type AuditEvent = { readonly event: "mcp.request" } | ({ readonly event: "mcp.denied" } & Denial);

const variable = (name: string) => `context.Variables.GetValueOrDefault<string>(${csString(name)}, "")`;

/**
 * The C# for each field. The identity fields come only from variables set after validate-azure-ad-token
 * accepted the token, and are left empty on `token_invalid` (never a claim from a refused token). The
 * session is only ever read as its hash; no field reads a header, the token or the body.
 */
function fieldValues(event: AuditEvent, tokenErrorLocal: string): Record<EventField, string> {
  const denied = event.event === "mcp.denied" ? event : undefined;
  const identityTrusted = denied?.reason !== "token_invalid";
  return {
    v: String(TRACE_SCHEMA_VERSION),
    event: csString(event.event),
    reason: csString(denied?.reason ?? ""),
    oid: identityTrusted ? variable(VARIABLES.oid) : '""',
    clientAppId: identityTrusted ? variable(VARIABLES.clientAppId) : '""',
    server: variable(VARIABLES.auditServer),
    method: variable(VARIABLES.auditMethod),
    tool: variable(VARIABLES.auditTool),
    sessionHash: variable(VARIABLES.auditSessionHash),
    clientIp: variable(VARIABLES.auditClientIp),
    protocolVersion: variable(VARIABLES.auditProtocolVersion),
    tokenError:
      denied?.reason !== "token_invalid"
        ? '""'
        : denied.tokenError === TOKEN_ERROR_FROM_LAST_ERROR
          ? tokenErrorLocal
          : csString(denied.tokenError),
  };
}

/** The trace message: the event as one line of JSON, serialized by Newtonsoft (never concatenated). */
export function auditMessage(event: AuditEvent): string {
  const local = "tokenError";
  const values = fieldValues(event, local);
  const properties = EVENT_FIELD_NAMES.map((field) => `new JProperty(${csString(field)}, ${values[field]})`);
  const json = `new JObject(${properties.join(", ")}).ToString(Newtonsoft.Json.Formatting.None)`;
  const fromLastError =
    event.event === "mcp.denied" &&
    event.reason === "token_invalid" &&
    event.tokenError === TOKEN_ERROR_FROM_LAST_ERROR;
  if (!fromLastError) return expr(json);
  const otherwise: TokenError = "other";
  const entries = Object.entries(TOKEN_ERROR_BY_LAST_ERROR_REASON)
    .map(([reason, error]) => `{ ${csString(reason)}, ${csString(error)} }`)
    .join(", ");
  return block([
    `string ${local};`,
    `if (!new Dictionary<string, string>(StringComparer.Ordinal) { ${entries} }.TryGetValue(context.LastError.Reason ?? "", out ${local})) { ${local} = ${csString(otherwise)}; }`,
    `return ${json};`,
  ]);
}

/** `<trace source="mcp-gateway" severity="information"><message>@(...)</message></trace>`. */
export function auditTraceMarkup(event: AuditEvent): Markup {
  return markup(
    fillTemplate(loadTemplate("audit-trace.xml"), {
      source: TRACE_SOURCE,
      severity: TRACE_SEVERITY,
      message: auditMessage(event),
    }).trimEnd(),
  );
}

/** The `mcp.denied` event written just before a refusal's `return-response`. */
export function deniedTraceMarkup(denial: Denial): Markup {
  return auditTraceMarkup({ event: "mcp.denied", ...denial });
}
