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
import {
  addressRateLimitCheck,
  backendHeaderHygieneCheck,
  corsOwnAnswersCheck,
  methodDenyByDefaultCheck,
  singleReadingCheck,
  taskAugmentationCheck,
  toolListFilteredCheck,
} from "./hardening";
import { noLeakHeadersCheck, securityHeadersCheck } from "./headers";
import { metadataCheck } from "./metadata";
import { rateLimitCheck } from "./rate-limit";
import {
  gatewayErrorIdCheck,
  legacyDiscoverProbeCheck,
  modernHeaderMismatchCheck,
  modernHeaderMissingCheck,
  modernLifecycleCheck,
  modernStatelessCheck,
  modernTaskBindingCheck,
  modernUnknownMethodCheck,
} from "./revisions";
import { sessionBindingCheck, sessionIdQualityCheck, unknownSessionCheck } from "./sessions";
import { sseStreamingCheck } from "./streaming";
import { tlsVersionsCheck } from "./tls";
import { bodyLimitCheck, envelopeCheck, originCheck, protocolVersionCheck } from "./transport";

/**
 * The gateway-hardening checks (issue 23). They run against the real policy on the local gateway
 * (test/tools/conformance/local.test.ts) and each has its mutations (tools/gateway-local/mutations.ts); the
 * TypeScript reference double predates them and is not held to them.
 */
export const HARDENING_CHECK_IDS: readonly string[] = [
  "authz.method-deny-by-default",
  "authz.tools-list-filtered",
  "authz.task-augmentation",
  "message.single-reading",
  "cors.own-answers",
  "backend.header-hygiene",
  "ratelimit.per-address",
  // MCP 2026-07-28 beside 2025-11-25 (issue 22): the double speaks only the legacy revisions.
  "modern.lifecycle",
  "modern.header-mismatch",
  "modern.header-missing",
  "modern.task-binding",
  "modern.stateless",
  "modern.unknown-method",
  "legacy.discover-probe",
  "message.error-id",
];

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
  methodDenyByDefaultCheck,
  toolListFilteredCheck,
  taskAugmentationCheck,
  singleReadingCheck,
  corsOwnAnswersCheck,
  backendHeaderHygieneCheck,
  originCheck,
  protocolVersionCheck,
  modernLifecycleCheck,
  modernHeaderMismatchCheck,
  modernHeaderMissingCheck,
  modernTaskBindingCheck,
  modernStatelessCheck,
  modernUnknownMethodCheck,
  legacyDiscoverProbeCheck,
  gatewayErrorIdCheck,
  bodyLimitCheck,
  envelopeCheck,
  sessionBindingCheck,
  unknownSessionCheck,
  sessionIdQualityCheck,
  sseStreamingCheck,
  rateLimitCheck,
  addressRateLimitCheck,
];
