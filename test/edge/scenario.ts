/**
 * Edge fixture scenarios: what test/edge/fixture-program.ts declares. Shared by the program (child
 * process) and the tests, which need the same literal values to assert on.
 */
import type { EdgeArgs, EdgeSettings, TrustedRootCertificate } from "../../infra/edge";
import type { NamingContext } from "../../infra/conventions/naming";
import type { StandardTags } from "../../infra/conventions/tags";
import type { PreviewPlan } from "../../policies/check/plan";
import { fixturePlan, type FixtureRun, runFixtureProgram, stackOutputs } from "../support/fixture";
import type { StackName } from "../support/plans";

export const LITERAL_TENANT_ID = "11111111-2222-4333-8444-555555555555";
export const LITERAL_RESOURCE_GROUP = "rg-mcpgw-test-weu";
export const LITERAL_IDENTITY_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mcpgw-test-weu/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-mcpgw-test-weu-edge";
export const LITERAL_SUBNET_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mcpgw-test-weu/providers/Microsoft.Network/virtualNetworks/vnet-mcpgw-test-weu/subnets/snet-mcpgw-test-weu-edge";
export const LITERAL_CERT_URI = "https://kv-mcpgw-test-x1y2z.vault.azure.net/secrets/mcp-gateway-tls";
export const LITERAL_DDOS_PLAN_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mcpgw-test-weu/providers/Microsoft.Network/ddosProtectionPlans/ddos-mcpgw-test-weu";
export const LITERAL_HOSTNAME = "mcp.test.contoso.com";
export const LITERAL_APIM_IP = "10.40.1.4";
export const LITERAL_TRUSTED_ROOT_SECRET = "https://kv-mcpgw-test-x1y2z.vault.azure.net/secrets/apim-root-ca";

export const LITERAL_NAMING: NamingContext = {
  prefix: "mcpgw",
  environment: "test",
  regionCode: "weu",
  uniquenessSeed: `${LITERAL_TENANT_ID}/test`,
};

export const LITERAL_TAGS: StandardTags = {
  environment: "test",
  owner: "platform-security@contoso.com",
  costCenter: "CC-4711",
  dataClassification: "internal",
  repository: "contoso/mcp-azure-gateway",
  managedBy: "pulumi",
  project: "mcp-azure-gateway",
};

/** JSON-serialisable changes to the literal arguments. */
export interface LiteralOverrides {
  readonly capacity?: { readonly min: number; readonly max: number };
  readonly zones?: readonly string[];
  readonly ddos?: boolean;
  readonly trustedRoot?: boolean;
  readonly certificateSecretUri?: string;
  readonly backendAddresses?: readonly string[];
  readonly maxRequestBodyBytes?: number;
}

export type EdgeScenario =
  | { readonly kind: "literal"; readonly overrides?: LiteralOverrides }
  | { readonly kind: "stack"; readonly stack: StackName };

/** The Edge's outputs as the fixture program exports them (stack outputs of the fixture). */
export interface EdgeFixtureOutputs {
  readonly applicationGatewayId: string;
  readonly publicIpAddress: string | undefined;
  readonly publicIpId: string;
  readonly wafPolicyId: string;
  readonly diagnosticTargets: readonly { name: string; type: string; resourceId: string }[];
}

export function literalEdgeArgs(overrides: LiteralOverrides): EdgeArgs {
  const trustedRoot: TrustedRootCertificate | undefined = overrides.trustedRoot
    ? { keyVaultSecretId: LITERAL_TRUSTED_ROOT_SECRET }
    : undefined;
  return {
    resourceGroupName: LITERAL_RESOURCE_GROUP,
    location: "westeurope",
    naming: LITERAL_NAMING,
    tags: LITERAL_TAGS,
    hostname: LITERAL_HOSTNAME,
    backendHostname: LITERAL_HOSTNAME,
    capacity: overrides.capacity ?? { min: 1, max: 4 },
    zones: overrides.zones ?? ["1", "2", "3"],
    subnetId: LITERAL_SUBNET_ID,
    identityId: LITERAL_IDENTITY_ID,
    certificateSecretUri: overrides.certificateSecretUri ?? LITERAL_CERT_URI,
    backendAddresses: [...(overrides.backendAddresses ?? [LITERAL_APIM_IP])],
    maxRequestBodyBytes: overrides.maxRequestBodyBytes ?? 1024 * 1024,
    clientAddressRequestsPerMinute: 1200,
    ...(overrides.ddos ? { ddosProtectionPlanId: LITERAL_DDOS_PLAN_ID } : {}),
    ...(trustedRoot ? { trustedRootCertificate: trustedRoot } : {}),
  };
}

/** What infra/index.ts is expected to pass for a stack, with the other components' outputs stood in for. */
export function stackEdgeArgs(input: {
  location: string;
  naming: NamingContext;
  tags: StandardTags;
  settings: EdgeSettings;
  ddos: boolean;
}): EdgeArgs {
  const rg = `rg-${input.naming.prefix}-${input.naming.environment}`;
  const sub = "/subscriptions/00000000-0000-0000-0000-000000000000";
  return {
    resourceGroupName: rg,
    location: input.location,
    naming: input.naming,
    tags: input.tags,
    ...input.settings,
    subnetId: `${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/edge`,
    identityId: `${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-edge`,
    certificateSecretUri: LITERAL_CERT_URI,
    backendAddresses: [LITERAL_APIM_IP],
    ...(input.ddos
      ? {
          ddosProtectionPlanId: `${sub}/resourceGroups/${rg}/providers/Microsoft.Network/ddosProtectionPlans/ddos`,
        }
      : {}),
  };
}

/** The edge fixture program, run by the shared runner (test/support/fixture.ts). */
export const EDGE_FIXTURE = "test/edge/fixture-program.ts";

export function runEdgeFixture(scenario: EdgeScenario): Promise<FixtureRun> {
  return runFixtureProgram(EDGE_FIXTURE, scenario);
}

/** The plan of a run that must have succeeded. */
export function planOf(run: FixtureRun): PreviewPlan {
  return fixturePlan("edge", run);
}

export function fixtureOutputs(plan: PreviewPlan): EdgeFixtureOutputs {
  return stackOutputs<EdgeFixtureOutputs>(plan);
}

export const TYPES = {
  edge: "mcpgw:edge:Edge",
  applicationGateway: "azure-native:network:ApplicationGateway",
  wafPolicy: "azure-native:network:WebApplicationFirewallPolicy",
  publicIp: "azure-native:network:PublicIPAddress",
} as const;
