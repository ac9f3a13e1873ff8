import { constants } from 'node:fs';
import { access, lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

export type WalkEntry =
  | { readonly kind: 'file'; readonly path: string; readonly size: number }
  | { readonly kind: 'link-outside'; readonly path: string; readonly target: string }
  | { readonly kind: 'special'; readonly path: string; readonly message: string }
  | { readonly kind: 'unreadable'; readonly path: string; readonly message: string };

export class PathError extends Error {
  constructor(
    readonly code: 'PATH_NOT_FOUND' | 'PATH_UNREADABLE',
    message: string,
  ) {
    super(message);
    this.name = 'PathError';
  }
}

/**
 * Lists the files under each path, depth first in name order. Symbolic links are followed only while
 * they resolve inside the root they were found under; links that leave it are reported, never read.
 * Every real file is listed once, however many links lead to it.
 */
export async function walkPaths(paths: readonly string[]): Promise<WalkEntry[]> {
  const entries: WalkEntry[] = [];
  const seen = new Set<string>();
  for (const input of paths) {
    const absolute = resolve(input);
    let root: string;
    try {
      root = await realpath(absolute);
    } catch (error) {
      throw new PathError('PATH_NOT_FOUND', `cannot read ${input}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
      throw new PathError('PATH_UNREADABLE', `cannot read ${input}: ${error.code ?? error}`);
    });
    // A FIFO or device named on the command line would block or never end: refuse it, like a missing path.
    if (!info.isDirectory() && !info.isFile())
      throw new PathError('PATH_UNREADABLE', `${input} is not a regular file or folder`);
    await access(root, info.isDirectory() ? constants.R_OK | constants.X_OK : constants.R_OK).catch(
      (error: NodeJS.ErrnoException) => {
        throw new PathError('PATH_UNREADABLE', `cannot read ${input}: ${error.code ?? error}`);
      },
    );
    if (info.isDirectory()) await walkDir(input, root, root, entries, seen);
    else if (!seen.has(root)) {
      seen.add(root);
      entries.push({ kind: 'file', path: input, size: info.size });
    }
  }
  return entries;
}

async function walkDir(
  display: string,
  real: string,
  root: string,
  out: WalkEntry[],
  seen: Set<string>,
): Promise<void> {
  if (seen.has(real)) return;
  seen.add(real);
  let names: string[];
  try {
    names = (await readdir(real)).sort();
  } catch (error) {
    out.push({ kind: 'unreadable', path: display, message: String((error as NodeJS.ErrnoException).code ?? error) });
    return;
  }
  for (const name of names) {
    const shown = join(display, name);
    const actual = join(real, name);
    try {
      const link = await lstat(actual);
      let target = actual;
      if (link.isSymbolicLink()) {
        target = await realpath(actual).catch(() => '');
        if (!target || !inside(target, root)) {
          out.push({ kind: 'link-outside', path: shown, target: target || '(dangling)' });
          continue;
        }
      }
      const info = link.isSymbolicLink() ? await stat(target) : link;
      if (info.isDirectory()) await walkDir(shown, target, root, out, seen);
      else if (info.isFile()) {
        if (!seen.has(target)) {
          seen.add(target);
          out.push({ kind: 'file', path: shown, size: info.size });
        }
      } else
        out.push({ kind: 'special', path: shown, message: 'not a regular file (FIFO, socket or device); not read' });
    } catch (error) {
      out.push({ kind: 'unreadable', path: shown, message: String((error as NodeJS.ErrnoException).code ?? error) });
    }
  }
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}
