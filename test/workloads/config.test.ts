/**
 * The config side of the image supply chain: a container image given by tag is refused by stack
 * config validation, with a message that names the key and says what is allowed.
 */
import { parseStackConfig, type ConfigProblem } from "../../infra/config";
import { containerServers } from "../../infra/workloads";
import { loadEngineConfig, stackFilePath } from "../../tools/offline/stack-files";

const SERVERS_KEY = "mcp-azure-gateway:mcpServers";

function problemsWithImage(image: string): ConfigProblem[] {
  const engine = loadEngineConfig(stackFilePath("dev"));
  const servers = JSON.parse(engine.values[SERVERS_KEY]!) as { container?: { image: string } }[];
  const docs = servers.find((server) => server.container !== undefined)!;
  docs.container!.image = image;
  const result = parseStackConfig({
    values: { ...engine.values, [SERVERS_KEY]: JSON.stringify(servers) },
    secretKeys: new Set(engine.secretKeys),
  });
  return result.ok ? [] : result.problems;
}

describe("container images in config", () => {
  test.each([
    ["a version tag", "crmcpgwshared.azurecr.io/mcp/docs-server:1.4.2"],
    ["latest", "crmcpgwshared.azurecr.io/mcp/docs-server:latest"],
    ["no tag at all", "crmcpgwshared.azurecr.io/mcp/docs-server"],
    ["a truncated digest", "crmcpgwshared.azurecr.io/mcp/docs-server@sha256:4f1c2b3a"],
  ])("%s is rejected with a clear message", (_label, image) => {
    const problems = problemsWithImage(image);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.key).toBe(`${SERVERS_KEY}[0].container.image`);
    expect(problems[0]!.message).toMatch(
      /pinned by digest: <registry>\/<repository>@sha256:<64 hex digits> \(tags are mutable\)/,
    );
  });

  test("a digest-pinned image is accepted", () => {
    expect(problemsWithImage(`crmcpgwshared.azurecr.io/mcp/docs-server@sha256:${"0a".repeat(32)}`)).toEqual(
      [],
    );
  });

  test.each(["dev", "staging", "prod"])(
    "the %s stack runs its docs server as a container and weather as an external backend",
    (stack) => {
      const engine = loadEngineConfig(stackFilePath(stack));
      const result = parseStackConfig({ values: engine.values, secretKeys: new Set(engine.secretKeys) });
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(containerServers(result.config.mcpServers).map((server) => server.name)).toEqual(["docs"]);
    },
  );
});
