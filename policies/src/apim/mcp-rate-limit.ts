import { section } from "../lib/apim";
import { mcpApiPolicyRule } from "./mcp-api-policy-rule";
import { SEED } from "../lib/metadata";
import { descendantsNamed, type XmlElement } from "../lib/xml";

export const mcpRateLimit = mcpApiPolicyRule({
  name: "apim-mcp-rate-limit",
  area: "apim",
  description:
    "MCP API policies rate-limit callers in <inbound> (rate-limit-by-key keyed on the validated token's subject, or rate-limit / " +
    "quota-by-key), so one client cannot exhaust the tools behind the gateway. Advisory by default; the staging and prod " +
    "configs make it mandatory.",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps:
    'Add `<rate-limit-by-key calls="..." renewal-period="60" counter-key="@(((Jwt)context.Variables[\\"token\\"]).Claims.GetValueOrDefault(\\"oid\\", \\"anonymous\\"))" />` ' +
    "after token validation; add quota-by-key for daily limits.",
  seedControls: [SEED.rateLimiting],
  azureBuiltins: [],
  checkDocument,
});

function checkDocument(root: XmlElement, report: (message: string) => void): void {
  const inbound = section(root, "inbound");
  if (
    !inbound ||
    descendantsNamed(inbound, "rate-limit-by-key", "rate-limit", "quota-by-key", "llm-token-limit").length ===
      0
  ) {
    report("<inbound> has no rate-limit-by-key, rate-limit or quota-by-key.");
  }
}
