import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { parseBootstrapConfig } from "../../infra/bootstrap/config";
import { evaluatePlan, loadPackConfig } from "../../policies/check/engine";
import { planResources, type PlanResourceState, type PreviewPlan } from "../../policies/check/plan";
import { REPO_ROOT, runTsCli, type CliRun } from "../support/plans";

const SAMPLE = path.join(REPO_ROOT, "infra", "bootstrap", "Pulumi.shared.yaml");
const P = "mcp-azure-gateway-bootstrap";
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers";

/** Runs `npm run preview:bootstrap` over a variant of the sample stack file; returns the run and the plan. */
function previewBootstrap(
  mutate: (config: Record<string, unknown>) => void = () => undefined,
): CliRun & { plan?: PreviewPlan } {
  const document = parseYaml(readFileSync(SAMPLE, "utf8")) as { config: Record<string, unknown> };
  mutate(document.config);
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-bootstrap-"));
  const file = path.join(dir, "Pulumi.shared.yaml");
  writeFileSync(file, stringifyYaml(document));
  const planFile = path.join(dir, "plan.json");
  const run = runTsCli("tools/offline/bootstrap-cli.ts", [
    "--config-file",
    file,
    "--json",
    planFile,
    "--quiet",
  ]);
  return {
    ...run,
    ...(existsSync(planFile) ? { plan: JSON.parse(readFileSync(planFile, "utf8")) as PreviewPlan } : {}),
  };
}

const only = (plan: PreviewPlan, type: string): PlanResourceState => {
  const found = planResources(plan).filter((r) => r.type === type);
  expect(found).toHaveLength(1);
  return found[0]!;
};

const privateMode = (config: Record<string, unknown>): void => {
  config[`${P}:networkAccess`] = "private";
  config[`${P}:privateEndpoint`] = {
    subnetId: `${SUB}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe`,
    blobDnsZoneId: `${SUB}/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`,
    vaultDnsZoneId: `${SUB}/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`,
  };
  config[`${P}:diagnosticsWorkspaceId`] = `${SUB}/Microsoft.OperationalInsights/workspaces/log-hub`;
};

