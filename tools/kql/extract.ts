import { planResources, type PlanResourceState, type PreviewPlan } from "../../policies/check/plan";

/**
 * Every KQL text a stack deploys, taken from its plan (the offline preview's or `pulumi preview --json`):
 * the queries exactly as Azure receives them, after the program's templating.
 */

/** One query as deployed. `location` is where in the resource's inputs it sits. */
export interface DeployedQuery {
  readonly stack: string;
  readonly resourceType: string;
  /** The resource's logical name (the URN's last segment). */
  readonly resource: string;
  readonly location: string;
  /** The text as deployed (what the source map matches against). */
  readonly deployed: string;
  /**
   * The text the analyzer reads: `deployed` with workbook parameters (`{TimeRange:grain}`) replaced by
   * stand-ins of the same type, on the same lines (so line numbers still map to the source file).
   */
  readonly text: string;
}

/** A query the check could not take apart, reported instead of silently skipped. */
export interface ExtractionProblem {
  readonly stack: string;
  readonly resourceType: string;
  readonly resource: string;
  readonly location: string;
  readonly message: string;
}

export interface Extraction {
  readonly queries: DeployedQuery[];
  readonly problems: ExtractionProblem[];
}

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const arrayAt = (value: Json): Json[] => (Array.isArray(value) ? value : []);

interface Sink {
  readonly stack: string;
  readonly resourceType: string;
  readonly resource: string;
  readonly out: Extraction;
}

function add(sink: Sink, location: string, query: Json, text?: string): void {
  if (typeof query !== "string") {
    sink.out.problems.push({
      ...fields(sink),
      location,
      message: `expected a KQL string, found ${typeof query}`,
    });
    return;
  }
  sink.out.queries.push({ ...fields(sink), location, deployed: query, text: text ?? query });
}

const fields = ({ stack, resourceType, resource }: Sink) => ({ stack, resourceType, resource });

// ---------------------------------------------------------------------------------------------
// Workbooks
// ---------------------------------------------------------------------------------------------

/**
 * Stand-ins for workbook parameters, by parameter type and format. Workbooks substitute `{Name}` and
 * `{Name:format}` textually before the query runs; the analyzer needs a value of the right type in its
 * place. Type 4 is the time-range picker: `:grain` is the bin size Workbooks derive from the range.
 */
const TIME_RANGE_TYPE = 4;
const TIME_RANGE_STAND_INS: Readonly<Record<string, string>> = {
  grain: "1h",
  start: "datetime(2026-01-01T00:00:00Z)",
  end: "datetime(2026-01-02T00:00:00Z)",
};

/** `{Name}` / `{Name:format}` references in a workbook query (KQL never writes `{Identifier}` itself). */
const WORKBOOK_PARAMETER = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?\}/g;

/** Replaces each workbook parameter with its stand-in; a format without a stand-in is a problem. */
export function substituteWorkbookParameters(
  query: string,
  parameterTypes: ReadonlyMap<string, number>,
): { text: string; problems: string[] } {
  const problems: string[] = [];
  const text = query.replace(WORKBOOK_PARAMETER, (whole, name: string, format: string | undefined) => {
    const type = parameterTypes.get(name);
    // Workbooks leave a name that is no parameter as it is (comments say `{JSON}`); in query text the
    // analyzer then reports it as a syntax error, so a misspelt parameter is still caught.
    if (type === undefined) return whole;
    const standIn =
      type === TIME_RANGE_TYPE && format !== undefined ? TIME_RANGE_STAND_INS[format] : undefined;
    if (standIn === undefined) {
      problems.push(
        `${whole}: no stand-in for a type ${type} parameter${format ? ` with format ${format}` : ""} (tools/kql/extract.ts knows TimeRange :${Object.keys(TIME_RANGE_STAND_INS).join(", :")})`,
      );
      return whole;
    }
    return standIn;
  });
  return { text, problems };
}

/** Every item of a workbook, groups (type 12) included, with its JSON path. */
function workbookItems(items: Json, path: string): { item: Record<string, Json>; path: string }[] {
  return arrayAt(items).flatMap((item, index) => {
    if (!isObject(item)) return [];
    const here = `${path}[${index}]`;
    const content = isObject(item["content"]) ? item["content"] : {};
    return [{ item, path: here }, ...workbookItems(content["items"], `${here}.content.items`)];
  });
}

