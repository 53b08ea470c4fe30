/**
 * The API Management policy documents to check: every policy and policy fragment of a stack's plan
 * (the `value` input of the apimanagement `*Policy` and `*PolicyFragment` resources, and of such
 * resources inside an ARM template deployment), and the renderer's own variants, which cover branches
 * no stack may enable today (content safety fail-open, an `apiKey` backend, the v2 tier).
 */
import {
  renderContentSafetyFragment,
  renderGlobalPolicy,
  renderMcpApiPolicy,
  renderPrmOperationPolicy,
  renderWellKnownApiPolicy,
  type McpApiPolicyInput,
} from "../../infra/gateway/policy";
import {
  type PlanResourceState,
  planResources,
  type PreviewPlan,
  SECRET_PLACEHOLDER,
} from "../../policies/check/plan";
import { docsInput } from "./sample-input";

export interface PolicyDocument {
  /** The stack (or `renderer` for the renderer's variants). */
  readonly stack: string;
  /** The Pulumi resource name (the URN's last part) or the variant's name. */
  readonly resource: string;
  /** `ApiPolicy`, `ApiOperationPolicy`, `Policy`, `PolicyFragment`, ... */
  readonly kind: string;
  /** The API (`apiId`) and operation (`operationId`) the policy is attached to, when it is. */
  readonly api?: string;
  readonly operation?: string;
  readonly xml: string;
}

export interface SkippedDocument {
  readonly stack: string;
  readonly resource: string;
  readonly reason: string;
}

export interface PlanDocuments {
  readonly documents: PolicyDocument[];
  readonly skipped: SkippedDocument[];
  /** The plan declares an API Management service (so a plan without documents is suspicious). */
  readonly hasApiManagement: boolean;
}

export const RENDERER_STACK = "renderer";

const POLICY_TYPE = /^azure-native:apimanagement(?:\/[^:]+)?:(\w*Policy|\w*PolicyFragment)$/;
const SERVICE_TYPE = /^azure-native:apimanagement(?:\/[^:]+)?:ApiManagementService$/;
const DEPLOYMENT_TYPE = /^azure-native:resources(?:\/[^:]+)?:Deployment$/;
const ARM_POLICY_TYPE = /^Microsoft\.ApiManagement\/service\/(?:.+\/)?(policies|policyFragments)$/i;
/** Pulumi's marker for a value not known until apply (`pulumi preview --json`). */
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const CHECKED_FORMATS = new Set(["xml", undefined]);

export function planPolicyDocuments(stack: string, plan: PreviewPlan): PlanDocuments {
  const documents: PolicyDocument[] = [];
  const skipped: SkippedDocument[] = [];
  let hasApiManagement = false;
  for (const resource of planResources(plan)) {
    const name = resource.urn.split("::").pop() ?? resource.urn;
    if (SERVICE_TYPE.test(resource.type)) hasApiManagement = true;
    const kind = POLICY_TYPE.exec(resource.type)?.[1];
    if (kind !== undefined) {
      add(
        documents,
        skipped,
        { stack, resource: name, kind, ...attachment(resource.inputs) },
        resource.inputs,
      );
    } else if (DEPLOYMENT_TYPE.test(resource.type)) {
      armTemplateDocuments(stack, name, resource, documents, skipped);
    }
  }
  return { documents, skipped, hasApiManagement };
}

function attachment(inputs: Record<string, unknown>): { api?: string; operation?: string } {
  const api = inputs["apiId"];
  const operation = inputs["operationId"];
  return {
    ...(typeof api === "string" ? { api } : {}),
    ...(typeof operation === "string" ? { operation } : {}),
  };
}

function add(
  documents: PolicyDocument[],
  skipped: SkippedDocument[],
  where: Omit<PolicyDocument, "xml">,
  properties: Record<string, unknown>,
): void {
  const value = properties["value"];
  const format = properties["format"];
  const skip = (reason: string) => skipped.push({ stack: where.stack, resource: where.resource, reason });
  if (typeof format === "string" && !CHECKED_FORMATS.has(format)) {
    skip(`format ${format} is not checked (only "xml" documents are)`);
  } else if (typeof value !== "string") {
    skip("the policy value is not a string in the plan");
  } else if (value === UNKNOWN_VALUE || value === SECRET_PLACEHOLDER) {
    skip("the policy value is not known in the plan (unknown or secret)");
  } else {
    documents.push({ ...where, xml: value });
  }
}

