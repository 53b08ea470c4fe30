/**
 * A local stand-in for the Pulumi engine, speaking its gRPC protocol with the SDK's own service
 * definitions (`@pulumi/pulumi/proto/*_grpc_pb.js`): the ResourceMonitor and Engine services that
 * `@pulumi/pulumi/cmd/run` connects to through `--monitor` and `--engine`.
 *
 * Registrations are answered by the same mock provider as the offline preview (tools/offline/mocks.ts)
 * through the SDK's `MockMonitor`, so the program sees the same IDs and outputs; the engine records
 * what it would plan (tools/offline/recorder.ts). What a real engine adds and this one cannot: diffing
 * against state, provider plugins (schema checks, default-filling, real outputs), transforms and hooks.
 */
import * as grpc from "@grpc/grpc-js";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as resourcepb from "@pulumi/pulumi/proto/resource_pb";
import * as resourcerpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import type * as pulumi from "@pulumi/pulumi";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { RecordingMonitor } from "../offline/recorder";

export type LogLevel = "debug" | "info" | "warning" | "error";

/** One `Engine.Log` call: what the CLI would print (errors fail the update). */
export interface EngineLog {
  readonly level: LogLevel;
  readonly message: string;
  readonly urn?: string;
}

export interface EngineStandIn {
  /** `127.0.0.1:<port>`, for `--monitor` and `--engine` (one server hosts both services). */
  readonly address: string;
  readonly monitor: RecordingMonitor;
  readonly logs: readonly EngineLog[];
  /** The stack resource's URN, as the program set it (`SetRootResource`). */
  readonly rootUrn: () => string | undefined;
  close(): Promise<void>;
}

export interface EngineOptions {
  readonly project: string;
  readonly stack: string;
  readonly mocks: pulumi.runtime.Mocks;
}

const LEVELS: Readonly<Record<number, LogLevel>> = {
  [enginepb.LogSeverity.DEBUG]: "debug",
  [enginepb.LogSeverity.INFO]: "info",
  [enginepb.LogSeverity.WARNING]: "warning",
  [enginepb.LogSeverity.ERROR]: "error",
};

/**
 * The recording monitor, with URNs built from the engine's project and stack: `MockMonitor` would
 * read them from this process's runtime settings, which belong to no stack here.
 */
class EngineMonitor extends RecordingMonitor {
  constructor(
    mocks: pulumi.runtime.Mocks,
    private readonly project: string,
    private readonly stack: string,
  ) {
    super(mocks);
  }

  // Replaces MockMonitor.newUrn (untyped in the SDK's declarations); same URN rules as the engine.
  newUrn(parent: string, type: string, name: string): string {
    const parentType = parent ? (parent.split("::")[2] ?? "").split("$").pop() : undefined;
    const qualified = parentType ? `${parentType}$${type}` : type;
    return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
  }
}

/** The monitor's answers go through grpc-js's serializers, so they must be protobuf messages. */
type Handler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

function delegate<Req, Res>(
  fn: (request: Req, callback: (error: Error | null, response?: Res) => void) => unknown,
): Handler<Req, Res> {
  return (call, callback) => {
    const done = (error: Error | null, response?: Res): void => {
      if (error) callback({ code: grpc.status.UNKNOWN, details: error.message });
      else callback(null, response);
    };
    Promise.resolve(fn(call.request, done)).catch((error: unknown) =>
      done(error instanceof Error ? error : new Error(String(error))),
    );
  };
}

export async function startEngine(options: EngineOptions): Promise<EngineStandIn> {
  const monitor = new EngineMonitor(options.mocks, options.project, options.stack);
  const logs: EngineLog[] = [];
  let rootUrn: string | undefined;
  // The monitor's methods are typed loosely by the SDK (`any` requests); these are the calls the
  // runtime makes, with the protobuf messages the service definitions (de)serialise.
  const untyped = monitor as unknown as Record<
    string,
    (request: unknown, callback: (error: Error | null, response?: unknown) => void) => unknown
  >;
  const method = (name: string): Handler<unknown, unknown> => {
    const fn = untyped[name];
    if (!fn) throw new Error(`MockMonitor has no ${name}`);
    return delegate(fn.bind(monitor));
  };

  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(resourcerpc.ResourceMonitorService, {
    supportsFeature: (
      call: grpc.ServerUnaryCall<resourcepb.SupportsFeatureRequest, resourcepb.SupportsFeatureResponse>,
      callback: grpc.sendUnaryData<resourcepb.SupportsFeatureResponse>,
    ) => {
      // MockMonitor's choice: everything but output values, so inputs arrive as plain values.
      const response = new resourcepb.SupportsFeatureResponse();
      response.setHassupport(call.request.getId() !== "outputValues");
      callback(null, response);
    },
    registerResource: method("registerResource"),
    registerResourceOutputs: (
      call: grpc.ServerUnaryCall<resourcepb.RegisterResourceOutputsRequest, Empty>,
      callback: grpc.sendUnaryData<Empty>,
    ) => {
      monitor.registerResourceOutputs(call.request, (error) => {
        if (error) callback({ code: grpc.status.UNKNOWN, details: error.message });
        else callback(null, new Empty());
      });
    },
    readResource: method("readResource"),
    invoke: method("invoke"),
    registerPackage: method("registerPackage"),
  });
  server.addService(enginerpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<enginepb.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
      const urn = call.request.getUrn();
      logs.push({
        level: LEVELS[call.request.getSeverity()] ?? "info",
        message: call.request.getMessage(),
        ...(urn ? { urn } : {}),
      });
      callback(null, new Empty());
    },
    getRootResource: (
      _call: grpc.ServerUnaryCall<enginepb.GetRootResourceRequest, enginepb.GetRootResourceResponse>,
      callback: grpc.sendUnaryData<enginepb.GetRootResourceResponse>,
    ) => {
      const response = new enginepb.GetRootResourceResponse();
      response.setUrn(rootUrn ?? "");
      callback(null, response);
    },
    setRootResource: (
      call: grpc.ServerUnaryCall<enginepb.SetRootResourceRequest, enginepb.SetRootResourceResponse>,
      callback: grpc.sendUnaryData<enginepb.SetRootResourceResponse>,
    ) => {
      rootUrn = call.request.getUrn();
      callback(null, new enginepb.SetRootResourceResponse());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    monitor,
    logs,
    rootUrn: () => rootUrn,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
