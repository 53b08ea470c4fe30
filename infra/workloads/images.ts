/**
 * Container image references. Config names an image pinned by digest in the registry CI publishes to
 * (`<source registry>/<repository>@sha256:<digest>`); the deployment runs that same digest from its
 * own private registry, into which the image is promoted with `az acr import` (which copies the
 * manifest byte for byte, so the digest does not change). A tag never reaches a container app.
 */

/** What the config's `container.image` says, split into its parts. */
export interface PinnedImage {
  /** Registry host the image is published to, e.g. `crmcpgwshared.azurecr.io`. */
  readonly sourceRegistry: string;
  /** Repository path inside the registry, e.g. `mcp/docs-server`. */
  readonly repository: string;
  /** `sha256:<64 hex>`. */
  readonly digest: string;
}

/** An image reference that is not `<registry>/<repository>@sha256:<64 hex>`. */
export class UnpinnedImageError extends Error {}

const PINNED =
  /^(?<registry>[a-z0-9.-]+(?::[0-9]+)?)\/(?<repository>[a-z0-9._/-]+)@(?<digest>sha256:[a-f0-9]{64})$/;

/**
 * Splits a digest-pinned image reference. The config schema already refuses tags; this is the same
 * rule, applied again where the reference is used so that no other caller can slip a tag through.
 */
export function parsePinnedImage(image: string): PinnedImage {
  const match = PINNED.exec(image);
  if (!match?.groups) {
    throw new UnpinnedImageError(
      `container image "${image}" must be pinned by digest: <registry>/<repository>@sha256:<64 hex digits> (tags are mutable)`,
    );
  }
  const { registry, repository, digest } = match.groups as {
    registry: string;
    repository: string;
    digest: string;
  };
  if (repository.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new UnpinnedImageError(
      `container image "${image}" has an empty or relative repository path segment`,
    );
  }
  return { sourceRegistry: registry, repository, digest };
}

/** The reference a container app pulls: the same repository and digest, from the deployment's registry. */
export function deployedImageReference(loginServer: string, image: PinnedImage): string {
  return `${loginServer}/${image.repository}@${image.digest}`;
}

/** The promotion step CI runs before `pulumi up` (see docs/workloads.md, "Image supply chain"). */
export interface ImagePromotion {
  /** The image as config names it. */
  readonly source: string;
  /** The repository the image lands in inside the deployment's registry (no tag: it is addressed by digest). */
  readonly targetRepository: string;
  readonly digest: string;
}

export function imagePromotion(image: PinnedImage): ImagePromotion {
  return {
    source: `${image.sourceRegistry}/${image.repository}@${image.digest}`,
    targetRepository: image.repository,
    digest: image.digest,
  };
}

/** `az acr import` for one promotion (documentation and CI output; never run by the program). */
export function importCommand(registryName: string, promotion: ImagePromotion): string {
  return `az acr import --name ${registryName} --source ${promotion.source} --repository ${promotion.targetRepository}`;
}
