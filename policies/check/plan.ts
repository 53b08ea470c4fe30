/**
 * The plan file shape: the subset of `pulumi preview --json` that the offline preview writes and
 * that `policy:check` reads. A real preview's JSON has more fields; they are ignored.
 */

export type StepOp =
  | "create"
  | "same"
  | "update"
  | "replace"
  | "create-replacement"
  | "delete"
  | "delete-replaced"
  | "read"
  | "refresh"
  | "import"
  | "discard";

export interface PlanResourceState {
  readonly urn: string;
  readonly type: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly provider?: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
}

export interface PlanStep {
  readonly op: StepOp | string;
  readonly urn: string;
  readonly provider?: string;
  readonly newState?: PlanResourceState;
  readonly oldState?: PlanResourceState;
}

export interface PreviewPlan {
  readonly steps: readonly PlanStep[];
  readonly changeSummary: Readonly<Record<string, number>>;
  readonly diagnostics?: readonly unknown[];
}

/** The placeholder a secret value is replaced with in plan files and printed output. */
export const SECRET_PLACEHOLDER = "[secret]";

/** The resources a plan would leave in the stack (every step with a new state). */
export function planResources(plan: PreviewPlan): PlanResourceState[] {
  return plan.steps.flatMap((step) => (step.newState && step.op !== "delete" ? [step.newState] : []));
}

/** Reads an untrusted JSON value as a plan, or explains why it is not one. */
export function asPreviewPlan(value: unknown): PreviewPlan {
  if (typeof value !== "object" || value === null || !Array.isArray((value as { steps?: unknown }).steps)) {
    throw new Error(
      "not a preview plan: expected an object with a 'steps' array (pulumi preview --json shape)",
    );
  }
  const steps = (value as { steps: unknown[] }).steps;
  steps.forEach((step, index) => {
    if (typeof step !== "object" || step === null || typeof (step as { urn?: unknown }).urn !== "string") {
      throw new Error(`not a preview plan: steps[${index}] has no 'urn'`);
    }
    const state = (step as { newState?: unknown }).newState;
    if (
      state !== undefined &&
      (typeof state !== "object" || state === null || typeof (state as { type?: unknown }).type !== "string")
    ) {
      throw new Error(`not a preview plan: steps[${index}].newState has no 'type'`);
    }
  });
  return value as PreviewPlan;
}
