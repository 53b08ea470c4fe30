import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { isReferenceSet, isTrue, show, tryGet, UNKNOWN } from "../lib/props";
import { refersTo } from "../lib/references";
import { ofType, stackRule } from "../lib/rule";
import { T } from "../lib/types";

export const containerAppsInternal = stackRule({
  name: "network-container-apps-internal",
  area: "network",
  description:
    "MCP servers run in Container Apps environments injected into the virtual network with an internal load balancer only; an app's " +
    "ingress may be `external` (reachable from the virtual network, where API Management calls it) only in such an environment.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the managed environment `vnetConfiguration: { internal: true, infrastructureSubnetId: <workloads subnet> }`; keep " +
    "`configuration.ingress.external` false unless the app's environment is internal.",
  seedControls: [SEED.toolExecution, SEED.authorizationVerification],
  azureBuiltins: builtins(
    "Container Apps/EnvironmentInternal_Audit",
    "Container Apps/InjectVNet_Audit",
    "Container Apps/ContainerAppInternal_Audit",
  ),
  rulesets: ["Azure.ContainerApp.PublicAccess", "Azure.ContainerApp.ExternalIngress"],
  resourceTypes: [T.managedEnvironment, T.containerApp],
  appliesTo: [T.managedEnvironment, T.containerApp],
  validate: (resources, _args, report) => {
    const environments = ofType(resources, T.managedEnvironment);
    const internal = new Set<string>();
    for (const environment of environments) {
      const flag = tryGet(environment.props, "vnetConfiguration.internal");
      const injected = isReferenceSet(environment.props, "vnetConfiguration.infrastructureSubnetId");
      if ((flag === UNKNOWN || isTrue(flag)) && injected) internal.add(environment.urn);
      else {
        report(
          `managed environment ${environment.name} must be injected with an internal load balancer (vnetConfiguration.internal ${show(flag)}, ` +
            `infrastructureSubnetId ${injected ? "set" : "missing"}).`,
          environment.urn,
        );
      }
    }
    for (const app of ofType(resources, T.containerApp)) {
      const external = tryGet(app.props, "configuration.ingress.external");
      if (external !== UNKNOWN && !isTrue(external)) continue;
      const home = environments.find(
        (environment) =>
          refersTo(app, "managedEnvironmentId", environment) || refersTo(app, "environmentId", environment),
      );
      if (!home || !internal.has(home.urn)) {
        report(
          `container app ${app.name} has external ingress outside an internal environment (configuration.ingress.external ${show(external)}).`,
          app.urn,
        );
      }
    }
  },
});
