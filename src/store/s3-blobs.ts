import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BlobError, type BlobStore, checkDigest, type Digest, type PutResult } from './blobs.js';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix inside the bucket (no leading slash); blobs live under `<prefix>sha256/`. */
  readonly prefix: string;
  readonly endpoint?: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
}

/**
 * `s3://bucket/prefix?endpoint=http://host:9000&region=us-east-1&forcePathStyle=true`; credentials come
 * from the AWS SDK's usual chain (environment, profile, instance role).
 */
export function parseS3Url(url: string): S3Location {
  const parsed = new URL(url);
  if (parsed.protocol !== 's3:' || !parsed.hostname) throw new Error(`not an s3://bucket/prefix URL: ${url}`);
  const prefix = decodeURIComponent(parsed.pathname.replace(/^\/+/, ''));
  const endpoint = parsed.searchParams.get('endpoint') ?? undefined;
  return {
    bucket: parsed.hostname,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    ...(endpoint ? { endpoint } : {}),
    region: parsed.searchParams.get('region') ?? 'us-east-1',
    forcePathStyle: parsed.searchParams.get('forcePathStyle') === 'true' || endpoint !== undefined,
  };
}

/**
 * Blobs in S3-compatible object storage, for many server replicas. An upload streams to a fresh
 * `incoming/` key while being hashed, then is copied to `sha256/<digest>` and the incoming key
 * deleted; nothing is ever written under a name a caller chose. The scanner gets a local copy in a
 * folder only this process's user can enter, checked against the digest as it is downloaded.
 */
export class S3BlobStore implements BlobStore {
  private constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
    private readonly cacheDir: string,
  ) {}

  static async create(
    url: string,
    cacheDir: string,
    credentials?: { accessKeyId: string; secretAccessKey: string },
  ): Promise<S3BlobStore> {
    const location = parseS3Url(url);
    const client = new S3Client({
      region: location.region,
      forcePathStyle: location.forcePathStyle,
      ...(location.endpoint ? { endpoint: location.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      // Streamed uploads to servers other than AWS break when the SDK adds its own checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await mkdir(join(cacheDir, 'sha256'), { recursive: true, mode: 0o700 });
    await rm(join(cacheDir, 'incoming'), { recursive: true, force: true });
    await mkdir(join(cacheDir, 'incoming'), { mode: 0o700 });
    await chmod(cacheDir, 0o700);
    return new S3BlobStore(client, location, cacheDir);
  }

  private key(digest: Digest): string {
    return `${this.location.prefix}sha256/${checkDigest(digest)}`;
  }

  async put(source: Readable, maxBytes: number): Promise<PutResult> {
    const incoming = `${this.location.prefix}incoming/${randomBytes(16).toString('hex')}`;
    const hash = createHash('sha256');
    let size = 0;
    const counted = new PassThrough();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.location.bucket, Key: incoming, Body: counted },
      partSize: 8 << 20,
      queueSize: 2,
    });
    const feeding = (async () => {
      for await (const chunk of source) {
        const bytes = chunk as Buffer;
        size += bytes.length;
        if (size > maxBytes) throw new BlobError('TOO_LARGE', `upload is larger than ${maxBytes} bytes`);
        hash.update(bytes);
        if (!counted.write(bytes)) await new Promise((resolve) => counted.once('drain', resolve));
      }
      counted.end();
    })();
    try {
      await Promise.all([feeding, upload.done()]);
    } catch (error) {
      counted.destroy();
      await upload.abort().catch(() => {});
      await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: incoming })).catch(() => {});
      if (error instanceof BlobError) throw error;
      throw new BlobError('ABORTED', `upload did not complete: ${(error as Error).message}`);
    }
    const digest = hash.digest('hex');
    const created = !(await this.has(digest));
    if (created) {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.location.bucket,
          Key: this.key(digest),
          CopySource: `${this.location.bucket}/${incoming}`,
        }),
      );
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: incoming }));
    return { digest, size, created };
  }

  async has(digest: Digest): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(digest) }));
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === 'NotFound') return false;
      throw error;
    }
  }

  private async download(digest: Digest): Promise<Readable> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(digest) }),
      );
      return object.Body as Readable;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') throw new BlobError('NOT_FOUND', `no blob ${digest}`);
      throw error;
    }
  }

  async localPath(digest: Digest): Promise<string> {
    const path = join(this.cacheDir, 'sha256', checkDigest(digest));
    if (
      await stat(path).then(
        (info) => info.isFile(),
        () => false,
      )
    )
      return path;
    const incoming = join(this.cacheDir, 'incoming', randomBytes(16).toString('hex'));
    const file = await open(incoming, 'wx', 0o600);
    const hash = createHash('sha256');
    try {
      for await (const chunk of await this.download(digest)) {
        hash.update(chunk as Buffer);
        await file.write(chunk as Buffer);
      }
      await file.sync();
    } finally {
      await file.close();
    }
    if (hash.digest('hex') !== digest) {
      await rm(incoming, { force: true });
      throw new BlobError('ABORTED', `object storage returned other bytes for ${digest}`);
    }
    await chmod(incoming, 0o400);
    await rename(incoming, path);
    return path;
  }

  async open(digest: Digest): Promise<ReadStream> {
    return createReadStream(await this.localPath(digest));
  }
}
