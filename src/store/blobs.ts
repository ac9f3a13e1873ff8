import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A blob's address: the lower-case hex SHA-256 of its bytes. Nothing else ever names a blob. */
export type Digest = string;

const DIGEST = /^[0-9a-f]{64}$/;

/** A digest from outside (a URL, a database row) checked before it touches a path. */
export function checkDigest(digest: string): Digest {
  if (!DIGEST.test(digest)) throw new BlobError('INVALID_DIGEST', 'a blob digest is 64 lower-case hex characters');
  return digest;
}

export class BlobError extends Error {
  constructor(
    readonly code: 'INVALID_DIGEST' | 'NOT_FOUND' | 'TOO_LARGE' | 'ABORTED',
    message: string,
  ) {
    super(message);
    this.name = 'BlobError';
  }
}

export interface PutResult {
  readonly digest: Digest;
  readonly size: number;
  /** False when a blob with these bytes was already stored. */
  readonly created: boolean;
}

/** Content-addressed storage of artifacts. */
export interface BlobStore {
  /** Streams `source` in, hashing as it goes; refuses more than `maxBytes`. */
  put(source: Readable, maxBytes: number): Promise<PutResult>;
  open(digest: Digest): Promise<ReadStream>;
  has(digest: Digest): Promise<boolean>;
  /** A local file holding the blob's bytes, for the scanner (never a path a caller chose). */
  localPath(digest: Digest): Promise<string>;
}

/**
 * Blobs in a local folder: `sha256/<first two hex>/<digest>`, read-only once written. An upload goes to
 * a new file (random name, exclusive create) in the store's own `incoming/` folder, which only this
 * process's user can enter, and is renamed into place only after its digest is known: nobody can swap
 * the bytes between hashing, scanning and serving, and a crash leaves only an `incoming/` file, which
 * the next start removes.
 */
export class LocalBlobStore implements BlobStore {
  private constructor(private readonly root: string) {}

  static async create(root: string): Promise<LocalBlobStore> {
    await mkdir(join(root, 'sha256'), { recursive: true, mode: 0o700 });
    await rm(join(root, 'incoming'), { recursive: true, force: true });
    await mkdir(join(root, 'incoming'), { mode: 0o700 });
    await chmod(root, 0o700);
    return new LocalBlobStore(root);
  }

  private pathOf(digest: Digest): string {
    return join(this.root, 'sha256', digest.slice(0, 2), digest);
  }

  async put(source: Readable, maxBytes: number): Promise<PutResult> {
    const incoming = join(this.root, 'incoming', randomBytes(16).toString('hex'));
    const file = await open(incoming, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source) {
        const bytes = chunk as Buffer;
        size += bytes.length;
        if (size > maxBytes) throw new BlobError('TOO_LARGE', `upload is larger than ${maxBytes} bytes`);
        hash.update(bytes);
        await file.write(bytes);
      }
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(incoming, { force: true });
      if (error instanceof BlobError) throw error;
      throw new BlobError('ABORTED', `upload did not complete: ${(error as Error).message}`);
    }
    await file.close();
    const digest = hash.digest('hex');
    const target = this.pathOf(digest);
    if (await this.has(digest)) {
      await rm(incoming, { force: true });
      return { digest, size, created: false };
    }
    await mkdir(join(this.root, 'sha256', digest.slice(0, 2)), { recursive: true, mode: 0o700 });
    await chmod(incoming, 0o400);
    await rename(incoming, target);
    return { digest, size, created: true };
  }

  async has(digest: Digest): Promise<boolean> {
    return stat(this.pathOf(checkDigest(digest))).then(
      (info) => info.isFile(),
      () => false,
    );
  }

  async localPath(digest: Digest): Promise<string> {
    if (!(await this.has(digest))) throw new BlobError('NOT_FOUND', `no blob ${digest}`);
    return this.pathOf(digest);
  }

  async open(digest: Digest): Promise<ReadStream> {
    return createReadStream(await this.localPath(digest));
  }
}
