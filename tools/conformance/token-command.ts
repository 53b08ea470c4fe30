import { execFile } from "node:child_process";
import { redact } from "./redact";

export class TokenCommandError extends Error {}

/**
 * Runs an operator-supplied command with `sh -c` (environment inherited) and returns its trimmed
 * standard output: the access token. The output is never echoed; errors carry the exit status and
 * a redacted first line of standard error only.
 */
export function runTokenCommand(flag: string, command: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", command],
      { env: process.env, timeout: timeoutMs, maxBuffer: 1 << 20, encoding: "utf8" },
      (error, stdout, stderr) => {
        const token = stdout.trim();
        if (error) {
          const firstLine = redact(stderr.trim().split("\n")[0] ?? "", token ? [token] : []).slice(0, 200);
          const why = error.killed ? `timed out after ${timeoutMs} ms` : `exited with ${String(error.code)}`;
          reject(new TokenCommandError(`${flag} ${why}${firstLine ? `: ${firstLine}` : ""}`));
        } else if (token.length === 0) {
          reject(new TokenCommandError(`${flag} printed nothing`));
        } else if (/\s/.test(token)) {
          reject(
            new TokenCommandError(`${flag} printed more than one word; it must print only the access token`),
          );
        } else {
          resolve(token);
        }
      },
    );
  });
}
