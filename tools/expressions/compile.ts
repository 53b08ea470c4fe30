/**
 * Compiles policy expressions with a real C# compiler (Mono's `mcs`) against the reviewed stub of API
 * Management's object model (`stub/ApiManagement.Model.cs` + `stub/ApiManagement.cs`), then checks what they reference against the
 * reference's allow-list (`syntax-check.ts` before compiling, `il-check.ts` on the compiled IL).
 *
 * One C# file holds one class per expression:
 *
 *     internal static class E0017 {
 *         internal static bool Evaluate(IProxyContext context) { return (
 *     #line 1 "expr-0017"
 *     <the expression's code>
 *     #line default
 *         ); }
 *     }
 *
 * (a statement block becomes the method body), so `mcs` reports errors as `expr-0017(line,col)`, which
 * map back to an offset in the expression. All expressions go through one `mcs` run; only when some fail
 * is `mcs` run again without them, so that one bad expression (a syntax error stops `mcs` before type
 * checking) does not hide the errors, or the allow-list violations, of the others.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { IMPLICIT_NAMESPACES } from "./allowed-types";
import { CODE_OFFSET, type ExpressionKind } from "./extract";
import { checkAssembly, GENERATED_NAMESPACE, type IlViolation } from "./il-check";
import { ScanError, tokenize } from "./scan";
import { checkSyntax } from "./syntax-check";

export const STUB_FILE = path.join(__dirname, "stub", "ApiManagement.cs");
/** The interfaces of the object model, shared with the local gateway runtime (tools/gateway-local/). */
export const MODEL_FILE = path.join(__dirname, "stub", "ApiManagement.Model.cs");
/** Everything the expressions compile against, besides the framework assemblies. */
export const STUB_FILES: readonly string[] = [MODEL_FILE, STUB_FILE];
export const INSTALL_HINT = "apt-get install -y mono-mcs";

/** What the policy attribute expects: `condition` is a bool, a cache or counter key a string. */
export type ExpectedType = "bool" | "string" | "object";

export interface CompileUnit {
  readonly kind: ExpressionKind;
  /** The C# between the delimiters. */
  readonly code: string;
  readonly expected: ExpectedType;
}

export type DiagnosticSource = "compiler" | "allow-list" | "syntax";

export interface UnitDiagnostic {
  /** Index of the unit in the input array. */
  readonly unit: number;
  readonly source: DiagnosticSource;
  /** `CS1061` for compiler errors, `APIM-ALLOWED-TYPES` or `APIM-SYNTAX` for the checker's own. */
  readonly code: string;
  readonly message: string;
  /** Offset in the expression's text (`@(` included), for positions in the policy document. */
  readonly textOffset: number;
}

export interface CompileResult {
  readonly diagnostics: readonly UnitDiagnostic[];
  /** Errors no expression can be blamed for (the stub, the compiler itself). */
  readonly internalErrors: readonly string[];
  readonly compilerRuns: number;
}

export interface CompileOptions {
  /** The `mcs` executable. */
  readonly compiler: string;
  /** Keep the generated C# and DLL in this directory (for debugging) instead of a temporary one. */
  readonly keepDir?: string;
}

/** `mcs` from `MCPGW_MCS` or the PATH, or undefined when it is not installed. */
export function findCompiler(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env["MCPGW_MCS"];
  if (configured !== undefined && configured !== "") return existsSync(configured) ? configured : undefined;
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, "mcs");
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** In CI (or with MCPGW_REQUIRE_MCS=1) a missing compiler is a failure, not a skip. */
export function compilerRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env["CI"] === "true" || env["MCPGW_REQUIRE_MCS"] === "1";
}

const MAX_COMPILER_RUNS = 4;
const MCS_LINE = /^(.*?)\((\d+),(\d+)\): (error|warning) (CS\d+): (.*)$/;
const UNIT_FILE = /^expr-(\d+)$/;

export function unitClassName(unit: number): string {
  return `E${String(unit + 1).padStart(4, "0")}`;
}

function unitFileName(unit: number): string {
  return `expr-${String(unit + 1).padStart(4, "0")}`;
}

/** The emitted text of a unit on its `#line 1` line(s): the block keeps its braces, an expression is bare. */
function emitted(unit: CompileUnit): { text: string; textOffsetOfFirst: number } {
  return unit.kind === "block"
    ? { text: `{${unit.code}}`, textOffsetOfFirst: CODE_OFFSET - 1 }
    : { text: unit.code, textOffsetOfFirst: CODE_OFFSET };
}

