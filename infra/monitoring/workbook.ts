import * as path from "node:path";
import { loadKqlFile } from "../conventions/kql";

/**
 * The gateway workbook (`applicationinsights:Workbook`, kind "shared", category "workbook"): requests,
 * denials by reason, top tools, latency and the most-refused callers. Pure: the component passes the
 * workspace resource ID as `sourceId` and this module's `serializedData`.
 *
 * Queries live in `workbook/*.kql`. `{TimeRange:grain}` is the workbook's own time-range parameter
 * (single braces), filled in by the workbook at view time, not by our template renderer.
 */

export const WORKBOOK_QUERIES_DIR = path.join(__dirname, "workbook");

type Visualization = "timechart" | "barchart" | "table" | "areachart";

interface WorkbookTile {
  readonly name: string;
  readonly title: string;
  readonly queryFile: string;
  readonly visualization: Visualization;
}

/** Tiles in display order. */
export const WORKBOOK_TILES: readonly WorkbookTile[] = [
  {
    name: "requests",
    title: "Requests by status class",
    queryFile: "requests.kql",
    visualization: "areachart",
  },
  {
    name: "denials",
    title: "Denials by reason",
    queryFile: "denials-by-reason.kql",
    visualization: "barchart",
  },
  { name: "top-tools", title: "Top tools", queryFile: "top-tools.kql", visualization: "table" },
  {
    name: "latency",
    title: "Latency percentiles (ms)",
    queryFile: "latency.kql",
    visualization: "timechart",
  },
  {
    name: "top-denied",
    title: "Most-refused callers",
    queryFile: "top-denied-callers.kql",
    visualization: "table",
  },
];

const WORKSPACE_RESOURCE_TYPE = "microsoft.operationalinsights/workspaces";
const DAY_MS = 24 * 60 * 60 * 1000;

/** The workbook's JSON document (Notebook/1.0 schema). */
export interface WorkbookDocument {
  readonly version: "Notebook/1.0";
  readonly items: readonly unknown[];
  readonly fallbackResourceIds: readonly string[];
  readonly $schema: string;
}

export function loadWorkbookQuery(file: string): string {
  return loadKqlFile(path.join(WORKBOOK_QUERIES_DIR, file));
}

export function buildGatewayWorkbook(options: { readonly workspaceResourceId: string }): WorkbookDocument {
  const header = {
    type: 1,
    name: "header",
    content: {
      json: "## MCP gateway\nRequests, refusals, tools and latency from API Management's GatewayLogs and the policy's `mcp-gateway` trace events. Identities are Entra object IDs (oid); tokens and request bodies are never logged.",
    },
  };
  const parameters = {
    type: 9,
    name: "parameters",
    content: {
      version: "KqlParameterItem/1.0",
      parameters: [
        {
          id: "2f1d5c4e-6b7a-4c1e-9d3f-7a8b9c0d1e2f",
          version: "KqlParameterItem/1.0",
          name: "TimeRange",
          label: "Time range",
          type: 4,
          isRequired: true,
          value: { durationMs: DAY_MS },
          typeSettings: {
            selectableValues: [1, 4, 24, 72, 168].map((h) => ({ durationMs: h * 60 * 60 * 1000 })),
            allowCustom: true,
          },
        },
      ],
      style: "pills",
      queryType: 0,
      resourceType: WORKSPACE_RESOURCE_TYPE,
    },
  };
  const tiles = WORKBOOK_TILES.map((tile) => ({
    type: 3,
    name: tile.name,
    content: {
      version: "KqlItem/1.0",
      query: loadWorkbookQuery(tile.queryFile),
      size: 0,
      title: tile.title,
      timeContextFromParameter: "TimeRange",
      queryType: 0,
      resourceType: WORKSPACE_RESOURCE_TYPE,
      visualization: tile.visualization,
    },
  }));
  return {
    version: "Notebook/1.0",
    items: [header, parameters, ...tiles],
    fallbackResourceIds: [options.workspaceResourceId],
    $schema: "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json",
  };
}

/** `serializedData` for the workbook resource. */
export function serializeWorkbook(workbook: WorkbookDocument): string {
  return JSON.stringify(workbook);
}

/** Display name and category for the workbook resource (its resource name must be a GUID). */
export const WORKBOOK_DISPLAY_NAME = "MCP gateway";
export const WORKBOOK_CATEGORY = "workbook";
