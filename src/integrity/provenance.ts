import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { toolVersion } from '../version.js';
import { BundleError, STATEMENT_TYPE, unsafePath } from './bundle.js';
import { HashPool } from './hash-pool.js';
import { computeManifest, type Manifest, type Serialization, serializationFor } from './manifest.js';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** What the build was: training (or fine-tuning) a model from datasets and code, recorded by mlsecops. */
export const MODEL_BUILD_TYPE = 'https://mlsecops.dev/attestations/model-training/v1';
export const DEFAULT_BUILDER_ID = 'https://mlsecops.dev/builder/local';

const run = promisify(execFile);

/** An in-toto resource descriptor: what a subject or a dependency is, with its digests. */
export interface ResourceDescriptor {
  readonly name?: string;
  readonly uri?: string;
  readonly digest: Record<string, string>;
  readonly annotations?: Record<string, unknown>;
}

export interface ProvenanceInput {
  /** The model folder or file: the statement's subject, by its OMS root digest. */
  readonly model: string;
  readonly serialization: Serialization;
  /** Dataset files or folders the model was trained on. */
  readonly datasets: readonly string[];
  /** A git working tree, or `<url>@<commit>`. */
  readonly code?: string;
  /** Training parameters, recorded as external parameters. */
  readonly parameters?: Readonly<Record<string, string>>;
  readonly builderId?: string;
  readonly startedOn?: Date;
  readonly finishedOn?: Date;
  readonly pool?: HashPool;
}

/**
 * An in-toto Statement with a SLSA provenance v1 predicate: the model (by the OMS root digest of its
 * files, the serialization recorded in the subject's annotations so a verifier hashes it the same way)
 * built from the datasets and code listed, with their digests, under the given parameters.
 */
export async function provenanceStatement(input: ProvenanceInput): Promise<{ statement: object; manifest: Manifest }> {
  const pool = input.pool ?? new HashPool();
  try {
    const manifest = await computeManifest(input.model, input.serialization, pool);
    const dependencies: ResourceDescriptor[] = [];
    for (const dataset of input.datasets) dependencies.push(await datasetDescriptor(dataset, pool));
    if (input.code) dependencies.push(await codeDescriptor(input.code));
    const finished = input.finishedOn ?? new Date();
    const statement = {
      _type: STATEMENT_TYPE,
      subject: [
        {
          name: manifest.modelName,
          digest: { sha256: manifest.rootDigest },
          annotations: { serialization: serializationRecord(manifest.serialization) },
        },
      ],
      predicateType: SLSA_PROVENANCE_V1,
      predicate: {
        buildDefinition: {
          buildType: MODEL_BUILD_TYPE,
          externalParameters: { ...(input.parameters ?? {}) },
          resolvedDependencies: dependencies,
        },
        runDetails: {
          builder: { id: input.builderId ?? DEFAULT_BUILDER_ID, version: { mlsecops: toolVersion } },
          metadata: {
            invocationId: randomUUID(),
            ...(input.startedOn ? { startedOn: input.startedOn.toISOString() } : {}),
            finishedOn: finished.toISOString(),
          },
        },
      },
    };
    return { statement, manifest };
  } finally {
    if (!input.pool) await pool.close();
  }
}

/** The serialization block as the OMS predicate spells it. */
function serializationRecord(s: Serialization): Record<string, unknown> {
  return {
    method: s.method,
    hash_type: s.hashType,
    allow_symlinks: s.allowSymlinks,
    ignore_paths: [...s.ignorePaths],
    ...(s.method === 'shards' ? { shard_size: s.shardSize } : {}),
  };
}

/**
 * A dataset by digest: a file by the SHA-256 of its bytes, a folder by the OMS root digest of its files
 * (so one algorithm names a sharded dataset the same way as a model), said in the annotations.
 */
export async function datasetDescriptor(path: string, pool?: HashPool): Promise<ResourceDescriptor> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new BundleError(`cannot read dataset ${path}: ${error.code ?? error.message}`);
  });
  const manifest = await computeManifest(path, serializationFor({ signature: null }), pool);
  const digest = info.isDirectory() ? manifest.rootDigest : manifest.resources[0]!.digest;
  return {
    name: basename(path),
    digest: { sha256: digest },
    annotations: { role: 'dataset', digestOf: info.isDirectory() ? 'oms-manifest-root' : 'file' },
  };
}

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Code by commit: a git working tree (HEAD, origin URL, whether it has uncommitted changes) or `url@commit`. */
export async function codeDescriptor(code: string): Promise<ResourceDescriptor> {
  const at = code.lastIndexOf('@');
  if (at > 0 && COMMIT.test(code.slice(at + 1)) && /^[a-z][a-z0-9+.-]*:\/\//i.test(code)) {
    const url = code.slice(0, at);
    const commit = code.slice(at + 1);
    return { uri: `git+${url}@${commit}`, digest: { gitCommit: commit }, annotations: { role: 'code' } };
  }
  const git = async (...args: string[]) => (await run('git', ['-C', code, ...args], { timeout: 30_000 })).stdout.trim();
  let commit: string;
  try {
    commit = await git('rev-parse', 'HEAD');
  } catch (error) {
    throw new BundleError(
      `--code ${code} is neither a git working tree nor <url>@<commit>: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const origin = await git('config', '--get', 'remote.origin.url').catch(() => '');
  const dirty = (await git('status', '--porcelain').catch(() => '')) !== '';
  return {
    ...(origin ? { uri: `git+${origin}@${commit}` } : { name: basename(code) }),
    digest: { gitCommit: commit },
    annotations: { role: 'code', uncommittedChanges: dirty },
  };
}

const provenanceSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z
    .array(
      z.object({
        name: z.string(),
        digest: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
        annotations: z
          .object({
            serialization: z.object({
              method: z.enum(['files', 'shards']),
              hash_type: z.literal('sha256'),
              allow_symlinks: z.boolean(),
              ignore_paths: z.array(z.string().max(4096)).max(10_000),
              shard_size: z.number().positive().optional(),
            }),
          })
          .optional(),
      }),
    )
    .length(1),
  predicateType: z.literal(SLSA_PROVENANCE_V1),
  predicate: z.object({
    buildDefinition: z.object({
      buildType: z.string(),
      externalParameters: z.record(z.string(), z.unknown()),
      resolvedDependencies: z
        .array(
          z.object({
            name: z.string().optional(),
            uri: z.string().optional(),
            digest: z.record(z.string(), z.string()),
          }),
        )
        .max(100_000)
        .optional(),
    }),
    runDetails: z.object({ builder: z.object({ id: z.string() }) }).passthrough(),
  }),
});

export type ProvenanceStatement = z.infer<typeof provenanceSchema>;

/** Parses a verified payload as SLSA provenance; a `BundleError` names what is wrong. */
export function parseProvenance(payload: Buffer): ProvenanceStatement {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new BundleError(`signed payload is not JSON: ${(error as Error).message}`);
  }
  const parsed = provenanceSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BundleError(
      `not a SLSA provenance v1 statement: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  for (const path of parsed.data.subject[0]!.annotations?.serialization.ignore_paths ?? []) {
    const problem = unsafePath(path);
    if (problem) throw new BundleError(`recorded ignore path ${JSON.stringify(path)} ${problem}`);
  }
  return parsed.data;
}
