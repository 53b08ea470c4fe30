/**
 * The one tag set every taggable resource gets. Passed explicitly to each resource: stack
 * transforms do not run under the mock runtime, so tags computed here are what tests and policies see.
 */
export type StandardTags = Readonly<Record<string, string>>;

/** The values the standard tags are made of; the config reader hands them over. */
export interface TagValues {
  readonly environment: string;
  readonly tags: {
    readonly owner: string;
    readonly costCenter: string;
    readonly dataClassification: string;
    readonly repository: string;
  };
}

export function standardTags(config: TagValues): StandardTags {
  return Object.freeze({
    environment: config.environment,
    owner: config.tags.owner,
    costCenter: config.tags.costCenter,
    dataClassification: config.tags.dataClassification,
    repository: config.tags.repository,
    managedBy: "pulumi",
    project: "mcp-azure-gateway",
  });
}

/** The tags that every resource must carry; the policy pack and tests check for exactly these keys. */
export const REQUIRED_TAG_KEYS = [
  "environment",
  "owner",
  "costCenter",
  "dataClassification",
  "repository",
  "managedBy",
] as const;
