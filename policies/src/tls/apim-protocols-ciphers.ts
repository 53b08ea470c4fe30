import { SEED } from "../lib/metadata";
import { get, inList, isFalse, isRecord, show } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";

const PREFIX = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.";

/** Client- and backend-side protocols older than TLS 1.2. */
export const LEGACY_PROTOCOL_KEYS = [
  "Protocols.Tls10",
  "Protocols.Tls11",
  "Protocols.Ssl30",
  "Backend.Protocols.Tls10",
  "Backend.Protocols.Tls11",
  "Backend.Protocols.Ssl30",
].map((key) => PREFIX + key);

/** Weak ciphers (3DES, CBC and non-forward-secret RSA key exchange), PSRule Azure.APIM.Ciphers' list. */
export const DEFAULT_WEAK_CIPHERS = [
  "TripleDes168",
  "TLS_RSA_WITH_AES_128_CBC_SHA",
  "TLS_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_AES_128_CBC_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_AES_256_CBC_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  "TLS_RSA_WITH_AES_128_GCM_SHA256",
];

/** Tiers that do not allow the cipher configuration to change (Microsoft Learn, "Manage protocols and ciphers"). */
const FIXED_CIPHER_TIERS = ["Consumption", "BasicV2", "StandardV2", "PremiumV2"];

interface Config {
  readonly weakCiphers: readonly string[];
}

export const apimProtocolsCiphers = resourceRule({
  name: "tls-apim-protocols-ciphers",
  area: "tls",
  description:
    "API Management cannot be limited to TLS 1.3 (Azure caps the gateway at negotiating 1.2 as minimum); so SSL 3.0, TLS 1.0 and " +
    "TLS 1.1 are explicitly off on the client and backend side, and on tiers that allow it the weak ciphers are explicitly off. " +
    "TLS 1.3-only clients are served by the edge in front of it (tls-minimum-1-3).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "In `customProperties` set each of `Microsoft.WindowsAzure.ApiManagement.Gateway.Security.{Protocols,Backend.Protocols}.{Tls10,Tls11,Ssl30}` " +
    'to "False" and, on classic tiers, each weak cipher `...Security.Ciphers.<name>` to "False".',
  seedControls: [SEED.secureCommunication],
  azureBuiltins: [],
  rulesets: ["Azure.APIM.Protocols", "Azure.APIM.Ciphers", "CKV_AZURE_173"],
  resourceTypes: [T.apimService],
  configSchema: {
    properties: {
      weakCiphers: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: DEFAULT_WEAK_CIPHERS,
        description:
          "Cipher names (the part after `...Security.Ciphers.`) that must be explicitly False on classic tiers.",
      },
    },
  },
  validate: (props, args, report) => {
    const { weakCiphers } = { weakCiphers: DEFAULT_WEAK_CIPHERS, ...args.getConfig<Partial<Config>>() };
    const custom = get(props, "customProperties");
    const lookup = (key: string): unknown => {
      if (!isRecord(custom)) return undefined;
      const match = Object.keys(custom).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
      return match === undefined ? undefined : custom[match];
    };
    const notOff = (keys: readonly string[]): string[] => keys.filter((key) => !isFalse(lookup(key)));
    const protocols = notOff(LEGACY_PROTOCOL_KEYS);
    if (protocols.length > 0) {
      report(
        `customProperties must set these to "False" (missing counts as on): ${protocols.map((key) => `${key.slice(PREFIX.length)}=${show(lookup(key))}`).join(", ")}.`,
      );
    }
    const tier = get(props, "sku.name");
    if (!inList(tier, FIXED_CIPHER_TIERS)) {
      const ciphers = notOff(weakCiphers.map((cipher) => `${PREFIX}Ciphers.${cipher}`));
      if (ciphers.length > 0) {
        report(
          `on the ${show(tier)} tier customProperties must disable weak ciphers: ${ciphers.map((key) => `${key.slice(PREFIX.length)}=${show(lookup(key))}`).join(", ")}.`,
        );
      }
    }
  },
});
