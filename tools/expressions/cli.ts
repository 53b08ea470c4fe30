/**
 * `npm run check:expressions [-- --stack <name> ...] [--plan <file> ...] [--no-renderer] [--keep <dir>]`
 *
 * Compiles every API Management policy expression of every stack (GitHub issue 10): builds each stack's
 * plan with the offline preview (or reads `--plan` files, e.g. a real `pulumi preview --json`), takes
 * every policy document and fragment from it, adds the renderer's own variants, and compiles all
 * expressions in one `mcs` run against the reviewed stub of API Management's object model.
 *
 * Exit codes: 0 every expression compiles (or `mcs` is missing outside CI: reported as SKIPPED),
 * 1 an expression failed (or `mcs` is missing with CI=true / MCPGW_REQUIRE_MCS=1),
 * 2 bad usage, a plan that could not be built or read, or an error in the checker itself.
 */
// First import: installs the internal-error handlers before anything else can fail (tools/internal-error).
import { runMain } from "../internal-error/guard";
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { readCommandLine, UsageError } from "../cli/args";
import { checkDocuments, formatFinding } from "./check";
import { compilerRequired, findCompiler, INSTALL_HINT } from "./compile";
import {
  planPolicyDocuments,
  type PolicyDocument,
  RENDERER_STACK,
  rendererDocuments,
  type SkippedDocument,
} from "./documents";
import { indexSources } from "./sources";
import { plansFor, type StackPlan } from "../offline/stack-plans";

export const EXIT = { clean: 0, failed: 1, usage: 2 } as const;

const ROOT = path.resolve(__dirname, "..", "..");
const POLICY_DIR = path.join(ROOT, "infra", "gateway", "policy");
const USAGE =
  "usage: npm run check:expressions [-- --stack <name> ...] [--plan [<stack>=]<file> ...] [--no-renderer] [--keep <dir>]";

async function main(argv: string[]): Promise<number> {
  const commandLine = readCommandLine(
    argv,
    {
      stack: { type: "string", multiple: true },
      plan: { type: "string", multiple: true },
      "no-renderer": { type: "boolean", default: false },
      keep: { type: "string" },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (!commandLine.ok) {
    console.error(commandLine.message);
    return EXIT.usage;
  }
  const options = commandLine.values;
  if (options.help) {
    console.log(USAGE);
    return EXIT.clean;
  }

  const compiler = findCompiler();
  if (compiler === undefined) {
    const required = compilerRequired();
    console.log(
      `SKIPPED: the policy expression check needs a C# compiler (mcs); install it with: ${INSTALL_HINT}`,
    );
    if (required)
      console.error("CI=true or MCPGW_REQUIRE_MCS=1: a skipped expression check fails the build.");
    return required ? EXIT.failed : EXIT.clean;
  }

  const started = Date.now();
  let plans: StackPlan[];
  try {
    plans = await plansFor(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return EXIT.usage;
  }

  const documents: PolicyDocument[] = [];
  const skipped: SkippedDocument[] = [];
  const failedPlans: string[] = [];
  const notes: string[] = [];
  for (const { stack, plan, error } of plans) {
    if (plan === undefined) {
      failedPlans.push(error ?? `no plan for ${stack}`);
      continue;
    }
    const found = planPolicyDocuments(stack, plan);
    documents.push(...found.documents);
    skipped.push(...found.skipped);
    if (found.documents.length === 0) {
      notes.push(
        found.hasApiManagement
          ? `${stack}: the plan declares API Management but no policy document was found`
          : `${stack}: no API Management policy in the plan (the gateway is not part of this stack's program yet)`,
      );
    }
  }
  if (!options["no-renderer"]) documents.push(...rendererDocuments());

  const keepDir = options.keep === undefined ? undefined : path.resolve(options.keep);
  if (keepDir !== undefined) mkdirSync(keepDir, { recursive: true });
  const report = checkDocuments(documents, {
    compiler,
    sources: indexSources(POLICY_DIR, ROOT),
    ...(keepDir === undefined ? {} : { keepDir }),
  });

  for (const finding of report.findings) console.log(`${formatFinding(finding)}\n`);
  for (const error of report.internalErrors) console.error(`checker error (not an expression): ${error}`);
  for (const failure of failedPlans) console.error(failure);
  for (const skip of skipped) console.log(`not checked: ${skip.stack} ${skip.resource}: ${skip.reason}`);
  for (const note of notes) console.log(`note: ${note}`);

  const perStack = [...report.perStack.entries()]
    .map(([stack, count]) => `${stack} ${count.expressions} in ${count.documents} document(s)`)
    .join(", ");
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `Policy expressions: ${report.expressions} (${report.uniqueExpressions} distinct) compiled with ${path.basename(compiler)} ` +
      `in ${report.compilerRuns} run(s), ${seconds}s [${perStack || "no documents"}]: ${report.findings.length} error(s).`,
  );
  if (!options["no-renderer"] && !report.perStack.has(RENDERER_STACK))
    console.log("note: the renderer produced no documents");

  if (report.internalErrors.length > 0 || failedPlans.length > 0) return EXIT.usage;
  return report.findings.length > 0 ? EXIT.failed : EXIT.clean;
}

runMain("check:expressions", () => main(process.argv.slice(2)));
