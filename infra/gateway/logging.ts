import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import type { McpServerConfig } from "../config/schema";
import { apiKeyHeaderNames } from "./apis";
import { requestLogging } from "./service-settings";

const APP_INSIGHTS_LOGGER_ID = "appinsights";

/** The Application Insights component the Logger writes to (monitoring component). */
export interface GatewayAppInsights {
  readonly id: pulumi.Input<string>;
  /** Its connection string; with local authentication disabled it is an address, not a credential. */
  readonly connectionString: pulumi.Input<string>;
}

export interface GatewayLoggingArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  /** The gateway's `serviceName` output. */
  readonly serviceName: pulumi.Input<string>;
  /** Client ID of the gateway's managed identity (Monitoring Metrics Publisher on the component). */
  readonly identityClientId: pulumi.Input<string>;
  /** The servers whose API-key header names are masked in request logs. */
  readonly mcpServers: readonly McpServerConfig[];
  readonly appInsights: GatewayAppInsights;
}

/**
 * The gateway's request logging to Application Insights: the Logger (managed-identity credentials) and the
 * service-wide `applicationinsights` diagnostic. A component of its own because it needs the monitoring
 * component's Application Insights, and monitoring needs the gateway's diagnostic targets first: each
 * component is complete when constructed, and `infra/index.ts` orders them.
 */
export class GatewayLogging extends pulumi.ComponentResource {
  readonly loggerId: pulumi.Output<string>;

  constructor(name: string, args: GatewayLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mcpgw:gateway:GatewayLogging", name, {}, opts);
    const entity = { resourceGroupName: args.resourceGroupName, serviceName: args.serviceName };
    const logger = new apimanagement.Logger(
      `${name}-logger-appinsights`,
      {
        ...entity,
        loggerId: APP_INSIGHTS_LOGGER_ID,
        loggerType: apimanagement.LoggerType.ApplicationInsights,
        description: "Application Insights, authenticated with the gateway's managed identity",
        resourceId: args.appInsights.id,
        isBuffered: true,
        credentials: {
          connectionString: args.appInsights.connectionString,
          identityClientId: args.identityClientId,
        },
      },
      { parent: this },
    );
    new apimanagement.Diagnostic(
      `${name}-diagnostic-appinsights`,
      {
        ...entity,
        diagnosticId: "applicationinsights",
        loggerId: logger.id,
        alwaysLog: apimanagement.AlwaysLog.AllErrors,
        logClientIp: true,
        verbosity: apimanagement.Verbosity.Information,
        httpCorrelationProtocol: apimanagement.HttpCorrelationProtocol.W3C,
        operationNameFormat: apimanagement.OperationNameFormat.Name,
        sampling: { samplingType: apimanagement.SamplingType.Fixed, percentage: 100 },
        ...requestLogging(apiKeyHeaderNames(args.mcpServers)),
      },
      { parent: this },
    );
    this.loggerId = logger.id;
    this.registerOutputs({ loggerId: this.loggerId });
  }
}