describe("bootstrap stack (state backend and secrets provider), offline", () => {
  const sample = previewBootstrap();

  test("previews offline with exit 0 and prints the backend URL and secrets provider", () => {
    expect(sample.stderr).toBe("");
    expect(sample.status).toBe(0);
    expect(sample.stdout).toMatch(/^backendUrl: azblob:\/\/state$/m);
    expect(sample.stdout).toMatch(
      /^secretsProvider: azurekeyvault:\/\/kv-[a-z0-9-]+\.vault\.azure\.net\/keys\/pulumi-secrets$/m,
    );
    expect(sample.plan?.steps[0]?.urn).toBe(`urn:pulumi:shared::${P}::pulumi:pulumi:Stack::${P}-shared`);
  });

  test("state storage: no shared key, TLS 1.2 minimum, HTTPS only, no public blobs, double encryption", () => {
    const account = only(sample.plan!, "azure-native:storage:StorageAccount");
    expect(account.inputs).toEqual(
      expect.objectContaining({
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        minimumTlsVersion: "TLS1_2",
        enableHttpsTrafficOnly: true,
        allowBlobPublicAccess: false,
        allowCrossTenantReplication: false,
      }),
    );
    expect(account.inputs["encryption"]).toEqual(
      expect.objectContaining({ requireInfrastructureEncryption: true }),
    );
    expect(account.protect).toBe(true);
  });

  test("state blobs: versioning, blob and container soft delete, change feed; a private `state` container", () => {
    const service = only(sample.plan!, "azure-native:storage:BlobServiceProperties");
    expect(service.inputs).toEqual(
      expect.objectContaining({
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { days: 30, enabled: true },
        containerDeleteRetentionPolicy: { days: 30, enabled: true },
      }),
    );
    const container = only(sample.plan!, "azure-native:storage:BlobContainer");
    expect(container.inputs).toEqual(
      expect.objectContaining({ containerName: "state", publicAccess: "None" }),
    );
  });

  test("secrets provider: premium, RBAC-only, purge-protected vault with a 3072-bit RSA-HSM key", () => {
    const vault = only(sample.plan!, "azure-native:keyvault:Vault");
    expect(vault.inputs["properties"]).toEqual(
      expect.objectContaining({
        sku: { family: "A", name: "premium" },
        enableRbacAuthorization: true,
        enablePurgeProtection: true,
      }),
    );
    const key = only(sample.plan!, "azure-native:keyvault:Key");
    expect(key.inputs["properties"]).toEqual(expect.objectContaining({ kty: "RSA-HSM", keySize: 3072 }));
    expect([vault.protect, key.protect]).toEqual([true, true]);
  });

  test("each principal gets Storage Blob Data Contributor on the container and Key Vault Crypto User on the key only", () => {
    const plan = sample.plan!;
    const containerUrn = only(plan, "azure-native:storage:BlobContainer").urn;
    const keyUrn = only(plan, "azure-native:keyvault:Key").urn;
    // The read-only CI identities' assignments are asserted one by one in ci-readers.test.ts.
    const assignments = planResources(plan).filter(
      (r) => r.type === "azure-native:authorization:RoleAssignment" && !r.urn.includes("::ci-reader-"),
    );
    const principals = (
      parseYaml(readFileSync(SAMPLE, "utf8")) as { config: Record<string, { objectId: string }[]> }
    ).config[`${P}:principals`]!;
    expect(assignments).toHaveLength(principals.length * 2);
    for (const assignment of assignments) {
      const role = String(assignment.inputs["roleDefinitionId"]);
      const scopeFrom = assignment.propertyDependencies?.["scope"] ?? [];
      if (role.endsWith("/ba92f5b4-2d11-453d-a403-e96b0029c9fe")) expect(scopeFrom).toEqual([containerUrn]);
      else if (role.endsWith("/12338af0-0e69-4776-bea7-57ae8d297424")) expect(scopeFrom).toEqual([keyUrn]);
      else throw new Error(`unexpected role ${role}`);
    }
  });

  test("locks on the storage account and the vault", () => {
    const locks = planResources(sample.plan!).filter(
      (r) => r.type === "azure-native:authorization:ManagementLockByScope",
    );
    expect(locks.map((l) => l.inputs["level"])).toEqual(["CanNotDelete", "CanNotDelete"]);
  });

  test("public mode (GitHub-hosted runners): the policy pack flags exactly the documented exceptions", async () => {
    const report = await evaluatePlan(sample.plan!, {
      environment: "prod",
      packConfig: loadPackConfig("prod"),
    });
    const rules = [
      ...new Set(
        report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName),
      ),
    ].sort();
    expect(rules).toEqual([
      "keyvault-key-expiry",
      "keyvault-key-rotation",
      "keyvault-no-public-access",
      "monitoring-diagnostic-settings",
      "network-no-public-paas-access",
      "network-private-endpoints",
    ]);
  });

  test("private mode with a workspace: private endpoints and audit logs; only the secrets key's lifecycle exception remains", async () => {
    const run = previewBootstrap(privateMode);
    expect(run.status).toBe(0);
    const plan = run.plan!;
    expect(planResources(plan).filter((r) => r.type === "azure-native:network:PrivateEndpoint")).toHaveLength(
      2,
    );
    expect(
      planResources(plan).filter((r) => r.type === "azure-native:monitor:DiagnosticSetting"),
    ).toHaveLength(3);
    expect(only(plan, "azure-native:storage:StorageAccount").inputs["publicNetworkAccess"]).toBe("Disabled");
    const report = await evaluatePlan(plan, { environment: "prod", packConfig: loadPackConfig("prod") });
    const mandatory = report.violations
      .filter((v) => v.enforcementLevel === "mandatory")
      // The rule reads ARM's `networkAcls`; the SDK input of a storage account is `networkRuleSet` (reported to the pack's owner).
      .filter(
        (v) =>
          !(
            v.policyName === "network-no-public-paas-access" &&
            /networkAcls\.defaultAction must be "Deny" \(got missing\)/.test(v.message)
          ),
      );
    expect([...new Set(mandatory.map((v) => v.policyName))].sort()).toEqual([
      "keyvault-key-expiry",
      "keyvault-key-rotation",
    ]);
  });

  test("bad config exits 2 and lists every problem with its key", () => {
    const run = previewBootstrap((config) => {
      config[`${P}:tenantId`] = "nope";
      config[`${P}:networkAccess`] = "restricted";
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${P}:tenantId: must be a GUID`);
    expect(run.stderr).toContain(`${P}:allowedIpRanges: networkAccess restricted needs at least one range`);
    expect(run.plan).toBeUndefined();
  });
});

describe("parseBootstrapConfig", () => {
  const base = { [`${P}:location`]: "westeurope", [`${P}:tenantId`]: "3f2c8a61-5b7d-4e29-9c41-0a8d2e6b7f13" };

  test("defaults: public access, Standard_ZRS, a `state` container, protected and locked", () => {
    const parsed = parseBootstrapConfig(base);
    expect(parsed).toEqual({
      ok: true,
      config: expect.objectContaining({
        networkAccess: "public",
        storageSku: "Standard_ZRS",
        stateContainerName: "state",
        protect: true,
        lock: true,
      }),
    });
  });

  test("private needs private endpoint details; the same principal twice is refused", () => {
    const parsed = parseBootstrapConfig({
      ...base,
      [`${P}:networkAccess`]: "private",
      [`${P}:principals`]: JSON.stringify([
        { objectId: "5b0e9c2d-7a41-4f3e-8d26-1c9b7e4a0f53", type: "Group", description: "a" },
        { objectId: "5B0E9C2D-7A41-4F3E-8D26-1C9B7E4A0F53", type: "User", description: "b" },
      ]),
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems).toEqual([
        `${P}:privateEndpoint: networkAccess private needs privateEndpoint`,
        `${P}:principals: lists a principal twice`,
      ]);
    }
  });

  test("allowed IP ranges must be real IPv4 addresses or networks (issue 21)", () => {
    const parsed = parseBootstrapConfig({
      ...base,
      [`${P}:networkAccess`]: "restricted",
      [`${P}:allowedIpRanges`]: JSON.stringify([
        "203.0.113.7",
        "198.51.100.0/24",
        "999.1.1.1",
        "10.1.0.1/16",
      ]),
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems).toHaveLength(2);
      expect(parsed.problems.join("\n")).toMatch(/allowedIpRanges\.2: must have octets 0-255/);
      expect(parsed.problems.join("\n")).toMatch(/allowedIpRanges\.3: .*no host bits/);
    }
  });
});
