import { parseArgs } from "node:util";
import { parseFlags, readCommandLine, STACK_NAME, UsageError } from "../../../tools/cli/args";

const FLAGS = {
  stack: { type: "string" },
  plan: { type: "string", multiple: true },
  quiet: { type: "boolean", default: false },
} as const;

describe("the shared CLI argument helper", () => {
  test("parses declared flags with their defaults", () => {
    expect(parseFlags(["--stack", "dev", "--plan", "a.json", "--plan", "b.json"], FLAGS)).toEqual({
      stack: "dev",
      plan: ["a.json", "b.json"],
      quiet: false,
    });
  });

  test("an unknown flag or a positional is a UsageError carrying Node's message", () => {
    expect(() => parseFlags(["--stak", "dev"], FLAGS)).toThrow(UsageError);
    expect(() => parseFlags(["--stak", "dev"], FLAGS)).toThrow(/Unknown option '--stak'/);
    expect(() => parseFlags(["dev"], FLAGS)).toThrow(/Unexpected argument 'dev'/);
    expect(() => parseFlags(["--stack"], FLAGS)).toThrow(/--stack <value>' argument missing/);
  });

  test("readCommandLine answers a bad command line with the error and the usage line", () => {
    // Exactly what each CLI printed before the helper: Node's own message, then the usage line.
    let nodeMessage = "";
    try {
      parseArgs({ args: ["--nope"], options: FLAGS, strict: true, allowPositionals: false });
    } catch (error) {
      nodeMessage = (error as Error).message;
    }
    expect(nodeMessage).toContain("--nope");
    const bad = readCommandLine(["--nope"], FLAGS, "usage: x --stack <name>");
    expect(bad).toEqual({ ok: false, message: `${nodeMessage}\nusage: x --stack <name>` });
    const good = readCommandLine(["--quiet"], FLAGS, "usage");
    expect(good).toEqual({ ok: true, values: { quiet: true } });
  });

  test("stack names: what a Pulumi stack file name may hold", () => {
    expect(["dev", "prod-eu.2", "a_b"].every((name) => STACK_NAME.test(name))).toBe(true);
    expect(["", "../x", "a b", "dev;rm"].some((name) => STACK_NAME.test(name))).toBe(false);
  });
});
