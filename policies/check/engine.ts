/**
 * Evaluates the pack over a plan exactly as the Pulumi engine does: the pack's own entry starts its own
 * Analyzer gRPC server (in this process, `servePolicyPackInProcess` in tools/cli-host/policy-host.ts;
 * `check:cli-fidelity` proves the same verdicts from the pack started by the SDK's `cmd/run-policy-pack`
 * as the CLI starts it) and is driven over the Analyzer gRPC interface: `GetAnalyzerInfo`, `Configure`
 * with the environment's pack config, one `Analyze` per resource, then one `AnalyzeStack` with every resource, its parent and dependencies.
 * Enforcement levels, `notApplicable`, unknown values (advisory "can't run policy during preview") and
 * violation messages are therefore the pack's own answers, with no import of `@pulumi/policy` internals.
 *
 * What the engine resolves before `Configure` is resolved here from the analyzer info: each policy's
 * level (policy entry > `all` > the policy's own) and its config (the configured values over the
 * schema defaults).
 *
 * Plan values: `"[secret]"` is passed through as the string it is (the CLI would show the policy the
 * plaintext; a plan has none), `"[unknown]"` and the engine's unknown sentinel become the unknown
 * value the analyzer recognises.
 *
 * One pack serves every evaluation in a process; evaluations are queued because `Configure` sets the
 * pack's state for the next calls.
 */
import * as path from "node:path";
import type { EnforcementLevel, Severity } from "@pulumi/policy";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct, Value } from "google-protobuf/google/protobuf/struct_pb";
import { type AnalyzerSession, servePolicyPackInProcess } from "../../tools/cli-host/policy-host";
import { EMPTY_PACK_CONFIG, type PackConfig } from "./pack-config";
import { planResources, type PlanResourceState, type PreviewPlan, SECRET_PLACEHOLDER } from "./plan";

export { loadPackConfig, PackConfigError, parsePackConfig, type PackConfig } from "./pack-config";

export interface Violation {
  readonly policyName: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity?: Severity;
  readonly urn?: string;
  readonly resourceType?: string;
  /** The message as the CLI prints it: the policy description, then the specific finding. */
  readonly message: string;
  readonly description?: string;
}

export interface NotApplicable {
  readonly policyName: string;
  readonly reason: string;
  /** How many resources (or stacks, for stack policies) it did not apply to. */
  readonly count: number;
}

export interface PolicyReport {
  readonly violations: readonly Violation[];
  readonly mandatoryCount: number;
  readonly advisoryCount: number;
  readonly notApplicable: readonly NotApplicable[];
  readonly resourceCount: number;
  readonly policyCount: number;
  readonly environment?: string;
  readonly packName: string;
  readonly packVersion: string;
}

export interface EvaluateOptions {
  readonly environment?: string;
  readonly packConfig?: PackConfig;
}

/** The analyzer's unknown sentinel (`@pulumi/pulumi/runtime/rpc` `unknownValue`). */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The pack's directory: the one `pulumi preview --policy-pack policies` names. */
export const PACK_DIRECTORY = path.resolve(__dirname, "..");
let session: Promise<AnalyzerSession> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** The pack, started on first use and kept for the rest of the process. */
export function packSession(): Promise<AnalyzerSession> {
  session ??= servePolicyPackInProcess(PACK_DIRECTORY);
  return session;
}

/** Stops the pack (it is also stopped when the process exits). */
export async function closePackSession(): Promise<void> {
  const current = session;
  session = undefined;
  if (current) (await current.catch(() => undefined))?.close();
}

export function evaluatePlan(plan: PreviewPlan, options: EvaluateOptions = {}): Promise<PolicyReport> {
  const next = queue.then(async () => analyzePlan(await packSession(), plan, options));
  queue = next.catch(() => undefined);
  return next;
}

