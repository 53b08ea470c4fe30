/**
 * The conformance-only overlay of a stack's config that `conformance:official` runs: the stack file as it
 * is, plus one MCP server, the conformance fixture server (tools/gateway-local/fixture-backend.ts), on its
 * own path with the methods and tools the official suite's 2026-07-28 scenarios call. It never enters a
 * shipped stack file: it is written to a temporary file and goes through the same config schema and
 * offline plan as a real stack (readStackConfig, buildPlanInChild with `--config-file`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { PROJECT_NAME } from "../../infra/config";
import { stackFilePath } from "../offline/stack-files";
import { FIXTURE_METHODS, FIXTURE_TOOLS } from "../gateway-local/fixture-backend";

/** The fixture server's name, and so its path (`/conformance/mcp`). */
export const OFFICIAL_FIXTURE_SERVER = "conformance";
/** The app role its tools are granted to (one of the stacks' roles; the suite's token holds it). */
export const OFFICIAL_FIXTURE_ROLE = "MCP.Tools.Read";
/** The fixture server speaks only the revision the suite's scenarios are for. */
export const OFFICIAL_FIXTURE_REVISIONS = ["2026-07-28"] as const;

const SERVERS_KEY = `${PROJECT_NAME}:mcpServers`;

/** The fixture server's entry, in the stack file's shape (infra/config/mcp-servers.ts). */
export function fixtureServerEntry(): Record<string, unknown> {
  return {
    name: OFFICIAL_FIXTURE_SERVER,
    displayName: "Conformance fixture server (conformance runs only)",
    // Never called: the local gateway routes the server's backend to the local fixture server.
    backendUrl: "https://conformance-fixtures.example.com/mcp",
    tools: FIXTURE_TOOLS.map((name) => ({ name, roles: [OFFICIAL_FIXTURE_ROLE] })),
    methods: FIXTURE_METHODS.map((name) => ({ name, roles: [] })),
    protocolVersions: [...OFFICIAL_FIXTURE_REVISIONS],
  };
}

/** The stack file's document with the fixture server added (an error if the stack already has one so named). */
export function overlayDocument(stackDocument: unknown, stack: string): Record<string, unknown> {
  const document = (stackDocument ?? {}) as { config?: Record<string, unknown> };
  const config = { ...(document.config ?? {}) };
  const servers = Array.isArray(config[SERVERS_KEY]) ? (config[SERVERS_KEY] as unknown[]) : [];
  if (servers.some((s) => (s as { name?: unknown }).name === OFFICIAL_FIXTURE_SERVER)) {
    throw new Error(`stack ${stack} already has an MCP server named ${OFFICIAL_FIXTURE_SERVER}`);
  }
  config[SERVERS_KEY] = [...servers, fixtureServerEntry()];
  return { ...document, config };
}

export interface OverlayFile {
  readonly file: string;
  remove(): void;
}

/** Writes the overlay of `stack` to a temporary stack file. */
export function writeOverlayFile(stack: string): OverlayFile {
  const document = overlayDocument(parseYaml(readFileSync(stackFilePath(stack), "utf8")), stack);
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpgw-official-overlay-"));
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, stringifyYaml(document));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
