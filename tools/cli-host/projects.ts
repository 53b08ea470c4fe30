/**
 * The Pulumi projects of this repository, as the CLI finds them: the main program (root
 * `Pulumi.yaml`, one run per stack file in `stackConfigDir`), the bootstrap program
 * (`infra/bootstrap/Pulumi.yaml`, stack `shared`) and the policy pack (`policies/PulumiPolicy.yaml`).
 * `root` is a parameter so that tests can point everything at a modified copy of the repository.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { BootstrapMocks } from "../offline/bootstrap";
import { offlineIdentity, OfflineMocks } from "../offline/mocks";
import { type EngineConfig, loadEngineConfig } from "../offline/stack-files";
import { readProjectFile, type ProjectFile } from "./project";

export interface StackRun {
  /** What the run is called in reports: `<project>/<stack>`. */
  readonly label: string;
  readonly project: ProjectFile;
  readonly stack: string;
  readonly stackFile: string;
  readonly config: EngineConfig;
  readonly mocks: pulumi.runtime.Mocks;
}

export interface RepositoryProjects {
  readonly root: string;
  /** Every program run: each stack of the main project, then the bootstrap's. */
  readonly programs: readonly StackRun[];
  /** The policy pack's directory (where `PulumiPolicy.yaml` is). */
  readonly policyPackDirectory: string;
}

export function repositoryProjects(root: string): RepositoryProjects {
  const main = readProjectFile(path.join(root, "Pulumi.yaml"));
  const bootstrap = readProjectFile(path.join(root, "infra", "bootstrap", "Pulumi.yaml"));
  const stackDirectory = path.join(root, "stacks");
  const stacks = readdirSync(stackDirectory)
    .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
  const programs: StackRun[] = stacks.map((stack) =>
    stackRun(
      main,
      stack,
      path.join(stackDirectory, `Pulumi.${stack}.yaml`),
      (tenant) => new OfflineMocks(tenant),
    ),
  );
  programs.push(
    stackRun(
      bootstrap,
      "shared",
      path.join(bootstrap.rootDirectory, "Pulumi.shared.yaml"),
      (tenant) => new BootstrapMocks(tenant),
    ),
  );
  return { root, programs, policyPackDirectory: path.join(root, "policies") };
}

function stackRun(
  project: ProjectFile,
  stack: string,
  stackFile: string,
  mocks: (identity: ReturnType<typeof offlineIdentity>) => pulumi.runtime.Mocks,
): StackRun {
  if (!project.name) throw new Error(`${project.file} has no name`);
  // Secrets: `secure:` ciphertext only the CLI can decrypt; a placeholder marked secret stands in.
  const config = loadEngineConfig(stackFile);
  const tenantId = config.values[`${project.name}:tenantId`];
  if (!tenantId) throw new Error(`${stackFile}: ${project.name}:tenantId is not set`);
  return {
    label: `${project.name}/${stack}`,
    project,
    stack,
    stackFile,
    config,
    mocks: mocks(offlineIdentity(tenantId)),
  };
}
