/**
 * What docs/delivery.md and the README's deploy checklist promise about the workflows (issue 17): which
 * events start what, which GitHub environment each job runs in, that required checks always report, that
 * the approver of a gated `up` sees its preview, and that credentials outlive the job.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { readerEnvironment } from "../../infra/bootstrap/readers";
import { REPO_ROOT } from "../support/plans";

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}
interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly steps?: Step[];
  readonly "timeout-minutes"?: number;
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");
const FILES = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));
const load = (file: string): Workflow =>
  parseYaml(readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
const workflows = Object.fromEntries(FILES.map((file) => [file, load(file)]));
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : [job.needs].flat());
const pulumiStep = (job: Job): Step | undefined =>
  (job.steps ?? []).find((s) => (s.uses ?? "").startsWith("pulumi/actions@") && s.with?.["command"]);
const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
const DEPLOY_ENVIRONMENTS = new Set<string>(ENVIRONMENTS);
const DELIVERY = readFileSync(path.join(REPO_ROOT, "docs", "delivery.md"), "utf8");
const README = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

describe("triggers: required checks always report", () => {
  test.each(FILES)("%s: no paths, paths-ignore or branches-ignore filter on pull_request or push", (file) => {
    for (const event of ["pull_request", "push"]) {
      const trigger = workflows[file]!.on[event] as Record<string, unknown> | null | undefined;
      if (!trigger) continue;
      expect({ file, event, filters: Object.keys(trigger).filter((k) => k !== "branches") }).toEqual({
        file,
        event,
        filters: [],
      });
    }
  });

  test("preview.yml: `Preview result` always runs after changes and previews and fails only on a failed preview", () => {
    const { jobs } = workflows["preview.yml"]!;
    const result = jobs["result"]!;
    expect(result.if).toBe("always()");
    expect(needsOf(result).sort()).toEqual(["changes", "preview"]);
    const verdict = (result.steps ?? []).map((s) => s.run ?? "").join("\n");
    expect(verdict).toContain('test "$CHANGES" = success');
    expect(verdict).toContain('test "$PREVIEW" = success || test "$PREVIEW" = skipped');
    expect(needsOf(jobs["preview"]!)).toEqual(["changes"]);
    expect(jobs["preview"]!.if).toContain("needs.changes.outputs.deployment == 'true'");
    // The documented check name is the one to require.
    expect(DELIVERY).toContain("`preview / Preview result`");
  });
});

describe("environments: pull requests never enter a deploy environment", () => {
  test.each(FILES)("%s: jobs of pull-request workflows use only <env>-readonly environments", (file) => {
    const { on, jobs } = workflows[file]!;
    for (const [id, job] of Object.entries(jobs)) {
      if (job.environment === undefined) continue;
      const concrete = ENVIRONMENTS.map((env) => job.environment!.replace("${{ matrix.environment }}", env));
      if ("pull_request" in on) {
        for (const name of concrete)
          expect({ id, name, deploy: DEPLOY_ENVIRONMENTS.has(name) }).toEqual({ id, name, deploy: false });
      }
    }
  });

  test("drift and previews run as the read-only identities (bootstrap ciReaders), ups as the deployers", () => {
    expect(workflows["drift.yml"]!.jobs["drift"]!.environment).toBe("${{ matrix.environment }}-readonly");
    expect(workflows["preview.yml"]!.jobs["preview"]!.environment).toBe("${{ matrix.environment }}-readonly");
    const deploy = workflows["deploy.yml"]!.jobs;
    for (const env of ["staging", "prod"]) {
      expect(deploy[`preview-${env}`]!.environment).toBe(readerEnvironment(env));
      expect(deploy[`deploy-${env}`]!.environment).toBe(env);
    }
    expect(deploy["deploy-dev"]!.environment).toBe("dev");
    // The documented GitHub settings name every environment the workflows use.
    for (const env of ENVIRONMENTS) {
      expect(DELIVERY).toContain(`\`${readerEnvironment(env)}\``);
      expect(DELIVERY).toContain(`\`${env}\``);
    }
  });

  test("deploy.yml runs only from main (push) or by hand", () => {
    expect(Object.keys(workflows["deploy.yml"]!.on).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(workflows["deploy.yml"]!.on["push"]).toEqual({ branches: ["main"] });
  });
});

describe("job graph: the approver sees the preview of what is applied", () => {
  const jobs = workflows["deploy.yml"]!.jobs;

  test.each(["staging", "prod"])(
    "%s: the gated up needs a preview of the same stack, written to the job summary",
    (env) => {
      const up = jobs[`deploy-${env}`]!;
      expect(pulumiStep(up)?.with).toMatchObject({ command: "up", "stack-name": env });
      const previews = needsOf(up).filter((id) => pulumiStep(jobs[id]!)?.with?.["command"] === "preview");
      expect(previews).toEqual([`preview-${env}`]);
      expect(pulumiStep(jobs[`preview-${env}`]!)?.with).toMatchObject({
        command: "preview",
        "stack-name": env,
        "comment-on-summary": true,
        diff: true,
      });
    },
  );

  test("prod waits for staging, its conformance and its own preview; nothing gated is skipped past", () => {
    expect(needsOf(jobs["deploy-prod"]!).sort()).toEqual([
      "conformance-staging",
      "deploy-staging",
      "preview-prod",
    ]);
    expect(needsOf(jobs["preview-prod"]!).sort()).toEqual(["conformance-staging", "deploy-staging"]);
    for (const job of Object.values(jobs)) expect(job.if).toBeUndefined();
  });
});

describe("credentials outlive the longest job", () => {
  const azureJobs = Object.entries(workflows).flatMap(([file, wf]) =>
    Object.entries(wf.jobs)
      .filter(([, job]) => job.permissions?.["id-token"] === "write")
      .map(([id, job]) => ({ file, id, job })),
  );

  test("every Azure job: providers on OIDC (self-renewing), the backend on the renewed token file, no CLI login", () => {
    expect(azureJobs.length).toBe(7); // preview, drift; deploy: 3 ups + 2 previews
    for (const { file, id, job } of azureJobs) {
      const where = `${file}#${id}`;
      expect({ where, env: job.env?.["ARM_USE_OIDC"] }).toEqual({ where, env: "true" });
      const all = job.steps ?? [];
      const token = all.findIndex((s) =>
        /^tools\/ci\/federated-token\.sh "\$RUNNER_TEMP\//.test(s.run ?? ""),
      );
      const firstPulumi = all.findIndex(
        (s) => (s.uses ?? "").startsWith("pulumi/actions@") || /\bpulumi /.test(s.run ?? ""),
      );
      expect({ where, tokenBeforePulumi: token >= 0 && token < firstPulumi }).toEqual({
        where,
        tokenBeforePulumi: true,
      });
      expect({
        where,
        azureLogin: all.some((s) => (s.uses ?? "").toLowerCase().startsWith("azure/login@")),
      }).toEqual({
        where,
        azureLogin: false,
      });
    }
    for (const file of FILES)
      expect(readFileSync(path.join(WORKFLOWS, file), "utf8")).not.toContain("AZURE_KEYVAULT_AUTH_VIA_CLI");
  });

  test("the longest job's timeout is documented and the renewal interval is well inside a GitHub token's life", () => {
    const longest = Math.max(...azureJobs.map(({ job }) => job["timeout-minutes"] ?? 360));
    expect(longest).toBe(180);
    expect(DELIVERY).toMatch(/180 minutes/);
    const script = readFileSync(path.join(REPO_ROOT, "tools", "ci", "federated-token.sh"), "utf8");
    expect(script).toMatch(/interval="\$\{2:-240\}"/);
  });
});

describe("one Pulumi CLI version: the @pulumi/pulumi release Dependabot bumps", () => {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };

  test("package.json pins @pulumi/pulumi exactly (the CLI release of the same number)", () => {
    expect(pkg.dependencies["@pulumi/pulumi"]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test.each(FILES)(
    "%s: every pulumi/actions step takes its version from the versions step, none is typed in",
    (file) => {
      const source = readFileSync(path.join(WORKFLOWS, file), "utf8");
      expect(source).not.toMatch(/PULUMI_VERSION|pulumi-version: ["']?\d/);
      for (const job of Object.values(workflows[file]!.jobs)) {
        for (const step of (job.steps ?? []).filter((s) => (s.uses ?? "").startsWith("pulumi/actions@"))) {
          expect(step.with?.["pulumi-version"]).toBe("${{ steps.versions.outputs.pulumi }}");
          const versions = (job.steps ?? []).find((s) => s.id === "versions");
          expect(versions?.run).toBe(
            `echo "pulumi=$(node -p "require('./package.json').dependencies['@pulumi/pulumi']")" >> "$GITHUB_OUTPUT"`,
          );
        }
      }
    },
  );

  test("Dependabot updates the root npm manifest, where @pulumi/pulumi lives", () => {
    const config = parseYaml(readFileSync(path.join(REPO_ROOT, ".github", "dependabot.yml"), "utf8")) as {
      updates: {
        "package-ecosystem": string;
        directory: string;
        groups?: Record<string, { patterns?: string[] }>;
      }[];
    };
    const npm = config.updates.find((u) => u["package-ecosystem"] === "npm");
    expect(npm?.directory).toBe("/");
    expect(npm?.groups?.["pulumi"]?.patterns).toContain("@pulumi/*");
  });
});

describe("SARIF categories", () => {
  test("the upload takes the category from the file (automationDetails.id), not an input it would ignore", () => {
    const job = workflows["pr.yml"]!.jobs["policy"]!;
    const upload = (job.steps ?? []).find((s) =>
      (s.uses ?? "").startsWith("github/codeql-action/upload-sarif@"),
    )!;
    expect(upload.with?.["category"]).toBeUndefined();
    expect((job.steps ?? []).map((s) => s.run ?? "").join("\n")).toContain(
      'npm run policy:check -- --stack "${{ matrix.stack }}" --sarif "policy-${{ matrix.stack }}.sarif"',
    );
  });
});

describe("README deploy checklist matches the workflows", () => {
  const section = README.slice(README.indexOf("## Deploy an environment"));
  const checklist = section.slice(0, section.indexOf("\n## ", 3));

  test("bootstrap before the first up before CI, with the read-only environments and the check to require", () => {
    const at = (needle: string): number => checklist.indexOf(needle);
    const bootstrap = at("npm run preview:bootstrap");
    const firstUp = at("pulumi up --stack dev --policy-pack policies --policy-pack-config");
    const ci = at("preview / Preview result");
    expect(bootstrap).toBeGreaterThan(-1);
    expect(firstUp).toBeGreaterThan(bootstrap);
    expect(ci).toBeGreaterThan(firstUp);
    // The first up uses the generated pack config, as CI does.
    expect(checklist).toContain("npm run policy:config -- --stack dev --out");
    expect(checklist).toContain("gatewayTlsPfx");
    for (const env of ENVIRONMENTS) expect(checklist).toContain(readerEnvironment(env));
    expect(checklist).toContain("Preview result");
    expect(checklist).toMatch(/docs\/costs\.md/);
  });
});

describe("tools/ci/federated-token.sh", () => {
  let server: Server;
  let url: string;
  let served = 0;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const ok =
        request.headers.authorization === "bearer request-token" &&
        (request.url ?? "").includes("audience=api://AzureADTokenExchange");
      served += ok ? 1 : 0;
      response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      response.end(ok ? JSON.stringify({ value: `fake-github-oidc-${served}` }) : "{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function run(
    env: Record<string, string>,
    args: string[],
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn("bash", [path.join(REPO_ROOT, "tools", "ci", "federated-token.sh"), ...args], {
        env: { PATH: process.env["PATH"] ?? "", ...env },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  test("writes the token, exports the workload identity variables and keeps renewing the file", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-fedtoken-"));
    const file = path.join(dir, "token");
    const githubEnv = path.join(dir, "github-env");
    const result = await run(
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: url,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
        ARM_CLIENT_ID: "11111111-1111-1111-1111-111111111111",
        ARM_TENANT_ID: "22222222-2222-2222-2222-222222222222",
        GITHUB_ENV: githubEnv,
      },
      [file, "1"],
    );
    const pid = Number(/pid (\d+)/.exec(result.stdout)?.[1]);
    try {
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout).not.toContain("fake-github-oidc");
      expect(readFileSync(file, "utf8")).toBe("fake-github-oidc-1");
      expect(readFileSync(githubEnv, "utf8")).toBe(
        `AZURE_FEDERATED_TOKEN_FILE=${file}\nAZURE_CLIENT_ID=11111111-1111-1111-1111-111111111111\nAZURE_TENANT_ID=22222222-2222-2222-2222-222222222222\n`,
      );
      const deadline = Date.now() + 10_000;
      while (readFileSync(file, "utf8") === "fake-github-oidc-1" && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect(readFileSync(file, "utf8")).toMatch(/^fake-github-oidc-[2-9]\d*$/);
    } finally {
      if (Number.isInteger(pid) && pid > 0) process.kill(pid);
    }
  });

  test("without the id-token permission it stops with the reason", async () => {
    const result = await run({ ARM_CLIENT_ID: "x", ARM_TENANT_ID: "y" }, ["/tmp/unused-token"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /ACTIONS_ID_TOKEN_REQUEST_URL: is not set: the job needs permissions id-token: write/,
    );
  });

  test("a refused token request fails the step instead of leaving an empty file", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-fedtoken-"));
    const result = await run(
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: url,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "wrong",
        ARM_CLIENT_ID: "x",
        ARM_TENANT_ID: "y",
      },
      [path.join(dir, "token")],
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not fetch a GitHub OIDC token/);
    expect(readdirSync(dir).filter((f) => f === "token")).toEqual([]);
  });
});
