import { stackDocument, STACKS } from "../support/plans";
import { parseStackVariant } from "../network/offline-plans";

type Mutable = Record<string, unknown>;
const keyVaultOf = (config: Mutable): Mutable => config["mcp-azure-gateway:keyVault"] as Mutable;
const keysOf = (config: Mutable): Mutable[] => keyVaultOf(config)["keys"] as Mutable[];

function problemsFor(mutate: (config: Mutable) => void): string[] {
  const result = parseStackVariant("dev", mutate);
  return result.ok ? [] : result.problems.map((p) => `${p.key} = ${p.value}: ${p.message}`);
}

describe("insecure Key Vault settings are refused by config validation", () => {
  test.each(STACKS)("the %s stack as committed is valid", (stack) => {
    expect(parseStackVariant(stack, () => undefined).ok).toBe(true);
  });

  test("standard SKU", () => {
    expect(problemsFor((c) => (keyVaultOf(c)["sku"] = "standard"))).toEqual([
      'mcp-azure-gateway:keyVault.sku = "standard": must be premium: HSM-backed keys (RSA-HSM, EC-HSM) need the premium SKU',
    ]);
  });

  test("RSA 2048", () => {
    expect(problemsFor((c) => (keysOf(c)[0]!["size"] = 2048))).toEqual([
      "mcp-azure-gateway:keyVault.keys[0].size = 2048: must be 3072 or 4096 bits for RSA-HSM (2048-bit RSA is below the baseline)",
    ]);
  });

  test("software-protected key type", () => {
    const problems = problemsFor((c) => (keysOf(c)[0]!["type"] = "RSA"));
    expect(problems.join("\n")).toContain("keyVault.keys[0].type");
    expect(problems.join("\n")).toContain(
      "software-protected keys (RSA, EC) do not meet the HSM requirement",
    );
  });

  test("soft-delete retention below 90 days", () => {
    expect(problemsFor((c) => (keyVaultOf(c)["softDeleteRetentionDays"] = 7))).toEqual([
      "mcp-azure-gateway:keyVault.softDeleteRetentionDays = 7: must be 90 days (the maximum) so a deleted vault stays recoverable",
    ]);
  });

  test("a key that would rotate within a week of creation (or expire before it rotates), or live longer than 730 days", () => {
    const tooLate = (expiryDays: number) =>
      `must be at most expiryDays - 7 (${expiryDays - 7}) so each key version lives at least a week before it rotates`;
    // dev's first key: expiryDays 90, so rotateBeforeExpiryDays may be at most 83.
    expect(keysOf(stackDocument("dev").config)[0]!["expiryDays"]).toBe(90);
    expect(problemsFor((c) => (keysOf(c)[0]!["rotateBeforeExpiryDays"] = 365))).toEqual([
      `mcp-azure-gateway:keyVault.keys[0].rotateBeforeExpiryDays = 365: ${tooLate(90)}`,
    ]);
    expect(problemsFor((c) => (keysOf(c)[0]!["rotateBeforeExpiryDays"] = 90))).toEqual([
      `mcp-azure-gateway:keyVault.keys[0].rotateBeforeExpiryDays = 90: ${tooLate(90)}`,
    ]);
    expect(problemsFor((c) => (keysOf(c)[0]!["rotateBeforeExpiryDays"] = 84))).toEqual([
      `mcp-azure-gateway:keyVault.keys[0].rotateBeforeExpiryDays = 84: ${tooLate(90)}`,
    ]);
    expect(problemsFor((c) => (keysOf(c)[0]!["rotateBeforeExpiryDays"] = 83))).toEqual([]);
    // The bound follows expiryDays, and the problem names the key that has it.
    expect(
      problemsFor((c) => {
        keysOf(c)[1]!["expiryDays"] = 30;
        keysOf(c)[1]!["rotateBeforeExpiryDays"] = 24;
      }),
    ).toEqual([`mcp-azure-gateway:keyVault.keys[1].rotateBeforeExpiryDays = 24: ${tooLate(30)}`]);
    expect(problemsFor((c) => (keysOf(c)[0]!["expiryDays"] = 1000))).toEqual([
      "mcp-azure-gateway:keyVault.keys[0].expiryDays = 1000: must be at most 730 days (MCSB key validity)",
    ]);
  });

  test("a secret given in plaintext instead of as a Pulumi secret", () => {
    const problems = problemsFor((c) => (c["mcp-azure-gateway:weatherApiKey"] = "plaintext-value"));
    expect(problems.join("\n")).toContain(
      "must be a secret; run `pulumi config set --secret weatherApiKey <value>`",
    );
    expect(problems.join("\n")).not.toContain("plaintext-value");
  });
});
