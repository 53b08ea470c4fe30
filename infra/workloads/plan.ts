import type { McpServerConfig } from "../config/schema";
import { resourceName, type NamingContext } from "../conventions/naming";
import { imagePromotion, parsePinnedImage, type ImagePromotion, type PinnedImage } from "./images";

/**
 * The pure part of the workloads component: which MCP servers run as containers, under which names,
 * with which limits. Everything the component declares per server comes from one `WorkloadPlan`.
 */

/** The only workload profile the environment has: serverless, per-replica limits, no dedicated nodes. */
export const WORKLOAD_PROFILE = "Consumption";

/** The container path every app gets a writable scratch volume at (the image itself stays read-only in spirit). */
export const SCRATCH_MOUNT_PATH = "/tmp";

/** The path the gateway calls on each workload (MCP Streamable HTTP endpoint). */
export const MCP_PATH = "/mcp";

export interface WorkloadPlan {
  readonly server: string;
  readonly displayName: string;
  /** Container app name (Azure: 2-32 lower-case letters, digits, '-'). */
  readonly appName: string;
  readonly image: PinnedImage;
  readonly promotion: ImagePromotion;
  readonly targetPort: number;
  readonly cpu: number;
  /** Memory as Container Apps spells it, e.g. `1Gi`. */
  readonly memory: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly allowedEgressHosts: readonly string[];
}

export class WorkloadPlanError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`workloads: ${problems.join("; ")}`);
    this.name = "WorkloadPlanError";
  }
}

/** MCP servers that run as sandboxed containers (servers given only a backendUrl stay external). */
export function containerServers(servers: readonly McpServerConfig[]): McpServerConfig[] {
  return servers.filter((server) => server.container !== undefined);
}

/**
 * The Consumption profile only runs CPU/memory pairs of 0.25-4 vCPU in 0.25 steps with 2 GiB per
 * vCPU; anything else is rejected by Azure at deployment time, so it is rejected here instead.
 */
export function consumptionResourceProblem(cpu: number, memoryGi: number): string | undefined {
  const quarters = cpu * 4;
  if (!Number.isInteger(quarters) || quarters < 1 || quarters > 16) {
    return `cpu ${cpu} is not a Consumption size (0.25 to 4 vCPU in steps of 0.25)`;
  }
  if (Math.abs(memoryGi - cpu * 2) > 1e-9) {
    return `memoryGi ${memoryGi} does not match cpu ${cpu}: the Consumption profile needs ${cpu * 2} GiB (2 GiB per vCPU)`;
  }
  return undefined;
}

/** Plans every container server; throws `WorkloadPlanError` listing every problem at once. */
export function workloadPlans(servers: readonly McpServerConfig[], naming: NamingContext): WorkloadPlan[] {
  const problems: string[] = [];
  const plans: WorkloadPlan[] = [];
  const appNames = new Map<string, string>();
  for (const server of servers) {
    const container = server.container;
    if (container === undefined) continue;
    let image: PinnedImage;
    try {
      image = parsePinnedImage(container.image);
    } catch (error) {
      problems.push(`${server.name}: ${(error as Error).message}`);
      continue;
    }
    const sizeProblem = consumptionResourceProblem(container.cpu, container.memoryGi);
    if (sizeProblem) problems.push(`${server.name}: ${sizeProblem}`);
    if (container.minReplicas > container.maxReplicas) {
      problems.push(
        `${server.name}: minReplicas ${container.minReplicas} exceeds maxReplicas ${container.maxReplicas}`,
      );
    }
    const appName = resourceName("containerApp", naming, server.name);
    const clash = appNames.get(appName);
    if (clash)
      problems.push(
        `${server.name}: container app name "${appName}" is also used by ${clash} (shorten a server name)`,
      );
    appNames.set(appName, server.name);
    plans.push({
      server: server.name,
      displayName: server.displayName,
      appName,
      image,
      promotion: imagePromotion(image),
      targetPort: container.targetPort,
      cpu: container.cpu,
      memory: `${container.memoryGi}Gi`,
      minReplicas: container.minReplicas,
      maxReplicas: container.maxReplicas,
      allowedEgressHosts: [...container.allowedEgressHosts],
    });
  }
  if (problems.length > 0) throw new WorkloadPlanError(problems);
  return plans;
}
