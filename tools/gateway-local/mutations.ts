/**
 * Mutation testing of the real gateway policy (issue 16, point 6): named changes to the rendered policy
 * documents, each a plausible mistake or regression, and the conformance check(s) that must catch it.
 * A mutation that no longer matches the rendered documents is an error, never a silent no-op: the
 * catalogue must follow the renderer.
 */
import type { RuntimeApi, RuntimeSwitches } from "./contract";
import type { PolicyDocuments } from "./local";

export class MutationError extends Error {}

export interface Mutation {
  readonly name: string;
  readonly description: string;
  /** The conformance checks expected to fail under it (at least one must, where it passed before). */
  readonly killedBy: readonly string[];
  /** The MCP server the suite probes (default: the first managed-identity one). */
  readonly server?: string;
  /**
   * Runtime switches to run it under, where the mutation matters only for one of the behaviours Microsoft
   * leaves undocumented (the baseline passes under those switches too: local.test.ts runs every switch).
   */
  readonly switches?: Partial<RuntimeSwitches>;
  apply(docs: PolicyDocuments): PolicyDocuments;
}

type Where = { readonly api: string; readonly operation?: string };

/** Applies `edit` to every API and operation policy (and the global one); throws if nothing changed. */
function everyDocument(
  name: string,
  edit: (xml: string, where: Where) => string,
): (docs: PolicyDocuments) => PolicyDocuments {
  return (docs) => {
    let changed = 0;
    const run = (xml: string, where: Where): string => {
      const out = edit(xml, where);
      if (out !== xml) changed++;
      return out;
    };
    const apis: RuntimeApi[] = docs.apis.map((api) => ({
      ...api,
      ...(api.policy === undefined ? {} : { policy: run(api.policy, { api: api.id }) }),
      operations: api.operations.map((op) => ({
        ...op,
        ...(op.policy === undefined ? {} : { policy: run(op.policy, { api: api.id, operation: op.id }) }),
      })),
    }));
    const globalPolicy = run(docs.globalPolicy, { api: "" });
    if (changed === 0)
      throw new MutationError(`mutation ${name} matches nothing in the rendered policy documents`);
    return { globalPolicy, apis };
  };
}

/** Only API-scope policies (the MCP server APIs' policy, where every step lives). */
function apiPolicies(
  name: string,
  edit: (xml: string) => string,
): (docs: PolicyDocuments) => PolicyDocuments {
  return everyDocument(name, (xml, where) =>
    where.operation === undefined && where.api !== "" ? edit(xml) : xml,
  );
}

/**
 * Makes every refusal step whose audit trace names `reason` unreachable: its `<when condition>` becomes
 * `@(false)`. The trace is the step's first child (docs/operations.md, "Gateway logging contract").
 */
function disableRefusal(reason: string): (xml: string) => string {
  const pattern = new RegExp(
    `<when condition="[^"]*">(\\s*<trace [^>]*>\\s*<message>[^<]*?&quot;reason&quot;, &quot;${reason}&quot;)`,
    "g",
  );
  return (xml) => xml.replace(pattern, '<when condition="@(false)">$1');
}

/** Like disableRefusal, for the one refusal of `reason` that answers `status` (several share a reason). */
function disableRefusalAnswering(reason: string, status: number): (xml: string) => string {
  const pattern = new RegExp(
    `<when condition="[^"]*">(\\s*<trace [^>]*>\\s*<message>[^<]*?&quot;reason&quot;, &quot;${reason}&quot;(?:(?!</when>)[\\s\\S])*?<set-status code="${status}")`,
    "g",
  );
  return (xml) => xml.replace(pattern, '<when condition="@(false)">$1');
}

/** Removes every element `<name ...>...</name>` or `<name ... />` whose start tag matches `attrs`. */
function removeElement(name: string, attrs = ""): (xml: string) => string {
  const pattern = new RegExp(`\\s*<${name}${attrs}[^>]*?(?:/>|>[\\s\\S]*?</${name}>)`, "g");
  return (xml) => xml.replace(pattern, "");
}

/** The `<set-variable name="..." value="...">` of the policy, with its value replaced by `value`. */
function setVariable(variable: string, value: string): (xml: string) => string {
  return (xml) =>
    xml.replace(new RegExp(`(<set-variable name="${variable}" value=")[^"]*(")`, "g"), `$1${value}$2`);
}

/** Inserts `snippet` right after `<outbound>` + `<base />` of an API policy. */
function inOutbound(snippet: string): (xml: string) => string {
  return (xml) => xml.replace(/(<outbound>\s*<base \/>)/, `$1\n    ${snippet}`);
}

