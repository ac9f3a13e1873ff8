import { redactText } from '../data/index.js';
import { limitProbabilities, type ProbabilityLimits } from './abuse/outputs.js';

/** Largest answer read whole for output scanning. */
const MAX_SCANNED_ANSWER = 8 << 20;

/** An answer body read whole, or undefined when it is larger than `max` bytes. */
export async function readAnswer(body: AsyncIterable<Buffer>, max = MAX_SCANNED_ANSWER): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface ChatAnswer {
  /** The answer to send: rewritten when something was redacted. */
  readonly text: string;
  /** Kinds of personal data and secrets found. */
  readonly entities: readonly string[];
  /** The first canary found in the answer's text. */
  readonly canary: string | undefined;
}

/**
 * Scans a chat answer's text (`choices[].message.content` and `choices[].text`) for personal data and
 * secrets with the dataset scanner's detectors (`redact` replaces each with `[ENTITY]`, `alert` only
 * reports) and for canaries. Text that is not a JSON answer is searched for canaries only.
 */
export function scanChatAnswer(
  text: string,
  mode: 'redact' | 'alert' | 'off',
  canaries: readonly string[] = [],
): ChatAnswer {
  const canary = canaries.find((candidate) => text.includes(candidate));
  if (mode === 'off') return { text, entities: [], canary };
  let answer: { choices?: { message?: { content?: unknown }; text?: unknown }[] };
  try {
    answer = JSON.parse(text);
  } catch {
    return { text, entities: [], canary };
  }
  const found = new Set<string>();
  for (const choice of answer?.choices ?? []) {
    for (const holder of [choice?.message, choice] as { content?: unknown; text?: unknown }[]) {
      for (const field of ['content', 'text'] as const) {
        const value = holder?.[field];
        if (typeof value !== 'string') continue;
        const redaction = redactText(value);
        for (const entity of redaction.entities) found.add(entity);
        if (mode === 'redact' && redaction.entities.length > 0) holder[field] = redaction.text;
      }
    }
  }
  const entities = [...found];
  return { text: mode === 'redact' && entities.length > 0 ? JSON.stringify(answer) : text, entities, canary };
}

/** A model server's answer with its probability vectors limited; the counts say what was in it. */
export function limitAnswer(
  text: string,
  limits: ProbabilityLimits,
): { text: string; full: number; changed: number } | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return undefined;
  }
  const counts = limitProbabilities(answer, limits);
  return { text: counts.changed > 0 ? JSON.stringify(answer) : text, full: counts.full, changed: counts.changed };
}

/** `usage.total_tokens` of an OpenAI-style answer, or 0. */
export function tokensUsed(answer: string): number {
  const match = /"total_tokens"\s*:\s*(\d{1,9})/.exec(answer);
  return match ? Number(match[1]) : 0;
}
