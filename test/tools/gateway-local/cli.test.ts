import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { main as conformanceLocalMain } from "../../../tools/conformance/local-cli";
import { main as gatewayMain, parseGatewayArgs } from "../../../tools/gateway-local/cli";
import { main as mutationsMain } from "../../../tools/gateway-local/mutations-cli";
import { type GatewayState, stateFile } from "../../../tools/gateway-local/state";
import { parseSwitches, UsageError } from "../../../tools/gateway-local/switches";
import { tokenRequest } from "../../../tools/gateway-local/token-cli";
import { REPO_ROOT } from "../../support/plans";
import { TS_NODE_ARGS } from "../../../tools/build/node-ts";

const STATE: GatewayState = {
  stack: "dev",
  pid: 1,
  url: "http://127.0.0.1:40000",
  issuer: "http://127.0.0.1:40001",
  scopeValue: "user_impersonation",
  servers: [
    {
      name: "docs",
      url: "http://127.0.0.1:40000/docs/mcp",
      resource: "https://mcp.dev.contoso.com/docs/mcp",
      clientId: "aebc6443-996d-45c2-90f0-388ff96faa56",
      tools: [{ name: "search_docs", roles: ["MCP.Tools.Read"] }],
    },
  ],
};

describe("argument handling (exit 2 on bad usage)", () => {
  test("gateway:local: stack, port and switches are validated with the allowed values named", async () => {
    expect(() => parseGatewayArgs([])).toThrow(/--stack is required/);
    expect(() => parseGatewayArgs(["--stack", "dev", "--port", "70000"])).toThrow(
      /--port 70000: must be an integer from 1 to 65535/,
    );
    expect(() => parseGatewayArgs(["--stack", "../x"])).toThrow(UsageError);
    expect(parseGatewayArgs(["--stack", "dev", "--port", "8080"])).toEqual({
      stack: "dev",
      port: 8080,
      switchFlags: [],
    });
    let stderr = "";
    const code = await gatewayMain(["--stack", "dev", "--switch", "colour=red"], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /--switch colour: unknown switch; the runtime has cacheVisibilityDelayMs, cacheEmptiedBetweenRequests, tokenValidationErrorSource/,
    );
  });

  test("switches parse to the contract's types", () => {
    expect(
      parseSwitches([
        "cacheVisibilityDelayMs=250",
        "cacheEmptiedBetweenRequests=true",
        "tokenValidationErrorSource=",
      ]),
    ).toEqual({
      cacheVisibilityDelayMs: 250,
      cacheEmptiedBetweenRequests: true,
      tokenValidationErrorSource: "",
    });
    expect(() => parseSwitches(["cacheEmptiedBetweenRequests=yes"])).toThrow(/must be true or false/);
    expect(() => parseSwitches(["tokenValidationErrorSource=jwt"])).toThrow(/must be one of/);
    expect(() => parseSwitches(["cacheVisibilityDelayMs"])).toThrow(/expected <name>=<value>/);
  });

  test("gateway:token: a request for the running gateway's server, or a clear error", () => {
    const argv = [
      "--stack",
      "dev",
      "--server",
      "docs",
      "--user",
      "alice",
      "--roles",
      "MCP.Tools.Read,Docs.Write",
    ];
    expect(tokenRequest(argv, () => STATE)).toEqual({
      issuer: STATE.issuer,
      user: "alice",
      roles: ["MCP.Tools.Read", "Docs.Write"],
      audience: "https://mcp.dev.contoso.com/docs/mcp",
      clientId: "aebc6443-996d-45c2-90f0-388ff96faa56",
      scope: "user_impersonation",
      expired: false,
    });
    expect(
      tokenRequest([...argv, "--expired", "--scope", "", "--audience", "api://x"], () => STATE),
    ).toMatchObject({
      expired: true,
      audience: "api://x",
    });
    expect(tokenRequest([...argv, "--scope", ""], () => STATE)).not.toHaveProperty("scope");
    expect(() => tokenRequest(argv, () => undefined)).toThrow(
      /no local gateway runs for stack dev: start npm run gateway:local -- --stack dev/,
    );
    expect(() =>
      tokenRequest(["--stack", "dev", "--server", "wiki", "--user", "a", "--roles", ""], () => STATE),
    ).toThrow(/--server wiki: stack dev has docs/);
    expect(() => tokenRequest(["--stack", "dev", "--server", "docs", "--user", "a"], () => STATE)).toThrow(
      /--roles is required/,
    );
    expect(() =>
      tokenRequest(["--stack", "dev", "--server", "docs", "--user", "a b", "--roles", ""], () => STATE),
    ).toThrow(/--user/);
  });

  test("conformance:local and conformance:mutations refuse bad flags with 2", async () => {
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = () => true;
    try {
      expect(await conformanceLocalMain(["--switch", "nope=1"])).toBe(2);
      expect(await conformanceLocalMain(["--stacks", "dev"])).toBe(2);
      expect(await mutationsMain(["--only", "no-such-mutation"])).toBe(2);
      expect(await mutationsMain(["--stack", "a/b"])).toBe(2);
      // A stack without a stack file is bad usage too, reported before any plan is built.
      expect(await conformanceLocalMain(["--stack", "no-such-stack"])).toBe(2);
      expect(await mutationsMain(["--stack", "no-such-stack"])).toBe(2);
      let stderr = "";
      const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t) };
      expect(await gatewayMain(["--stack", "no-such-stack"], io)).toBe(2);
      expect(stderr).toMatch(/--stack no-such-stack: no stack file .*Pulumi\.no-such-stack\.yaml/);
    } finally {
      process.stderr.write = write;
    }
  });
});

describe("npm run gateway:local", () => {
  test("serves, prints the URLs and the token command, and stops everything on SIGINT", async () => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, "tools/gateway-local/cli.ts", "--stack", "dev"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes("Ctrl-C stops everything")) resolve();
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const url = /MCP server docs: (http:\/\/127\.0\.0\.1:\d+)\/docs\/mcp/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    expect(stdout).toContain(
      "npm run gateway:token -- --stack dev --server docs --user alice --roles MCP.Tools.Read",
    );
    expect(stdout).toMatch(
      /metadata: http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/docs\/mcp/,
    );
    expect(existsSync(stateFile("dev"))).toBe(true);
    const meta = await fetch(`${url}/.well-known/oauth-protected-resource/docs/mcp`);
    expect(meta.status).toBe(200);
    expect((await fetch(`${url}/docs/mcp`, { method: "POST", body: "{}" })).status).toBeGreaterThanOrEqual(
      400,
    );
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(existsSync(stateFile("dev"))).toBe(false);
    await expect(fetch(`${url}/.well-known/oauth-protected-resource/docs/mcp`)).rejects.toThrow();
  }, 120_000);
});
