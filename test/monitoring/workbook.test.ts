import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { WorkbookArgs } from "@pulumi/azure-native/applicationinsights";
import {
  buildGatewayWorkbook,
  serializeWorkbook,
  WORKBOOK_CATEGORY,
  WORKBOOK_DISPLAY_NAME,
  WORKBOOK_QUERIES_DIR,
  WORKBOOK_TILES,
} from "../../infra/monitoring/workbook";
import { analyzeKql } from "../../tools/kql/analyzer";
import { substituteWorkbookParameters } from "../../tools/kql/extract";
import { kqlFiles } from "../../tools/kql/sources";
import { countBy } from "../support/count";

const WORKSPACE_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law";

// Compile-time: the generator's output is what the Workbook resource takes.
const _args: Omit<WorkbookArgs, "resourceGroupName"> = {
  displayName: WORKBOOK_DISPLAY_NAME,
  category: WORKBOOK_CATEGORY,
  kind: "shared",
  sourceId: WORKSPACE_ID,
  serializedData: serializeWorkbook(buildGatewayWorkbook({ workspaceResourceId: WORKSPACE_ID })),
};

interface KqlTile {
  type: number;
  name: string;
  content: { query: string; title: string; visualization: string; timeContextFromParameter: string };
}

describe("gateway workbook", () => {
  const workbook = JSON.parse(
    serializeWorkbook(buildGatewayWorkbook({ workspaceResourceId: WORKSPACE_ID })),
  ) as {
    version: string;
    items: KqlTile[];
    fallbackResourceIds: string[];
  };
  const tiles = workbook.items.filter((item) => item.type === 3);

  it("is a Notebook/1.0 document bound to the workspace", () => {
    expect(workbook.version).toBe("Notebook/1.0");
    expect(workbook.fallbackResourceIds).toEqual([WORKSPACE_ID]);
    expect(workbook.items.some((item) => item.type === 9)).toBe(true);
  });

  it("shows requests, denials by reason, top tools and latency", () => {
    const titles = tiles.map((tile) => tile.content.title).join(" | ");
    for (const topic of ["Requests", "Denials by reason", "Top tools", "Latency"])
      expect(titles).toContain(topic);
    for (const tile of tiles) expect(tile.content.timeContextFromParameter).toBe("TimeRange");
  });

  it.each(kqlFiles(WORKBOOK_QUERIES_DIR))("%s is used by exactly one tile", (file) => {
    expect(countBy(WORKBOOK_TILES.map((tile) => tile.queryFile)).get(file)).toBe(1);
  });

  it.each(WORKBOOK_TILES.map((tile) => [tile.name, tile] as const))(
    "%s passes Microsoft's analyzer against the declared tables",
    (_name, tile) => {
      const rendered = tiles.find((t) => t.name === tile.name)!.content.query;
      expect(rendered).not.toContain("{{");
      // {TimeRange:grain} is the workbook's own parameter; the check stands a timespan in for it.
      const { text, problems: unreadable } = substituteWorkbookParameters(
        rendered,
        new Map([["TimeRange", 4]]),
      );
      expect(unreadable).toEqual([]);
      expect(text).not.toContain("{TimeRange");
      expect(analyzeKql(text).problems).toEqual([]);
      const source = readFileSync(path.join(WORKBOOK_QUERIES_DIR, tile.queryFile), "utf8");
      expect(source.startsWith("// ")).toBe(true);
    },
  );
});
