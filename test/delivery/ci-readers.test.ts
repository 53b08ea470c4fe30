/**
 * The bootstrap's read-only CI identities (issue 17): pull-request previews and nightly drift sign in as
 * a reader of their environment, in a GitHub environment pull requests may use, with the Graph read
 * permission drift needs and nothing that writes (except the state backend's lock files).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { parseBootstrapConfig } from "../../infra/bootstrap/config";
import {
  GITHUB_OIDC,
  MICROSOFT_GRAPH_APP_ID,
  READER_GRAPH_APP_ROLES,
  readerEnvironment,
  STATE_LOCKS_ONLY_CONDITION,
} from "../../infra/bootstrap/readers";
import { planResources, type PlanResourceState, type PreviewPlan } from "../../policies/check/plan";
import { REPO_ROOT, runTsCli } from "../support/plans";

const SAMPLE = path.join(REPO_ROOT, "infra", "bootstrap", "Pulumi.shared.yaml");
const P = "mcp-azure-gateway-bootstrap";
const ROLE = "azure-native:authorization:RoleAssignment";
const STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
const KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

const sample = parseYaml(readFileSync(SAMPLE, "utf8")) as { config: Record<string, unknown> };
const readers = sample.config[`${P}:ciReaders`] as {
  repository: string;
  subscriptionId: string;
  environments: string[];
};

function preview(): PreviewPlan {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-readers-"));
  const file = path.join(dir, "Pulumi.shared.yaml");
  writeFileSync(file, stringifyYaml(sample));
  const planFile = path.join(dir, "plan.json");
  const run = runTsCli("tools/offline/bootstrap-cli.ts", [
    "--config-file",
    file,
    "--json",
    planFile,
    "--quiet",
  ]);
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  return JSON.parse(readFileSync(planFile, "utf8")) as PreviewPlan;
}

const named = (plan: PreviewPlan, name: string): PlanResourceState => {
  const found = planResources(plan).filter((r) => r.urn.endsWith(`::${name}`));
  expect(found).toHaveLength(1);
  return found[0]!;
};
const roleGuid = (r: PlanResourceState): string => String(r.inputs["roleDefinitionId"]).split("/").pop()!;

describe("read-only CI identities (bootstrap ciReaders)", () => {
  const plan = preview();

  test("the sample bootstrap config creates one per environment", () => {
    expect(readers.environments).toEqual(["dev", "staging", "prod"]);
  });

  test.each(["dev", "staging", "prod"])(
    "%s: credential trusts <env>-readonly of the repository only",
    (env) => {
      const credential = named(plan, `ci-reader-${env}-github`);
      expect(credential.inputs).toMatchObject({
        issuer: GITHUB_OIDC.issuer,
        audiences: [GITHUB_OIDC.audience],
        subject: `repo:${readers.repository}:environment:${readerEnvironment(env)}`,
      });
      expect(named(plan, `ci-reader-${env}-sp`).inputs["appRoleAssignmentRequired"]).toBe(true);
    },
  );

  test.each(["dev", "staging", "prod"])(
    "%s: Reader, state read (writes only lock files), key use; nothing else",
    (env) => {
      const sp = named(plan, `ci-reader-${env}-sp`);
      const assignments = planResources(plan).filter(
        (r) => r.type === ROLE && r.urn.includes(`::ci-reader-${env}-`),
      );
      expect(assignments.map((r) => [r.urn.split("::").pop(), roleGuid(r)]).sort()).toEqual(
        [
          [`ci-reader-${env}-key`, KEY_VAULT_CRYPTO_USER],
          [`ci-reader-${env}-reader`, READER],
          [`ci-reader-${env}-state`, STORAGE_BLOB_DATA_CONTRIBUTOR],
        ].sort(),
      );
      const byName = (suffix: string): PlanResourceState => named(plan, `ci-reader-${env}-${suffix}`);
      expect(byName("reader").inputs["scope"]).toBe(`/subscriptions/${readers.subscriptionId}`);
      expect(String(byName("state").inputs["scope"])).toMatch(/\/blobServices\/default\/containers\/state$/);
      expect(byName("state").inputs).toMatchObject({
        condition: STATE_LOCKS_ONLY_CONDITION,
        conditionVersion: "2.0",
      });
      expect(String(byName("key").inputs["scope"])).toMatch(/\/keys\/pulumi-secrets$/);
      for (const assignment of assignments) expect(assignment.dependencies ?? []).toContain(sp.urn);
    },
  );

  test("the lock-only condition allows writes and deletes under .pulumi/locks/ and nowhere else", () => {
    for (const action of ["blobs/write", "blobs/add/action", "blobs/delete"])
      expect(STATE_LOCKS_ONLY_CONDITION).toContain(
        `!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/${action}'})`,
      );
    expect(STATE_LOCKS_ONLY_CONDITION).toMatch(
      /@Resource\[Microsoft\.Storage\/storageAccounts\/blobServices\/containers\/blobs:path\] StringStartsWith '\.pulumi\/locks\/'/,
    );
  });

  test("Graph: Application.Read.All only (drift refreshes the Entra objects), granted on Graph's own service principal", () => {
    expect(READER_GRAPH_APP_ROLES).toEqual({
      "application-read-all": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
    });
    const grants = planResources(plan).filter(
      (r) => r.type === "azuread:index/appRoleAssignment:AppRoleAssignment",
    );
    expect(grants).toHaveLength(readers.environments.length);
    const graphObjectIds = new Set(grants.map((g) => g.inputs["resourceObjectId"]));
    expect(graphObjectIds.size).toBe(1);
    for (const grant of grants)
      expect(grant.inputs["appRoleId"]).toBe(READER_GRAPH_APP_ROLES["application-read-all"]);
    // Looked up, never managed: no service principal resource for Microsoft Graph.
    expect(
      planResources(plan)
        .filter((r) => r.inputs["clientId"] === MICROSOFT_GRAPH_APP_ID)
        .map((r) => r.urn),
    ).toEqual([]);
  });

  test("config: the same environment twice and a malformed repository are refused with their keys", () => {
    const parsed = parseBootstrapConfig({
      [`${P}:location`]: "westeurope",
      [`${P}:tenantId`]: "3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13",
      [`${P}:ciReaders`]: JSON.stringify({
        repository: "not a repo",
        subscriptionId: readers.subscriptionId,
        environments: ["dev", "dev"],
      }),
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.problems).toEqual([
        `${P}:ciReaders.repository: must be <owner>/<repo> as on GitHub (the fork's own repository)`,
        `${P}:ciReaders.environments: lists an environment twice`,
      ]);
  });
});
