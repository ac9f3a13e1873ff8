import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { HashPool } from './hash-pool.js';
import { DEFAULT_IGNORED, DEFAULT_SIGNATURE, type ModelFile, modelFiles } from './model-files.js';

/** Default shard size of the model signing tool's shard serialization, in bytes. */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

/** How a model's bytes become a manifest: the `serialization` block of the signature predicate. */
export interface Serialization {
  /** `files`: one resource per file; `shards`: one per `shardSize` bytes of each file. */
  readonly method: 'files' | 'shards';
  readonly hashType: 'sha256';
  readonly allowSymlinks: boolean;
  /** Paths relative to the model folder left out, defaults included. */
  readonly ignorePaths: readonly string[];
  /** Only for `shards`. */
  readonly shardSize?: number;
}

/** One entry of a manifest: a file (`name`) or a shard (`name:start:end`) and its SHA-256. */
export interface Resource {
  readonly name: string;
  readonly algorithm: 'sha256';
  /** Lower-case hex. */
  readonly digest: string;
}

export interface Manifest {
  /** The model folder's (or file's) own name: the in-toto subject's name. */
  readonly modelName: string;
  readonly serialization: Serialization;
  readonly resources: readonly Resource[];
  /** SHA-256 (hex) over the resources' raw digests in order: the in-toto subject's digest. */
  readonly rootDigest: string;
}

export interface SerializationOptions {
  readonly method?: 'files' | 'shards';
  readonly shardSize?: number;
  readonly allowSymlinks?: boolean;
  /** Extra paths to leave out, relative to the model folder. */
  readonly ignorePaths?: readonly string[];
  /** Leave out `.git`, `.gitattributes`, `.github`, `.gitignore` (default true). */
  readonly ignoreGitPaths?: boolean;
  /** The signature file, also left out (default `model.sig`); undefined to leave none out. */
  readonly signature?: string | null;
}

/** The serialization block the options describe, with the model signing tool's defaults. */
export function serializationFor(options: SerializationOptions = {}): Serialization {
  const method = options.method ?? 'files';
  const ignore = new Set<string>(options.ignorePaths ?? []);
  if (options.ignoreGitPaths ?? true) for (const path of DEFAULT_IGNORED) ignore.add(path);
  const signature = options.signature === undefined ? DEFAULT_SIGNATURE : options.signature;
  if (signature) ignore.add(signature);
  const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
  if (method === 'shards' && (!Number.isSafeInteger(shardSize) || shardSize <= 0)) {
    throw new RangeError(`shard size must be a positive integer, not ${shardSize}`);
  }
  return {
    method,
    hashType: 'sha256',
    allowSymlinks: options.allowSymlinks ?? false,
    ignorePaths: [...ignore],
    ...(method === 'shards' ? { shardSize } : {}),
  };
}

/**
 * The manifest of a model folder or file, computed as the OpenSSF model signing tool computes it: the
 * same resources in the same order and the same root digest, so `sha256:<rootDigest>` is what its
 * `digest` command prints. Files are hashed on worker threads; memory does not grow with the model.
 */
export async function computeManifest(model: string, serialization: Serialization, pool?: HashPool): Promise<Manifest> {
  const files = await modelFiles(model, {
    ignore: serialization.ignorePaths,
    allowSymlinks: serialization.allowSymlinks,
  });
  const jobs =
    serialization.method === 'files'
      ? fileJobs(files)
      : shardJobs(files, serialization.shardSize ?? DEFAULT_SHARD_SIZE);
  const own = pool ?? new HashPool();
  try {
    const digests = await Promise.all(jobs.map((job) => own.hash(job)));
    const resources = jobs.map((job, i) => ({ name: job.name, algorithm: 'sha256' as const, digest: digests[i]! }));
    return { modelName: basename(resolve(model)), serialization, resources, rootDigest: rootDigest(resources) };
  } finally {
    if (!pool) await own.close();
  }
}

interface NamedJob {
  readonly name: string;
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

function fileJobs(files: readonly ModelFile[]): NamedJob[] {
  return files.map((file) => ({ name: file.name, path: file.path, start: 0, end: file.size }));
}

/** Shards of `shardSize` bytes, file by file in manifest order; an empty file has none. */
function shardJobs(files: readonly ModelFile[], shardSize: number): NamedJob[] {
  const jobs: NamedJob[] = [];
  for (const file of files) {
    for (let start = 0; start < file.size; start += shardSize) {
      const end = Math.min(file.size, start + shardSize);
      jobs.push({ name: `${file.name}:${start}:${end}`, path: file.path, start, end });
    }
  }
  return jobs;
}

/** SHA-256 over the concatenated raw digests of the resources, in order. */
export function rootDigest(resources: readonly Resource[]): string {
  const hash = createHash('sha256');
  for (const resource of resources) hash.update(Buffer.from(resource.digest, 'hex'));
  return hash.digest('hex');
}
