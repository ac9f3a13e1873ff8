import { LimitExceeded } from './errors.js';

const INITIAL_CAPACITY = 64 * 1024;

/**
 * Decompressed bytes, never more than `limit`. LZ-family decoders also use it as their dictionary: everything ever
 * written stays here (the caller wants it all anyway), so a hostile header's dictionary size never turns into an
 * allocation.
 */
export class BoundedOutput {
  buffer: Buffer;
  length = 0;

  constructor(readonly limit: number) {
    this.buffer = Buffer.allocUnsafe(Math.min(limit, INITIAL_CAPACITY));
  }

  /** Bytes that may still be written before the limit. */
  get room(): number {
    return this.limit - this.length;
  }

  /**
   * Makes `buffer` hold `length + n` bytes, or up to the limit when that is less. Returns how many of the `n` bytes
   * fit; a decoder writes those and then throws `LimitExceeded` (see `exceed`). `buffer` may be replaced.
   */
  reserve(n: number): number {
    const fit = Math.min(n, this.limit - this.length);
    const need = this.length + fit;
    if (need > this.buffer.length) {
      // Doubling keeps appends amortised O(1); the cap keeps the allocation within the limit whatever is claimed.
      const grown = Buffer.allocUnsafe(Math.min(this.limit, Math.max(need, this.buffer.length * 2)));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    return fit;
  }

  /** Copies what fits of `bytes`; throws `LimitExceeded` when not all of it did. */
  append(bytes: Uint8Array): void {
    const fit = this.reserve(bytes.length);
    this.buffer.set(fit === bytes.length ? bytes : bytes.subarray(0, fit), this.length);
    this.length += fit;
    if (fit < bytes.length) throw new LimitExceeded();
  }

  /** Throws `LimitExceeded`; for decoders that found `reserve` returned less than they needed. */
  exceed(): never {
    throw new LimitExceeded();
  }

  /** The bytes written so far, copied out when the backing buffer is mostly slack. */
  result(): Buffer {
    const view = this.buffer.subarray(0, this.length);
    return this.buffer.length - this.length > INITIAL_CAPACITY ? Buffer.from(view) : view;
  }
}
