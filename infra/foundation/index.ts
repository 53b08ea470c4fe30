import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { resourceName, type NamingContext } from "../conventions/naming";
import type { StandardTags } from "../conventions/tags";

/** What every component receives: where to deploy, how to name things, which tags to set. */
export interface Foundation {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly resourceGroupId: pulumi.Output<string>;
  readonly location: string;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
}

/** Plain values from the config reader (`placementFor` in infra/config): no config module here. */
export interface FoundationArgs {
  readonly location: string;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
}

/** The environment's resource group: the scope of every role assignment and lock this deployment makes. */
export function createFoundation({ location, naming, tags }: FoundationArgs): Foundation {
  const group = new resources.ResourceGroup("resource-group", {
    resourceGroupName: resourceName("resourceGroup", naming),
    location,
    tags,
  });
  return {
    resourceGroupName: group.name,
    resourceGroupId: group.id,
    location,
    naming,
    tags,
  };
}
