import { pipeline, Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactText } from '../data/index.js';
import { predictionsOf } from './abuse/features.js';
import { limitAnswer, readAnswer, scanChatAnswer, tokensUsed } from './answers.js';
import type { ModelConfig } from './config.js';
import { judge, type RequestFacts, refuse, reported } from './facts.js';
import type { Buckets } from './limits.js';
import { StreamWatch } from './stream-watch.js';
import { isEventStream, type UpstreamAnswer } from './upstream.js';

/**
 * Sends the upstream's answer on, through whichever answer checks the model has: chat answers are
 * scanned whole (personal data, secrets, canaries, token usage) or followed as a stream; model-server
 * answers get their probability limits; anything else is passed through.
 */
export async function sendAnswer(
  buckets: Buckets,
  request: FastifyRequest,
  reply: FastifyReply,
  target: ModelConfig,
  response: UpstreamAnswer,
): Promise<FastifyReply> {
  const facts = request.gateway!;
  const type = String(response.headers['content-type'] ?? '');
  const json = /application\/json/i.test(type);
  const { detectors } = target;
  const budget = facts.tokenBudget;
  const canaries = facts.canaries ?? [];
  const reportEntities = (entities: readonly string[]) => {
    if (entities.length === 0) return;
    request.log.warn({ entities, mode: detectors.outputRedaction }, 'sensitive data in a model answer');
  };

  if (target.kind === 'openai' && json && (detectors.outputRedaction !== 'off' || budget || canaries.length > 0)) {
    const text = await answerText(response);
    if (text === undefined) return tooLarge(reply);
    const scanned = scanChatAnswer(text, detectors.outputRedaction, canaries);
    const used = budget ? tokensUsed(text) : 0;
    if (budget && used > 0) await buckets.take(`tokens:${facts.key}`, budget, used);
    if (scanned.entities.length > 0) {
      reportEntities(scanned.entities);
      const done = detectors.outputRedaction === 'redact' ? 'redacted' : 'found';
      reply.header('x-mlsecops-output', `${done}: ${scanned.entities.join(', ')}`);
    }
    if (scanned.canary && judge(facts, 'canary-leak', detectors.canary.mode)) {
      request.log.warn({ model: facts.model, key: facts.key }, 'system prompt leaked; answer withheld');
      return refuse(reply, {
        status: 403,
        error: 'SYSTEM_PROMPT_LEAK',
        message: 'the answer was withheld: it disclosed protected instructions',
      });
    }
    verdictHeader(reply, facts);
    return reply.send(scanned.text);
  }
  const scanStream = detectors.outputRedaction === 'alert';
  if (target.kind === 'openai' && isEventStream(type) && (budget || canaries.length > 0 || scanStream)) {
    const watch = new StreamWatch({ canaries, block: detectors.canary.mode === 'block' });
    // pipeline: an upstream that breaks off mid-stream ends the watch too, never an unhandled error.
    const source = response.stream ?? Readable.from([response.body ?? Buffer.alloc(0)]);
    pipeline(source, watch, () => undefined);
    watch.once('stopped', () => source.destroy());
    watch.once('end', () => {
      const { outcome } = watch;
      if (outcome.canary) judge(facts, 'canary-leak', detectors.canary.mode);
      if (budget && outcome.tokens > 0) void buckets.take(`tokens:${facts.key}`, budget, outcome.tokens);
      // Already sent: in alert mode the streamed text is scanned once it is complete, for the log.
      if (scanStream) reportEntities(redactText(outcome.text).entities);
    });
    verdictHeader(reply, facts);
    return reply.send(watch);
  }
  const limits = target.outputs;
  const probabilities = detectors.fullProbabilities;
  if (target.kind === 'rest' && json && (limits || probabilities.mode !== 'off' || facts.inputs)) {
    const text = await answerText(response);
    if (text === undefined) return tooLarge(reply);
    if (facts.inputs) facts.outputs = predictionsFor(text);
    const limited = limitAnswer(text, limits ?? {});
    if (limited && limited.full > 0 && probabilities.mode !== 'off') {
      const rate = { requestsPerMinute: probabilities.requestsPerMinute, burst: probabilities.burst };
      const decision = await buckets.take(`probabilities:${facts.key}`, rate, limited.full);
      if (!decision.allowed && judge(facts, 'full-probabilities', probabilities.mode)) {
        return refuse(reply, {
          status: 429,
          error: 'FULL_PROBABILITIES',
          message: `${facts.key} has asked for too many full probability vectors; retry later`,
        });
      }
    }
    verdictHeader(reply, facts);
    return reply.send(limited?.text ?? text);
  }
  verdictHeader(reply, facts);
  // A held answer goes out in one write; anything else (large answers, SSE) is piped.
  return reply.send(response.body ?? response.stream);
}

/** The answer's text for scanning: held already, or read from its stream up to the scanning limit. */
function answerText(response: UpstreamAnswer): Promise<string | undefined> | string {
  return response.body ? response.body.toString('utf8') : readAnswer(response.stream!);
}

/** The first 16 predictions of an answer, for the event; none when it is not JSON. */
function predictionsFor(text: string): unknown[] {
  try {
    return predictionsOf(JSON.parse(text)).slice(0, 16);
  } catch {
    return [];
  }
}

/** The verdicts that let the request through, as the `x-mlsecops-verdicts` header. */
function verdictHeader(reply: FastifyReply, facts: RequestFacts): void {
  if (facts.verdicts.length === 0) return;
  const verdicts = reported(facts);
  if (verdicts) reply.header('x-mlsecops-verdicts', verdicts);
}

function tooLarge(reply: FastifyReply): FastifyReply {
  reply.removeHeader('content-length');
  return reply.code(502).send({ error: 'ANSWER_TOO_LARGE', message: 'the answer is too large to scan' });
}
