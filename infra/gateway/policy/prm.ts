import { assertOnlyExpectedNamedValues, markup, type Markup } from "./escape";
import { fillTemplate, loadTemplate } from "./template";
import type { PrmInput, ProtectedResourceMetadata } from "./types";
import { mcpServerUrls } from "./urls";
import { expectFreeText } from "./validate";

/** RFC 9728 Protected Resource Metadata for one MCP server (the MCP authorization spec requires it). */
export function protectedResourceMetadata(input: PrmInput): ProtectedResourceMetadata {
  const urls = mcpServerUrls(input);
  if (input.resourceName !== undefined) expectFreeText("resourceName", input.resourceName, 200);
  return {
    resource: urls.resourceUrl,
    authorization_servers: [urls.authorizationServer],
    scopes_supported: [urls.scope],
    bearer_methods_supported: ["header"],
    ...(input.resourceName === undefined ? {} : { resource_name: input.resourceName }),
  };
}

export function renderProtectedResourceMetadataJson(input: PrmInput): string {
  return JSON.stringify(protectedResourceMetadata(input));
}

/** The `<return-response>` that answers the metadata document (shared by both places that serve it). */
export function prmResponseMarkup(input: PrmInput): Markup {
  return markup(
    fillTemplate(loadTemplate("prm-response.xml"), {
      metadataJson: renderProtectedResourceMetadataJson(input),
    }).trimEnd(),
  );
}

/** Operation policy that answers the metadata document anonymously (format `xml`). */
export function renderPrmOperationPolicy(input: PrmInput): string {
  const xml = fillTemplate(loadTemplate("prm-operation.policy.xml"), { response: prmResponseMarkup(input) });
  assertOnlyExpectedNamedValues(xml, []);
  return xml;
}

export function renderWellKnownApiPolicy(): string {
  return fillTemplate(loadTemplate("well-known-api.policy.xml"), {});
}

export function renderGlobalPolicy(): string {
  return fillTemplate(loadTemplate("global.policy.xml"), {});
}