/** Policies declared as resources of an ARM template (`Microsoft.ApiManagement/service/.../policies`). */
function armTemplateDocuments(
  stack: string,
  name: string,
  resource: PlanResourceState,
  documents: PolicyDocument[],
  skipped: SkippedDocument[],
): void {
  const properties = resource.inputs["properties"];
  const template = isRecord(properties) ? properties["template"] : undefined;
  const resources = isRecord(template) ? template["resources"] : undefined;
  if (!Array.isArray(resources)) return;
  resources.forEach((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry["type"] !== "string") return;
    const kind = ARM_POLICY_TYPE.exec(entry["type"])?.[1];
    const props = entry["properties"];
    if (kind === undefined || !isRecord(props)) return;
    const armName = typeof entry["name"] === "string" ? entry["name"] : `resources[${i}]`;
    add(documents, skipped, { stack, resource: `${name}:${armName}`, kind: `template ${kind}` }, props);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// --- the renderer's variants ---

const IDENTITY_CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** The dev stack's `docs` server as the gateway renderer's own tests build it, with a display name. */
function baseInput(): McpApiPolicyInput {
  return docsInput({ resourceName: "Docs" });
}

const MCP_API_VARIANTS: Readonly<Record<string, (base: McpApiPolicyInput) => McpApiPolicyInput>> = {
  "mcp-api classic managed-identity": (base) => base,
  "mcp-api v2 api-key header no-origins": (base) => ({
    ...base,
    gatewayTier: "v2",
    allowedOrigins: [],
    rateLimits: { ...base.rateLimits, dailyQuotaPerUser: undefined },
    backend: { kind: "apiKey", headerName: "x-api-key", namedValueName: "weather-api-key" },
  }),
  "mcp-api api-key backend-entity user-assigned": (base) => ({
    ...base,
    backend: { kind: "apiKey", headerName: "x-api-key", namedValueName: "weather-api-key" },
    backendId: "mcp-docs",
    managedIdentityClientId: IDENTITY_CLIENT_ID,
    backendTimeoutSeconds: 60,
  }),
  "mcp-api content-safety fail-closed": (base) => ({
    ...base,
    managedIdentityClientId: IDENTITY_CLIENT_ID,
    contentSafety: { endpoint: "https://cs-mcpgw-dev.cognitiveservices.azure.com", failMode: "closed" },
  }),
  "mcp-api content-safety fail-open": (base) => ({
    ...base,
    contentSafety: {
      endpoint: "https://cs-mcpgw-dev.cognitiveservices.azure.com",
      failMode: "open",
      timeoutSeconds: 5,
    },
  }),
};

/** Every document the renderer can produce, in the variants that change which expressions it holds. */
export function rendererDocuments(): PolicyDocument[] {
  const base = baseInput();
  const variant = (resource: string, kind: string, xml: string, api?: string): PolicyDocument => ({
    stack: RENDERER_STACK,
    resource,
    kind,
    ...(api === undefined ? {} : { api }),
    xml,
  });
  return [
    ...Object.entries(MCP_API_VARIANTS).map(([name, make]) =>
      variant(name, "ApiPolicy", renderMcpApiPolicy(make(base)), "mcp-docs"),
    ),
    variant("prm-operation", "ApiOperationPolicy", renderPrmOperationPolicy(base), "mcp-docs"),
    variant("well-known-api", "ApiPolicy", renderWellKnownApiPolicy(), "mcp-well-known"),
    variant("global", "Policy", renderGlobalPolicy()),
    variant(
      "content-safety fragment fail-closed",
      "PolicyFragment",
      renderContentSafetyFragment({
        endpoint: "https://cs-mcpgw-dev.cognitiveservices.azure.com",
        failMode: "closed",
      }),
    ),
    variant(
      "content-safety fragment fail-open",
      "PolicyFragment",
      renderContentSafetyFragment(
        { endpoint: "https://cs-mcpgw-dev.cognitiveservices.azure.com", failMode: "open" },
        IDENTITY_CLIENT_ID,
      ),
    ),
  ];
}
