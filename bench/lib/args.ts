import { parseArgs } from 'node:util';

export const benchIds = ['tensor', 'pickle', 'dir', 'formats'] as const;
export type BenchId = (typeof benchIds)[number];

export interface BenchArgs {
  readonly reps: number;
  readonly only: readonly BenchId[];
  /** Measure peak RSS with bench/scan-child.ts even when /usr/bin/time exists. */
  readonly rssWrapper: boolean;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      reps: { type: 'string', default: '5' },
      only: { type: 'string', default: benchIds.join(',') },
      'rss-wrapper': { type: 'boolean', default: false },
    },
  });
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${values.reps}`);
  const only = values.only.split(',').map((id) => id.trim());
  const unknown = only.filter((id) => !(benchIds as readonly string[]).includes(id));
  if (unknown.length > 0) throw new Error(`--only takes ${benchIds.join(', ')}; unknown: ${unknown.join(', ')}`);
  return { reps, only: only as BenchId[], rssWrapper: values['rss-wrapper'] };
}
