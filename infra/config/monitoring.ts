import { z } from "zod";
import { guid, secretConfigKey, uniqueArray } from "./primitives";

export const monitoringSchema = z.strictObject({
  retentionDays: z.number().int().min(30).max(730),
  dailyQuotaGb: z.number().positive().max(1000),
  alertEmails: uniqueArray(z.email({ error: "must be an e-mail address" }), (email) =>
    email.toLowerCase(),
  ).min(1, { error: "must name at least one responder" }),
  /** A secret config key holding an alert webhook URL (such URLs embed a token). */
  alertWebhookSecretKey: secretConfigKey.optional(),
  /** Entra object ID of the user or group that Sentinel incidents are assigned to. */
  incidentOwnerObjectId: guid.optional(),
  /** Resource ID of a Logic App playbook that contains a compromised identity (run on High incidents). */
  containmentPlaybookId: z
    .string()
    .regex(
      /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Logic\/workflows\/[^/]+$/i,
      {
        error:
          "must be a Logic App resource ID: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Logic/workflows/<name>",
      },
    )
    .optional(),
});
