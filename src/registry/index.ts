export type { IssuedToken, Permission, Principal, Role } from './access.js';
export {
  AccessAdmin,
  actorOf,
  authenticate,
  bootstrapAdmin,
  can,
  createPrincipal,
  issueToken,
  permissions,
  roles,
  scopeCovers,
} from './access.js';
export type { Annotations } from './annotations.js';
export { annotateVersion, annotationsSchema } from './annotations.js';
export type { AuditEvent } from './audit-trail.js';
export { AuditTrail } from './audit-trail.js';
export { DestinationPolicy } from './destinations.js';
export { RegistryError } from './errors.js';
export type { EvidenceKind, EvidenceRecord, EvidenceSummary, FindingPage, FindingQuery } from './evidence.js';
export {
  attachableKinds,
  EvidenceStore,
  evidenceKinds,
  findingPath,
  MAX_EVIDENCE_BYTES,
  reportSummary,
  storeEvidence,
  summarizeEvidence,
} from './evidence.js';
export type { OperationalEvidence, OperationalSource } from './gate-evidence.js';
export { noOperationalEvidence, versionEvidence } from './gate-evidence.js';
export type { ModelSummary, RegistryOptions, VersionSummary } from './models.js';
export { MODEL_NAME, ModelRegistry } from './models.js';
export type { OidcConfig } from './oidc.js';
export { OidcAuthenticator } from './oidc.js';
export type { AliasMove, GateCheck, GateResult, GateSetup, StoredGateDecision } from './promotion.js';
export { ALIAS_NAME, Promotions } from './promotion.js';
export type { SignatureRecord } from './signatures.js';
export { attachSignature, signatureBundle } from './signatures.js';
export type { Delivery, DeliveryOptions, WebhookConfig } from './webhooks.js';
export { defaultDeliveryOptions, deliverWebhook, WebhookDispatcher, webhookSignature } from './webhooks.js';
