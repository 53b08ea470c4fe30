import { readFileSync } from "node:fs";
import { planResources } from "../../../policies/check/plan";
import { previewVariant, runPreview, STACKS, stackPlan, stackPreviewLog } from "../../support/plans";

const ARM_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[A-Za-z0-9._()-]+(\/providers\/[A-Za-z]+\.[A-Za-z]+\/[A-Za-z]+\/[^/]+(\/[A-Za-z]+\/[^/]+)*)?$/;

describe.each(STACKS)("offline preview of %s", (stack) => {
  test("exits 0 and writes a plan in the `pulumi preview --json` shape", () => {
    expect(stackPreviewLog(stack)).toMatch(/^exit 0\n/);
    const plan = stackPlan(stack);
    expect(plan.changeSummary["create"]).toBe(plan.steps.length);
    for (const step of plan.steps) {
      expect(step.op).toBe("create");
      expect(step.newState).toEqual(
        expect.objectContaining({
          urn: step.urn,
          type: expect.any(String),
          custom: expect.any(Boolean),
          inputs: expect.any(Object),
          outputs: expect.any(Object),
          protect: expect.any(Boolean),
        }),
      );
      expect(step.urn.startsWith(`urn:pulumi:${stack}::mcp-azure-gateway::`)).toBe(true);
    }
    expect(plan.steps[0]?.newState?.type).toBe("pulumi:pulumi:Stack");
  });

  test("every parent and dependency refers to a resource in the plan", () => {
    const plan = stackPlan(stack);
    const urns = new Set(plan.steps.map((s) => s.urn));
    for (const state of planResources(plan)) {
      if (state.parent) expect(urns).toContain(state.parent);
      for (const dependency of state.dependencies ?? []) expect(urns).toContain(dependency);
    }
  });

  test("azure-native resources have ARM-shaped IDs", () => {
    const azure = planResources(stackPlan(stack)).filter((r) => r.type.startsWith("azure-native:"));
    expect(azure.length).toBeGreaterThan(0);
    for (const resource of azure) expect(String(resource.outputs["id"])).toMatch(ARM_ID);
  });

  test("no secret value appears in plaintext; secret inputs are marked [secret]", () => {
    const text = JSON.stringify(stackPlan(stack));
    expect(text).not.toContain("offline-secret-placeholder");
    expect(stackPreviewLog(stack)).not.toContain("offline-secret-placeholder");
  });
});

describe("offline preview CLI", () => {
  test("is deterministic: the same config gives a byte-identical plan file", () => {
    const first = previewVariant("dev", () => undefined);
    const second = previewVariant("dev", () => undefined);
    expect(first.status).toBe(0);
    expect(readFileSync(first.planFile, "utf8")).toBe(readFileSync(second.planFile, "utf8"));
    expect(readFileSync(first.planFile, "utf8")).toBe(`${JSON.stringify(stackPlan("dev"), null, 2)}\n`);
  });

  test("bad config exits 2 and lists every problem before declaring anything", () => {
    const run = previewVariant("dev", (config) => {
      config["mcp-azure-gateway:tenantId"] = "nope";
      (config["mcp-azure-gateway:keyVault"] as Record<string, unknown>)["sku"] = "standard";
      (config["mcp-azure-gateway:gateway"] as Record<string, unknown>)["hostname"] = "x.azure-api.net";
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/3 problems/);
    expect(run.stderr).toContain("mcp-azure-gateway:tenantId");
    expect(run.stderr).toContain("mcp-azure-gateway:keyVault.sku");
    expect(run.stderr).toContain("mcp-azure-gateway:gateway.hostname");
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(run.plan).toBeUndefined();
  });

  test("usage errors exit 2", () => {
    expect(runPreview([]).status).toBe(2);
    expect(runPreview(["--stack", "dev", "--bogus"]).status).toBe(2);
    const missing = runPreview(["--stack", "dev", "--config-file", "/nonexistent/Pulumi.dev.yaml"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/not found/);
  });

  test("a `secure:` value in a stack file is stood in for and never printed", () => {
    const run = previewVariant("dev", (config) => {
      config["mcp-azure-gateway:weatherApiKey"] = { secure: "v1:AAAABBBBCCCCnotreal" };
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/secret mcp-azure-gateway:weatherApiKey: stood in for by a placeholder/);
    expect(JSON.stringify(run.plan)).not.toContain("v1:AAAABBBBCCCCnotreal");
  });
});
