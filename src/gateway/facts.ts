import type { FastifyReply } from 'fastify';
import type { RateLimit } from './config.js';

/** What the gateway learned about a request, for its event, its metrics and the verdict header. */
export interface RequestFacts {
  readonly model: string;
  key: string | null;
  /** `detector[:rule]` for reported findings, with `:blocked` when the request was refused for it. */
  readonly verdicts: string[];
  bodySha256: string | null;
  /** The caller's LLM token budget, charged when the answer says how many tokens it used. */
  tokenBudget?: RateLimit;
  /** Canaries whose appearance in the answer means the system prompt leaked. */
  canaries?: string[];
  /** Abuse scores of the caller after this request (model servers). */
  scores?: { queries: number; extractionW?: number; nearDuplicates: number };
  /** Query instances, kept when the privacy setting allows features in events. */
  inputs?: readonly unknown[];
  /** The answer's predictions (first 16), kept with the inputs for prediction drift and labels. */
  outputs?: readonly unknown[];
  /** The caller's `x-request-id` (checked) or a fresh one: how labels find this request later. */
  requestId?: string;
}

export type DetectorMode = 'block' | 'alert' | 'off';

/** Why a request is refused: status, code, message and anything else the body should carry. */
export interface Refusal {
  readonly status: number;
  readonly error: string;
  readonly message: string;
  readonly extra?: Record<string, unknown>;
}

export function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply {
  return reply.code(refusal.status).send({ error: refusal.error, message: refusal.message, ...refusal.extra });
}

/** Records one detector verdict; true when the mode says the request must be refused. */
export function judge(facts: RequestFacts, verdict: string, mode: DetectorMode): boolean {
  const blocked = mode === 'block';
  facts.verdicts.push(blocked ? `${verdict}:blocked` : verdict);
  return blocked;
}

/** The verdicts that let the request through, for the `x-mlsecops-verdicts` header. */
export function reported(facts: RequestFacts): string {
  return facts.verdicts.filter((verdict) => !verdict.endsWith(':blocked')).join(', ');
}
