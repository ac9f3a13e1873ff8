/**
 * A Jinja2 lexer for analysis, never rendering: it splits a template into its `{{ }}` and `{% %}` tags
 * and tokenises each tag's expression the way Jinja2 does (default delimiters, `-`/`+` whitespace
 * control, `{% raw %}` blocks, Python string escapes). It is total: bad input ends the current tag and
 * sets `error`, so a payload that breaks the syntax is still seen token by token.
 */
export type TokenKind = 'name' | 'string' | 'number' | 'op';

export interface JinjaToken {
  readonly kind: TokenKind;
  /** Names and operators as written; strings decoded the way Jinja2 decodes them. */
  readonly value: string;
  /** Offset in the template, for evidence. */
  readonly at: number;
  /** Strings only: written with a \N{...} escape, which only Python-side decoders understand. */
  readonly namedEscape?: boolean;
}

export interface JinjaTag {
  readonly kind: 'expression' | 'statement';
  readonly at: number;
  readonly end: number;
  readonly tokens: readonly JinjaToken[];
}

export interface LexResult {
  readonly tags: readonly JinjaTag[];
  readonly error?: string;
}

const operators = ['**', '//', '==', '!=', '<=', '>=', ...'+-*/%~|.,:;()[]{}<>='.split('')];
const nameStart = /[\p{L}_]/u;
const namePart = /[\p{L}\p{N}_]/u;
const simpleEscapes: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};
/** The few \N{...} names a payload needs to spell identifiers; the rest decode to a marker. */
const unicodeNames: Record<string, string> = { 'LOW LINE': '_', UNDERSCORE: '_', 'FULL STOP': '.' };

export function lexJinja(template: string): LexResult {
  const tags: JinjaTag[] = [];
  let pos = 0;
  while (pos < template.length) {
    const open = findOpening(template, pos);
    if (open < 0) break;
    const marker = template[open + 1];
    if (marker === '#') {
      const close = template.indexOf('#}', open + 2);
      if (close < 0) return { tags, error: `comment at ${open} is not closed` };
      pos = close + 2;
      continue;
    }
    const kind = marker === '{' ? 'expression' : 'statement';
    const tag = lexTag(template, open, kind);
    if ('error' in tag) return { tags, error: tag.error };
    tags.push(tag);
    pos = tag.end;
    if (kind === 'statement' && tag.tokens[0]?.value === 'raw' && tag.tokens.length === 1) {
      // Jinja2 keeps everything up to {% endraw %} as text.
      const endRaw = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
      endRaw.lastIndex = pos;
      const match = endRaw.exec(template);
      if (!match) return { tags, error: `raw block at ${open} is not closed` };
      pos = match.index + match[0].length;
    }
  }
  return { tags };
}

function findOpening(template: string, from: number): number {
  for (let i = template.indexOf('{', from); i >= 0; i = template.indexOf('{', i + 1)) {
    const next = template[i + 1];
    if (next === '{' || next === '%' || next === '#') return i;
  }
  return -1;
}

type TagOrError = JinjaTag | { readonly error: string };

function lexTag(template: string, open: number, kind: JinjaTag['kind']): TagOrError {
  const closer = kind === 'expression' ? '}}' : '%}';
  const tokens: JinjaToken[] = [];
  let pos = open + 2;
  if (template[pos] === '-' || template[pos] === '+') pos++;
  let depth = 0;
  while (pos < template.length) {
    const char = template[pos] as string;
    if (/\s/.test(char)) {
      pos++;
      continue;
    }
    const closing = (char === '-' || char === '+') && template.startsWith(closer, pos + 1) ? pos + 1 : pos;
    if (depth <= 0 && template.startsWith(closer, closing)) {
      return { kind, at: open, end: closing + 2, tokens };
    }
    if (char === "'" || char === '"') {
      const string = lexString(template, pos);
      if (!string) return { error: `string at ${pos} is not closed` };
      tokens.push(string.token);
      pos = string.end;
      continue;
    }
    if (nameStart.test(char)) {
      let end = pos + 1;
      while (end < template.length && namePart.test(template[end] as string)) end++;
      tokens.push({ kind: 'name', value: template.slice(pos, end), at: pos });
      pos = end;
      continue;
    }
    const number = /^\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?/.exec(template.slice(pos, pos + 64));
    if (number) {
      tokens.push({ kind: 'number', value: number[0], at: pos });
      pos += number[0].length;
      continue;
    }
    const op = operators.find((candidate) => template.startsWith(candidate, pos));
    if (!op) return { error: `unexpected character ${JSON.stringify(char)} at ${pos}` };
    if (op === '{' || op === '[' || op === '(') depth++;
    if (op === '}' || op === ']' || op === ')') depth--;
    tokens.push({ kind: 'op', value: op, at: pos });
    pos += op.length;
  }
  return { error: `tag at ${open} is not closed` };
}

function lexString(template: string, start: number): { token: JinjaToken; end: number } | undefined {
  const quote = template[start];
  let value = '';
  let namedEscape = false;
  let pos = start + 1;
  while (pos < template.length) {
    const char = template[pos] as string;
    if (char === quote) {
      const token: JinjaToken = { kind: 'string', value, at: start, ...(namedEscape ? { namedEscape } : {}) };
      return { token, end: pos + 1 };
    }
    if (char !== '\\') {
      value += char;
      pos++;
      continue;
    }
    const decoded = decodeEscape(template, pos);
    value += decoded.text;
    namedEscape ||= decoded.named;
    pos = decoded.end;
  }
  return undefined;
}

/** Python's unicode-escape decoding, which Jinja2 applies to string literals. */
function decodeEscape(template: string, pos: number): { text: string; end: number; named: boolean } {
  const next = template[pos + 1] ?? '';
  const simple = simpleEscapes[next];
  if (simple !== undefined) return { text: simple, end: pos + 2, named: false };
  const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
  if (hexLength > 0) {
    const hex = template.slice(pos + 2, pos + 2 + hexLength);
    const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLength ? Number.parseInt(hex, 16) : -1;
    if (code >= 0 && code <= 0x10ffff)
      return { text: String.fromCodePoint(code), end: pos + 2 + hexLength, named: false };
    return { text: `\\${next}`, end: pos + 2, named: false };
  }
  const octal = /^[0-7]{1,3}/.exec(template.slice(pos + 1, pos + 4));
  if (octal)
    return { text: String.fromCodePoint(Number.parseInt(octal[0], 8)), end: pos + 1 + octal[0].length, named: false };
  if (next === 'N' && template[pos + 2] === '{') {
    const close = template.indexOf('}', pos + 3);
    if (close > 0 && close - pos < 100) {
      const name = template.slice(pos + 3, close).toUpperCase();
      return { text: unicodeNames[name] ?? '\uFFFD', end: close + 1, named: true };
    }
  }
  // Unknown escapes stay as written, as in Python.
  return { text: `\\${next}`, end: pos + 2, named: false };
}
