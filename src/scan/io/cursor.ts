import type { Source } from './source.js';

/** A structural problem in a file read through a Cursor: `scan.malformed`, or `scan.limit-exceeded` for absurd sizes. */
export class FormatError extends Error {
  constructor(
    readonly kind: 'malformed' | 'limit',
    message: string,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

const chunkSize = 64 << 10;

/**
 * Sequential reads over a random-access source through one 64 KiB window, so a vocabulary of millions
 * of strings is walked with a few hundred reads and nothing of it is kept. Every length is checked
 * against the bytes the file really has before anything is allocated.
 */
export class Cursor {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly source: Source,
    public pos: number,
    public bigEndian = false,
  ) {}

  get remaining(): number {
    return this.source.size - this.pos;
  }

  private async take(length: number, what: string): Promise<Buffer> {
    if (length > this.remaining) {
      throw new FormatError('malformed', `${what} at offset ${this.pos} runs past the end of the file`);
    }
    let rel = this.pos - this.windowStart;
    if (rel < 0 || rel + length > this.window.length) {
      this.window = await this.source.read(this.pos, Math.max(length, chunkSize));
      this.windowStart = this.pos;
      rel = 0;
      if (this.window.length < length) throw new FormatError('malformed', `${what} at offset ${this.pos} is truncated`);
    }
    this.pos += length;
    return this.window.subarray(rel, rel + length);
  }

  async u8(what: string): Promise<number> {
    return (await this.take(1, what))[0] as number;
  }

  async u16(what: string): Promise<number> {
    const bytes = await this.take(2, what);
    return this.bigEndian ? bytes.readUInt16BE(0) : bytes.readUInt16LE(0);
  }

  async u32(what: string): Promise<number> {
    const bytes = await this.take(4, what);
    return this.bigEndian ? bytes.readUInt32BE(0) : bytes.readUInt32LE(0);
  }

  async u64(what: string): Promise<bigint> {
    const bytes = await this.take(8, what);
    return this.bigEndian ? bytes.readBigUInt64BE(0) : bytes.readBigUInt64LE(0);
  }

  /** A count or length field, u32 or u64 (`wide`). Values past 2^53 are clamped, and fail every bound. */
  async size(wide: boolean, what: string): Promise<number> {
    if (!wide) return this.u32(what);
    const value = await this.u64(what);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }

  async bytes(length: number, what: string): Promise<Buffer> {
    return Buffer.from(await this.take(length, what));
  }

  skip(length: number, what: string): void {
    if (length > this.remaining) {
      throw new FormatError(
        'malformed',
        `${what} of ${length} bytes at offset ${this.pos} runs past the end of the file`,
      );
    }
    this.pos += length;
  }
}
