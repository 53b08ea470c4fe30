/**
 * `npm run check:cli-fidelity -- [--root <dir>] [--program <project>/<stack>]... [--no-pack]`
 *
 * Loads every Pulumi project of the repository (or of `--root`) as the Pulumi CLI does and prints one
 * line per run (fidelity.ts). Exit codes: 0 every project loads, 1 a project fails to load (the
 * compiler's or the program's message is printed), 2 bad usage.
 */
import * as path from "node:path";
import { readCommandLine } from "../cli/args";
import { checkCliFidelity, formatFidelityReport } from "./fidelity";

const USAGE =
  "usage: npm run check:cli-fidelity -- [--root <dir>] [--program <project>/<stack>]... [--no-pack]";

async function main(argv: readonly string[]): Promise<number> {
  const commandLine = readCommandLine(
    argv,
    {
      root: { type: "string" },
      program: { type: "string", multiple: true },
      "no-pack": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (!commandLine.ok) {
    console.error(commandLine.message);
    return 2;
  }
  const values = commandLine.values;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let report;
  try {
    report = await checkCliFidelity(path.resolve(values.root ?? path.join(__dirname, "..", "..")), {
      pack: !values["no-pack"],
      ...(values.program ? { programs: values.program } : {}),
    });
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  console.log(formatFidelityReport(report));
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
