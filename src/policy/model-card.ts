import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Evidence } from '../contracts/index.js';
import { readBounded } from './read-bounded.js';

/** Model-card file names, a dedicated card before a README. */
export const MODEL_CARD_NAMES = ['MODEL_CARD.md', 'model_card.md', 'README.md'] as const;
/** Cards are small; a larger file is read only this far. */
const MAX_CARD_BYTES = 256 << 10;
const MAX_FIELDS = 200;
const MAX_FIELD_CHARS = 4096;

export interface ModelCard {
  readonly card: Evidence['modelCard'];
  /** `base_model` of the front matter, when it names one. */
  readonly baseModels: readonly string[];
}

/** The first model card of the folder, as fields; an absent card is `present: false`. */
export async function readModelCard(dir: string): Promise<ModelCard> {
  for (const name of MODEL_CARD_NAMES) {
    const text = await readBounded(join(dir, name), MAX_CARD_BYTES, { truncate: true });
    if (text !== undefined) return parseModelCard(text);
  }
  return { card: { present: false, fields: {}, length: 0 }, baseModels: [] };
}

/** `Intended_Use:` → `intended use`: the key policies test for, whatever the card's spelling. */
export function fieldKey(text: string): string {
  return text
    .trim()
    .replace(/:$/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

/** Fields from YAML front matter (top-level keys) and from `##` / `###` headings (their section's text). */
export function parseModelCard(raw: string): ModelCard {
  const text = raw.replace(/\r\n?/g, '\n');
  const fields: Record<string, string> = {};
  const add = (key: string, value: string) => {
    const name = fieldKey(key);
    if (!name || name in fields || Object.keys(fields).length >= MAX_FIELDS) return;
    fields[name] = value.trim().slice(0, MAX_FIELD_CHARS);
  };
  let body = text;
  let baseModels: string[] = [];
  const front = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(text);
  if (front) {
    body = text.slice(front[0].length);
    const meta = frontMatter(front[1]!);
    for (const [key, value] of Object.entries(meta)) add(key, asText(value));
    baseModels = [meta.base_model].flat().filter((m): m is string => typeof m === 'string' && m !== '');
  }
  const lines = body.split('\n');
  const headings = lines.flatMap((line, index) => {
    const level = /^#{2,3}[ \t]/.exec(line)?.[0].trimEnd().length;
    return level ? [{ index, level, title: trimClosingHashes(line.slice(level)) }] : [];
  });
  headings.forEach((heading, i) => {
    const end = headings.slice(i + 1).find((next) => next.level <= heading.level)?.index ?? lines.length;
    add(heading.title, lines.slice(heading.index + 1, end).join('\n'));
  });
  return { card: { present: true, fields, length: text.length }, baseModels };
}

/** The fields of a model card's text (front matter and headings), as `modelCard.fields` holds them. */
export function modelCardFields(text: string): Record<string, string> {
  return parseModelCard(text).card.fields;
}

/** `## Uses ##` → `Uses`, without a regular expression that could backtrack over a long line. */
function trimClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '#' || text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(0, end).trim();
}

function frontMatter(yaml: string): Record<string, unknown> {
  try {
    const value: unknown = parseYaml(yaml, { maxAliasCount: 50 });
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    // A card whose front matter is not YAML still has its headings.
    return {};
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return value.join(', ');
  return value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}
