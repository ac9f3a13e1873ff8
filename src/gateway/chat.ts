import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { type ClassifierScore, classifyPrompt } from './classifier.js';
import { classifierOptions, type ModelConfig } from './config.js';
import { judge, type Refusal, type RequestFacts } from './facts.js';
import { promptHits, requestText } from './prompt-rules.js';

/**
 * The checks on a chat request before it goes upstream: the prompt rules, the stream policy, and the
 * canaries the answer will be searched for. Returns a refusal, or the body to forward (changed only
 * when a canary was added to the system message).
 */
export async function screenChat(
  target: ModelConfig,
  parsed: unknown,
  body: Buffer,
  facts: RequestFacts,
  log: FastifyBaseLogger,
): Promise<Refusal | { body: Buffer }> {
  const { detectors } = target;
  const text =
    detectors.promptInjection !== 'off' || detectors.promptClassifier.mode !== 'off' ? requestText(parsed) : '';
  if (detectors.promptInjection !== 'off') {
    let hits: ReturnType<typeof promptHits>;
    try {
      hits = promptHits(text);
    } catch (error) {
      if (!detectors.failOpen) return { status: 503, error: 'DETECTOR_FAILED', message: 'prompt check failed' };
      log.error({ err: error }, 'prompt check failed; passing (fail-open)');
      hits = [];
    }
    if (hits.length > 0) {
      const rules = [...new Set(hits.map((hit) => hit.rule))];
      log.warn({ model: facts.model, key: facts.key, rules, mode: detectors.promptInjection }, 'prompt injection');
      let blocked = false;
      for (const rule of rules) blocked = judge(facts, `prompt-injection:${rule}`, detectors.promptInjection);
      if (blocked)
        return { status: 403, error: 'PROMPT_INJECTION', message: 'the prompt was refused', extra: { rules } };
    }
  }
  if (detectors.promptClassifier.mode !== 'off') {
    const refusal = await classify(detectors.promptClassifier, detectors.failOpen, text, facts, log);
    if (refusal) return refusal;
  }
  const streamed = (parsed as { stream?: unknown } | undefined)?.stream === true;
  if (detectors.outputRedaction === 'redact' && streamed) {
    return {
      status: 400,
      error: 'STREAM_NOT_ALLOWED',
      message: 'this model redacts answers, which needs them whole: set stream to false',
    };
  }
  const { canary } = detectors;
  if (canary.mode === 'off') return { body };
  facts.canaries = [...canary.tokens];
  if (!canary.inject) return { body };
  const withCanary = injectCanary(parsed);
  if (!withCanary) return { body };
  facts.canaries.push(withCanary.token);
  return { body: Buffer.from(JSON.stringify(withCanary.body)) };
}

/** The ONNX classifier's verdict on the prompt; a refusal when it blocks or fails closed. */
async function classify(
  settings: ModelConfig['detectors']['promptClassifier'],
  failOpen: boolean,
  text: string,
  facts: RequestFacts,
  log: FastifyBaseLogger,
): Promise<Refusal | undefined> {
  let result: ClassifierScore;
  try {
    result = await classifyPrompt(classifierOptions(settings), text);
  } catch (error) {
    if (!failOpen) return { status: 503, error: 'DETECTOR_FAILED', message: 'prompt classifier failed' };
    log.error({ err: error }, 'prompt classifier failed; passing (fail-open)');
    facts.verdicts.push('prompt-classifier:failed');
    return undefined;
  }
  if (result.score < settings.threshold) return undefined;
  const score = Math.round(result.score * 1000) / 1000;
  log.warn(
    { model: facts.model, key: facts.key, score, partial: result.partial, mode: settings.mode },
    'prompt classifier',
  );
  if (!judge(facts, 'prompt-classifier', settings.mode)) return undefined;
  return { status: 403, error: 'PROMPT_INJECTION', message: 'the prompt was refused', extra: { classifier: score } };
}

/**
 * Appends a fresh canary to the first system (or developer) message, as an inert comment. Returns
 * undefined when there is no such message: with no system prompt there is nothing to leak.
 */
export function injectCanary(parsed: unknown): { body: unknown; token: string } | undefined {
  const messages = (parsed as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return undefined;
  const system = messages.find(
    (message): message is { role: string; content: string } =>
      !!message &&
      typeof message === 'object' &&
      ((message as { role?: unknown }).role === 'system' || (message as { role?: unknown }).role === 'developer') &&
      typeof (message as { content?: unknown }).content === 'string',
  );
  if (!system) return undefined;
  const token = `mlsc-${randomBytes(9).toString('base64url')}`;
  system.content = `${system.content}\n\n<!-- ${token} -->`;
  return { body: parsed, token };
}
