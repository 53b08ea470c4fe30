/**
 * The allow-list check on what the compiler resolved. mscorlib holds System.IO.File, reflection and
 * everything else, so compiling against it proves only that an expression is valid C#; this reads the
 * assembly `mcs` wrote and checks every type and member each expression's IL refers to (calls, field
 * access, object creation, casts, typeof, generic arguments, local variable and catch types) against
 * `allowed-types.ts`. Types the stub declares are the reference's by construction; the stub's one
 * constraint C# cannot express, `IMessageBody.As<T>`'s list of T, is enforced here.
 */
import {
  ALLOWED_TYPES_REFERENCE,
  BODY_AS_TYPES,
  bareTypeName,
  memberAllowed,
  referenceMemberName,
  TYPE_RULES,
  type TypeRule,
} from "./allowed-types";
import { AssemblyMetadata, type Reference, typeName, type TypeSig } from "./metadata";

/** The namespace of the generated classes: `<namespace>.E0001` holds unit 0 (compile.ts's `unitClassName`). */
export const GENERATED_NAMESPACE = "Apim.PolicyExpressions.Checked";
const GENERATED_CLASS = new RegExp(`^${GENERATED_NAMESPACE.replace(/\./g, "\\.")}\\.E(\\d+)(?:\\.|$)`);
const BODY_AS_METHOD = { type: "Apim.PolicyExpressions.IMessageBody", name: "As" };

export interface IlViolation {
  readonly unit: number;
  readonly message: string;
  /** Full type name (bare), to merge with the syntax check's findings. */
  readonly typeName: string;
  /** Identifiers to look for in the expression to point at the offending part. */
  readonly searchTerms: readonly string[];
}

export function checkAssembly(bytes: Uint8Array): IlViolation[] {
  const metadata = new AssemblyMetadata(bytes);
  const types = metadata.typeDefinitions();
  const unitOfType = new Map<number, number>();
  for (const type of types) {
    const unit = GENERATED_CLASS.exec(type.name)?.[1];
    if (unit !== undefined) unitOfType.set(type.row, Number(unit) - 1);
  }
  const violations: IlViolation[] = [];
  const seen = new Set<string>();
  for (const type of types) {
    const unit = unitOfType.get(type.row);
    if (unit === undefined) continue;
    const checker = new UnitChecker(unit, unitOfType);
    for (const method of type.methodRows) {
      for (const reference of metadata.methodReferences(method)) checker.reference(reference);
    }
    for (const violation of checker.violations) {
      const key = `${unit}\u0000${violation.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push(violation);
    }
  }
  return violations;
}

class UnitChecker {
  readonly violations: IlViolation[] = [];

  constructor(
    private readonly unit: number,
    private readonly unitOfType: ReadonlyMap<number, number>,
  ) {}

  reference(reference: Reference): void {
    if (reference.kind === "type") {
      this.type(reference.type);
    } else if (reference.kind === "member") {
      this.member(reference);
    }
  }

  private member(reference: Extract<Reference, { kind: "member" }>): void {
    const declaring = reference.declaringType;
    reference.methodArgs.forEach((arg) => this.type(arg));
    if (declaring.kind !== "named") {
      this.type(declaring);
      return;
    }
    declaring.args.forEach((arg) => this.type(arg));
    if (declaring.local) {
      if (!this.localTypeAllowed(declaring)) return;
      if (declaring.name === BODY_AS_METHOD.type && reference.name === BODY_AS_METHOD.name)
        this.bodyAs(reference.methodArgs);
      return;
    }
    const rule = ruleFor(declaring.name);
    const bare = bareTypeName(declaring.name);
    const simple = simpleName(bare);
    const member = referenceMemberName(reference.name);
    if (rule === undefined) {
      this.report(`${bare}.${member}: ${bare} is not on API Management's list of allowed types`, bare, [
        member,
        simple,
      ]);
      return;
    }
    const verdict = memberAllowed(rule, reference.name, reference.parameterCount);
    if (!verdict.allowed) {
      const terms = member === "(Constructor)" ? [simple] : [member, simple];
      this.report(verdict.why, bare, terms);
    }
  }

  private bodyAs(args: readonly TypeSig[]): void {
    const arg = args[0];
    if (arg === undefined) return;
    const name = typeName(arg);
    if (!BODY_AS_TYPES.includes(name)) {
      this.report(
        `IMessageBody.As<T> reads a body only as ${BODY_AS_TYPES.map((t) => simpleName(t)).join(", ")}; not as ${name}`,
        "Apim.PolicyExpressions.IMessageBody",
        ["As"],
      );
    }
  }

  private type(type: TypeSig): void {
    switch (type.kind) {
      case "primitive": {
        if (ruleFor(type.name) === undefined && type.name !== "System.Void") {
          this.report(`${type.name} is not on API Management's list of allowed types`, type.name, [
            simpleName(type.name),
          ]);
        }
        return;
      }
      case "named": {
        type.args.forEach((arg) => this.type(arg));
        if (type.local) {
          this.localTypeAllowed(type);
          return;
        }
        if (ruleFor(type.name) === undefined) {
          const bare = bareTypeName(type.name);
          this.report(`${bare} is not on API Management's list of allowed types`, bare, [simpleName(bare)]);
        }
        return;
      }
      case "array":
      case "byref":
        this.type(type.element);
        return;
      case "pointer":
      case "function-pointer":
      case "typed-reference":
        this.report(
          `${typeName(type)}: unsafe code is not allowed in policy expressions`,
          typeName(type),
          [],
        );
        return;
      case "generic-parameter":
        return;
    }
  }

  /** Stub types and this unit's own (compiler-generated) code are allowed; another unit's class is not. */
  private localTypeAllowed(type: Extract<TypeSig, { kind: "named" }>): boolean {
    const owner = type.row === undefined ? undefined : this.unitOfType.get(type.row);
    if (owner === undefined || owner === this.unit) return true;
    this.report(`${type.name} is generated by the checker, not part of API Management`, type.name, []);
    return false;
  }

  private report(message: string, typeName: string, searchTerms: readonly string[]): void {
    this.violations.push({
      unit: this.unit,
      message: `${message} (${ALLOWED_TYPES_REFERENCE})`,
      typeName,
      searchTerms: searchTerms.filter((term) => term !== "" && term !== "(Constructor)"),
    });
  }
}

function simpleName(name: string): string {
  return bareTypeName(name).split(".").pop() ?? name;
}

/** The rule for a metadata type name; nested types of an "All" type (`List\`1.Enumerator`) share its rule. */
export function ruleFor(metadataName: string): TypeRule | undefined {
  const bare = bareTypeName(metadataName);
  const direct = TYPE_RULES.get(bare);
  if (direct !== undefined) return direct;
  const parts = bare.split(".");
  for (let end = parts.length - 1; end > 1; end -= 1) {
    const outer = TYPE_RULES.get(parts.slice(0, end).join("."));
    if (outer !== undefined) return outer.members === "all" && outer.except.length === 0 ? outer : undefined;
  }
  return undefined;
}
