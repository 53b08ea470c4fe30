/**
 * The catalogues are deeply readonly; Pulumi input types use mutable arrays (`Input<T>[]`), which a
 * `readonly T[]` is not assignable to. Renderers hand out fresh deep copies typed as mutable, so the
 * result can go straight into a resource's args and nobody can mutate the catalogue through it.
 */

export type DeepMutable<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer U)[]
    ? DeepMutable<U>[]
    : { -readonly [K in keyof T]: DeepMutable<T[K]> };

/** A deep copy of plain data (no functions, classes or Outputs), typed as mutable. */
export function clonePlain<T>(value: T): DeepMutable<T> {
  return structuredClone(value) as DeepMutable<T>;
}