/** One evaluation over an Analyzer connection, in the engine's order of calls. */
export async function analyzePlan(
  analyzer: AnalyzerSession,
  plan: PreviewPlan,
  options: EvaluateOptions = {},
): Promise<PolicyReport> {
  const info = await analyzer.getAnalyzerInfo();
  await analyzer.configure(policyConfig(info, options.packConfig ?? EMPTY_PACK_CONFIG));

  const resources = planResources(plan);
  const typeByUrn = new Map(resources.map((resource) => [resource.urn, resource.type]));
  const violations: Violation[] = [];
  const notApplicable = new Map<string, NotApplicable>();
  const collect = (response: analyzerpb.AnalyzeResponse, defaultUrn?: string): void => {
    for (const diagnostic of response.getDiagnosticsList()) {
      const urn = diagnostic.getUrn() || defaultUrn;
      const severity = SEVERITIES[diagnostic.getSeverity()];
      violations.push({
        policyName: diagnostic.getPolicyname(),
        enforcementLevel: LEVELS[diagnostic.getEnforcementlevel()] ?? "advisory",
        ...(severity ? { severity } : {}),
        ...(urn ? { urn } : {}),
        ...(urn && typeByUrn.has(urn) ? { resourceType: typeByUrn.get(urn) } : {}),
        message: diagnostic.getMessage(),
        description: diagnostic.getDescription(),
      });
    }
    for (const item of response.getNotApplicableList()) {
      const key = `${item.getPolicyName()}\u0000${item.getReason()}`;
      const previous = notApplicable.get(key);
      notApplicable.set(key, {
        policyName: item.getPolicyName(),
        reason: item.getReason(),
        count: (previous?.count ?? 0) + 1,
      });
    }
  };

  // Each resource's inputs are converted to a protobuf Struct once and the same message is used by its
  // Analyze request and by the AnalyzeStack request (gRPC encodes each request on its own).
  const inputStructs = resources.map((resource) => struct(resource.inputs ?? {}));
  for (const [index, resource] of resources.entries()) {
    collect(await analyzer.analyze(analyzeRequest(resource, inputStructs[index]!)), resource.urn);
  }
  const stackRequest = new analyzerpb.AnalyzeStackRequest();
  stackRequest.setResourcesList(
    resources.map((resource, index) => analyzerResource(resource, inputStructs[index]!)),
  );
  collect(await analyzer.analyzeStack(stackRequest));

  const mandatoryCount = violations.filter((violation) => violation.enforcementLevel === "mandatory").length;
  return {
    violations,
    mandatoryCount,
    advisoryCount: violations.length - mandatoryCount,
    notApplicable: [...notApplicable.values()],
    resourceCount: resources.length,
    policyCount: info.getPoliciesList().length,
    ...(options.environment ? { environment: options.environment } : {}),
    packName: info.getName(),
    packVersion: info.getVersion(),
  };
}

const LEVELS: Readonly<Record<number, EnforcementLevel>> = {
  [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
};

const LEVEL_CODES: Readonly<Record<EnforcementLevel, analyzerpb.EnforcementLevel>> = {
  advisory: analyzerpb.EnforcementLevel.ADVISORY,
  mandatory: analyzerpb.EnforcementLevel.MANDATORY,
  remediate: analyzerpb.EnforcementLevel.REMEDIATE,
  disabled: analyzerpb.EnforcementLevel.DISABLED,
};

const SEVERITIES: Readonly<Record<number, Severity | undefined>> = {
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/**
 * The `Configure` request the engine sends for a pack config: for every policy the pack reports,
 * its level (policy entry > `all` > the policy's own) and its config (configured values over the
 * defaults of the schema the pack reports).
 */
export function policyConfig(
  info: analyzerpb.AnalyzerInfo,
  config: PackConfig,
): Map<string, analyzerpb.PolicyConfig> {
  const result = new Map<string, analyzerpb.PolicyConfig>();
  for (const policy of info.getPoliciesList()) {
    const name = policy.getName();
    const entry = config.policies[name];
    const own = LEVELS[policy.getEnforcementlevel()] ?? "advisory";
    const level = entry?.enforcementLevel ?? config.all ?? own;
    const schema = policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {};
    const values: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema)) {
      const fallback = (property as { default?: unknown } | null)?.default;
      if (fallback !== undefined) values[key] = fallback;
    }
    Object.assign(values, entry?.config ?? {});
    const item = new analyzerpb.PolicyConfig();
    item.setEnforcementlevel(LEVEL_CODES[level]);
    item.setProperties(struct(values));
    result.set(name, item);
  }
  return result;
}

/** Plan values as the analyzer receives them (see the module comment). */
export function toAnalyzerValue(value: unknown): unknown {
  if (value === "[unknown]" || value === UNKNOWN_SENTINEL) return UNKNOWN_SENTINEL;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : toAnalyzerValue(item)));
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    // A real `pulumi preview --json` keeps the secret envelope around the (blinded) ciphertext.
    if (record[SIG_KEY] === SECRET_SIG) return SECRET_PLACEHOLDER;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record))
      if (item !== undefined) out[key] = toAnalyzerValue(item);
    return out;
  }
  return value;
}

