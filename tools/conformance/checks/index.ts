import type { Check } from "../types";
import {
  expiredTokenCheck,
  foreignTenantClaimCheck,
  malformedTokenCheck,
  noScopeCheck,
  noTokenCheck,
  wrongAudienceCheck,
} from "./authentication";
import { toolAllowlistCheck, toolRoleCheck } from "./authorization";
import { handshakeCheck } from "./handshake";
import { noLeakHeadersCheck, securityHeadersCheck } from "./headers";
import { metadataCheck } from "./metadata";
import { rateLimitCheck } from "./rate-limit";
import { sessionBindingCheck, sessionIdQualityCheck, unknownSessionCheck } from "./sessions";
import { sseStreamingCheck } from "./streaming";
import { tlsVersionsCheck } from "./tls";
import { bodyLimitCheck, envelopeCheck, originCheck, protocolVersionCheck } from "./transport";

/** In run order. The rate-limit burst stays last: after it, the user is throttled for a while. */
export const ALL_CHECKS: readonly Check[] = [
  tlsVersionsCheck,
  securityHeadersCheck,
  noLeakHeadersCheck,
  metadataCheck,
  noTokenCheck,
  malformedTokenCheck,
  expiredTokenCheck,
  wrongAudienceCheck,
  noScopeCheck,
  foreignTenantClaimCheck,
  handshakeCheck,
  toolRoleCheck,
  toolAllowlistCheck,
  originCheck,
  protocolVersionCheck,
  bodyLimitCheck,
  envelopeCheck,
  sessionBindingCheck,
  unknownSessionCheck,
  sessionIdQualityCheck,
  sseStreamingCheck,
  rateLimitCheck,
];
