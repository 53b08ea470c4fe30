/**
 * SARIF 2.1.0 for code-scanning upload (GitHub, Azure DevOps). One run; the tool's rules are every
 * policy of the pack with its metadata; one result per violation. Resources have no source line,
 * so each result points at the file the plan came from (the stack config or the plan file) and
 * carries the resource URN as a logical location; a fingerprint of rule + URN + finding keeps alerts
 * stable across runs.
 */
import { createHash } from "node:crypto";
import type { EnforcementLevel } from "@pulumi/policy";
import { allPolicies } from "../src";
import type { PackPolicy } from "../src/lib/metadata";
import { PACK_NAME, PACK_VERSION } from "../src/pack";
import { finding, type PolicyReport } from "./engine";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifOptions {
  /** Repository-relative path the results point at (e.g. `stacks/Pulumi.prod.yaml`). */
  readonly artifactUri: string;
  readonly policies?: readonly PackPolicy[];
  /** Distinguishes runs of different stacks in code scanning (`runAutomationDetails.id`). */
  readonly category?: string;
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: "2.1.0";
  readonly runs: readonly Record<string, unknown>[];
}

/** SARIF levels: a mandatory violation blocks (error), an advisory one warns. */
function level(enforcement: EnforcementLevel): "error" | "warning" | "note" {
  if (enforcement === "mandatory" || enforcement === "remediate") return "error";
  if (enforcement === "advisory") return "warning";
  return "note";
}

/** GitHub's numeric severity for security alerts. */
const SECURITY_SEVERITY: Readonly<Record<string, string>> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
};

export function toSarif(report: PolicyReport, options: SarifOptions): SarifLog {
  const policies = options.policies ?? allPolicies;
  const index = new Map(policies.map((policy, position) => [policy.name, position]));
  const rules = policies.map((policy) => ({
    id: policy.name,
    name: policy.name,
    shortDescription: { text: policy.description.split(/(?<=\.)\s/)[0] ?? policy.description },
    fullDescription: { text: policy.description },
    help: { text: policy.remediationSteps, markdown: helpMarkdown(policy) },
    defaultConfiguration: { level: level(policy.enforcementLevel ?? "advisory") },
    properties: {
      tags: [
        "security",
        "pulumi-crossguard",
        policy.area,
        ...policy.seedControls.map((control) => `mcp:${control}`),
      ],
      "security-severity": SECURITY_SEVERITY[policy.severity] ?? "5.0",
      precision: "high",
      azureBuiltins: policy.azureBuiltins.map((builtin) => builtin.guid),
    },
  }));
  const results = report.violations.map((violation) => {
    const ruleIndex = index.get(violation.policyName);
    const text = finding(violation) || violation.message;
    const fingerprint = createHash("sha256")
      .update(`${violation.policyName}\u0000${violation.urn ?? ""}\u0000${text}`)
      .digest("hex");
    return {
      ruleId: violation.policyName,
      ...(ruleIndex !== undefined ? { ruleIndex } : {}),
      level: level(violation.enforcementLevel),
      message: { text: violation.urn ? `${text} (${violation.urn})` : text },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: options.artifactUri }, region: { startLine: 1 } },
          ...(violation.urn
            ? {
                logicalLocations: [
                  { name: urnName(violation.urn), fullyQualifiedName: violation.urn, kind: "resource" },
                ],
              }
            : {}),
        },
      ],
      partialFingerprints: { "policyViolation/v1": fingerprint },
      properties: {
        enforcementLevel: violation.enforcementLevel,
        ...(violation.resourceType ? { resourceType: violation.resourceType } : {}),
      },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: PACK_NAME,
            fullName: `${PACK_NAME} CrossGuard policy pack`,
            version: PACK_VERSION,
            semanticVersion: PACK_VERSION,
            informationUri: "https://www.pulumi.com/docs/iac/crossguard/",
            rules,
          },
        },
        ...(options.category ? { automationDetails: { id: `${options.category}/` } } : {}),
        results,
        properties: {
          mandatoryCount: report.mandatoryCount,
          advisoryCount: report.advisoryCount,
          resourceCount: report.resourceCount,
        },
      },
    ],
  };
}

function urnName(urn: string): string {
  const position = urn.lastIndexOf("::");
  return position >= 0 ? urn.slice(position + 2) : urn;
}

function helpMarkdown(policy: PackPolicy): string {
  const lines = [
    `**${policy.name}** (${policy.enforcementLevel}, ${policy.severity})`,
    "",
    policy.description,
    "",
    `Remediation: ${policy.remediationSteps}`,
  ];
  if (policy.seedControls.length > 0)
    lines.push("", `MCP security practice: ${policy.seedControls.join("; ")}`);
  if (policy.azureBuiltins.length > 0)
    lines.push(
      "",
      `Azure built-in policies: ${policy.azureBuiltins.map((b) => `${b.displayName} (${b.guid})`).join("; ")}`,
    );
  return lines.join("\n");
}