const chain =
  (...edits: ((xml: string) => string)[]) =>
  (xml: string): string =>
    edits.reduce((acc, edit) => edit(acc), xml);

export const MUTATIONS: readonly Mutation[] = [
  {
    name: "drop-audiences",
    description: "validate-azure-ad-token without <audiences>: a token for any resource of the tenant passes",
    killedBy: ["auth.wrong-audience"],
    apply: apiPolicies("drop-audiences", removeElement("audiences")),
  },
  {
    name: "drop-identifier-uri-audience",
    description: "the identifier URI is no longer an accepted audience (tokens for the resource fail)",
    killedBy: ["mcp.handshake"],
    apply: apiPolicies("drop-identifier-uri-audience", (xml) =>
      xml.replace(/\s*<audience>https:\/\/[^<]*<\/audience>/g, ""),
    ),
  },
  {
    name: "drop-tid-required-claim",
    description: "the tid required claim is gone: a token naming another tenant passes",
    killedBy: ["auth.tenant-claim"],
    apply: apiPolicies("drop-tid-required-claim", removeElement("required-claims")),
  },
  {
    name: "drop-token-validation",
    description: "no validate-azure-ad-token at all",
    killedBy: ["auth.malformed-token", "auth.expired-token", "auth.wrong-audience"],
    apply: apiPolicies("drop-token-validation", removeElement("validate-azure-ad-token")),
  },
  {
    name: "invalid-token-not-challenged",
    description: "on-error no longer answers a failed token validation with the 401 challenge",
    killedBy: ["auth.expired-token", "auth.malformed-token", "auth.wrong-audience"],
    apply: apiPolicies("invalid-token-not-challenged", disableRefusal("token_invalid")),
  },
  {
    name: "challenge-without-resource-metadata",
    description: "401 challenges lose resource_metadata (clients cannot discover the authorization server)",
    killedBy: ["auth.no-token"],
    apply: apiPolicies("challenge-without-resource-metadata", (xml) =>
      xml.replace(/resource_metadata=&quot;[^&]*&quot;, /g, ""),
    ),
  },
  {
    name: "drop-scope-check",
    description: "tokens without the delegated scope (scp) are served",
    killedBy: ["auth.no-scope"],
    apply: apiPolicies("drop-scope-check", (xml) => {
      // The scope step shares its reason with the role step; only the one testing `scp` is disabled.
      return xml.replace(
        /<when condition="@\([^"]*Claims\.GetValueOrDefault\(&quot;scp&quot;[^"]*">/g,
        '<when condition="@(false)">',
      );
    }),
  },
  {
    name: "decision-always-allowed",
    description: 'the request decision answers "allowed" for every method and tool call',
    killedBy: ["authz.tool-role", "authz.tool-allowlist", "authz.method-deny-by-default"],
    apply: apiPolicies("decision-always-allowed", setVariable("mcp-decision", "allowed")),
  },
  {
    name: "methods-allowed-by-default",
    description: "a method the server does not list is allowed (deny by default undone)",
    killedBy: ["authz.method-deny-by-default"],
    apply: apiPolicies("methods-allowed-by-default", (xml) =>
      xml.replace(/return &quot;method-not-allowed&quot;;/g, "return &quot;allowed&quot;;"),
    ),
  },
  {
    name: "role-refusal-with-step-up-challenge",
    description: "a missing app role is answered with an insufficient_scope challenge (clients loop on it)",
    killedBy: ["authz.tool-role"],
    apply: apiPolicies("role-refusal-with-step-up-challenge", (xml) =>
      xml.replace(
        /(&quot;missing_role&quot;[\s\S]*?<set-status code="403" reason="Forbidden" \/>)/g,
        '$1<set-header name="WWW-Authenticate" exists-action="override"><value>Bearer error="insufficient_scope"</value></set-header>',
      ),
    ),
  },
  {
    name: "task-augmentation-allowed",
    description: "task-augmented requests pass (another user could then read or cancel the task)",
    killedBy: ["authz.task-augmentation"],
    apply: apiPolicies("task-augmentation-allowed", (xml) =>
      xml.replace(/return &quot;task-refused&quot;;/g, "return &quot;allowed&quot;;"),
    ),
  },
  {
    name: "unfiltered-tool-list",
    description: "tools/list answers list every tool, also those the caller may not call",
    killedBy: ["authz.tools-list-filtered"],
    apply: apiPolicies("unfiltered-tool-list", (xml) =>
      xml.replace(
        /<when condition="@\([^"]*== &quot;tools\/list&quot;[^"]*">\s*<set-body>/g,
        '<when condition="@(false)">\n<set-body>',
      ),
    ),
  },
  {
    name: "ambiguous-messages-read-by-newtonsoft",
    description:
      "the single reading no longer refuses ambiguous JSON (Newtonsoft's last-wins reading decides)",
    killedBy: ["message.single-reading"],
    apply: apiPolicies("ambiguous-messages-read-by-newtonsoft", (xml) =>
      xml.replace(/verdict = &quot;ambiguous&quot;; break;/g, ";"),
    ),
  },
  // MCP 2026-07-28 (docs/gateway.md, "Protocol revisions").
  {
    name: "routing-headers-unchecked",
    description: "2026-07-28 routing headers are no longer checked against the body (missing or disagreeing)",
    killedBy: ["modern.header-mismatch", "modern.header-missing"],
    apply: apiPolicies("routing-headers-unchecked", setVariable("mcp-header-check", "")),
  },
  {
    name: "mcp-name-unchecked",
    description: "Mcp-Name is no longer compared with the body's name, uri or taskId",
    killedBy: ["modern.header-mismatch"],
    apply: apiPolicies("mcp-name-unchecked", (xml) =>
      xml.replace(
        /return name == \(\(string\)JArray\.Parse\((?:(?!return )[\s\S])*?\[5\]\) \? &quot;&quot; : &quot;mismatch&quot;;/g,
        "return &quot;&quot;;",
      ),
    ),
  },
  {
    name: "protocol-version-header-not-matched-to-meta",
    description: "MCP-Protocol-Version is no longer compared with _meta's protocolVersion",
    killedBy: ["modern.header-mismatch"],
    apply: apiPolicies("protocol-version-header-not-matched-to-meta", (xml) =>
      xml.replace(
        / != version\) \{ return &quot;mismatch&quot;; \}/g,
        " != version &amp;&amp; false) { return &quot;mismatch&quot;; }",
      ),
    ),
  },
  {
    name: "mcp-method-optional",
    description: "a 2026-07-28 request without Mcp-Method is served",
    killedBy: ["modern.header-missing"],
    apply: apiPolicies("mcp-method-optional", (xml) =>
      xml.replace(/if \(kind == &quot;request&quot; &amp;&amp; methodHeader\.Length == 0\)/g, "if (false)"),
    ),
  },
  {
    name: "task-mac-not-verified",
    description: "a task ID's MAC is not checked: any user may read or cancel any task whose ID they learn",
    killedBy: ["modern.task-binding"],
    apply: apiPolicies("task-mac-not-verified", (xml) =>
      xml.replace(
        /(<set-variable name="mcp-task-backend-id" value="[^"]*?)return difference == 0 \? claimed : &quot;&quot;;/g,
        "$1return claimed;",
      ),
    ),
  },
  {
    name: "task-ids-unsigned",
    description: "the backend's task IDs reach the client unsigned (no binding to the caller)",
    killedBy: ["modern.task-binding"],
    apply: apiPolicies("task-ids-unsigned", (xml) =>
      xml.replace(
        /<when condition="@\([^"]*&quot;tasks\/get&quot;\)\)">(\s*<set-body>)/g,
        '<when condition="@(false)">$1',
      ),
    ),
  },
  {
    name: "session-header-forwarded-on-2026",
    description: "a 2026-07-28 request's Mcp-Session-Id reaches the backend",
    killedBy: ["modern.stateless"],
    apply: apiPolicies("session-header-forwarded-on-2026", (xml) =>
      xml.replace(
        /<when condition="@\(context\.Variables\.GetValueOrDefault&lt;bool&gt;\(&quot;mcp-modern&quot;, false\)\)">(\s*<set-header name="Mcp-Session-Id" exists-action="delete" \/>)/g,
        '<when condition="@(false)">$1',
      ),
    ),
  },
  {
    name: "get-forwarded-on-2026",
    description: "a 2026-07-28 GET is forwarded instead of the gateway's 405",
    killedBy: ["modern.stateless"],
    apply: apiPolicies("get-forwarded-on-2026", disableRefusalAnswering("method_not_allowed", 405)),
  },
  {
    name: "unknown-method-403-on-2026",
    description: "deny by default answers 403 on 2026-07-28 instead of 404 -32601",
    killedBy: ["modern.unknown-method"],
    apply: apiPolicies("unknown-method-403-on-2026", disableRefusalAnswering("method_not_allowed", 404)),
  },
  {
    name: "error-id-dropped",
    description: "the gateway's own JSON-RPC errors lose the request's id (a client cannot match them)",
    killedBy: ["message.error-id"],
    apply: apiPolicies("error-id-dropped", (xml) =>
      xml.replace(
        /new JProperty\(&quot;id&quot;, \(\(\(string\)JArray\.Parse\((?:(?!new JProperty)[\s\S])*?: JValue\.CreateNull\(\)\)\), /g,
        "",
      ),
    ),
  },
  {
    name: "discover-refused-on-legacy",
    description:
      "server/discover is not a lifecycle method on 2025-11-25: a dual-era client's probe gets the gateway's 403",
    killedBy: ["legacy.discover-probe"],
    apply: apiPolicies("discover-refused-on-legacy", (xml) =>
      xml.replace(/, &quot;server\/discover&quot; \}/g, " }"),
    ),
  },
  {
    name: "discover-refused-on-2026",
    description: "server/discover is not allowed on 2026-07-28 (the revision's only lifecycle method)",
    killedBy: ["modern.lifecycle"],
    apply: apiPolicies("discover-refused-on-2026", (xml) =>
      xml.replace(/new string\[\] \{ &quot;server\/discover&quot; \}/g, "new string[0]"),
    ),
  },
  {
    name: "foreign-session-distinguishable",
    description: "another user's session is answered 403, unlike an unknown one (session IDs can be probed)",
    killedBy: ["session.binding"],
    apply: apiPolicies("foreign-session-distinguishable", (xml) =>
      xml.replace(
        /(&quot;session_owner_mismatch&quot;[\s\S]*?<set-status code=")404(" reason=")Not Found(")/g,
        "$1403$2Forbidden$3",
      ),
    ),
  },
  {
    name: "no-cors-on-own-answers",
    description: "the gateway's own answers lose their CORS headers (a browser cannot read the 401)",
    killedBy: ["cors.own-answers"],
    // Under the runtime's default the executed `cors` policy adds the headers anyway; where API Management
    // does not (the switch), only the policy's own headers make the 401 readable.
    switches: { corsOnGatewayAnswers: false },
    apply: apiPolicies("no-cors-on-own-answers", (xml) =>
      xml.replace(
        /\s*<set-header name="Access-Control-(?:Allow-Origin|Expose-Headers)" exists-action="override">\s*<value>[^<]*<\/value>\s*<\/set-header>/g,
        "",
      ),
    ),
  },
  {
    name: "header-allowlist-off",
    description: "every client header, cookies and spoofed identity headers included, reaches the backend",
    killedBy: ["backend.header-hygiene"],
    apply: apiPolicies("header-allowlist-off", setVariable("mcp-unlisted-headers", "")),
  },
  {
    name: "no-address-limit",
    description: "no rate limit per client address before authentication",
    killedBy: ["ratelimit.per-address"],
    apply: apiPolicies("no-address-limit", (xml) =>
      xml.replace(
        /\s*<rate-limit-by-key [^>]*counter-key="@\(&quot;mcp-rl:[a-z0-9-]+:address&quot;[^>]*\/>/g,
        "",
      ),
    ),
  },
  {
    name: "backend-cookies-reach-clients",
    description: "Set-Cookie from the backend is no longer deleted",
    killedBy: ["headers.no-leak"],
    apply: apiPolicies(
      "backend-cookies-reach-clients",
      removeElement("set-header", ' name="Set-Cookie" exists-action="delete"'),
    ),
  },
  {
    name: "remove-origin-step",
    description: "the Origin header is no longer checked",
    killedBy: ["transport.origin"],
    apply: apiPolicies("remove-origin-step", disableRefusal("origin_rejected")),
  },
  {
    name: "remove-protocol-version-check",
    description: "unsupported MCP-Protocol-Version values are forwarded",
    killedBy: ["transport.protocol-version"],
    apply: apiPolicies("remove-protocol-version-check", disableRefusal("protocol_version")),
  },
  {
    name: "remove-body-limit",
    description: "request bodies beyond maxRequestBodyBytes are forwarded",
    killedBy: ["transport.body-limit"],
    apply: apiPolicies("remove-body-limit", disableRefusal("body_too_large")),
  },
  {
    name: "remove-envelope-check",
    description: "bodies that are not one JSON-RPC 2.0 message are forwarded",
    killedBy: ["transport.jsonrpc-envelope"],
    apply: apiPolicies("remove-envelope-check", disableRefusal("invalid_jsonrpc")),
  },
  {
    name: "session-mac-not-verified",
    description: "the session ID's MAC is not checked: any user may use any session whose ID they learn",
    killedBy: ["session.binding"],
    apply: apiPolicies(
      "session-mac-not-verified",
      setVariable(
        "mcp-session-backend-id",
        "@(((string)context.Variables[&quot;mcp-session-claimed&quot;]))",
      ),
    ),
  },
  {
    name: "unknown-session-answered-403",
    description: "an unknown session ID is answered 403 instead of 404 (clients do not re-initialize)",
    killedBy: ["session.unknown"],
    apply: apiPolicies("unknown-session-answered-403", (xml) =>
      xml.replace(
        /(<otherwise>\s*<trace [^>]*>\s*<message>[^<]*?&quot;session_unknown&quot;[\s\S]*?<set-status code=")404(" reason=")Not Found(")/g,
        "$1403$2Forbidden$3",
      ),
    ),
  },
  {
    name: "fixed-session-id",
    description: "the gateway answers with one fixed Mcp-Session-Id (predictable)",
    killedBy: ["session.id-quality"],
    apply: apiPolicies(
      "fixed-session-id",
      inOutbound(
        '<choose><when condition="@(context.Response.Headers.ContainsKey(&quot;Mcp-Session-Id&quot;))"><set-header name="Mcp-Session-Id" exists-action="override"><value>session-1</value></set-header></when></choose>',
      ),
    ),
  },
  {
    name: "rate-limit-on-client-header",
    description:
      "every rate limit is keyed on a client-supplied header (a missing header: a fresh counter per request)",
    killedBy: ["ratelimit.per-user"],
    apply: apiPolicies("rate-limit-on-client-header", (xml) =>
      xml.replace(
        /(<rate-limit-by-key [^>]*counter-key=")[^"]*(")/g,
        "$1@(context.Request.Headers.GetValueOrDefault(&quot;X-Client-Id&quot;, Guid.NewGuid().ToString()))$2",
      ),
    ),
  },
  {
    name: "strip-backend-credential",
    description: "no authentication-managed-identity towards the backend",
    killedBy: ["mcp.handshake"],
    apply: apiPolicies("strip-backend-credential", (xml) =>
      // Only the backend's credential (inbound, outside send-request), not Content Safety's.
      xml.replace(/\n {4}<authentication-managed-identity [^>]*\/>/g, ""),
    ),
  },
  {
    name: "token-passthrough",
    description: "the client's Authorization header is no longer deleted: it reaches the API-key backend",
    killedBy: ["mcp.handshake"],
    server: "weather",
    apply: apiPolicies(
      "token-passthrough",
      removeElement("set-header", ' name="Authorization" exists-action="delete"'),
    ),
  },
  {
    name: "read-response-body",
    description: "outbound reads the response body (buffers every SSE stream)",
    killedBy: ["sse.streaming"],
    apply: apiPolicies(
      "read-response-body",
      inOutbound(
        '<set-variable name="mcp-mutant-body" value="@(context.Response.Body.As&lt;string&gt;(preserveContent: true))" />',
      ),
    ),
  },
  {
    name: "drop-security-headers",
    description: "outbound no longer sets Strict-Transport-Security, nosniff and no-store",
    killedBy: ["headers.security"],
    apply: apiPolicies(
      "drop-security-headers",
      chain((xml) =>
        xml.replace(/(<outbound>[\s\S]*?)<\/outbound>/, (section: string) =>
          removeElement(
            "set-header",
            ' name="(?:Strict-Transport-Security|X-Content-Type-Options|Cache-Control)" exists-action="override"',
          )(section),
        ),
      ),
    ),
  },
  {
    name: "keep-backend-software-headers",
    description:
      "outbound no longer deletes X-Powered-By and X-AspNet-Version (the backend's software leaks)",
    killedBy: ["headers.no-leak"],
    apply: apiPolicies(
      "keep-backend-software-headers",
      removeElement(
        "set-header",
        ' name="(?:X-Powered-By|X-AspNet-Version|X-AspNetMvc-Version)" exists-action="delete"',
      ),
    ),
  },
  {
    name: "metadata-names-another-resource",
    description: "the RFC 9728 document at the suffixed well-known path names another resource",
    killedBy: ["prm.metadata"],
    apply: everyDocument("metadata-names-another-resource", (xml, where) =>
      where.api === "mcp-well-known" && where.operation !== undefined
        ? xml.replace(/&quot;resource&quot;:&quot;https:\/\//, "&quot;resource&quot;:&quot;https://wrong.")
        : xml,
    ),
  },
];

/** Checks that no conformance check is left without a mutation, except the ones that cannot apply locally. */
export const NOT_MUTABLE: Readonly<Record<string, string>> = {
  "tls.versions":
    "TLS is the gateway service's setting, not the policy's, and the local runtime speaks plain HTTP",
};
