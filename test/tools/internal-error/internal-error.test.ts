/**
 * Issue 21, no source dumps: whatever fails, a CLI prints one line with the source position of our code
 * (the .ts file and line, also when source maps are off and the stack holds tsx's transpiled positions)
 * and how to report it, exits 3, and never prints a stack trace or transpiled source.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CLI_ENTRIES } from "../../../tools/internal-error/guard";
import { firstOwnFrame, REPORT_HOWTO } from "../../../tools/internal-error/report";
import { REPO_ROOT } from "../../support/plans";
import { TS_NODE_ARGS } from "../../../tools/build/node-ts";

const FIXTURE = "test/tools/internal-error/fixtures/throwing-cli.ts";
const HELPER = "test/tools/internal-error/fixtures/helper.ts";
const THROW_LINE =
  readFileSync(path.join(REPO_ROOT, HELPER), "utf8")
    .split("\n")
    .findIndex((line) => line.includes("FIXTURE-THROW")) + 1;

function run(mode: string) {
  return spawnSync(process.execPath, [...TS_NODE_ARGS, FIXTURE, mode], { cwd: REPO_ROOT, encoding: "utf8" });
}

function expectOneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  expect(line).not.toMatch(/\s+at \S+ \(/); // no stack frame
  expect(line).not.toMatch(/__defProp|"use strict"|=>/); // no transpiled source
  expect(line).toContain(REPORT_HOWTO);
  return line;
}

describe("a CLI whose own code fails", () => {
  it.each([
    ["throw", "count 5 exceeds 3"],
    ["maps-off", "count 5 exceeds 3"],
    ["uncaught", "count 6 exceeds 3"],
    ["rejection", "count 7 exceeds 3"],
  ])("%s: exit 3 and one line naming the source line", (mode, message) => {
    const result = run(mode);
    expect(result.status).toBe(3);
    expect(result.stdout).toBe("");
    const line = expectOneLine(result.stderr);
    expect(line).toContain(
      `throwing-cli: internal error (exit 3) at ${HELPER}:${THROW_LINE}: RangeError: ${message}`,
    );
  });

  it("program: a program that throws under the mock runtime is reported the same way", () => {
    const result = run("program");
    expect(result.status).toBe(3);
    const line = expectOneLine(result.stderr);
    expect(line).toContain(
      `the program failed while declaring resources at ${HELPER}:${THROW_LINE}: RangeError: count 8`,
    );
  });
});

describe("a CLI given an unknown option", () => {
  it("exits 2 with the parser's message, not as an internal error", () => {
    const result = run("bad-option");
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe("throwing-cli: Unknown option '--bogus'");
  });
});

describe("firstOwnFrame", () => {
  const root = "/repo";
  it("skips Node internals and node_modules and finds our frame", () => {
    const stack = [
      "RangeError: x",
      "    at new URL (node:internal/url:806:29)",
      "    at check (/repo/node_modules/zod/v4/core/schemas.cjs:94:35)",
      "    at edgeCapacity (/repo/infra/edge/settings.ts:2:2272)",
      "    at /repo/infra/index.ts:2:7049",
    ].join("\n");
    expect(firstOwnFrame(stack, root)).toEqual({
      file: "/repo/infra/edge/settings.ts",
      line: 2,
      column: 2272,
    });
  });
  it("finds anonymous frames and file URLs, and nothing outside the repository", () => {
    expect(firstOwnFrame("E\n    at file:///repo/tools/x.ts:3:4", root)).toEqual({
      file: "/repo/tools/x.ts",
      line: 3,
      column: 4,
    });
    expect(firstOwnFrame("E\n    at f (/elsewhere/x.ts:3:4)", root)).toBeUndefined();
  });
});

describe("every shipped CLI", () => {
  it.each(CLI_ENTRIES)("%s installs the guard first and never prints a stack", (entry) => {
    const source = readFileSync(path.join(REPO_ROOT, entry), "utf8");
    const firstImport = source.split("\n").find((line) => line.startsWith("import "));
    expect(firstImport).toMatch(/^import \{ runMain \} from "(\.\.\/)+(tools\/)?internal-error\/guard";$/);
    expect(source).toMatch(/runMain\("[a-z:]+", /);
    // Printing a caught error's stack is what dumped the bundled source before (issue 21).
    expect(source).not.toMatch(/\b(error|err|e|reason|failure)\.stack\b/);
  });
});
