import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactText } from '../data/index.js';

/** Largest answer read whole for output scanning. */
const MAX_SCANNED_ANSWER = 8 << 20;

/**
 * Scans a chat answer for personal data and secrets with the dataset scanner's detectors: `redact`
 * replaces each with `[ENTITY]`, `alert` only reports. Answers too large to hold are refused (502).
 */
export async function scanAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  mode: 'redact' | 'alert' | 'off',
  body: AsyncIterable<Buffer>,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_SCANNED_ANSWER) {
      reply.code(502);
      return JSON.stringify({ error: 'ANSWER_TOO_LARGE', message: 'the answer is too large to scan' });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (mode === 'off') return text;
  let answer: { choices?: { message?: { content?: unknown }; text?: unknown }[] };
  try {
    answer = JSON.parse(text);
  } catch {
    return text;
  }
  const found = new Set<string>();
  for (const choice of answer.choices ?? []) {
    for (const holder of [choice.message, choice] as { content?: unknown; text?: unknown }[]) {
      for (const field of ['content', 'text'] as const) {
        const value = holder?.[field];
        if (typeof value !== 'string') continue;
        const redaction = redactText(value);
        for (const entity of redaction.entities) found.add(entity);
        if (mode === 'redact' && redaction.entities.length > 0) holder[field] = redaction.text;
      }
    }
  }
  if (found.size > 0) {
    request.log.warn({ entities: [...found], mode }, 'sensitive data in a model answer');
    reply.header('x-mlsecops-output', `${mode === 'redact' ? 'redacted' : 'found'}: ${[...found].join(', ')}`);
  }
  return mode === 'redact' && found.size > 0 ? JSON.stringify(answer) : text;
}

/** `usage.total_tokens` of an OpenAI-style answer, or 0. */
export function tokensUsed(answer: string): number {
  const match = /"total_tokens"\s*:\s*(\d{1,9})/.exec(answer);
  return match ? Number(match[1]) : 0;
}
