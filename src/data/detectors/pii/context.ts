/**
 * Context words, matched as WHOLE WORDS. A column name (`card_number`, `dateOfBirth`,
 * `user.contact.email`) and the text around a match are split into lower-case alphanumeric tokens
 * (non-alphanumerics and camelCase humps are boundaries), and a context word counts only when it equals
 * a token, or a run of tokens for a phrase such as `social security`. So `lic` never matches inside
 * `public`, and `dob` never inside `adobe`.
 */

/** Characters looked at before and after a match for context words. */
export const WINDOW_BEFORE = 48;
export const WINDOW_AFTER = 24;

function isAlnum(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code > 127 && code !== 160)
  );
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

/**
 * Lower-case tokens of `text[from, to)`. A token cut by the window edge (an alphanumeric just outside
 * the range) is dropped, so a window that starts inside `public` does not yield `lic`.
 */
export function tokenize(text: string, from = 0, to = text.length): string[] {
  const tokens: string[] = [];
  let i = from;
  // Skip a token that the left edge cuts in half.
  if (from > 0 && isAlnum(text.charCodeAt(from - 1))) while (i < to && isAlnum(text.charCodeAt(i))) i++;
  while (i < to) {
    while (i < to && !isAlnum(text.charCodeAt(i))) i++;
    if (i >= to) break;
    let start = i;
    let prev = -1;
    while (i < to) {
      const code = text.charCodeAt(i);
      if (!isAlnum(code)) break;
      // camelCase and acronym humps: `cardNumber` → card|Number, `IPAddress` → IP|Address.
      if (
        i > start &&
        isUpper(code) &&
        (isLower(prev) || (isUpper(prev) && i + 1 < to && isLower(text.charCodeAt(i + 1))))
      ) {
        tokens.push(text.slice(start, i).toLowerCase());
        start = i;
      }
      prev = code;
      i++;
    }
    // Drop a token that the right edge cuts in half.
    if (i === to && to < text.length && isAlnum(text.charCodeAt(to))) break;
    tokens.push(text.slice(start, i).toLowerCase());
  }
  return tokens;
}

/** A compiled list of context words and phrases for one detector. */
export class ContextWords {
  private readonly single = new Set<string>();
  private readonly phrases = new Map<string, string[][]>();
  /** Case-insensitive substring pre-check: a value without any of these letters cannot have context. */
  readonly anySubstring: RegExp;

  constructor(readonly words: readonly string[]) {
    for (const word of words) {
      const parts = tokenize(word);
      const [head, ...rest] = parts;
      if (head === undefined) continue;
      if (rest.length === 0) this.single.add(head);
      else {
        const list = this.phrases.get(head) ?? [];
        list.push(rest);
        this.phrases.set(head, list);
      }
    }
    const heads = [...new Set(words.map((word) => tokenize(word)[0]).filter((w): w is string => Boolean(w)))];
    heads.sort((a, b) => b.length - a.length);
    this.anySubstring = heads.length ? new RegExp(heads.map(escapeRegExp).join('|'), 'i') : /(?!)/;
    // A letter every head contains: a value holding neither case of it has no context word (two
    // indexOf calls, much cheaper than the alternation).
    const common = [...(heads[0] ?? '')].find(
      (char) => /[a-z]/.test(char) && heads.every((head) => head.includes(char)),
    );
    this.letter = common ?? '';
    this.upperLetter = common?.toUpperCase() ?? '';
  }

  private readonly letter: string;
  private readonly upperLetter: string;

  /** False when `text` cannot hold any context word: no head of one occurs in it, in any case. */
  mayOccurIn(text: string): boolean {
    if (this.letter && text.indexOf(this.letter) === -1 && text.indexOf(this.upperLetter) === -1) return false;
    return this.anySubstring.test(text);
  }

  private readonly columnHits = new Map<string, ContextHit | null>();

  /** The context word in a column name, remembered per column (a dataset has few columns, many values). */
  inColumn(column: string | undefined): ContextHit | undefined {
    if (!column) return undefined;
    let hit = this.columnHits.get(column);
    if (hit === undefined) {
      const word = this.find(columnTokens(column));
      hit = word ? contextHit(word, 'column') : null;
      if (this.columnHits.size > 4096) this.columnHits.clear();
      this.columnHits.set(column, hit);
    }
    return hit ?? undefined;
  }

  /** The context word or phrase found among `tokens`, if any. */
  find(tokens: readonly string[]): string | undefined {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (this.single.has(token)) return token;
      const tails = this.phrases.get(token);
      if (!tails) continue;
      for (const tail of tails) {
        let ok = true;
        for (let j = 0; j < tail.length; j++) {
          if (tokens[i + 1 + j] !== tail[j]) {
            ok = false;
            break;
          }
        }
        if (ok) return [token, ...tail].join(' ');
      }
    }
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const columnCache = new Map<string, string[]>();

/** Tokens of a column name or JSON path, cached: the engine asks for the same few columns millions of times. */
export function columnTokens(column: string | undefined): readonly string[] {
  if (!column) return [];
  let tokens = columnCache.get(column);
  if (!tokens) {
    if (columnCache.size > 4096) columnCache.clear();
    tokens = tokenize(column);
    columnCache.set(column, tokens);
  }
  return tokens;
}

/** Where a context word was found, for the match reason. */
export interface ContextHit {
  readonly word: string;
  readonly where: 'column' | 'text';
  /** Reason fragment: `context: "ssn" (column)`. */
  readonly reason: string;
}

function contextHit(word: string, where: ContextHit['where']): ContextHit {
  return { word, where, reason: `context: "${word}"${where === 'column' ? ' (column)' : ''}` };
}

/** Looks for a context word in the column name, then in the text around `[start, end)`. */
export function findContext(
  words: ContextWords,
  text: string,
  start: number,
  end: number,
  column: string | undefined,
): ContextHit | undefined {
  return words.inColumn(column) ?? findTextContext(words, text, start, end);
}

/** Looks for a context word in the text around `[start, end)` only. */
export function findTextContext(words: ContextWords, text: string, start: number, end: number): ContextHit | undefined {
  const before = words.find(tokenize(text, Math.max(0, start - WINDOW_BEFORE), start));
  if (before) return contextHit(before, 'text');
  const after = words.find(tokenize(text, end, Math.min(text.length, end + WINDOW_AFTER)));
  if (after) return contextHit(after, 'text');
  return undefined;
}
