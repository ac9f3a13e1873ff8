import { parse, tokenize } from '@huggingface/jinja';
import { type JinjaTag, type JinjaToken, lexJinja } from './jinja-lexer.js';
import { byName, gadgetDunders, gadgetPrivates, gadgetRoots, loaderStatements, sinkNames } from './template-gadgets.js';

/**
 * Static analysis of a Jinja chat template for server-side template injection. The template is lexed
 * (jinja-lexer.ts) and every access is classified by how it is written: `.name`, `['name']`,
 * `|attr('name')`, names assembled from string pieces. @huggingface/jinja's parser checks the whole
 * template is valid Jinja; nothing is ever rendered.
 */
export type SignalLevel = 'critical' | 'high';

export interface TemplateSignal {
  readonly level: SignalLevel;
  readonly what: string;
  readonly at: number;
}

export interface TemplateAnalysis {
  readonly signals: readonly TemplateSignal[];
  /** Why the template is not valid Jinja, if it is not. */
  readonly parseError?: string;
}

const dunders = byName(gadgetDunders);
const sinks = byName(sinkNames);
const roots = byName(gadgetRoots);
const privates = byName(gadgetPrivates);
const loaders = byName(loaderStatements);
const dunderShape = /__[\p{L}\p{N}_]+?__/u;
const maxSignals = 50;

export function analyzeTemplate(template: string): TemplateAnalysis {
  const signals: TemplateSignal[] = [];
  const seen = new Set<string>();
  const add = (level: SignalLevel, what: string, at: number): void => {
    if (signals.length >= maxSignals || seen.has(what)) return;
    seen.add(what);
    signals.push({ level, what, at });
  };
  const lexed = lexJinja(template);
  const everyString: string[] = [];
  for (const tag of lexed.tags) {
    analyzeTag(tag, add, everyString);
  }
  // Pieces set in one tag and joined in another: look at all the strings of the template together.
  checkAssembled(everyString, add, 0);
  const parseError = lexed.error ?? parseCheck(template);
  return parseError === undefined ? { signals } : { signals, parseError };
}

type Add = (level: SignalLevel, what: string, at: number) => void;

function analyzeTag(tag: JinjaTag, add: Add, everyString: string[]): void {
  const tokens = tag.tokens;
  const first = tokens[0];
  if (tag.kind === 'statement' && first?.kind === 'name' && loaders.has(first.value)) {
    add('high', `{% ${first.value} %} statement (${loaders.get(first.value)})`, first.at);
  }
  const groups: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as JinjaToken;
    if (token.kind === 'string') {
      const group = stringGroup(tokens, i);
      groups.push(group.value);
      const before = tokens[i - 1];
      const subject = tokens[i - 2];
      const after = tokens[group.next];
      // A subscript follows an expression (`x['a']`); a list literal follows an operator or nothing.
      const isKey =
        before?.value === '[' &&
        after?.value === ']' &&
        (subject?.kind === 'name' || subject?.value === ']' || subject?.value === ')');
      const isAttrArg = before?.value === '(' && subject?.value === 'attr' && after?.value === ')';
      const isGetattrArg = before?.value === ',' && after?.value === ')' && isCallOf(tokens, i - 1, 'getattr');
      if (isKey) checkAttribute(group.value, `['${group.value}']`, token.at, add);
      else if (isAttrArg || isGetattrArg) checkAttribute(group.value, `attr('${group.value}')`, token.at, add);
      else checkString(group.value, token, add);
      if (token.namedEscape) add('high', 'string written with a \\N{...} escape', token.at);
      i = group.next - 1;
      continue;
    }
    if (token.kind !== 'name') continue;
    const prev = tokens[i - 1]?.value;
    const next = tokens[i + 1]?.value;
    if (prev === '.' && tokens[i - 1]?.kind === 'op') {
      checkAttribute(token.value, `.${token.value}`, token.at, add);
    } else if (prev === '|' && token.value === 'attr') {
      const arg = tokens[i + 2];
      const literal = next === '(' && arg?.kind === 'string' && stringGroup(tokens, i + 2).next < tokens.length;
      const closes = literal && tokens[stringGroup(tokens, i + 2).next]?.value === ')';
      if (!closes) add('high', 'attr filter with a computed attribute name', token.at);
    } else if (prev !== '|' && prev !== 'is' && prev !== 'not') {
      checkBareName(token, next, tokens[i + 2], add);
    }
  }
  everyString.push(...groups);
  checkAssembled(groups, add, tag.at);
}

