import { markup, type Markup, NO_MARKUP, xmlEscape } from "./escape";
import * as x from "./expressions";
import { refusalMarkup, type RefusalSpec } from "./responses";
import { fillTemplate, loadTemplate } from "./template";
import type { ContentSafetyInput } from "./types";
import { validateContentSafety } from "./validate";

/** Prompt Shields REST API version used by the gateway. */
export const SHIELD_PROMPT_API_VERSION = "2024-09-01";
/** Arguments longer than this are not sent for screening; the fail mode decides (see docs/gateway.md). */
export const SHIELD_PROMPT_MAX_CHARACTERS = 10_000;
/** Audience of Azure AI services tokens. */
export const COGNITIVE_SERVICES_AUDIENCE = "https://cognitiveservices.azure.com";
const DEFAULT_TIMEOUT_SECONDS = 10;

const REFUSALS = {
  blocked: {
    status: 403,
    reason: "Forbidden",
    rpcCode: -32003,
    message: "Request blocked by content safety policy",
    denial: { reason: "prompt_shield" },
  },
  tooLarge: {
    status: 413,
    reason: "Payload Too Large",
    rpcCode: -32600,
    message: "Tool arguments too large for content safety screening",
    // Too large to screen: the client sent too much (status and reason as for an oversized body).
    denial: { reason: "body_too_large" },
  },
  unscreened: {
    status: 503,
    reason: "Service Unavailable",
    rpcCode: -32000,
    message: "Content safety screening unavailable",
    denial: { reason: "shield_unavailable" },
  },
} satisfies Record<string, RefusalSpec>;

/** `<authentication-managed-identity>` for a resource, with a user-assigned identity when given. */
export function managedIdentityMarkup(resource: string, clientId?: string): Markup {
  const identity = clientId === undefined ? "" : ` client-id="${xmlEscape(clientId)}"`;
  return markup(`<authentication-managed-identity resource="${xmlEscape(resource)}"${identity} />`);
}

export function shieldPromptUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/contentsafety/text:shieldPrompt?api-version=${SHIELD_PROMPT_API_VERSION}`;
}

/** The screening as a standalone `<fragment>` document (usable as an API Management policy fragment). */
export function renderContentSafetyFragment(
  input: ContentSafetyInput,
  managedIdentityClientId?: string,
  allowedOrigins: readonly string[] = [],
): string {
  validateContentSafety(input);
  return fillTemplate(loadTemplate("content-safety.fragment.xml"), {
    isToolCall: x.isToolCall(),
    toolArguments: x.toolArguments(),
    argumentsEmpty: x.toolArgumentsEmpty(),
    argumentsTooLong: x.toolArgumentsLongerThan(SHIELD_PROMPT_MAX_CHARACTERS),
    timeoutSeconds: input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    shieldPromptUrl: shieldPromptUrl(input.endpoint),
    shieldPromptBody: x.shieldPromptBody(),
    authentication: managedIdentityMarkup(COGNITIVE_SERVICES_AUDIENCE, managedIdentityClientId),
    shieldVerdict: x.shieldVerdict(),
    attackDetected: x.shieldVerdictIs("attack"),
    contentBlocked: refusalMarkup(REFUSALS.blocked, allowedOrigins),
    failClosed: input.failMode === "closed" ? failClosedBranches(allowedOrigins) : NO_MARKUP,
  });
}

/** The fragment's content, for inlining into a policy section. */
export function contentSafetyMarkup(
  input: ContentSafetyInput | undefined,
  managedIdentityClientId?: string,
  allowedOrigins: readonly string[] = [],
): Markup {
  if (input === undefined) return NO_MARKUP;
  const fragment = renderContentSafetyFragment(input, managedIdentityClientId, allowedOrigins);
  const inner = /<fragment>\n([\s\S]*)\n<\/fragment>/.exec(fragment)?.[1];
  if (inner === undefined) throw new Error("content-safety.fragment.xml must wrap its content in <fragment>");
  return markup(dedent(inner));
}

function failClosedBranches(allowedOrigins: readonly string[]): Markup {
  return markup(
    [
      `<when condition="${xmlEscape(x.shieldVerdictIs("too-large"))}">`,
      indent(refusalMarkup(REFUSALS.tooLarge, allowedOrigins).xml),
      `</when>`,
      `<when condition="${xmlEscape(x.shieldVerdictIs("unscreened"))}">`,
      indent(refusalMarkup(REFUSALS.unscreened, allowedOrigins).xml),
      `</when>`,
    ].join("\n"),
  );
}

function indent(xml: string): string {
  return xml
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

function dedent(text: string): string {
  const lines = text.split("\n");
  const widths = lines.filter((l) => l.trim().length > 0).map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const width = Math.min(...widths);
  return lines.map((line) => line.slice(width)).join("\n");
}
