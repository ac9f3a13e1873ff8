import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** A byte range of a file to hash: `[start, end)`. */
export interface HashJob {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

/** Bytes read per `read` call: the only memory a hash needs, whatever the model's size. */
const CHUNK = 1 << 20;
/** Ranges up to this size are hashed on the calling thread: a message to a worker costs more. */
const INLINE_MAX = 256 << 10;

/**
 * SHA-256 of one byte range with synchronous reads into one reused buffer. The same function runs in
 * the workers (as source text) and on the calling thread for small ranges.
 */
function hashRange(
  path: string,
  start: number,
  end: number,
  deps: {
    createHash: typeof createHash;
    openSync: typeof openSync;
    readSync: typeof readSync;
    closeSync: typeof closeSync;
  },
  buffer: Buffer,
): string {
  const hash = deps.createHash('sha256');
  const fd = deps.openSync(path, 'r');
  try {
    let position = start;
    while (position < end) {
      const want = Math.min(buffer.length, end - position);
      const got = deps.readSync(fd, buffer, 0, want, position);
      if (got === 0) throw new Error(`${path} ended at byte ${position}, before ${end}: it changed while hashing`);
      hash.update(buffer.subarray(0, got));
      position += got;
    }
  } finally {
    deps.closeSync(fd);
  }
  return hash.digest('hex');
}

// The worker's whole program: plain CommonJS, so it runs the same from TypeScript sources and the build.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const hashRange = ${hashRange.toString()};
const buffer = Buffer.allocUnsafe(${CHUNK});
const deps = { createHash, openSync, readSync, closeSync };
parentPort.on('message', ({ id, path, start, end }) => {
  try {
    parentPort.postMessage({ id, digest: hashRange(path, start, end, deps, buffer) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
`;

interface Pending {
  readonly resolve: (digest: string) => void;
  readonly reject: (error: Error) => void;
}

/**
 * SHA-256 of file ranges on worker threads, one per core by default: reading and hashing a model of
 * many files or shards runs on every core, and memory stays at one 1 MiB buffer per worker.
 */
export class HashPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { job: HashJob; id: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;
  private readonly inlineBuffer = Buffer.allocUnsafe(CHUNK);
  private failure: Error | undefined;

  constructor(readonly size = Math.max(1, availableParallelism())) {}

  /** SHA-256 (hex) of `[start, end)` of `path`. */
  hash(job: HashJob): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    if (job.end - job.start <= INLINE_MAX || this.size === 1) {
      try {
        return Promise.resolve(
          hashRange(job.path, job.start, job.end, { createHash, openSync, readSync, closeSync }, this.inlineBuffer),
        );
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ job, id });
      this.pump();
    });
  }

  /** Stops the workers. Pending hashes are rejected. */
  async close(): Promise<void> {
    const error = new Error('hash pool closed');
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    this.queue.length = 0;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker && this.workers.length < this.size) worker = this.spawn();
      if (!worker) return;
      const { job, id } = this.queue.shift()!;
      this.busy.set(worker, id);
      worker.postMessage({ id, path: job.path, start: job.start, end: job.end });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(workerSource, { eval: true });
    worker.unref();
    worker.on('message', (message: { id: number; digest?: string; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (waiting) {
        if (message.digest !== undefined) waiting.resolve(message.digest);
        else waiting.reject(new Error(message.error ?? 'hash failed'));
      }
      this.pump();
    });
    worker.on('error', (error) => {
      this.failure = error;
      const id = this.busy.get(worker);
      if (id !== undefined) this.pending.get(id)?.reject(error);
    });
    this.workers.push(worker);
    return worker;
  }
}
