import type { NamingContext } from "../conventions/naming";
import { standardTags, type StandardTags } from "../conventions/tags";
import { REGION_SHORT_CODES } from "./regions";
import type { StackConfig } from "./schema";

/**
 * The config reader's hand-over to the shared conventions: naming and tags take plain values, and
 * this is the one place that derives them from the stack config.
 */

/** Naming context for a stack: the tenant seeds the uniqueness suffix of global names. */
export function namingContextFor(
  config: Pick<StackConfig, "namePrefix" | "environment" | "location" | "tenantId">,
): NamingContext {
  return {
    prefix: config.namePrefix,
    environment: config.environment,
    regionCode: REGION_SHORT_CODES[config.location],
    uniquenessSeed: `${config.tenantId}/${config.environment}`,
  };
}

export interface Placement {
  readonly location: string;
  readonly naming: NamingContext;
  readonly tags: StandardTags;
}

/** Where and how a stack's resources are placed, named and tagged. */
export function placementFor(config: StackConfig): Placement {
  return { location: config.location, naming: namingContextFor(config), tags: standardTags(config) };
}
