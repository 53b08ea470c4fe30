/**
 * The pack over the real program: every stack's offline preview (built once per jest run by
 * test/support/global-setup.js) is free of mandatory violations under its environment's config, and
 * insecure variants of a stack's config are caught.
 */
import { evaluatePlan, formatReport, loadPackConfig, type PolicyReport } from "../check/engine";
import { previewVariant, STACKS, stackPlan } from "../../test/support/plans";

async function reportFor(stack: (typeof STACKS)[number]): Promise<PolicyReport> {
  return evaluatePlan(stackPlan(stack), { environment: stack, packConfig: loadPackConfig(stack) });
}

describe.each(STACKS)("offline preview of %s", (stack) => {
  test("has no mandatory violation", async () => {
    const report = await reportFor(stack);
    const mandatory = {
      ...report,
      violations: report.violations.filter((v) => v.enforcementLevel === "mandatory"),
    };
    expect(mandatory.violations.length === 0 ? "" : formatReport(mandatory)).toBe("");
  });

  test("a rule that cannot run offline is one that reads into a value the plan withholds as secret", async () => {
    const report = await reportFor(stack);
    for (const violation of report.violations.filter((v) => v.message.startsWith("can't run policy"))) {
      expect(violation.message).toMatch(/is secret in the plan \(withheld\)/);
    }
  });
});

describe("insecure variants of a stack's config are caught", () => {
  const policiesViolated = async (
    stack: (typeof STACKS)[number],
    mutate: (config: Record<string, unknown>) => void,
  ): Promise<string[]> => {
    const run = previewVariant(stack, mutate);
    if (!run.plan) throw new Error(`offline preview failed:\n${run.stdout}\n${run.stderr}`);
    const report = await evaluatePlan(run.plan, { environment: stack, packConfig: loadPackConfig(stack) });
    return [
      ...new Set(
        report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName),
      ),
    ].sort();
  };
  const section = (config: Record<string, unknown>, key: string): Record<string, unknown> =>
    config[`mcp-azure-gateway:${key}`] as Record<string, unknown>;

  test("prod without DDoS protection or flow logs, with a key valid longer than prod allows", async () => {
    const violated = await policiesViolated("prod", (config) => {
      section(config, "network")["ddosProtection"] = false;
      section(config, "network")["flowLogs"] = false;
      const keys = section(config, "keyVault")["keys"] as Record<string, unknown>[];
      keys[0]!["expiryDays"] = 700;
    });
    expect(violated).toEqual(
      expect.arrayContaining(["keyvault-key-expiry", "network-ddos-protection", "network-flow-logs"]),
    );
  });

  test("dev on a gateway tier that cannot be injected into the virtual network", async () => {
    const violated = await policiesViolated("dev", (config) => {
      section(config, "gateway")["sku"] = "StandardV2";
      (section(config, "network")["subnets"] as Record<string, unknown>)["gatewayIntegration"] =
        "10.40.3.0/27";
      delete (section(config, "gatewayPolicy")["rateLimits"] as Record<string, unknown>)["dailyQuotaPerUser"];
    });
    expect(violated).toContain("apim-vnet-injected");
  });
});
