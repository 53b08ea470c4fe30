import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import type { StackConfig } from "../config/schema";
import { resourceName, type NamingContext } from "../conventions/naming";
import { standardTags, type StandardTags } from "../conventions/tags";

/** What every component receives: where to deploy, how to name things, which tags to set. */
export interface Foundation {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly resourceGroupId: pulumi.Output<string>;
  readonly location: string;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
}

/** Naming context for a stack: the tenant seeds the uniqueness suffix of global names. */
export function namingContextFor(config: StackConfig): NamingContext {
  return {
    prefix: config.namePrefix,
    environment: config.environment,
    location: config.location,
    uniquenessSeed: `${config.tenantId}/${config.environment}`,
  };
}

/** The environment's resource group: the scope of every role assignment and lock this deployment makes. */
export function createFoundation(config: StackConfig): Foundation {
  const naming = namingContextFor(config);
  const tags = standardTags(config);
  const group = new resources.ResourceGroup("resource-group", {
    resourceGroupName: resourceName("resourceGroup", naming),
    location: config.location,
    tags,
  });
  return {
    resourceGroupName: group.name,
    resourceGroupId: group.id,
    location: config.location,
    naming,
    tags,
  };
}
