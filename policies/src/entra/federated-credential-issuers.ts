import { builtins } from "../lib/azure-builtins";
import { SEED } from "../lib/metadata";
import { get, ieq, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

interface Config {
  readonly allowedIssuers: readonly string[];
  readonly allowedGitHubOwners: readonly string[];
}

const DEFAULTS: Config = { allowedIssuers: [GITHUB_ISSUER], allowedGitHubOwners: [] };

export const federatedCredentialIssuers = resourceRule({
  name: "entra-federated-credential-issuers",
  area: "entra",
  description:
    "Federated identity credentials (on managed identities and app registrations) trust only allowed issuers, audience " +
    "api://AzureADTokenExchange, and for GitHub only repositories of allowed owners (when the list is set).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Use issuer https://token.actions.githubusercontent.com, audiences ["api://AzureADTokenExchange"] and subject ' +
    "`repo:<owner>/<repo>:environment:<env>` with an owner listed in `allowedGitHubOwners`.",
  seedControls: [SEED.authentication, SEED.supplyChain],
  azureBuiltins: builtins(
    "Managed Identity/FIC_LimitToWellknownIssuers",
    "Managed Identity/FIC_LimitToGitHubIssuer",
  ),
  resourceTypes: [T.managedIdentityFederatedCredential, T.entraFederatedCredential],
  configSchema: {
    properties: {
      allowedIssuers: {
        type: "array",
        items: { type: "string", pattern: "^https://" },
        minItems: 1,
        default: DEFAULTS.allowedIssuers,
        description: "Issuer URLs.",
      },
      allowedGitHubOwners: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: DEFAULTS.allowedGitHubOwners,
        description: "GitHub organisations or users (empty: any).",
      },
    },
  },
  validate: (props, args, report) => {
    const { allowedIssuers, allowedGitHubOwners } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const issuer = get(props, "issuer");
    const normalizedIssuer = typeof issuer === "string" ? issuer.trim().replace(/\/+$/, "") : issuer;
    if (!allowedIssuers.some((allowed) => ieq(normalizedIssuer, allowed.replace(/\/+$/, "")))) {
      report(`issuer ${show(issuer)} is not one of ${allowedIssuers.join(", ")}.`);
    }
    const audiences = get(props, "audiences");
    if (
      !Array.isArray(audiences) ||
      audiences.length !== 1 ||
      !ieq(audiences[0], "api://AzureADTokenExchange")
    ) {
      report(`audiences must be ["api://AzureADTokenExchange"] (got ${show(audiences)}).`);
    }
    if (ieq(normalizedIssuer, GITHUB_ISSUER)) {
      const subject = get(props, "subject");
      const owner = typeof subject === "string" ? /^repo:([^/]+)\/[^:]+:.+$/.exec(subject)?.[1] : undefined;
      if (!owner)
        report(`subject ${show(subject)} must be repo:<owner>/<repo>:<ref|environment|pull_request>.`);
      else if (
        allowedGitHubOwners.length > 0 &&
        !allowedGitHubOwners.some((allowed) => ieq(owner, allowed))
      ) {
        report(`GitHub owner ${owner} is not one of ${allowedGitHubOwners.join(", ")}.`);
      }
    }
  },
});
