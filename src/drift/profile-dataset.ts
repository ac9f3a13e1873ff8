import { openDataset } from '../data/index.js';
import { ProfileBuilder, type ReferenceProfile } from './profile.js';
import { type ParallelProfileOptions, profileDelimitedParallel } from './profile-parallel.js';

export interface ProfiledDataset {
  readonly profile: ReferenceProfile;
  /** Problems with single records (skipped) or the file, as the data readers report them. */
  readonly issues: readonly { readonly row?: number; readonly message: string }[];
  /** Worker threads that read the file; 0 when it was streamed on the calling thread. */
  readonly workers: number;
}

export interface ProfileDatasetOptions extends ParallelProfileOptions {
  /** CSV and TSV files of at least this many bytes are read on worker threads (default 8 MiB). */
  readonly parallelFrom?: number;
}

/** Below this size a CSV file is read faster on one thread than workers start. */
const PARALLEL_FROM = 8 << 20;

/**
 * The reference profile of a dataset file (CSV, TSV, JSON, JSONL or Parquet), read once in a stream:
 * memory is bounded by the number of columns, not rows. Large CSV and TSV files are read on worker
 * threads (profile-parallel.ts) to the same profile, unless their lines are not records (quoted line
 * breaks, malformed quotes): then, and for every other file, the streaming reader reads them.
 */
export async function profileDataset(path: string, options: ProfileDatasetOptions = {}): Promise<ProfiledDataset> {
  const signal = options.signal ?? new AbortController().signal;
  const issues: { row?: number; message: string }[] = [];
  const opened = await openDataset(path, { signal, onIssue: (issue) => void issues.push(issue) });
  if (!opened.cells) throw new Error(`${path} is not a dataset this reader knows (CSV, TSV, JSON, JSONL, Parquet)`);
  const builder = new ProfileBuilder(options);
  const batches = opened.cells[Symbol.asyncIterator]();
  try {
    let batch = await batches.next();
    const parallel =
      (opened.format === 'csv' || opened.format === 'tsv') &&
      opened.size >= (options.parallelFrom ?? PARALLEL_FROM) &&
      options.workers !== 0 &&
      !batch.done &&
      issues.length === 0;
    if (parallel) {
      // The streaming reader waits at its first batch: the dialect check reads it, and if the workers
      // decline the file, reading goes on from there.
      const outcome = await profileDelimitedParallel(path, batch.value ?? [], { ...options, signal });
      if (outcome.ok) return { profile: outcome.profile, issues: [], workers: outcome.workers };
      signal.throwIfAborted();
    }
    for (; !batch.done; batch = await batches.next()) {
      for (const cell of batch.value) builder.add(cell.row, cell.column ?? 'value', cell.value);
    }
  } finally {
    await batches.return?.();
  }
  return { profile: builder.build(), issues: issues.slice(0, 100), workers: 0 };
}