function struct(value: Record<string, unknown>): Struct {
  // Struct.fromJavaScript's declared parameter type is narrower than the JSON it accepts.
  return Struct.fromJavaScript(toAnalyzerValue(value) as Parameters<typeof Struct.fromJavaScript>[0]);
}

function resourceOptions(resource: PlanResourceState): analyzerpb.AnalyzerResourceOptions {
  const options = new analyzerpb.AnalyzerResourceOptions();
  options.setProtect(resource.protect ?? false);
  options.setIgnorechangesList([]);
  options.setAliasesList([]);
  options.setAdditionalsecretoutputsList([]);
  options.setCustomtimeouts(new analyzerpb.AnalyzerResourceOptions.CustomTimeouts());
  if (resource.parent) options.setParent(resource.parent);
  return options;
}

function resourceName(urn: string): string {
  const index = urn.lastIndexOf("::");
  return index >= 0 ? urn.slice(index + 2) : urn;
}

function analyzeRequest(resource: PlanResourceState, inputs: Struct): analyzerpb.AnalyzeRequest {
  const request = new analyzerpb.AnalyzeRequest();
  request.setType(resource.type);
  request.setUrn(resource.urn);
  request.setName(resourceName(resource.urn));
  request.setProperties(inputs);
  request.setOptions(resourceOptions(resource));
  return request;
}

/**
 * Stack policies see the resource's inputs plus its `id` when the plan knows it: after an update the
 * CLI hands stack policies the outputs, which carry the ID that other resources refer to.
 */
function analyzerResource(resource: PlanResourceState, inputs: Struct): analyzerpb.AnalyzerResource {
  const item = new analyzerpb.AnalyzerResource();
  item.setType(resource.type);
  item.setUrn(resource.urn);
  item.setName(resourceName(resource.urn));
  const id = resource.outputs?.["id"];
  if (typeof id === "string" && id.length > 0 && !("id" in (resource.inputs ?? {}))) {
    // The inputs plus the ID: a new Struct sharing the inputs' values (the Analyze request keeps its own).
    const withId = new Struct();
    const fields = withId.getFieldsMap();
    for (const [key, value] of inputs.getFieldsMap().entries()) fields.set(key, value);
    fields.set("id", Value.fromJavaScript(id));
    item.setProperties(withId);
  } else {
    item.setProperties(inputs);
  }
  item.setOptions(resourceOptions(resource));
  if (resource.parent) item.setParent(resource.parent);
  item.setDependenciesList([...(resource.dependencies ?? [])]);
  const dependencies = item.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
    const entry = new analyzerpb.AnalyzerPropertyDependencies();
    entry.setUrnsList([...urns]);
    dependencies.set(key, entry);
  }
  return item;
}

/** A table of violations (rule, level, resource, finding) and a one-line summary. */
export function formatReport(report: PolicyReport): string {
  const rows = [...report.violations]
    .sort(
      (a, b) =>
        levelRank(a.enforcementLevel) - levelRank(b.enforcementLevel) ||
        a.policyName.localeCompare(b.policyName) ||
        (a.urn ?? "").localeCompare(b.urn ?? ""),
    )
    .map((violation) => [
      violation.policyName,
      violation.enforcementLevel,
      violation.urn ?? "(stack)",
      finding(violation),
    ]);
  const lines: string[] = [];
  if (rows.length > 0) {
    const header = ["RULE", "LEVEL", "RESOURCE", "MESSAGE"];
    const widths = [0, 1, 2].map((column) =>
      Math.max(header[column]?.length ?? 0, ...rows.map((row) => row[column]?.length ?? 0)),
    );
    const render = (row: readonly string[]): string =>
      row
        .map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell))
        .join("  ")
        .trimEnd();
    lines.push(render(header), render(widths.map((width) => "-".repeat(width)).concat("-------")));
    for (const row of rows) lines.push(render(row));
    lines.push("");
  }
  const scope = report.environment ? ` (environment ${report.environment})` : "";
  lines.push(
    `Policy pack ${report.packName}@${report.packVersion}${scope}: ${report.policyCount} policies over ${report.resourceCount} resources: ` +
      `${report.mandatoryCount} mandatory, ${report.advisoryCount} advisory violation(s).`,
  );
  return lines.join("\n");
}

function levelRank(level: EnforcementLevel): number {
  return level === "mandatory" ? 0 : level === "remediate" ? 1 : 2;
}

/** The specific part of a violation message (the CLI prefixes the policy description). */
export function finding(violation: Violation): string {
  const { message, description } = violation;
  const specific =
    description && message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message;
  return specific.replace(/\s*\n\s*/g, " ").trim();
}
