import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditTrail, EvidenceStore, ModelRegistry, Promotions } from '../../registry/index.js';
import type { AppDeps } from '../app.js';

/** The app as route modules see it: typed by the zod schemas. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route modules share: the app's dependencies and the services built on them. */
export interface RouteContext {
  readonly deps: AppDeps;
  readonly registry: ModelRegistry;
  readonly promotions: Promotions;
  readonly evidence: EvidenceStore;
  readonly audit: AuditTrail;
}
