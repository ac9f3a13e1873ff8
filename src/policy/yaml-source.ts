import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument, Scalar } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export type YamlPath = readonly (string | number)[];

/**
 * A parsed YAML file that still knows where everything came from: line and column of any node, of
 * any key, and of any character inside a string scalar (quoted, escaped, folded or block).
 */
export class YamlSource {
  private readonly lines = new LineCounter();
  readonly document: Document.Parsed;

  constructor(readonly text: string) {
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  position(offset: number): Position {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, column: col };
  }

  node(path: YamlPath): Node | undefined {
    const found = path.length === 0 ? this.document.contents : this.document.getIn(path, true);
    return found && typeof found === 'object' && 'range' in found ? (found as Node) : undefined;
  }

  /** Where the value at `path` starts, or the nearest enclosing node that exists. */
  positionOf(path: YamlPath): Position {
    for (let length = path.length; length >= 0; length--) {
      const range = this.node(path.slice(0, length))?.range;
      if (range) return this.position(range[0]);
    }
    return { line: 1, column: 1 };
  }

  /** Where the key `key` of the mapping at `path` is written. */
  keyPosition(path: YamlPath, key: string): Position {
    const map = this.node(path);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return this.position(pair.key.range[0]);
      }
    }
    return this.positionOf(path);
  }

  /** Where character `index` of the string at `path` is in the file. */
  charPosition(path: YamlPath, index: number): Position {
    const node = this.node(path);
    if (!isScalar(node) || !node.range) return this.positionOf(path);
    const offsets = valueOffsets(this.text, node);
    const last = offsets.at(-1);
    // Past the end (a parser expecting more): just after the last character.
    if (index >= offsets.length) return this.position(last === undefined ? node.range[0] : last + 1);
    return this.position(offsets[index]!);
  }
}

/** The source offset of every character of a scalar's value. */
function valueOffsets(text: string, node: Scalar): number[] {
  const [start, end] = node.range!;
  const out: number[] = [];
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    let at = text.indexOf('\n', start) + 1;
    if (at === 0) return out;
    const indent = /^[ ]*/.exec(text.slice(at))![0].length;
    while (at < end) {
      const newline = text.indexOf('\n', at);
      const lineEnd = newline === -1 || newline > end ? end : newline;
      for (let p = at + indent; p < lineEnd; p++) out.push(p);
      // A line break is one character of the value: `\n` in a literal, a space (mostly) when folded.
      out.push(lineEnd);
      at = lineEnd + 1;
    }
    return out;
  }
  const quote = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  let at = start + quote;
  const stop = end - quote;
  while (at < stop) {
    const c = text[at]!;
    out.push(at);
    if (c === '\n' || c === '\r') {
      // A folded line break and the next line's indentation are one space of the value.
      at++;
      while (at < stop && /[ \t\r\n]/.test(text[at]!)) at++;
    } else if (node.type === Scalar.QUOTE_SINGLE && c === "'") at += 2;
    else if (node.type === Scalar.QUOTE_DOUBLE && c === '\\') {
      const kind = text[at + 1];
      at += kind === 'x' ? 4 : kind === 'u' ? 6 : kind === 'U' ? 10 : 2;
    } else at++;
  }
  return out;
}
