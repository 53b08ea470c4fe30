/**
 * API Management policy documents and ARM template resources, shared by the APIM rules.
 */
import { asArray, get, ieq, isRecord, show, tryGet, UNKNOWN } from "./props";
import { childrenNamed, parsePolicyXml, type XmlElement } from "./xml";

export type PolicyDocument =
  | { readonly kind: "inline"; readonly root: XmlElement }
  | { readonly kind: "invalid"; readonly reason: string };

/**
 * The policy document of a policy resource (`value` + `format`). A linked document (`xml-link`,
 * `rawxml-link`) cannot be checked before deployment and is reported as invalid: policies that carry
 * security controls must be inline.
 */
export function policyDocument(properties: unknown): PolicyDocument {
  const format = get(properties, "format");
  const value = get(properties, "value");
  if (ieq(format, "xml-link") || ieq(format, "rawxml-link")) {
    return {
      kind: "invalid",
      reason: `the policy is linked (format ${show(format)}): keep it inline so it can be checked`,
    };
  }
  if (format !== undefined && !ieq(format, "xml") && !ieq(format, "rawxml")) {
    return { kind: "invalid", reason: `unsupported policy format ${show(format)}` };
  }
  if (typeof value !== "string" || value.trim().length === 0)
    return { kind: "invalid", reason: `the policy has no content (value ${show(value)})` };
  const parsed = parsePolicyXml(value);
  if (!parsed.ok) return { kind: "invalid", reason: `the policy XML is not well-formed: ${parsed.error}` };
  if (parsed.root.name.toLowerCase() !== "policies")
    return { kind: "invalid", reason: `the root element is <${parsed.root.name}>, not <policies>` };
  return { kind: "inline", root: parsed.root };
}

/** The `<inbound>`, `<backend>`, ... section of a document. */
export function section(root: XmlElement, name: string): XmlElement | undefined {
  return childrenNamed(root, name)[0];
}

export interface TemplateResource {
  /** Full ARM type, e.g. `Microsoft.ApiManagement/service/apis/policies`. */
  readonly type: string;
  readonly name: string;
  readonly properties: unknown;
}

/**
 * Every resource an ARM template deployment declares, child resources and nested deployments
 * included (templates whose `resources` is a symbolic-name map, language version 2.0, too).
 */
export function templateResources(deploymentProps: unknown): TemplateResource[] {
  const found: TemplateResource[] = [];
  const visit = (resources: unknown, parentType?: string): void => {
    const list = isRecord(resources) ? Object.values(resources) : asArray(resources);
    for (const resource of list) {
      const ownType = get(resource, "type");
      if (typeof ownType !== "string") continue;
      const type = parentType && !ownType.includes("/") ? `${parentType}/${ownType}` : ownType;
      const name = get(resource, "name");
      found.push({
        type,
        name: typeof name === "string" ? name : show(name),
        properties: get(resource, "properties"),
      });
      visit(get(resource, "resources"), type);
      if (ieq(type, "Microsoft.Resources/deployments")) visit(get(resource, "properties.template.resources"));
    }
  };
  visit(get(deploymentProps, "properties.template.resources"));
  return found;
}

/** ARM types of API Management policy documents that inherit from a parent scope (not the global policy). */
export const ARM_SCOPED_POLICY_TYPES = [
  "Microsoft.ApiManagement/service/apis/policies",
  "Microsoft.ApiManagement/service/apis/operations/policies",
  "Microsoft.ApiManagement/service/products/policies",
  "Microsoft.ApiManagement/service/workspaces/apis/policies",
  "Microsoft.ApiManagement/service/workspaces/apis/operations/policies",
  "Microsoft.ApiManagement/service/workspaces/policies",
  "Microsoft.ApiManagement/service/workspaces/products/policies",
];

export const ARM_API_POLICY_TYPES = [
  "Microsoft.ApiManagement/service/apis/policies",
  "Microsoft.ApiManagement/service/workspaces/apis/policies",
];

/** `true` when `type` is one of `types`, ignoring case (ARM types are case-insensitive). */
export function isArmType(type: string, types: readonly string[]): boolean {
  return types.some((candidate) => ieq(type, candidate));
}

/** API IDs that are not MCP APIs: the anonymous OAuth Protected Resource Metadata endpoint (RFC 9728). */
export const DEFAULT_EXEMPT_API_ID_PATTERN =
  "(well-known|oauth-protected-resource|protected-resource-metadata)";

/**
 * Calls `check` with the document of every MCP API policy a resource holds: an API policy resource
 * itself, or API policies inside an ARM template deployment. An API is an MCP API unless its apiId
 * (or template resource name) matches `exemptPattern`; when the apiId is unknown during preview the
 * policy resource's name is matched instead.
 */
export function forEachMcpApiPolicy(
  type: string,
  props: unknown,
  exemptPattern: string,
  check: (document: PolicyDocument, report: (message: string) => void) => void,
  report: (message: string) => void,
  deploymentType: string,
  resourceName = "",
): void {
  const exempt = new RegExp(exemptPattern, "i");
  if (type === deploymentType) {
    for (const resource of templateResources(props).filter((r) => isArmType(r.type, ARM_API_POLICY_TYPES))) {
      if (!exempt.test(resource.name))
        check(policyDocument(resource.properties), (message) =>
          report(`template resource ${resource.name}: ${message}`),
        );
    }
    return;
  }
  const apiId = tryGet(props, "apiId");
  // `apiId: api.name` is unknown until the API exists: judge by the policy resource's own name then.
  const id =
    apiId === UNKNOWN ? resourceName : typeof apiId === "string" ? (apiId.split("/").pop() ?? apiId) : "";
  if (id.length > 0 && exempt.test(id)) return;
  check(policyDocument(props), report);
}
