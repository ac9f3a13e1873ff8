import { type FileHandle, open } from 'node:fs/promises';

/**
 * Random-access bytes of one scanned object: a file on disk, a slice of one (an archive member stored
 * uncompressed), or a buffer (a decompressed member). Readers ask for the bytes they need and nothing
 * more, so tensor data is never read.
 */
export interface Source {
  readonly size: number;
  /** Reads up to `length` bytes at `offset`; returns fewer only at the end of the source. */
  read(offset: number, length: number): Promise<Buffer>;
  /** A view of `length` bytes at `offset`, sharing the underlying storage. */
  slice(offset: number, length: number): Source;
}

export class BufferSource implements Source {
  constructor(readonly buffer: Buffer) {}
  get size(): number {
    return this.buffer.length;
  }
  async read(offset: number, length: number): Promise<Buffer> {
    return this.readSync(offset, length);
  }
  readSync(offset: number, length: number): Buffer {
    const start = Math.min(Math.max(0, offset), this.buffer.length);
    return this.buffer.subarray(start, Math.min(this.buffer.length, start + Math.max(0, length)));
  }
  slice(offset: number, length: number): Source {
    return new BufferSource(this.readSync(offset, length));
  }
}

/** A file opened once; slices share the handle. `close()` belongs to whoever opened it. */
export class FileSource implements Source {
  private constructor(
    private readonly handle: FileHandle,
    private readonly base: number,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<{ source: FileSource; close: () => Promise<void> }> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return { source: new FileSource(handle, 0, size), close: () => handle.close() };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const start = Math.min(Math.max(0, offset), this.size);
    const want = Math.min(this.size - start, Math.max(0, length));
    const buffer = Buffer.allocUnsafe(want);
    let done = 0;
    while (done < want) {
      const { bytesRead } = await this.handle.read(buffer, done, want - done, this.base + start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === want ? buffer : buffer.subarray(0, done);
  }

  slice(offset: number, length: number): Source {
    const start = Math.min(Math.max(0, offset), this.size);
    return new FileSource(this.handle, this.base + start, Math.min(this.size - start, Math.max(0, length)));
  }
}

/** Streams a source in chunks, for decompressors and hashers. */
export async function* chunksOf(source: Source, chunkSize = 1 << 20): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < source.size; offset += chunkSize) {
    const chunk = await source.read(offset, chunkSize);
    if (chunk.length === 0) return;
    yield chunk;
  }
}
