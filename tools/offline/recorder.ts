import type * as pulumi from "@pulumi/pulumi";
import * as runtimeMocks from "@pulumi/pulumi/runtime/mocks";
import * as runtimeRpc from "@pulumi/pulumi/runtime/rpc";

/** What the engine would see for one resource registration, as the mock monitor received it. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string | undefined;
  readonly inputs: Record<string, unknown>;
  readonly id: string | undefined;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

type Callback = (err: Error | null, response?: { getUrn(): string; getId(): string }) => void;
interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): unknown;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    entries(): { next(): { done?: boolean; value?: [string, { getUrnsList(): string[] }] } };
  };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
}
interface RegisterOutputsRequest {
  getUrn(): string;
  getOutputs(): unknown;
}

// The runtime's typed surface takes `any` requests; these are the protobuf getters it really calls.
const MockMonitor = runtimeMocks.MockMonitor as unknown as new (mocks: pulumi.runtime.Mocks) => {
  registerResource(req: RegisterResourceRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(
    req: RegisterOutputsRequest,
    callback: (err: Error | null, res?: unknown) => void,
  ): void;
};
const rpc = runtimeRpc as unknown as { deserializeProperties(struct: unknown): Record<string, unknown> };

/**
 * A mock monitor that also records each registration's parent, dependencies and `protect`, which
 * the plain `Mocks.newResource` hook never sees (facts.md: Pulumi without the CLI).
 */
export class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  readonly outputs = new Map<string, Record<string, unknown>>();

  override async registerResource(req: RegisterResourceRequest, callback: Callback): Promise<void> {
    const inputs = rpc.deserializeProperties(req.getObject());
    await super.registerResource(req, (err, response) => {
      if (!err && response) {
        this.recorded.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent() || undefined,
          inputs,
          id: response.getId() || undefined,
          dependencies: req.getDependenciesList(),
          propertyDependencies: propertyDependencies(req),
          protect: req.getProtect() === true,
          retainOnDelete: req.getRetainondelete() === true,
        });
      }
      callback(err, response);
    });
  }

  override registerResourceOutputs(
    req: RegisterOutputsRequest,
    callback: (err: Error | null, res?: unknown) => void,
  ): void {
    try {
      this.outputs.set(req.getUrn(), rpc.deserializeProperties(req.getOutputs()));
    } catch {
      // Outputs that cannot be deserialized are simply not shown; the engine call still proceeds.
    }
    super.registerResourceOutputs(req, callback);
  }
}

function propertyDependencies(req: RegisterResourceRequest): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const iterator = req.getPropertydependenciesMap().entries();
  for (let next = iterator.next(); !next.done && next.value; next = iterator.next()) {
    const [key, deps] = next.value;
    result[key] = deps.getUrnsList();
  }
  return result;
}
