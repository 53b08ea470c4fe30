/**
 * The shape of the controls matrix metadata: what a control claim says, and what a component declares
 * about the controls it implements. Pure data types; `docs/controls.md` is generated from values of them
 * (`npm run docs:controls`) and `test/tools/controls/controls.test.ts` checks every reference they make.
 */

/**
 * How a seed control stands in this deployment.
 * - `implemented`: the resources, policy rules and tests listed do what the control asks.
 * - `partial`: they do part of it; `gap` says what is missing.
 * - `documented`: not deployable from a resource group (tenant settings, repository settings, process);
 *   the procedure is in the listed docs.
 * - `out-of-scope`: the deployment has nothing the control applies to, or deliberately does not do it;
 *   `summary` is the reason.
 */
export type ControlStatus = "implemented" | "partial" | "documented" | "out-of-scope";

/** Evidence a claim or a component can name; every entry is checked by the controls test. */
export interface ControlEvidence {
  /** Pulumi type tokens (`azure-native:apimanagement:ApiPolicy`) or component types (`mcpgw:gateway:Gateway`). */
  readonly resources?: readonly string[];
  /** Policy rule names from the pack (`policies/src/index.ts`). */
  readonly policies?: readonly string[];
  /** Test files, repository-relative. */
  readonly tests?: readonly string[];
  /** Other repository files that implement it: workflows, scripts, Dependabot config. */
  readonly artifacts?: readonly string[];
  /** Documentation, repository-relative (a `#anchor` suffix is allowed). */
  readonly docs?: readonly string[];
}

/** The central, per-control statement in `tools/controls/claims.ts`. */
export interface ControlClaim extends ControlEvidence {
  readonly status: ControlStatus;
  /** How the deployment implements it, or why it does not. */
  readonly summary: string;
  /** What is missing (required for `partial`). */
  readonly gap?: string;
}

/** What one component declares about one control. */
export interface ComponentControl extends ControlEvidence {
  /** What the component does for the control, in one sentence. */
  readonly how: string;
}

/** The `CONTROLS` constant a component exports from `infra/<component>/controls.ts`. */
export interface ComponentControls {
  /** The component's type token (`mcpgw:<folder>:<Class>`). */
  readonly component: string;
  /** Repository-relative folder of the component. */
  readonly folder: string;
  readonly controls: Readonly<Record<string, ComponentControl>>;
}

/** The part of a policy rule's metadata the matrix reads (`PackPolicy` satisfies it). */
export interface RuleControls {
  readonly name: string;
  /** Seed references as the pack writes them: `MUST-1 token validation`, `4 rate limiting ...`, or a control ID. */
  readonly seedControls: readonly string[];
}
