import { isAscii } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { type ColumnType, ProfileBuilder, type ReferenceProfile } from './profile.js';

/**
 * The worker side of parallel profiling (profile-parallel.ts): a line parser for delimited text and
 * the profiling of one byte range of a file with it. Importing this module has no side effects; a
 * worker thread starts serving with `serveProfileWorker()`.
 *
 * The parser reads one record per line, which is what the streaming reader (papaparse) reads as long
 * as no quoted field holds a line break and quotes are well formed. Anything else — a quote left open
 * at the end of a line, text after a closing quote, a line ending other than the file's, an overlong
 * line — throws `Declined`, and the caller reads the whole file with the streaming reader instead, so
 * its records and its issues are the streaming reader's, always.
 */

/** The dialect of a delimited file, read once from its head. */
export interface Dialect {
  readonly delimiter: string;
  /** LF files may hold no CR at all, CRLF files no CR or LF outside a line ending. */
  readonly newline: '\n' | '\r\n';
}

/** Why a file cannot be read line by line; the caller then streams it instead. */
export class Declined extends Error {
  override readonly name = 'Declined';
}

/** Receives the fields of each record; empty lines give no record. */
export interface RecordSink {
  field(column: number, value: string): void;
  endRecord(): void;
}

/** A sink that reads unquoted fields in place, `text[start, end)`, rather than as a copy. */
export interface SpanSink extends RecordSink {
  span(column: number, text: string, start: number, end: number): void;
}

/** Bytes read per call. */
const CHUNK = 1 << 20;
/**
 * Lines longer than this are left to the streaming reader, which stops at 64 Mi characters with an
 * issue; staying well below keeps the two readers from disagreeing near its limit.
 */
export const MAX_LINE_BYTES = 8 << 20;

const QUOTE = 34;

/**
 * Parses `text`, whole lines only (its end is a line end or the end of the file), into `sink`.
 * Linear time: the next delimiter, quote and CR are searched once each and remembered.
 * @throws Declined where the file needs the streaming reader (see the module comment)
 */
export function parseLines(text: string, dialect: Dialect, sink: RecordSink | SpanSink): void {
  new LineParser(text, dialect, 'span' in sink ? sink : withSpans(sink)).run();
}

function withSpans(sink: RecordSink): SpanSink {
  return {
    field: (column, value) => sink.field(column, value),
    span: (column, text, start, end) => sink.field(column, text.slice(start, end)),
    endRecord: () => sink.endRecord(),
  };
}

class LineParser {
  private readonly n: number;
  private readonly crlf: boolean;
  private readonly delimiter: string;
  private delimAt = -1;
  private quoteAt = -1;
  private crAt = -1;

  constructor(
    private readonly text: string,
    dialect: Dialect,
    private readonly sink: SpanSink,
  ) {
    this.n = text.length;
    this.crlf = dialect.newline === '\r\n';
    this.delimiter = dialect.delimiter;
  }

  run(): void {
    const { text, n, sink } = this;
    if (!this.crlf && text.indexOf('\r') !== -1) throw new Declined('a CR in a file with LF line endings');
    let pos = 0;
    while (pos < n) {
      let eol = text.indexOf('\n', pos);
      if (eol === -1) eol = n;
      let end = eol;
      if (this.crlf) {
        const cr = this.nextCr(pos);
        // The line's only CR must be the one of its CRLF; the file's last line may have none.
        if (eol < n ? cr !== eol - 1 : cr < n) throw new Declined('a line ending other than CRLF in a CRLF file');
        if (eol < n) end = eol - 1;
      }
      // The streaming reader drops records of one empty field: empty lines and lines of just `""`.
      if (end > pos && !(end - pos === 2 && text.startsWith('""', pos))) {
        if (this.nextQuote(pos) < end) this.quotedLine(pos, end);
        else this.plainLine(pos, end);
        sink.endRecord();
      }
      pos = eol + 1;
    }
  }

  /** Positions of the next delimiter, quote and CR at or after `from` (`n` when none): each found once. */
  private nextDelimiter(from: number): number {
    if (this.delimAt < from) this.delimAt = this.search(this.delimiter, from);
    return this.delimAt;
  }

  private nextQuote(from: number): number {
    if (this.quoteAt < from) this.quoteAt = this.search('"', from);
    return this.quoteAt;
  }

  private nextCr(from: number): number {
    if (this.crAt < from) this.crAt = this.search('\r', from);
    return this.crAt;
  }

  private search(char: string, from: number): number {
    const index = this.text.indexOf(char, from);
    return index === -1 ? this.n : index;
  }

  private plainLine(pos: number, end: number): void {
    let start = pos;
    let column = 0;
    for (;;) {
      const at = Math.min(this.nextDelimiter(start), end);
      this.sink.span(column++, this.text, start, at);
      if (at === end) return;
      start = at + 1;
    }
  }

  /** RFC 4180 fields: a field is quoted when its first character is a quote; `""` inside is one quote. */
  private quotedLine(pos: number, end: number): void {
    const { text } = this;
    let start = pos;
    let column = 0;
    for (;;) {
      if (start === end || text.charCodeAt(start) !== QUOTE) {
        const at = Math.min(this.nextDelimiter(start), end);
        this.sink.span(column++, text, start, at);
        if (at === end) return;
        start = at + 1;
        continue;
      }
      let value = '';
      let from = start + 1;
      for (;;) {
        const quote = this.nextQuote(from);
        if (quote >= end) throw new Declined('a quoted field that does not close on its line');
        if (quote + 1 < end && text.charCodeAt(quote + 1) === QUOTE) {
          value += text.slice(from, quote + 1);
          from = quote + 2;
          continue;
        }
        value += text.slice(from, quote);
        start = quote + 1;
        break;
      }
      this.sink.field(column++, value);
      if (start === end) return;
      if (text[start] !== this.delimiter) throw new Declined('text after the closing quote of a field');
      start++;
    }
  }
}

