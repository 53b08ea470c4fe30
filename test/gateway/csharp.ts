/**
 * A minimal reader of C# regular string literals in policy expressions: enough to prove that an
 * interpolated value stayed inside its literal (the code outside literals is unchanged by hostile input).
 */
export interface CsharpSplit {
  /** Decoded contents of every `"..."` literal, in order. */
  readonly literals: string[];
  /** The code with every literal replaced by `""`. */
  readonly code: string;
}

export function splitCsharp(source: string): CsharpSplit {
  const literals: string[] = [];
  let code = "";
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === "'") {
      const end = source.indexOf("'", i + (source[i + 1] === "\\" ? 3 : 2));
      code += source.slice(i, end + 1);
      i = end + 1;
    } else if (ch === '"') {
      const [literal, next] = readLiteral(source, i + 1);
      literals.push(literal);
      code += '""';
      i = next;
    } else {
      code += ch;
      i += 1;
    }
  }
  return { literals, code };
}

/** C#'s single-character escapes besides quotes and backslash (the C# language specification, 6.4.5.5). */
const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "0": "\0", b: "\b", f: "\f" };

function readLiteral(source: string, start: number): [string, number] {
  let out = "";
  let i = start;
  for (;;) {
    const ch = source[i];
    if (ch === undefined) throw new Error("unterminated C# string literal");
    if (ch === '"') return [out, i + 1];
    if (ch === "\n" || ch === "\r") throw new Error("newline inside a C# string literal");
    if (ch !== "\\") {
      out += ch;
      i += 1;
      continue;
    }
    const escape = source[i + 1];
    if (escape === "u") {
      out += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (escape === '"' || escape === "\\" || escape === "'") {
      out += escape;
      i += 2;
    } else if (escape !== undefined && escape in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[escape];
      i += 2;
    } else {
      throw new Error(`unexpected escape \\${escape} in C# literal`);
    }
  }
}