export interface GeneratedSource {
  readonly source: string;
  /** Generated-file line (1-based) -> unit, for errors outside the `#line` regions. */
  readonly unitOfLine: ReadonlyMap<number, number>;
}

export function generateSource(units: readonly CompileUnit[], included: readonly number[]): GeneratedSource {
  const lines: string[] = [
    "// Generated by tools/expressions/compile.ts: one class per API Management policy expression.",
    ...IMPLICIT_NAMESPACES.map((ns) => `using ${ns};`),
    "using Apim.PolicyExpressions;",
    "",
    `namespace ${GENERATED_NAMESPACE}`,
    "{",
  ];
  const unitOfLine = new Map<number, number>();
  for (const index of included) {
    const unit = units[index];
    if (unit === undefined) continue;
    const first = lines.length + 1;
    const body = emitted(unit).text.split("\n");
    lines.push(`    internal static class ${unitClassName(index)}`, "    {");
    if (unit.kind === "block") {
      lines.push(
        `        internal static ${unit.expected} Evaluate(IProxyContext context)`,
        `#line 1 "${unitFileName(index)}"`,
        ...body,
        "#line default",
      );
    } else {
      lines.push(
        `        internal static ${unit.expected} Evaluate(IProxyContext context) { return (`,
        `#line 1 "${unitFileName(index)}"`,
        ...body,
        "#line default",
        "        ); }",
      );
    }
    lines.push("    }");
    for (let line = first; line <= lines.length; line += 1) unitOfLine.set(line, index);
  }
  lines.push("}", "");
  return { source: lines.join("\n"), unitOfLine };
}

/** Text offset of a (line, column) reported inside a unit's `#line` region. */
function textOffsetAt(unit: CompileUnit, line: number, column: number): number {
  const { text, textOffsetOfFirst } = emitted(unit);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === "\n") lineStarts.push(i + 1);
  const start = lineStarts[Math.min(line, lineStarts.length) - 1] ?? 0;
  const offset = Math.min(start + Math.max(column - 1, 0), text.length);
  return offset + textOffsetOfFirst;
}

interface CompilerRun {
  readonly errors: { file: string; line: number; column: number; code: string; message: string }[];
  readonly unlocated: string[];
  readonly dll?: Uint8Array;
}

