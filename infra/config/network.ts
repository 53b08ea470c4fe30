import { z } from "zod";
import { cidrContains, cidrsOverlap, parseCidr } from "./cidr";
import { subnetCidr, type RefinementContext } from "./primitives";

export const networkSchema = z
  .strictObject({
    addressSpace: subnetCidr(22, "room for all subnets"),
    subnets: z.strictObject({
      edge: subnetCidr(26, "Application Gateway v2 needs at least /26, /24 recommended"),
      gateway: subnetCidr(27, "API Management VNet injection and scale-out need at least /27"),
      privateEndpoints: subnetCidr(28, "one address per private endpoint"),
      workloads: subnetCidr(27, "a Container Apps workload-profiles environment needs at least /27"),
      gatewayIntegration: subnetCidr(27, "API Management v2 VNet integration needs at least /27").optional(),
    }),
    ddosProtection: z.boolean().default(false),
    flowLogs: z.boolean().default(false),
  })
  .superRefine((network, ctx) => checkAddressPlan(network, ctx));

export type NetworkInput = z.infer<typeof networkSchema>;

export function checkGatewaySubnets(network: NetworkInput, sku: string, ctx: RefinementContext): void {
  if (sku === "StandardV2" && network.subnets.gatewayIntegration === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["network", "subnets", "gatewayIntegration"],
      input: undefined,
      message:
        "is required when gateway.sku is StandardV2 (outbound VNet integration needs its own delegated subnet)",
    });
  }
}

function checkAddressPlan(network: Omit<NetworkInput, never>, ctx: RefinementContext): void {
  const space = parseCidr(network.addressSpace);
  if (!space) return; // already reported
  const entries = Object.entries(network.subnets).filter(
    (e): e is [string, string] => typeof e[1] === "string",
  );
  const parsed = entries.map(([name, text]) => ({ name, cidr: parseCidr(text) }));
  for (const { name, cidr: subnet } of parsed) {
    if (subnet && !cidrContains(space, subnet)) {
      ctx.addIssue({
        code: "custom",
        path: ["subnets", name],
        input: subnet.text,
        message: `must lie inside the VNet address space ${space.text}`,
      });
    }
  }
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (a.cidr && b.cidr && cidrsOverlap(a.cidr, b.cidr)) {
        ctx.addIssue({
          code: "custom",
          path: ["subnets", b.name],
          input: b.cidr.text,
          message: `overlaps subnet ${a.name} (${a.cidr.text}); subnets must not overlap`,
        });
      }
    }
  }
}
