import type { McpServerConfig } from "../../infra/config";
import {
  COGNITIVE_SERVICES_TOKEN_RESOURCE,
  PROMPT_SHIELDS_API_VERSION,
  serversWithPromptShields,
  shieldPromptUrl,
} from "../../infra/content-safety";
import { COGNITIVE_SERVICES_USER_ROLE_ID } from "../../infra/content-safety/rbac";
import { roleDefinitionId } from "../../infra/conventions/rbac";

function server(name: string, contentSafety: McpServerConfig["contentSafety"]): McpServerConfig {
  return {
    name,
    displayName: name,
    backendUrl: `https://${name}.example.com/mcp`,
    backendAuth: { type: "managedIdentity" },
    tools: [],
    methods: [],
    contentSafety,
  } as McpServerConfig;
}

describe("Prompt Shields facts", () => {
  test("the GA API version and the managed identity token resource", () => {
    expect(PROMPT_SHIELDS_API_VERSION).toBe("2024-09-01");
    expect(COGNITIVE_SERVICES_TOKEN_RESOURCE).toBe("https://cognitiveservices.azure.com");
  });

  test("the shieldPrompt URL is built on a custom-subdomain endpoint, with or without a trailing slash", () => {
    const expected =
      "https://cs-mcpgw-prod-weu-safety-abcde.cognitiveservices.azure.com/contentsafety/text:shieldPrompt?api-version=2024-09-01";
    expect(shieldPromptUrl("https://cs-mcpgw-prod-weu-safety-abcde.cognitiveservices.azure.com/")).toBe(
      expected,
    );
    expect(shieldPromptUrl("https://cs-mcpgw-prod-weu-safety-abcde.cognitiveservices.azure.com")).toBe(
      expected,
    );
  });

  test.each([
    "https://westeurope.api.cognitive.microsoft.com/",
    "http://cs.cognitiveservices.azure.com/",
    "https://cs.cognitiveservices.azure.com.evil.com/",
  ])("%s is refused (regional endpoints take keys only; Entra ID needs the custom subdomain)", (endpoint) => {
    expect(() => shieldPromptUrl(endpoint)).toThrow(/custom-subdomain/);
  });

  test("only servers that enable it are screened; fail mode is theirs to choose", () => {
    const servers = [
      server("docs", { enabled: true, failMode: "closed" }),
      server("weather", { enabled: false, failMode: "closed" }),
      server("wiki", { enabled: true, failMode: "open" }),
    ];
    expect(serversWithPromptShields(servers).map((s) => [s.name, s.contentSafety.failMode])).toEqual([
      ["docs", "closed"],
      ["wiki", "open"],
    ]);
    expect(serversWithPromptShields([servers[1]!])).toEqual([]);
  });

  test("the role is Cognitive Services User, in the scope's subscription", () => {
    expect(COGNITIVE_SERVICES_USER_ROLE_ID).toBe("a97b65f3-24c7-4388-baec-2e87135dc908");
    expect(
      roleDefinitionId(
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg",
        COGNITIVE_SERVICES_USER_ROLE_ID,
      ),
    ).toBe(
      "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions/a97b65f3-24c7-4388-baec-2e87135dc908",
    );
  });
});