function runCompiler(compiler: string, dir: string, source: string): CompilerRun {
  const sourceFile = path.join(dir, "expressions.cs");
  const dllFile = path.join(dir, "expressions.dll");
  rmSync(dllFile, { force: true });
  writeFileSync(sourceFile, source);
  const result = spawnSync(
    compiler,
    [
      "-noconfig",
      "-nologo",
      "-target:library",
      "-langversion:7",
      "-warn:0",
      "-r:System.dll",
      "-r:System.Core.dll",
      `-out:${dllFile}`,
      ...STUB_FILES,
      sourceFile,
    ],
    { encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error) throw new Error(`could not run ${compiler}: ${result.error.message}`);
  const errors: CompilerRun["errors"] = [];
  const unlocated: string[] = [];
  for (const line of `${result.stdout}\n${result.stderr}`.split("\n")) {
    const match = MCS_LINE.exec(line.trim());
    if (match) {
      if (match[4] === "error") {
        errors.push({
          file: match[1] ?? "",
          line: Number(match[2]),
          column: Number(match[3]),
          code: match[5] ?? "",
          message: match[6] ?? "",
        });
      }
    } else if (/\berror CS\d+/.test(line)) unlocated.push(line.trim());
  }
  const ok = result.status === 0 && errors.length === 0 && unlocated.length === 0 && existsSync(dllFile);
  if (!ok && errors.length === 0 && unlocated.length === 0) {
    unlocated.push(
      `${compiler} exited with ${result.status}: ${(result.stdout + result.stderr).trim().slice(0, 2000)}`,
    );
  }
  return { errors, unlocated, ...(ok ? { dll: new Uint8Array(readFileSync(dllFile)) } : {}) };
}

/** First identifier of the code equal to one of the terms (in their order of preference), outside literals. */
function offsetOf(code: string, terms: readonly string[]): number {
  let tokens;
  try {
    tokens = tokenize(code).filter((token) => token.kind === "identifier");
  } catch (error) {
    if (error instanceof ScanError) return 0;
    throw error;
  }
  for (const term of terms) {
    const token = tokens.find((t) => t.text === term);
    if (token !== undefined) return token.start;
  }
  return 0;
}

export function compileExpressions(units: readonly CompileUnit[], options: CompileOptions): CompileResult {
  const diagnostics: UnitDiagnostic[] = [];
  const internalErrors: string[] = [];
  const syntaxTypes = new Map<number, Set<string>>();
  let included: number[] = [];

  units.forEach((unit, index) => {
    const findings = checkSyntax(unit.code);
    let compilable = true;
    for (const finding of findings) {
      const allowList = finding.typeName !== undefined;
      if (!allowList) compilable = false;
      if (finding.typeName !== undefined) {
        const set = syntaxTypes.get(index) ?? new Set<string>();
        set.add(finding.typeName);
        syntaxTypes.set(index, set);
      }
      diagnostics.push({
        unit: index,
        source: allowList ? "allow-list" : "syntax",
        code: allowList ? "APIM-ALLOWED-TYPES" : "APIM-SYNTAX",
        message: finding.message,
        textOffset: finding.offset + CODE_OFFSET,
      });
    }
    if (compilable) included.push(index);
  });

  const dir = options.keepDir ?? mkdtempSync(path.join(os.tmpdir(), "mcpgw-expressions-"));
  let runs = 0;
  try {
    while (included.length > 0 && runs < MAX_COMPILER_RUNS) {
      runs += 1;
      const generated = generateSource(units, included);
      const run = runCompiler(options.compiler, dir, generated.source);
      internalErrors.push(...run.unlocated);
      const failed = new Set<number>();
      for (const error of run.errors) {
        const located = locate(error, units, generated);
        if (located === undefined) {
          internalErrors.push(
            `${error.file}(${error.line},${error.column}): error ${error.code}: ${error.message}`,
          );
          continue;
        }
        failed.add(located.unit);
        diagnostics.push({ ...located, source: "compiler", code: error.code, message: error.message });
      }
      if (run.dll !== undefined) {
        diagnostics.push(...ilDiagnostics(checkAssembly(run.dll), units, syntaxTypes));
        break;
      }
      if (failed.size === 0) break;
      included = included.filter((index) => !failed.has(index));
    }
  } finally {
    if (options.keepDir === undefined) rmSync(dir, { recursive: true, force: true });
  }
  return { diagnostics: dedupe(diagnostics), internalErrors, compilerRuns: runs };
}

function locate(
  error: CompilerRun["errors"][number],
  units: readonly CompileUnit[],
  generated: GeneratedSource,
): { unit: number; textOffset: number } | undefined {
  const named = UNIT_FILE.exec(path.basename(error.file));
  if (named) {
    const index = Number(named[1]) - 1;
    const unit = units[index];
    return unit === undefined
      ? undefined
      : { unit: index, textOffset: textOffsetAt(unit, error.line, error.column) };
  }
  if (path.basename(error.file) === "expressions.cs") {
    const index = generated.unitOfLine.get(error.line);
    // Outside the #line region (e.g. "not all code paths return a value"): point at the expression.
    return index === undefined ? undefined : { unit: index, textOffset: 0 };
  }
  return undefined;
}

function ilDiagnostics(
  violations: readonly IlViolation[],
  units: readonly CompileUnit[],
  syntaxTypes: ReadonlyMap<number, ReadonlySet<string>>,
): UnitDiagnostic[] {
  return violations
    .filter((violation) => {
      // The syntax check already named this type, or its namespace (`System.Threading` for Thread).
      const named = [...(syntaxTypes.get(violation.unit) ?? [])];
      return !named.some((name) => violation.typeName === name || violation.typeName.startsWith(`${name}.`));
    })
    .map((violation) => ({
      unit: violation.unit,
      source: "allow-list" as const,
      code: "APIM-ALLOWED-TYPES",
      message: violation.message,
      textOffset: offsetOf(units[violation.unit]?.code ?? "", violation.searchTerms) + CODE_OFFSET,
    }));
}

function dedupe(diagnostics: readonly UnitDiagnostic[]): UnitDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.unit}\u0000${d.code}\u0000${d.textOffset}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