/** Column names from a header record, as the streaming reader makes them. */
export function headerNames(record: readonly string[]): string[] {
  return record.map((name, index) => name.trim() || `column_${index + 1}`);
}

/** A column without a value so far, so without a slot. */
const UNSET = -2;

/** Feeds records into a profile builder with data rows counted from 0. */
class BuilderSink implements SpanSink {
  records = 0;
  lastRow = -1;
  private readonly names: string[] = [];
  /** The builder's slot of each column, made at its first value. */
  private readonly slots: number[] = [];

  constructor(
    header: readonly string[],
    private readonly builder: ProfileBuilder,
  ) {
    this.names.push(...header);
  }

  field(column: number, value: string): void {
    this.span(column, value, 0, value.length);
  }

  span(column: number, text: string, start: number, end: number): void {
    if (start === end) return;
    let slot = this.slots[column];
    if (slot === undefined || slot === UNSET) slot = this.slotOf(column);
    this.builder.addAt(this.records, slot, text, start, end);
    this.lastRow = this.records;
  }

  endRecord(): void {
    this.records++;
  }

  columnNames(): readonly string[] {
    return this.names;
  }

  private slotOf(column: number): number {
    // Columns past the header are named as the streaming reader names them.
    for (let index = this.names.length; index <= column; index++) this.names.push(`column_${index + 1}`);
    while (this.slots.length < column) this.slots.push(UNSET);
    const slot = this.builder.slot(this.names[column]!);
    this.slots[column] = slot;
    return slot;
  }
}

/** What a worker reports for one range: both readings of every column, so the type is decided once. */
export interface RangeProfile {
  /** Data records in the range, empty ones (no values) included. */
  readonly records: number;
  /** The last record (0-based, in the range) with a value; -1 when none has. */
  readonly lastRow: number;
  /** Every column read as numbers. */
  readonly numeric: ReferenceProfile;
  /**
   * Every column read as categories, but those typed `number` with more distinct values in the range
   * than a category list keeps: the merge needs no list of theirs (profile-shards.ts).
   */
  readonly category: ReferenceProfile;
}

export interface RangeSetup {
  readonly path: string;
  readonly dialect: Dialect;
  readonly header: readonly string[];
  readonly alpha: number | undefined;
  /** The columns of the joint moments, as one pass over the whole file chooses them. */
  readonly joint: readonly string[];
  /** Column types given by the caller. */
  readonly types: Readonly<Record<string, ColumnType>> | undefined;
}

/**
 * The profile of the records in bytes `[start, end)` of a file, which begin and end at line starts
 * (or the file's end). Streams the range through one buffer, grown only for a long line.
 * @throws Declined where the streaming reader must read the file; other errors for unreadable files
 */
export function profileRange(setup: RangeSetup, start: number, end: number): RangeProfile {
  // The whole file's joint columns, so each range's moments cover the columns one pass would take.
  const builder = new ProfileBuilder({ alpha: setup.alpha, jointColumns: setup.joint });
  const sink = new BuilderSink(setup.header, builder);
  const fd = openSync(setup.path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, end - start)));
    let filled = 0;
    let position = start;
    while (position < end || filled > 0) {
      if (position < end) {
        if (filled === buffer.length) {
          if (buffer.length >= MAX_LINE_BYTES) throw new Declined(`a line longer than ${MAX_LINE_BYTES} bytes`);
          const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_LINE_BYTES));
          buffer.copy(grown, 0, 0, filled);
          buffer = grown;
        }
        const got = readSync(fd, buffer, filled, Math.min(buffer.length - filled, end - position), position);
        if (got === 0) throw new Declined('the file got shorter while it was read');
        position += got;
        filled += got;
      }
      const cut = position >= end ? filled : buffer.lastIndexOf(10, filled - 1) + 1;
      if (cut === 0) continue;
      parseLines(decode(buffer.subarray(0, cut)), setup.dialect, sink);
      buffer.copyWithin(0, cut, filled);
      filled -= cut;
    }
  } finally {
    closeSync(fd);
  }
  // Both readings of every column from one pass: all numbers, then all categories (see mergeRanges).
  const every = (type: ColumnType) => Object.fromEntries(sink.columnNames().map((name) => [name, type]));
  const numeric = builder.build(every('number'));
  // A numeric reading without `distinct` had values beyond the category list.
  const listed = numeric.columns.filter(
    (column) => setup.types?.[column.name] !== 'number' || (column.type === 'number' && column.distinct !== null),
  );
  const category = builder.build(every('category'), new Set(listed.map((column) => column.name)));
  return { records: sink.records, lastRow: sink.lastRow, numeric, category };
}

/** UTF-8 text; ASCII (most data files) decodes as latin1, to the same string several times faster. */
function decode(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

export interface RangeJob {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export type RangeReply =
  | { readonly index: number; readonly ok: true; readonly result: RangeProfile }
  | { readonly index: number; readonly ok: false; readonly reason: string };

/** The worker thread's program: profile each range it is sent, reply with the result or the reason not to. */
export function serveProfileWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('serveProfileWorker runs in a worker thread');
  const setup = workerData as RangeSetup;
  port.on('message', (job: RangeJob) => {
    let reply: RangeReply;
    try {
      reply = { index: job.index, ok: true, result: profileRange(setup, job.start, job.end) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply = {
        index: job.index,
        ok: false,
        reason: error instanceof Declined ? message : `worker failed: ${message}`,
      };
    }
    port.postMessage(reply);
  });
}
