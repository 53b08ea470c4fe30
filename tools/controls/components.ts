/**
 * Every component's declaration of the controls it implements (`infra/<component>/controls.ts`, pure data).
 * Add a component's `CONTROLS` here when it gets one; the controls test fails for a component folder
 * with a `controls.ts` that is not listed.
 */
import { CONTROLS as contentSafety } from "../../infra/content-safety/controls";
import { CONTROLS as edge } from "../../infra/edge/controls";
import { CONTROLS as gateway } from "../../infra/gateway/controls";
import { CONTROLS as governance } from "../../infra/governance/controls";
import { CONTROLS as identity } from "../../infra/identity/controls";
import { CONTROLS as keyVault } from "../../infra/keyvault/controls";
import { CONTROLS as monitoring } from "../../infra/monitoring/controls";
import { CONTROLS as network } from "../../infra/network/controls";
import { CONTROLS as sentinel } from "../../infra/sentinel/controls";
import { CONTROLS as workloads } from "../../infra/workloads/controls";
import type { ComponentControls } from "./types";

export const COMPONENT_CONTROLS: readonly ComponentControls[] = [
  network,
  identity,
  keyVault,
  gateway,
  edge,
  workloads,
  contentSafety,
  monitoring,
  sentinel,
  governance,
];
