import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Source } from '../io/source.js';
import { CorruptInput } from './errors.js';

const DEFAULT_CHUNK = 1 << 20;
const EMPTY = Buffer.alloc(0);

/**
 * Sequential reader over a `Source` holding a window of at most what a decoder asked for plus one chunk. Decoders
 * ask for the bytes they need (`fill`), then parse synchronously from `window`; the window is never mutated in
 * place, so a buffer handed to node:zlib stays valid after the window moves on.
 */
export class InputReader {
  /** Absolute source offset of the next unconsumed byte. */
  pos = 0;
  window: Buffer = EMPTY;
  /** Absolute source offset of `window[0]`. */
  windowStart = 0;
  /** Where the input ends: the source's size, or less if a read came back short (a file truncated meanwhile). */
  private end: number;

  constructor(
    private readonly source: Source,
    private readonly signal?: AbortSignal,
    private readonly chunkSize = DEFAULT_CHUNK,
  ) {
    this.end = source.size;
  }

  /** True when everything up to the end of input is in the window: no later `fill` can add more. */
  get final(): boolean {
    return this.windowStart + this.window.length >= this.end;
  }

  /** Unconsumed bytes in the window. */
  get available(): number {
    return this.windowStart + this.window.length - this.pos;
  }

  /** Index of `pos` in `window`. */
  get index(): number {
    return this.pos - this.windowStart;
  }

  /**
   * Makes at least `n` bytes available (fewer only at the end of the source) and returns how many are. Reads a
   * chunk beyond `n` so a decoder calling this per small record does not re-copy the window each time. This is
   * where `signal` is honoured and the event loop gets a turn, between chunks.
   */
  async fill(n: number): Promise<number> {
    this.signal?.throwIfAborted();
    const want = Math.min(n, this.end - this.pos);
    if (this.available >= want) return this.available;
    await yieldToEventLoop();
    this.signal?.throwIfAborted();
    const keep = this.available > 0 ? this.window.subarray(this.index) : EMPTY;
    const from = this.pos + keep.length;
    const ask = Math.min(want - keep.length + this.chunkSize, this.end - from);
    const more = await this.source.read(from, ask);
    // Decoders loop until input ends; a short read must end it, or they would wait for bytes that never come.
    if (more.length < ask) this.end = from + more.length;
    this.window = keep.length === 0 ? more : Buffer.concat([keep, more]);
    this.windowStart = this.pos;
    return this.available;
  }

  /** Moves to an absolute offset (after node:zlib reports how much of what it was given it consumed). */
  seek(pos: number): void {
    if (pos < this.windowStart || pos > this.windowStart + this.window.length) {
      this.window = EMPTY;
      this.windowStart = pos;
    }
    this.pos = pos;
  }

  /** `n` window bytes at `pos`, consumed; throws `CorruptInput` when the source ended first. */
  take(n: number): Buffer {
    if (this.available < n) throw new CorruptInput(`unexpected end of input at offset ${this.pos}`);
    const start = this.index;
    this.pos += n;
    return this.window.subarray(start, start + n);
  }

  /** One window byte, consumed. */
  byte(): number {
    if (this.available < 1) throw new CorruptInput(`unexpected end of input at offset ${this.pos}`);
    return this.window[this.pos++ - this.windowStart]!;
  }

  /** Reads `n` bytes (fetching them if needed), consumed; `truncated` is the error message if input ends first. */
  async read(n: number, truncated?: string): Promise<Buffer> {
    await this.fill(n);
    if (truncated !== undefined && this.available < n) throw new CorruptInput(truncated);
    return this.take(n);
  }

  throwIfAborted(): void {
    this.signal?.throwIfAborted();
  }

  /** Lets a long synchronous decode give timers and `signal` a chance between large pieces of output. */
  async checkpoint(): Promise<void> {
    this.signal?.throwIfAborted();
    await yieldToEventLoop();
    this.signal?.throwIfAborted();
  }
}
