/**
 * Another build of mlsecops for bench/drift.ts to time beside this checkout's in the same run
 * (`--baseline DIR`), and the check that the two make the same profile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type DriftModule = typeof import('../src/drift/index.js');
type Profile = Awaited<ReturnType<DriftModule['profileDataset']>>['profile'];

/** A checkout whose dist/ is built: its CLI and its drift engine. */
export interface Build {
  /** The commit, with `+ changes` when the working tree differs from it. */
  readonly label: string;
  readonly bin: string;
  readonly drift: DriftModule;
}

export async function loadBuild(root: string): Promise<Build> {
  const dir = resolve(root);
  const bin = join(dir, 'dist', 'cli', 'bin.js');
  const engine = join(dir, 'dist', 'drift', 'index.js');
  if (!existsSync(bin) || !existsSync(engine)) throw new Error(`${dir} has no built dist/: run npm run build there`);
  const drift = (await import(pathToFileURL(engine).href)) as DriftModule;
  return { label: commitOf(dir), bin, drift };
}

function commitOf(dir: string): string {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
  try {
    const changed = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? ' + changes' : ''}`;
  } catch {
    return dir;
  }
}

/**
 * How two profiles of the same file differ: whether they are equal but for the joint moments, and
 * the largest difference of a co-moment relative to its scale √(C_ii C_jj) (sums rounded apart).
 */
export function profileDifference(a: Profile, b: Profile): { readonly equal: boolean; readonly joint: number } {
  const { joint: ja, ...restA } = a;
  const { joint: jb, ...restB } = b;
  const equal = JSON.stringify(restA) === JSON.stringify(restB) && ja?.columns.join() === jb?.columns.join();
  let joint = 0;
  if (ja && jb && equal) {
    for (const [i, row] of ja.comoment.entries()) {
      for (const [j, value] of row.entries()) {
        const scale = Math.sqrt(ja.comoment[i]![i]! * ja.comoment[j]![j]!);
        if (scale > 0) joint = Math.max(joint, Math.abs(value - jb.comoment[i]![j]!) / scale);
      }
    }
  }
  return { equal, joint };
}
