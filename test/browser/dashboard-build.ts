import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** The built dashboard the browser tests serve: what `npm run build` (and so `npm ci`) produces. */
export const dashboardDir = join(root, 'dist', 'web');

const lockDir = join(root, 'dist', '.web-build-lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  const index = join(dashboardDir, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(root, 'web'));
}

/**
 * Builds dist/web when it is missing or older than web/, so `npx vitest run test/browser` works on a
 * fresh checkout and after editing the dashboard. Test files run in parallel: a lock directory
 * (mkdir is atomic) makes one of them build while the others wait for it.
 */
export async function ensureDashboard(): Promise<void> {
  if (fresh()) return;
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A builder that died long ago leaves its lock behind; builds take seconds.
      if (existsSync(lockDir) && Date.now() - statSync(lockDir).mtimeMs > 120_000)
        rmSync(lockDir, { recursive: true, force: true });
      if (waited > 120_000) throw new Error(`waited 2 minutes for ${lockDir}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  try {
    if (!fresh()) {
      execFileSync(
        process.execPath,
        [
          join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
          'build',
          '--config',
          'web/vite.config.ts',
          '--logLevel',
          'warn',
        ],
        // Vitest sets NODE_ENV=test, which Vite would honour with a development build of React.
        { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
      );
    }
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
