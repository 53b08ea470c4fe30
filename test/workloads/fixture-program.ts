/**
 * A test-only Pulumi program: declares Workloads and ContentSafety exactly as infra/index.ts would
 * (each only when config asks for it) under the offline mock runtime, and writes the plan.
 *
 *   tsx test/workloads/fixture-program.ts <scenario.json> <plan.json>
 *
 * One program per process: the Pulumi runtime keeps global state. Run by the shared fixture runner (test/support/fixture.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAME } from "../../infra/config";
import { ContentSafety, serversWithPromptShields } from "../../infra/content-safety";
import { resourceName } from "../../infra/conventions/naming";
import { standardTags } from "../../infra/conventions/tags";
import { namingContextFor } from "../../infra/config/placement";
import { containerServers, Workloads, type WorkloadIdentityRef } from "../../infra/workloads";
import { fixtureProgramMain, type MockRunOptions } from "../../tools/offline/mock-run";
import {
  backendApp,
  COGNITIVE_ZONE,
  GATEWAY_IDENTITY,
  KEY_VAULT_SECRET_URI,
  PRIVATE_ENDPOINT_SUBNET_ID,
  REGISTRY_ZONE,
  scenarioConfig,
  WORKLOAD_SUBNET_ID,
  workloadIdentity,
  type WorkloadsScenario,
} from "./scenario";

function declareWorkloads(scenario: WorkloadsScenario): MockRunOptions {
  const config = scenarioConfig(scenario);
  const naming = namingContextFor(config);
  const foundation = {
    resourceGroupName: pulumi.output(resourceName("resourceGroup", naming)),
    location: config.location,
    naming,
    tags: standardTags(config),
  };

  return {
    project: PROJECT_NAME,
    stack: scenario.stack,
    tenantId: config.tenantId,
    program: () => {
      const exported: Record<string, pulumi.Input<unknown>> = {};
      const containers = containerServers(config.mcpServers);
      if (containers.length > 0) {
        const identities: Record<string, WorkloadIdentityRef> = {};
        for (const server of containers) identities[server.name] = workloadIdentity(server.name);
        if (scenario.shareIdentity && identities["tickets"]) identities["tickets"] = identities["docs"]!;
        const workloads = new Workloads("workloads", {
          foundation,
          environment: config.environment,
          tenantId: config.tenantId,
          mcpServers: config.mcpServers,
          workloadSubnetId: WORKLOAD_SUBNET_ID,
          privateEndpointSubnetId: PRIVATE_ENDPOINT_SUBNET_ID,
          registryDnsZone: REGISTRY_ZONE,
          gatewayCallerCidrs: [config.network.subnets.gateway],
          workloadIdentities: identities,
          backendAuth: Object.fromEntries(
            containers.map((s) => [s.name, backendApp(config.tenantId, config.environment, s.name)]),
          ),
          gatewayIdentity: GATEWAY_IDENTITY,
          ...(scenario.docsSecret
            ? {
                secrets: {
                  docs: [
                    {
                      name: "index-token",
                      environmentVariable: "DOCS_INDEX_TOKEN",
                      keyVaultSecretUri: KEY_VAULT_SECRET_URI,
                    },
                  ],
                },
              }
            : {}),
          protectStatefulResources: config.features.protectStatefulResources,
          resourceLocks: config.features.resourceLocks,
        });
        exported["backendUrls"] = workloads.backendUrls;
        exported["environmentDefaultDomain"] = workloads.environmentDefaultDomain;
        exported["environmentStaticIp"] = workloads.environmentStaticIp;
        exported["registryLoginServer"] = workloads.registryLoginServer;
        exported["registryName"] = workloads.registryName;
        exported["imagePromotions"] = workloads.imagePromotions;
        exported["diagnosticTargets"] = workloads.diagnosticTargets.map((t) => ({
          ...t,
          resourceId: pulumi.output(t.resourceId),
        }));
      }
      if (serversWithPromptShields(config.mcpServers).length > 0) {
        const contentSafety = new ContentSafety("content-safety", {
          foundation,
          privateEndpointSubnetId: PRIVATE_ENDPOINT_SUBNET_ID,
          dnsZone: COGNITIVE_ZONE,
          gatewayPrincipalId: GATEWAY_IDENTITY.principalId,
        });
        exported["contentSafetyEndpoint"] = contentSafety.endpoint;
        exported["shieldPromptUrl"] = contentSafety.shieldPromptUrl;
      }
      return exported;
    },
  };
}

fixtureProgramMain("workloads", "test/workloads/fixture-program.ts", declareWorkloads);
