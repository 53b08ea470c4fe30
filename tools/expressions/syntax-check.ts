/**
 * The allow-list check on what an expression writes, before any compiler runs. It catches what leaves
 * no trace in the compiled IL (constants of disallowed types are inlined, `nameof` and `default(T)` emit
 * no reference) and points at the exact name: fully qualified names (`System.IO.File`,
 * `global::System.Console`), members of types whose members the reference restricts
 * (`DateTime.Today` is listed, `DateTime.SpecifyKind` is not; `DateTimeKind.Local` is not), and
 * preprocessor directives (which would escape the generated wrapper). `il-check.ts` then checks what the
 * compiler resolved, unqualified names included.
 */
import { ALLOWED_NAMESPACES, bareTypeName, memberAllowed, TYPE_RULES, type TypeRule } from "./allowed-types";
import { ScanError, type Token, tokenize } from "./scan";

export interface SyntaxFinding {
  /** Offset in the expression's code (the C# between the delimiters). */
  readonly offset: number;
  readonly message: string;
  /** The full type name the finding is about, to avoid reporting it twice (see il-check.ts). */
  readonly typeName?: string;
}

/** Roots of names that can only be namespaces here (expressions declare no such locals). */
const NAMESPACE_ROOTS = new Set(["System", "Microsoft", "Newtonsoft", "Mono"]);

/** Types with restricted members, by the simple name they have under the implicit imports. */
const RESTRICTED_BY_SIMPLE_NAME: ReadonlyMap<string, TypeRule> = new Map(
  [...TYPE_RULES.values()]
    .filter((rule) => rule.members !== "all" && rule.reason === undefined)
    .map((rule) => [bareTypeName(rule.type).split(".").pop() ?? "", rule] as const)
    .filter(([simple]) =>
      ["DateTime", "DateTimeKind", "Enum", "Regex", "Match", "Group", "Capture"].includes(simple),
    ),
);

export function checkSyntax(code: string): SyntaxFinding[] {
  let tokens: Token[];
  try {
    tokens = tokenize(code).filter((token) => token.kind !== "comment");
  } catch (error) {
    if (error instanceof ScanError) return [{ offset: error.offset, message: error.message }];
    throw error;
  }
  const findings: SyntaxFinding[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    if (token.kind === "directive") {
      findings.push({
        offset: token.start,
        message: "preprocessor directives are not allowed in a policy expression",
      });
      continue;
    }
    if (token.kind !== "identifier" || isMemberAccess(tokens, i)) continue;
    if (token.text === "global" && tokens[i + 1]?.text === ":" && tokens[i + 2]?.text === ":") {
      const chain = readChain(tokens, i + 3);
      const finding = checkQualified(chain);
      if (finding) findings.push(finding);
      i += 2 + chain.length * 2 - 1;
      continue;
    }
    if (NAMESPACE_ROOTS.has(token.text)) {
      const chain = readChain(tokens, i);
      const finding = checkQualified(chain);
      if (finding) findings.push(finding);
      i += chain.length * 2 - 2;
      continue;
    }
    const restricted = RESTRICTED_BY_SIMPLE_NAME.get(token.text);
    const member = tokens[i + 2];
    if (restricted && tokens[i + 1]?.text === "." && member?.kind === "identifier") {
      const verdict = memberAllowed(restricted, member.text);
      if (!verdict.allowed)
        findings.push({
          offset: member.start,
          message: verdict.why,
          typeName: bareTypeName(restricted.type),
        });
    }
  }
  return findings;
}

/** The identifier is the right-hand side of `.` or `::` (a member or a qualified part, not a name start). */
function isMemberAccess(tokens: readonly Token[], i: number): boolean {
  const previous = tokens[i - 1];
  if (previous?.text === ".") return true;
  return previous?.text === ":" && tokens[i - 2]?.text === ":";
}

/** `A.B.C` starting at token `i`: the identifier tokens of the chain. */
function readChain(tokens: readonly Token[], start: number): Token[] {
  const chain: Token[] = [];
  let i = start;
  while (tokens[i]?.kind === "identifier") {
    chain.push(tokens[i] as Token);
    if (tokens[i + 1]?.text !== "." || tokens[i + 2]?.kind !== "identifier") break;
    i += 2;
  }
  return chain;
}

function checkQualified(chain: readonly Token[]): SyntaxFinding | undefined {
  let name = "";
  for (let j = 0; j < chain.length; j += 1) {
    const part = chain[j] as Token;
    name = name === "" ? part.text : `${name}.${part.text}`;
    const rule = TYPE_RULES.get(name);
    if (rule !== undefined) {
      const member = chain[j + 1];
      if (member === undefined) return undefined;
      // A nested type with its own row (TimeZoneInfo.AdjustmentRule) is checked as a type.
      if (TYPE_RULES.has(`${name}.${member.text}`)) continue;
      const verdict = memberAllowed(rule, member.text);
      return verdict.allowed ? undefined : { offset: member.start, message: verdict.why, typeName: name };
    }
    if (ALLOWED_NAMESPACES.has(name)) continue;
    return {
      offset: chain[0]?.start ?? part.start,
      message: `${name} is not on API Management's list of types allowed in policy expressions`,
      typeName: name,
    };
  }
  return undefined;
}
