/**
 * The pack's side of the exemptions declared in `policies/src/lib/exemption-declarations.ts` (the same entries create
 * the Azure Policy exemptions, so the two cannot disagree). A `Waiver` for a definition silences, on the
 * resources it covers and in the environments it names, the violations of every rule that mirrors that
 * definition (`azureBuiltins`). A `Mitigated` entry silences nothing: the rules it names in `mitigatedBy`
 * are the evidence of the mitigation and stay in force. The environment is the resource's `environment`
 * tag (every resource carries the standard tags, infra/conventions/tags.ts), else the stack name in the
 * URN (`urn:pulumi:<stack>::...`; this repository's stacks are named after their environments).
 */
import { EXEMPTIONS, exemptionCovers, type ExemptionDeclaration } from "./exemption-declarations";
import type { AzureBuiltin } from "./metadata";

/** The stack name of a URN, or undefined when it is not one. */
export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

/** The logical name of a URN (its last `::` segment). */
export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** The environment a resource belongs to: its `environment` tag, else its stack. */
export function environmentOf(resource: {
  readonly urn: string;
  readonly props?: unknown;
}): string | undefined {
  const tags = (resource.props as { tags?: unknown } | undefined)?.tags;
  const tag =
    typeof tags === "object" && tags !== null ? (tags as Record<string, unknown>).environment : undefined;
  return typeof tag === "string" ? tag : stackOfUrn(resource.urn);
}

/** The waiver that silences a rule's violation on a resource, if one is declared. */
export function packWaiver(
  builtins: readonly AzureBuiltin[],
  resource: { readonly type: string; readonly urn: string; readonly props?: unknown },
  exemptions: readonly ExemptionDeclaration[] = EXEMPTIONS,
): ExemptionDeclaration | undefined {
  const stack = environmentOf(resource);
  if (stack === undefined) return undefined;
  const guids = new Set(builtins.map((builtin) => builtin.guid));
  const target = { type: resource.type, name: nameOfUrn(resource.urn) };
  return exemptions.find(
    (exemption) =>
      exemption.category === "Waiver" &&
      guids.has(exemption.definitionId) &&
      (exemption.environments as readonly string[]).includes(stack) &&
      exemptionCovers(exemption, target),
  );
}
