import type * as pulumi from "@pulumi/pulumi";
import type * as app from "@pulumi/azure-native/app";

/**
 * Container Apps built-in authentication ("Easy Auth") for a workload: a second check behind the
 * gateway. Only a v2 access token issued by the tenant for this server's backend app, and requested
 * by the gateway's own managed identity, gets through; everything else is answered 401 before the
 * request reaches the container.
 */

/** Container Apps accepts exactly one auth config per app, and it must be called `current`. */
export const AUTH_CONFIG_NAME = "current";

export interface EasyAuthSettings {
  readonly tenantId: string;
  /** Client ID of the server's Entra backend app (the `aud` of v2 tokens requested for it). */
  readonly backendClientId: pulumi.Input<string>;
  /** The backend app's identifier URI(s): what the gateway passes as `resource=` (`api://<tenant>/<prefix>-<env>-<server>`). */
  readonly audiences: readonly pulumi.Input<string>[];
  /** Client ID of the gateway's managed identity: the only `appid`/`azp` accepted. */
  readonly gatewayClientId: pulumi.Input<string>;
  /** Object (principal) ID of the gateway's managed identity: the only `oid` accepted. */
  readonly gatewayPrincipalId: pulumi.Input<string>;
}

export type EasyAuthConfig = Omit<
  app.ContainerAppsAuthConfigArgs,
  "resourceGroupName" | "containerAppName" | "authConfigName"
>;

/** The v2.0 issuer of a tenant: tokens for backend apps with `requestedAccessTokenVersion = 2` carry it. */
export function entraIssuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

/**
 * The auth config for one workload. Audiences are the backend app's client ID (v2 tokens carry it in
 * `aud`) and its identifier URI(s); the default authorization policy admits the gateway identity only,
 * by client ID (`appid`/`azp`) and by object ID (`oid`).
 */
export function easyAuthConfig(settings: EasyAuthSettings): EasyAuthConfig {
  if (settings.audiences.length === 0)
    throw new Error("Easy Auth needs at least one audience (the backend identifier URI)");
  return {
    platform: { enabled: true },
    globalValidation: {
      // An API behind a gateway never redirects to a login page: no or a bad token is a plain 401.
      unauthenticatedClientAction: "Return401",
    },
    httpSettings: { requireHttps: true },
    // No token store: the workload never needs the caller's token, and nothing is persisted.
    login: { tokenStore: { enabled: false } },
    identityProviders: {
      azureActiveDirectory: {
        enabled: true,
        registration: {
          clientId: settings.backendClientId,
          openIdIssuer: entraIssuer(settings.tenantId),
        },
        validation: {
          allowedAudiences: [settings.backendClientId, ...settings.audiences],
          defaultAuthorizationPolicy: {
            allowedApplications: [settings.gatewayClientId],
            allowedPrincipals: { identities: [settings.gatewayPrincipalId] },
          },
          jwtClaimChecks: { allowedClientApplications: [settings.gatewayClientId] },
        },
      },
    },
  };
}
