import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobError } from './blobs.js';
import { parseS3Url, S3BlobStore } from './s3-blobs.js';

// A real S3-compatible server (s3rver, from npm) on loopback: the store speaks the S3 protocol to it.
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-s3-'));
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
let server: S3rver;
let endpoint: string;
let raw: S3Client;

beforeAll(async () => {
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(scratch, 'server') });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  raw = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  await raw.send(new CreateBucketCommand({ Bucket: 'models' }));
});
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const keys = async (prefix: string) =>
  ((await raw.send(new ListObjectsV2Command({ Bucket: 'models', Prefix: prefix }))).Contents ?? []).map((o) => o.Key);

describe('S3BlobStore against an S3-compatible server', () => {
  it('parses s3:// URLs', () => {
    expect(parseS3Url('s3://models/registry?endpoint=http://127.0.0.1:9000&region=eu-west-1')).toEqual({
      bucket: 'models',
      prefix: 'registry/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
    });
    expect(() => parseS3Url('https://models/')).toThrow();
  });

  it('streams multipart uploads in by SHA-256, deduplicates, and leaves no incoming objects', async () => {
    const store = await S3BlobStore.create(
      `s3://models/reg?endpoint=${endpoint}`,
      join(scratch, 'cache-a'),
      credentials,
    );
    const big = Buffer.alloc(11 << 20, 3);
    const first = await store.put(Readable.from([big.subarray(0, 7 << 20), big.subarray(7 << 20)]), 64 << 20);
    expect(first).toMatchObject({ size: 11 << 20, created: true });
    expect((await store.put(Readable.from([big]), 64 << 20)).created).toBe(false);
    expect(await keys('reg/sha256/')).toEqual([`reg/sha256/${first.digest}`]);
    expect(await keys('reg/incoming/')).toEqual([]);
    const small = await store.put(Readable.from([Buffer.from('model bytes')]), 1024);
    expect(small.digest).toBe('9cb7487000bc86ac36ce83c4acfabe8878552be99572a6770f65ab1d048a5c48');
    expect(await text(await store.open(small.digest))).toBe('model bytes');
  });

  it('refuses oversized uploads and broken streams, leaving nothing behind', async () => {
    const store = await S3BlobStore.create(
      `s3://models/reg2?endpoint=${endpoint}`,
      join(scratch, 'cache-b'),
      credentials,
    );
    await expect(store.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000)).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(100));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.put(failing, 1 << 20)).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await keys('reg2/')).toEqual([]);
    await expect(store.open('0'.repeat(64))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.open('../etc')).rejects.toBeInstanceOf(BlobError);
  });

  it('refuses object bytes that do not match their name', async () => {
    const store = await S3BlobStore.create(
      `s3://models/reg3?endpoint=${endpoint}`,
      join(scratch, 'cache-c'),
      credentials,
    );
    const fake = 'a'.repeat(64);
    await raw.send(
      new PutObjectCommand({ Bucket: 'models', Key: `reg3/sha256/${fake}`, Body: 'tampered in the bucket' }),
    );
    await expect(store.localPath(fake)).rejects.toThrow(/other bytes/);
  });
});
