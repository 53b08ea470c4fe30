import { z } from "zod";
import { guid, POLICY_LIMITS, repositorySlug, roleValue, uniqueArray, VS_CODE_CLIENT_ID } from "./primitives";

const appRoleSchema = z.strictObject({
  value: roleValue,
  displayName: z.string().min(1).max(120),
  description: z.string().min(1).max(250),
});

export const identitySchema = z.strictObject({
  /** The delegated scope clients request (`<resource URL>/<scopeValue>`); the gateway requires it in `scp`. */
  scopeValue: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9._-]{0,39}$/, {
      error: "must start with a letter and use letters, digits, '.', '_' or '-'",
    })
    .default("user_impersonation"),
  appRoles: z
    .array(appRoleSchema)
    .min(1, { error: "must define at least one app role (tools are authorized by role)" }),
  preAuthorizedClientIds: uniqueArray(guid, (id) => id.toLowerCase())
    .max(POLICY_LIMITS.preAuthorizedClientIds)
    .default([VS_CODE_CLIENT_ID]),
  accessAssignments: z.array(z.strictObject({ groupObjectId: guid, role: roleValue })).default([]),
  firstPartyClient: z
    .strictObject({
      enabled: z.boolean(),
      loopbackPorts: uniqueArray(z.number().int().min(1024).max(65535)).default([]),
    })
    .default({ enabled: false, loopbackPorts: [] }),
  github: z.strictObject({
    repository: repositorySlug,
    environment: z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/),
  }),
});
