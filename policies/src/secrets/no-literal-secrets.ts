import { SEED } from "../lib/metadata";
import { SECRET_MARKER, walkStrings } from "../lib/props";
import { ANY_TYPE, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

/** Shapes of credentials that must never appear as a literal in a resource input. */
export const SECRET_PATTERNS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  {
    kind: "connection string with an account or shared access key",
    pattern: /\b(?:AccountKey|SharedAccessKey)\s*=\s*[^;\s"'<]{8,}/i,
  },
  { kind: "connection string with a password", pattern: /(?:^|;)\s*(?:Password|Pwd)\s*=\s*[^;\s"'<]{4,}/i },
  { kind: "SAS token signature", pattern: /(?:^|[?&])sig=[A-Za-z0-9%+/=]{16,}/ },
  { kind: "PEM private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { kind: "JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  {
    kind: "Entra ID client secret",
    pattern: /(?:^|[^A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?:$|[^A-Za-z0-9_~.-])/,
  },
  { kind: "storage account key", pattern: /(?:^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?:$|[^A-Za-z0-9+/=])/ },
];

/** Input names whose value is a credential: a literal there is a secret whatever it looks like. */
export const SECRET_INPUT_NAMES = [
  "password",
  "adminpassword",
  "administratorloginpassword",
  "clientsecret",
  "certificatepassword",
  "primarykey",
  "secondarykey",
  "accountkey",
  "sharedaccesskey",
  "apikey",
  "subscriptionkey",
];

/** Reference forms that stand for a secret without holding it. */
const REFERENCE =
  /^(?:\{\{[^}]+\}\}|@Microsoft\.KeyVault\(.*\)|https:\/\/[a-z0-9-]+\.vault\.azure\.(?:net|cn|us)\/.*|\[.*\])$/i;

/**
 * `type#path` of inputs where a secret value belongs: the value of a Key Vault secret, and an alert
 * webhook URL (Azure Monitor takes the URL itself, which embeds its token; it cannot be a Key Vault
 * reference, so marking it secret is the only protection available).
 */
export const DEFAULT_ALLOWED_SECRET_INPUTS = [
  `${T.secret}#properties.value`,
  `${T.actionGroup}#webhookReceivers.*.serviceUri`,
];

interface Config {
  readonly allowedSecretInputs: readonly string[];
}

export const noLiteralSecrets = resourceRule({
  name: "secrets-no-literal-secrets",
  area: "secrets",
  description:
    "No secret in any string input of any resource (app settings, environment variables, tags, policy XML, template parameters): no " +
    "account or shared access keys, connection-string passwords, SAS signatures, PEM private keys, JWTs or Entra client secrets, no " +
    "literal in a credential input (password, clientSecret, primaryKey, ...), and no value marked secret outside a Key Vault secret. " +
    "Consumers get Key Vault references.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Store the secret in Key Vault (a `keyvault.Secret` whose value comes from `config.requireSecret`) and pass a reference: a Key Vault " +
    "named value (`{{name}}`) in API Management, `configuration.secrets[].keyVaultUrl` + `secretRef` in Container Apps, " +
    "`@Microsoft.KeyVault(SecretUri=...)` in App Service settings, a Key Vault `reference` for ARM template parameters. Prefer managed " +
    "identities over keys altogether.",
  seedControls: [SEED.secureStorage, SEED.tokenManagement],
  azureBuiltins: [],
  rulesets: ["Azure.APIM.EncryptValues"],
  resourceTypes: [ANY_TYPE],
  configSchema: {
    properties: {
      allowedSecretInputs: {
        type: "array",
        items: { type: "string", pattern: "^[^#]+#.+$" },
        default: DEFAULT_ALLOWED_SECRET_INPUTS,
        description:
          "`<type token>#<input path>` where a value marked secret is expected (array indexes as `*`).",
      },
    },
  },
  validate: (props, args, report) => {
    const { allowedSecretInputs } = {
      allowedSecretInputs: DEFAULT_ALLOWED_SECRET_INPUTS,
      ...args.getConfig<Partial<Config>>(),
    };
    const allowed = allowedSecretInputs.map((entry) => entry.toLowerCase());
    // Provider credentials belong in the provider's config, marked secret by the CLI: the marker is expected there.
    const isProvider = args.type.startsWith("pulumi:providers:");
    walkStrings(props, (path, text) => {
      if (text === SECRET_MARKER) {
        const where = `${args.type}#${path.replace(/\.\d+(?=\.|$)/g, ".*")}`.toLowerCase();
        // The SDK marks a whole top-level input secret when a value inside it is: `properties` of a Key Vault secret.
        const allowedHere = allowed.some((entry) => entry === where || entry.startsWith(`${where}.`));
        if (!isProvider && !allowedHere) {
          report(
            `${path} holds a value marked secret: pass a Key Vault reference instead of the secret itself.`,
          );
        }
        return;
      }
      const match = SECRET_PATTERNS.find(({ pattern }) => pattern.test(text));
      if (match) {
        report(`${path} contains a literal ${match.kind}.`);
        return;
      }
      const name = path.split(".").pop()?.toLowerCase() ?? "";
      if (SECRET_INPUT_NAMES.includes(name) && text.trim().length > 0 && !REFERENCE.test(text.trim())) {
        report(`${path} is a credential input with a literal value.`);
      }
    });
  },
});
