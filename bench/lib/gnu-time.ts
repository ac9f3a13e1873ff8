import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProcResult, runTimed } from './proc.js';

export const gnuTime = '/usr/bin/time';

export function hasGnuTime(): boolean {
  return existsSync(gnuTime);
}

/** Runs a command under `/usr/bin/time -v` and returns its result with its peak RSS in KiB. */
export async function runWithPeakRss(
  command: string,
  args: readonly string[],
  cwd?: string,
): Promise<ProcResult & { readonly maxRssKiB: number }> {
  const report = join(tmpdir(), `mlsecops-bench-time-${process.pid}-${Date.now()}.txt`);
  try {
    const result = await runTimed(gnuTime, ['-v', '-o', report, command, ...args], cwd);
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(report, 'utf8'));
    if (!match) throw new Error(`no peak RSS in ${gnuTime} output`);
    return { ...result, maxRssKiB: Number(match[1]) };
  } finally {
    rmSync(report, { force: true });
  }
}
