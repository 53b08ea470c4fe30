/**
 * Judges a stack's plan by the benchmark definitions, definition by definition, as Azure Policy would
 * after `pulumi up` (assignment at the stack's resource group): for every resource the definition's `if`
 * matches, the effect decides (Audit/Deny/Modify: non-compliant; AuditIfNotExists/DeployIfNotExists:
 * non-compliant unless a related resource of `details.type` meets `existenceCondition`). Pure: same plan,
 * definitions and exemptions, same result.
 */
import type { PlanResourceState } from "../../policies/check/plan";
import { type ExemptionDeclaration, exemptionCovers } from "../../policies/src/lib/exemption-declarations";
import { aliasCanonicalizer, aliasResolver, armDocuments, type PlanDocument } from "./arm-view";
import {
  type ArmDocument,
  evaluateCondition,
  evaluateValue,
  NotEvaluable,
  type EvalContext,
} from "./evaluate";
import type { AliasRow, PolicyDefinition } from "./reference";

export type Verdict = "compliant" | "exempted" | "non-compliant" | "not-evaluable" | "not-applicable";

export interface ResourceFinding {
  readonly urn: string;
  /** Logical name (last URN segment). */
  readonly name: string;
  readonly type: string;
  readonly exemption?: ExemptionDeclaration;
}

export interface DefinitionAssessment {
  readonly definition: PolicyDefinition;
  readonly verdict: Verdict;
  /** Effect as the benchmark assigns it. */
  readonly effect: string;
  /** Resources the definition evaluated (its `if` was decidable and named their type). */
  readonly evaluated: number;
  readonly findings: readonly ResourceFinding[];
  /** Why it is not evaluable or not applicable. */
  readonly reason?: string;
}

export interface AssessOptions {
  readonly definitions: readonly PolicyDefinition[];
  readonly aliases: ReadonlyMap<string, AliasRow>;
  readonly exemptions: readonly ExemptionDeclaration[];
  readonly now: Date;
}

const EXISTENCE_EFFECTS = new Set(["auditifnotexists", "deployifnotexists"]);

/** Scope types an assignment at a resource group never evaluates. */
const OUTSIDE_RESOURCE_GROUP = new Set([
  "microsoft.resources/subscriptions",
  "microsoft.authorization/roledefinitions",
]);

