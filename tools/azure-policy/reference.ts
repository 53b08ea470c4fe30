/**
 * The Azure built-in policy definitions this deployment is judged by, read from
 * `../shared/reference/azure-policy/` (Azure/azure-policy built-ins: `INDEX.tsv`, one JSON per
 * definition, `ALIASES.tsv`, `MCSB_ASSIGNMENT_PARAMS.tsv` and the two benchmark initiatives in
 * `_initiatives/`). `AZURE_POLICY_REFERENCE` overrides the folder.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { BENCHMARK_INITIATIVES, type BenchmarkInitiative } from "../../infra/governance/assignments";

export const REFERENCE_DIR =
  process.env.AZURE_POLICY_REFERENCE ??
  path.resolve(__dirname, "..", "..", "..", "shared", "reference", "azure-policy");

export function referenceAvailable(dir: string = REFERENCE_DIR): boolean {
  return existsSync(path.join(dir, "INDEX.tsv"));
}

export type Initiative = BenchmarkInitiative;
export { BENCHMARK_INITIATIVES };

export function initiativeGuid(initiative: Initiative): string {
  return initiative.policySetDefinitionId.split("/").pop() ?? "";
}

export interface DefinitionMembership {
  readonly initiative: Initiative;
  /** `policyDefinitionReferenceId` inside the initiative (what an exemption names). */
  readonly referenceId: string;
  /** Parameter values the initiative passes by default (effect included when it sets one). */
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface PolicyDefinition {
  /** `Category/Name` (the INDEX file without `.json`). */
  readonly file: string;
  readonly guid: string;
  readonly displayName: string;
  readonly mode: string;
  /** Resource types named in INDEX (comma separated there). */
  readonly resourceTypes: readonly string[];
  readonly policyRule: { readonly if: unknown; readonly then: Record<string, unknown> };
  readonly parameterDefaults: Readonly<Record<string, unknown>>;
  readonly memberships: readonly DefinitionMembership[];
}

export interface AliasRow {
  readonly alias: string;
  /** Path in the ARM resource document, e.g. `properties.networkAcls.defaultAction`. */
  readonly armPath: string;
  readonly note: string;
}

function readTsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const columns = (header ?? "").split("\t");
  return lines.map((line) =>
    Object.fromEntries(line.split("\t").map((cell, index) => [columns[index] ?? `${index}`, cell])),
  );
}

export function loadAliases(dir: string = REFERENCE_DIR): Map<string, AliasRow> {
  const rows = readTsv(path.join(dir, "ALIASES.tsv"));
  return new Map(
    rows.map((row) => [
      (row.alias ?? "").toLowerCase(),
      { alias: row.alias ?? "", armPath: row.suggested_arm_json_path ?? "", note: row.note ?? "" },
    ]),
  );
}

/** Every definition that belongs to a benchmark initiative, with its memberships. */
export function loadBenchmarkDefinitions(dir: string = REFERENCE_DIR): PolicyDefinition[] {
  const index = new Map(readTsv(path.join(dir, "INDEX.tsv")).map((row) => [row.id ?? "", row]));
  const memberships = new Map<string, DefinitionMembership[]>();
  for (const row of readTsv(path.join(dir, "MCSB_ASSIGNMENT_PARAMS.tsv"))) {
    const initiative = BENCHMARK_INITIATIVES.find((candidate) =>
      (row.initiative ?? "").startsWith(candidate.label),
    );
    if (!initiative) throw new Error(`MCSB_ASSIGNMENT_PARAMS.tsv: unknown initiative '${row.initiative}'`);
    const guid = row.definition_id ?? "";
    const list = memberships.get(guid) ?? [];
    list.push({
      initiative,
      referenceId: row.policyDefinitionReferenceId ?? "",
      parameters: JSON.parse(row["params_as_set_by_initiative_defaults(json)"] ?? "{}") as Record<
        string,
        unknown
      >,
    });
    memberships.set(guid, list);
  }
  const definitions: PolicyDefinition[] = [];
  for (const [guid, list] of memberships) {
    const row = index.get(guid);
    if (!row) throw new Error(`MCSB_ASSIGNMENT_PARAMS.tsv names ${guid}, which INDEX.tsv does not list`);
    const file = (row.file ?? "").replace(/\.json$/, "");
    const json = JSON.parse(readFileSync(path.join(dir, `${file}.json`), "utf8")) as {
      properties: {
        mode: string;
        parameters?: Record<string, { defaultValue?: unknown }>;
        policyRule: PolicyDefinition["policyRule"];
      };
    };
    const parameterDefaults: Record<string, unknown> = {};
    for (const [name, parameter] of Object.entries(json.properties.parameters ?? {}))
      if (parameter.defaultValue !== undefined) parameterDefaults[name] = parameter.defaultValue;
    definitions.push({
      file,
      guid,
      displayName: row.displayName ?? "",
      mode: json.properties.mode,
      resourceTypes: (row.resourceType ?? "").split(",").map((type) => type.trim()),
      policyRule: json.properties.policyRule,
      parameterDefaults,
      memberships: list,
    });
  }
  return definitions.sort((a, b) => a.file.localeCompare(b.file));
}