/** Adjacent literals and literals joined with `~` or `+` are one string to Jinja. */
function stringGroup(tokens: readonly JinjaToken[], start: number): { value: string; next: number } {
  let value = (tokens[start] as JinjaToken).value;
  let i = start + 1;
  while (i < tokens.length) {
    const token = tokens[i] as JinjaToken;
    if (token.kind === 'string') {
      value += token.value;
      i++;
    } else if ((token.value === '~' || token.value === '+') && tokens[i + 1]?.kind === 'string') {
      value += (tokens[i + 1] as JinjaToken).value;
      i += 2;
    } else {
      break;
    }
  }
  return { value, next: i };
}

function isCallOf(tokens: readonly JinjaToken[], comma: number, name: string): boolean {
  let depth = 0;
  for (let j = comma - 1; j >= 0; j--) {
    const value = tokens[j]?.value;
    if (value === ')' || value === ']') depth++;
    else if (value === '(' || value === '[') {
      if (depth === 0) return tokens[j - 1]?.value === name;
      depth--;
    }
  }
  return false;
}

function checkString(value: string, token: JinjaToken, add: Add): void {
  const shape = dunderShape.exec(value)?.[0];
  const gadget = [...dunders.keys()].find((name) => value.includes(name));
  if (gadget) add('critical', `string names ${gadget} (${dunders.get(gadget)})`, token.at);
  else if (shape) add('high', `string holds the dunder name ${shape}`, token.at);
  else if (/^_+$/.test(value) || /^__\S/.test(value) || /\S__$/.test(value)) {
    add('high', `string fragment ${JSON.stringify(value.slice(0, 40))} of a dunder name`, token.at);
  }
}

function checkAttribute(name: string, written: string, at: number, add: Add): void {
  if (dunders.has(name)) add('critical', `access to ${written} (${dunders.get(name)})`, at);
  else if (privates.has(name)) add('critical', `access to ${written} (${privates.get(name)})`, at);
  else if (dunderShape.test(name)) add('high', `access to the dunder attribute ${written}`, at);
  else if (name.startsWith('_')) add('high', `access to the private attribute ${written}`, at);
  else if (sinks.has(name)) add('high', `access to ${written} (${sinks.get(name)})`, at);
}

function checkBareName(token: JinjaToken, next: string | undefined, after: JinjaToken | undefined, add: Add): void {
  const name = token.value;
  if (dunders.has(name)) add('critical', `reference to ${name} (${dunders.get(name)})`, token.at);
  else if (dunderShape.test(name)) add('high', `reference to the dunder name ${name}`, token.at);
  const walked = next === '.' || next === '[' || (next === '|' && after?.value === 'attr');
  if (roots.has(name) && walked) add('high', `${name} walked into its attributes (${roots.get(name)})`, token.at);
  if (sinks.has(name) && (walked || next === '(')) add('high', `reference to ${name} (${sinks.get(name)})`, token.at);
}

/** A gadget name no single string spells but the strings spell together, forwards or reversed. */
function checkAssembled(pieces: readonly string[], add: Add, at: number): void {
  const joined = pieces.join('');
  const reversed = [...joined].reverse().join('');
  for (const [name, reason] of dunders) {
    if (pieces.some((piece) => piece.includes(name))) continue;
    const found = joined.includes(name) ? 'assembled' : reversed.includes(name) ? 'assembled reversed' : undefined;
    if (found) add('critical', `${name} ${found} from string pieces (${reason})`, at);
  }
}

/** Whether the template is valid Jinja, by a maintained parser; a crash of the parser counts as invalid. */
function parseCheck(template: string): string | undefined {
  try {
    // Its pre-pass runs a whitespace-led regex that is quadratic on long blank runs; one blank keeps the syntax.
    parse(tokenize(template.replace(/\s{2,}/g, (run) => (run.includes('\n') ? '\n' : ' '))));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.slice(0, 200) : 'parser failed';
  }
}