function logicalName(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

function parametersFor(definition: PolicyDefinition): Record<string, unknown> {
  // The benchmark passes its defaults; a definition in both initiatives uses v1's values unless only v2 sets them.
  const merged: Record<string, unknown> = { ...definition.parameterDefaults };
  for (const membership of [...definition.memberships].reverse())
    Object.assign(merged, membership.parameters);
  return merged;
}

function effectOf(
  definition: PolicyDefinition,
  parameters: Record<string, unknown>,
  doc: ArmDocument,
): string {
  const raw = definition.policyRule.then.effect;
  const ctx: EvalContext = { doc, parameters, resolve: () => undefined, now: new Date(0) };
  try {
    return String(evaluateValue(raw, ctx));
  } catch {
    return String(raw);
  }
}

function typesOf(definition: PolicyDefinition): Set<string> {
  return new Set(definition.resourceTypes.map((type) => type.toLowerCase()).filter((type) => type !== ""));
}

/** Whether a related resource (`details.type`) belongs to `doc`: an extension on it or a child of it. */
function related(candidate: ArmDocument, doc: ArmDocument): boolean {
  const id = candidate.id.toLowerCase();
  const parent = doc.id.toLowerCase();
  return id.startsWith(`${parent}/`);
}

export function assessDefinition(
  definition: PolicyDefinition,
  documents: readonly PlanDocument[],
  options: AssessOptions,
): DefinitionAssessment {
  const parameters = parametersFor(definition);
  const types = typesOf(definition);
  const resolve = aliasResolver(options.aliases);
  const canonicalAlias = aliasCanonicalizer(options.aliases);
  const candidates = documents.filter((entry) => types.has(entry.doc.type.toLowerCase()));
  const effect = candidates[0]
    ? effectOf(definition, parameters, candidates[0].doc)
    : String(parameters.effect ?? "");
  const base = { definition, effect, evaluated: candidates.length };
  if ([...types].some((type) => OUTSIDE_RESOURCE_GROUP.has(type)))
    return {
      ...base,
      verdict: "not-applicable",
      findings: [],
      reason: "evaluates the subscription or tenant, outside the resource group the stack owns",
    };
  if (effect.toLowerCase() === "disabled")
    return { ...base, verdict: "not-applicable", findings: [], reason: "the benchmark assigns it Disabled" };
  if (candidates.length === 0)
    return {
      ...base,
      verdict: "not-applicable",
      findings: [],
      reason: "no resource of its type in the plan",
    };

  const findings: ResourceFinding[] = [];
  for (const { resource, doc } of candidates) {
    const apiVersion = typeof doc.apiVersion === "string" ? doc.apiVersion : undefined;
    const ctx: EvalContext = {
      doc,
      parameters,
      resolve,
      canonicalAlias,
      now: options.now,
      ...(apiVersion ? { apiVersion } : {}),
    };
    try {
      if (!evaluateCondition(definition.policyRule.if, ctx)) continue;
      if (EXISTENCE_EFFECTS.has(effect.toLowerCase()) && existenceMet(definition, doc, documents, ctx))
        continue;
    } catch (error) {
      if (!(error instanceof NotEvaluable)) throw error;
      return { ...base, verdict: "not-evaluable", findings: [], reason: error.reason };
    }
    findings.push(finding(resource, definition, options.exemptions));
  }
  const open = findings.filter((item) => item.exemption === undefined);
  const verdict: Verdict =
    findings.length === 0 ? "compliant" : open.length === 0 ? "exempted" : "non-compliant";
  return { ...base, verdict, findings };
}

function existenceMet(
  definition: PolicyDefinition,
  doc: ArmDocument,
  documents: readonly PlanDocument[],
  ctx: EvalContext,
): boolean {
  const details = (definition.policyRule.then.details ?? {}) as {
    type?: unknown;
    existenceCondition?: unknown;
  };
  const detailsType = typeof details.type === "string" ? details.type.toLowerCase() : "";
  if (detailsType === "") throw new NotEvaluable("the existence check has no details.type");
  const known = documents.some((entry) => entry.doc.type.toLowerCase() === detailsType);
  const relatedDocs = documents.filter(
    (entry) => entry.doc.type.toLowerCase() === detailsType && related(entry.doc, doc),
  );
  if (detailsType.endsWith("/privateendpointconnections")) {
    // Derived from the plan's private endpoints (arm-view.ts): present when approved, absent otherwise.
    const connections =
      ((doc.properties ?? {}) as { privateEndpointConnections?: ArmDocument[] }).privateEndpointConnections ??
      [];
    return connections.some(
      (connection) =>
        details.existenceCondition === undefined ||
        evaluateCondition(details.existenceCondition, {
          ...ctx,
          doc: { ...connection, id: connection.id, name: connection.id, type: String(details.type) },
        }),
    );
  }
  if (!known && relatedDocs.length === 0) {
    throw new NotEvaluable(
      `its existence check reads ${String(details.type)}, which Azure manages outside the plan (no such resource is declared)`,
    );
  }
  return relatedDocs.some(
    (entry) =>
      details.existenceCondition === undefined ||
      evaluateCondition(details.existenceCondition, { ...ctx, doc: entry.doc }),
  );
}

function finding(
  resource: PlanResourceState,
  definition: PolicyDefinition,
  exemptions: readonly ExemptionDeclaration[],
): ResourceFinding {
  const name = logicalName(resource.urn);
  const exemption = exemptions.find(
    (candidate) =>
      candidate.definitionId === definition.guid && exemptionCovers(candidate, { type: resource.type, name }),
  );
  return { urn: resource.urn, name, type: resource.type, ...(exemption ? { exemption } : {}) };
}

/** Every benchmark definition over one plan's resources. */
export function assessPlan(
  resources: readonly PlanResourceState[],
  options: AssessOptions,
): DefinitionAssessment[] {
  const documents = armDocuments(resources, options.now);
  return options.definitions.map((definition) => assessDefinition(definition, documents, options));
}