function addWorkbook(sink: Sink, location: string, serialized: Json): void {
  if (typeof serialized !== "string") {
    sink.out.problems.push({ ...fields(sink), location, message: "serializedData is not a string" });
    return;
  }
  let document: Json;
  try {
    document = JSON.parse(serialized);
  } catch (error) {
    sink.out.problems.push({
      ...fields(sink),
      location,
      message: `serializedData is not JSON: ${(error as Error).message}`,
    });
    return;
  }
  const items = workbookItems(isObject(document) ? document["items"] : [], "items");
  const parameterTypes = new Map<string, number>();
  for (const { item } of items) {
    const content = isObject(item["content"]) ? item["content"] : {};
    for (const parameter of arrayAt(content["parameters"])) {
      if (
        isObject(parameter) &&
        typeof parameter["name"] === "string" &&
        typeof parameter["type"] === "number"
      )
        parameterTypes.set(parameter["name"], parameter["type"]);
    }
  }
  for (const { item, path } of items) {
    const content = isObject(item["content"]) ? item["content"] : {};
    // Type 3 is a query item; queryType 0 is KQL against Log Analytics (others are ARG, ARM, ...).
    if (item["type"] !== 3 || (content["queryType"] ?? 0) !== 0) continue;
    const here = `${location} ${path}.content.query`;
    const query = content["query"];
    if (typeof query !== "string") {
      add(sink, here, query);
      continue;
    }
    const { text, problems } = substituteWorkbookParameters(query, parameterTypes);
    for (const message of problems) sink.out.problems.push({ ...fields(sink), location: here, message });
    add(sink, here, query, text);
  }
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

function addScheduledQueryRule(sink: Sink, criteria: Json, location: string): void {
  const allOf = isObject(criteria) ? arrayAt(criteria["allOf"]) : [];
  allOf.forEach((condition, index) => {
    if (isObject(condition) && condition["query"] !== undefined)
      add(sink, `${location}.allOf[${index}].query`, condition["query"]);
  });
}

/** ARM template resources (and nested `resources`) that carry KQL. */
function addArmResources(sink: Sink, resources: Json, path: string): void {
  arrayAt(resources).forEach((resource, index) => {
    if (!isObject(resource)) return;
    const here = `${path}[${index}]`;
    const type = typeof resource["type"] === "string" ? resource["type"].toLowerCase() : "";
    const properties = isObject(resource["properties"]) ? resource["properties"] : {};
    if (type === "microsoft.insights/scheduledqueryrules")
      addScheduledQueryRule(sink, properties["criteria"], `${here}.properties.criteria`);
    else if (
      type === "microsoft.securityinsights/alertrules" ||
      type.endsWith("/providers/alertrules") ||
      type === "microsoft.operationalinsights/workspaces/savedsearches"
    ) {
      if (properties["query"] !== undefined) add(sink, `${here}.properties.query`, properties["query"]);
    } else if (type === "microsoft.insights/workbooks")
      addWorkbook(sink, `${here}.properties.serializedData`, properties["serializedData"]);
    addArmResources(sink, resource["resources"], `${here}.resources`);
  });
}

/** Resource types whose inputs carry KQL, and where. */
const EXTRACTORS: Readonly<Record<string, (sink: Sink, inputs: Record<string, Json>) => void>> = {
  "azure-native:securityinsights:ScheduledAlertRule": (sink, inputs) => add(sink, "query", inputs["query"]),
  "azure-native:securityinsights:NrtAlertRule": (sink, inputs) => add(sink, "query", inputs["query"]),
  "azure-native:operationalinsights:SavedSearch": (sink, inputs) => add(sink, "query", inputs["query"]),
  "azure-native:monitor:ScheduledQueryRule": (sink, inputs) =>
    addScheduledQueryRule(sink, inputs["criteria"], "criteria"),
  "azure-native:applicationinsights:Workbook": (sink, inputs) =>
    addWorkbook(sink, "serializedData", inputs["serializedData"]),
  "azure-native:resources:Deployment": (sink, inputs) => {
    const properties = isObject(inputs["properties"]) ? inputs["properties"] : {};
    const template = isObject(properties["template"]) ? properties["template"] : {};
    addArmResources(sink, template["resources"], "properties.template.resources");
  },
};

export const QUERY_RESOURCE_TYPES = Object.keys(EXTRACTORS);

export function resourceName(resource: PlanResourceState): string {
  return resource.urn.slice(resource.urn.lastIndexOf("::") + 2);
}

/** Every deployed query of one stack's plan. */
export function planQueries(stack: string, plan: PreviewPlan): Extraction {
  const out: Extraction = { queries: [], problems: [] };
  for (const resource of planResources(plan)) {
    const extract = EXTRACTORS[resource.type];
    if (!extract) continue;
    extract({ stack, resourceType: resource.type, resource: resourceName(resource), out }, resource.inputs);
  }
  return out;
}
