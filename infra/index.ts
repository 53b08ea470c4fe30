/**
 * The Pulumi program: reads and validates the stack config, then wires the components together.
 * Components never import each other; they meet here through typed args and outputs.
 */
import { loadStackConfig } from "./config";
import { createFoundation } from "./foundation";

const config = loadStackConfig();
const foundation = createFoundation(config);

// --- components (wired in dependency order) ---

// --- stack outputs ---
export const environment = config.environment;
export const resourceGroupName = foundation.resourceGroupName;
