import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './data.js';

export interface CliCommand {
  readonly label: string;
  /** Arguments to `node` before the CLI's own arguments. */
  readonly nodeArgs: readonly string[];
}

/**
 * The built CLI (bin/mlsecops.js) when dist/ is at least as new as every source file, else the sources
 * through tsx (which adds its load-time transpiling to every run).
 */
export function pickCli(): CliCommand {
  const built = { label: 'node bin/mlsecops.js (built dist/)', nodeArgs: [join(repoRoot, 'bin', 'mlsecops.js')] };
  const sources = {
    label: 'node --import tsx src/cli/bin.ts (dist/ missing or older than src/)',
    nodeArgs: ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'bin.ts')],
  };
  return distIsFresh(join(repoRoot, 'src')) ? built : sources;
}

function distIsFresh(dir: string): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'testdata' && !distIsFresh(path)) return false;
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      const output = join(repoRoot, 'dist', relative(join(repoRoot, 'src'), path).replace(/\.ts$/, '.js'));
      if (!existsSync(output) || statSync(output).mtimeMs < statSync(path).mtimeMs) return false;
    }
  }
  return true;
}
