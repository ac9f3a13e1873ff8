import { openDataset } from '../data/index.js';
import { ProfileBuilder, type ProfileOptions, type ReferenceProfile } from './profile.js';

export interface ProfiledDataset {
  readonly profile: ReferenceProfile;
  /** Problems with single records (skipped) or the file, as the data readers report them. */
  readonly issues: readonly { readonly row?: number; readonly message: string }[];
}

/**
 * The reference profile of a dataset file (CSV, TSV, JSON, JSONL or Parquet), read once in a stream:
 * memory is bounded by the number of columns, not rows.
 */
export async function profileDataset(
  path: string,
  options: ProfileOptions & { readonly signal?: AbortSignal } = {},
): Promise<ProfiledDataset> {
  const signal = options.signal ?? new AbortController().signal;
  const issues: { row?: number; message: string }[] = [];
  const opened = await openDataset(path, { signal, onIssue: (issue) => void issues.push(issue) });
  if (!opened.cells) throw new Error(`${path} is not a dataset this reader knows (CSV, TSV, JSON, JSONL, Parquet)`);
  const builder = new ProfileBuilder(options);
  for await (const batch of opened.cells) {
    for (const cell of batch) builder.add(cell.row, cell.column ?? 'value', cell.value);
  }
  return { profile: builder.build(), issues: issues.slice(0, 100) };
}
