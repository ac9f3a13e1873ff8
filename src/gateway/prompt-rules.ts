/**
 * Prompt-injection and jailbreak rules: fast, explainable patterns over the text of a chat request.
 * Each hit names its rule, so an alert says why. Text is normalised first (Unicode compatibility form,
 * invisible characters removed, leetspeak folded) so trivial obfuscation does not hide a phrase, and
 * encoded payloads (base64, hex, rot13) are decoded and checked too.
 */
export interface PromptHit {
  readonly rule: string;
  readonly evidence: string;
}

interface Rule {
  readonly id: string;
  readonly pattern: RegExp;
}

const RULES: readonly Rule[] = [
  {
    id: 'instruction-override',
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(?:previous|prior|above|earlier|all|any|your|the|system)\b[^.\n]{0,30}\b(?:instructions?|prompts?|rules?|directions?|guidelines?|context)\b/i,
  },
  {
    id: 'new-instructions',
    pattern: /\b(?:new|updated|real|actual)\s+(?:system\s+)?(?:instructions?|prompt|rules)\s*(?::|\b(?:are|is)\b)/i,
  },
  {
    id: 'system-prompt-extraction',
    pattern:
      /\b(?:reveal|print|show|repeat|output|tell me|display|leak)\b[^.\n]{0,40}\b(?:system\s+prompt|initial\s+(?:prompt|instructions)|hidden\s+(?:prompt|instructions)|your\s+(?:instructions|rules|prompt))\b/i,
  },
  {
    id: 'role-play-jailbreak',
    pattern:
      /\b(?:DAN|do anything now|developer mode|jailbr(?:eak|oken)|evil\s*(?:bot|confidant)|AIM\b|STAN\b|DUDE\b|unfiltered|uncensored|without (?:any )?(?:restrictions|limitations|filters|rules|censorship))\b/i,
  },
  {
    id: 'persona-switch',
    pattern:
      /\b(?:you are now|from now on,? you (?:are|will)|pretend (?:to be|you are)|act as (?:if you were )?an? (?:unrestricted|unfiltered|evil))\b/i,
  },
  {
    id: 'guardrail-removal',
    pattern:
      /\b(?:disable|turn off|remove|ignore)\b[^.\n]{0,20}\b(?:safety|content)\s*(?:filters?|policy|policies|guidelines|guardrails)\b/i,
  },
];

const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u{e0000}-\u{e007f}]/gu;
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/** Text as a reader would see it: compatibility forms folded, invisible characters removed, leetspeak undone. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/(?<=[a-z])[013457@$](?=[a-z])|(?<=\s)[013457@$](?=[a-z]{2})/gi, (c) => LEET[c] ?? c);
}

function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/**
 * Payloads hidden in encodings: long base64 or hex runs (read from the raw text: folding leetspeak
 * would corrupt them) that decode to printable text, and the rot13 reading of the normalised text.
 */
function decodedPayloads(text: string, plain: string): { encoding: string; text: string }[] {
  const out: { encoding: string; text: string }[] = [];
  for (const match of text.matchAll(/[A-Za-z0-9+/]{24,}={0,2}/g)) {
    const decoded = Buffer.from(match[0], 'base64').toString('utf8');
    if (/^[\x20-\x7e\s]{16,}$/.test(decoded)) out.push({ encoding: 'base64', text: decoded });
    if (out.length >= 20) break;
  }
  for (const match of text.matchAll(/\b(?:[0-9a-f]{2}){16,}\b/gi)) {
    const decoded = Buffer.from(match[0], 'hex').toString('utf8');
    if (/^[\x20-\x7e\s]{16,}$/.test(decoded)) out.push({ encoding: 'hex', text: decoded });
    if (out.length >= 40) break;
  }
  out.push({ encoding: 'rot13', text: rot13(plain) });
  return out;
}

/** Every rule that matches the text, directly or inside a decoded payload; invisible characters are a hit too. */
export function promptHits(text: string, maxChars = 100_000): PromptHit[] {
  const sample = text.length > maxChars ? text.slice(0, maxChars) : text;
  const hits: PromptHit[] = [];
  if (INVISIBLE.test(sample))
    hits.push({ rule: 'invisible-unicode', evidence: 'zero-width, bidirectional or tag characters' });
  INVISIBLE.lastIndex = 0;
  const plain = normalise(sample);
  for (const rule of RULES) {
    const match = rule.pattern.exec(plain);
    if (match) hits.push({ rule: rule.id, evidence: match[0].slice(0, 120) });
  }
  for (const payload of decodedPayloads(sample, plain)) {
    for (const rule of RULES) {
      const match = rule.pattern.exec(payload.text);
      if (match && !hits.some((hit) => hit.rule === `${rule.id}:${payload.encoding}`)) {
        hits.push({ rule: `${rule.id}:${payload.encoding}`, evidence: match[0].slice(0, 120) });
      }
    }
  }
  return hits;
}

/** The text of an OpenAI-style chat or completion request: every message's content, and the prompt. */
export function requestText(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const parts: string[] = [];
  const { messages, prompt, input } = body as { messages?: unknown; prompt?: unknown; input?: unknown };
  if (Array.isArray(messages)) {
    for (const message of messages.slice(0, 1000)) {
      const content = (message as { content?: unknown })?.content;
      if (typeof content === 'string') parts.push(content);
      else if (Array.isArray(content)) {
        for (const part of content.slice(0, 100)) {
          const partText = (part as { text?: unknown })?.text;
          if (typeof partText === 'string') parts.push(partText);
        }
      }
    }
  }
  for (const value of [prompt, input]) {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value))
      for (const item of value.slice(0, 100)) if (typeof item === 'string') parts.push(item);
  }
  return parts.join('\n');
}
