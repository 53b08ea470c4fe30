/**
 * The inputs of the controls matrix as the repository holds them: the seed catalogue, the central claims,
 * the components' declarations and the policy pack's rules. Shared by the generator CLI and the tests.
 */
import { allPolicies } from "../../policies/src";
import { CLAIMS } from "./claims";
import { COMPONENT_CONTROLS } from "./components";
import type { MatrixInput } from "./matrix";
import { SEED_CONTROLS } from "./seed-controls";

export function repositoryMatrixInput(): MatrixInput {
  return {
    controls: SEED_CONTROLS,
    claims: CLAIMS,
    components: COMPONENT_CONTROLS,
    rules: allPolicies.map((policy) => ({ name: policy.name, seedControls: [...policy.seedControls] })),
  };
}
