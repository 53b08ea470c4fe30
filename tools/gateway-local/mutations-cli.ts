/**
 * `npm run conformance:mutations [-- --stack <name>] [--only <mutation>[,...]]`: runs the conformance suite
 * against the local gateway once per named mutation of the stack's rendered policy and prints
 * `killed / total` with every survivor named. Exit 0 when every mutation is killed, 1 when one survives,
 * 2 on bad usage or config.
 */
import { parseFlags } from "../cli/args";
import { ConfigValidationError } from "../../infra/config";
import { runMutations } from "./mutation-run";
import { StackConfigError } from "./local";
import { MUTATIONS } from "./mutations";
import { PlanConfigError } from "./plan-config";
import { checkStack, UsageError } from "./switches";

export const USAGE = `Usage: npm run conformance:mutations -- [--stack <name>] [--only <mutation>[,<mutation>...]] [--list]
Runs the conformance suite against the local gateway once per mutation of the policy (default stack: dev).
`;

export async function main(argv: readonly string[]): Promise<number> {
  let stack: string;
  let only: string[] | undefined;
  try {
    const values = parseFlags(argv, {
      stack: { type: "string" },
      only: { type: "string" },
      list: { type: "boolean" },
      help: { type: "boolean" },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (values.list) {
      for (const m of MUTATIONS)
        process.stdout.write(`${m.name.padEnd(38)} ${m.killedBy.join(", ")}: ${m.description}\n`);
      return 0;
    }
    stack = checkStack(values.stack ?? "dev");
    only = values.only?.split(",").map((s) => s.trim());
    for (const name of only ?? []) {
      if (!MUTATIONS.some((m) => m.name === name))
        throw new UsageError(`--only: no mutation ${JSON.stringify(name)} (see --list)`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  let results;
  try {
    results = await runMutations({
      stack,
      mutations: only === undefined ? MUTATIONS : MUTATIONS.filter((m) => only.includes(m.name)),
      onResult: (r) =>
        process.stdout.write(
          `${r.killed ? "KILLED  " : "SURVIVED"} ${r.name.padEnd(38)} ${r.detail.slice(0, 200)}\n`,
        ),
    });
  } catch (error) {
    if (
      error instanceof ConfigValidationError ||
      error instanceof PlanConfigError ||
      error instanceof StackConfigError
    ) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const survivors = results.filter((r) => !r.killed);
  process.stdout.write(
    `\n${stack}: ${results.length - survivors.length} / ${results.length} mutations killed in ${((performance.now() - started) / 1000).toFixed(1)} s` +
      (survivors.length ? `; survivors: ${survivors.map((r) => r.name).join(", ")}\n` : "\n"),
  );
  return survivors.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
