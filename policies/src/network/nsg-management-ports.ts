import { SEED } from "../lib/metadata";
import { asArray, get, ieq, inList, isRecord } from "../lib/props";
import { canonicalType, resourceRule } from "../lib/rule";
import { T } from "../lib/types";

/** Sources that mean "anyone on the internet". */
const OPEN_SOURCES = ["*", "0.0.0.0/0", "0.0.0.0", "Internet", "Any", "::/0"];

interface Config {
  readonly ports: readonly number[];
}

const DEFAULTS: Config = { ports: [22, 3389, 5985, 5986] };

export const nsgManagementPorts = resourceRule({
  name: "network-nsg-no-open-management-ports",
  area: "network",
  description:
    "No network security group rule allows inbound traffic from the internet (any source) to a management port (SSH, RDP, WinRM).",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Restrict the rule's source to a specific range or service tag, or remove it; administer through Bastion or a private path.",
  seedControls: [SEED.toolExecution, SEED.authentication],
  azureBuiltins: [],
  rulesets: ["CKV_AZURE_9", "CKV_AZURE_10"],
  resourceTypes: [T.networkSecurityGroup, T.securityRule],
  configSchema: {
    properties: {
      ports: {
        type: "array",
        items: { type: "integer", minimum: 1, maximum: 65535 },
        default: DEFAULTS.ports,
        description: "Management ports.",
      },
    },
  },
  validate: (props, args, report) => {
    const { ports } = { ...DEFAULTS, ...args.getConfig<Partial<Config>>() };
    const rules =
      canonicalType(args.type) === T.securityRule ? [props] : asArray(get(props, "securityRules"));
    rules.forEach((rule, index) => {
      if (!ieq(get(rule, "direction"), "Inbound") || !ieq(get(rule, "access"), "Allow")) return;
      const sources = [
        get(rule, "sourceAddressPrefix"),
        ...asArray(get(rule, "sourceAddressPrefixes")),
      ].filter((s) => s !== undefined);
      if (!sources.some((source) => inList(source, OPEN_SOURCES))) return;
      const ranges = [
        get(rule, "destinationPortRange"),
        ...asArray(get(rule, "destinationPortRanges")),
      ].filter((r) => r !== undefined);
      const exposed = ports.filter((port) => ranges.some((range) => coversPort(range, port)));
      if (exposed.length > 0) {
        const name =
          isRecord(rule) && typeof rule["name"] === "string"
            ? rule["name"]
            : canonicalType(args.type) === T.securityRule
              ? args.name
              : String(index);
        report(`rule ${name} allows inbound from the internet to management port(s) ${exposed.join(", ")}.`);
      }
    });
  },
});

/** `*`, a port, or a `from-to` range (as string or number). */
export function coversPort(range: unknown, port: number): boolean {
  if (typeof range === "number") return range === port;
  if (typeof range !== "string") return false;
  const text = range.trim();
  if (text === "*") return true;
  const [from, to] = text.split("-").map((part) => Number(part.trim()));
  if (from === undefined || Number.isNaN(from)) return false;
  return to === undefined ? from === port : !Number.isNaN(to) && from <= port && port <= to;
}
