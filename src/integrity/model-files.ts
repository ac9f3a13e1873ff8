import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Paths the OpenSSF Model Signing tool leaves out of every manifest, besides the signature file. */
export const DEFAULT_IGNORED = ['.git', '.gitattributes', '.github', '.gitignore'] as const;
/** The signature file's default name, also left out of the manifest it signs. */
export const DEFAULT_SIGNATURE = 'model.sig';

/** A problem with the model on disk that makes a manifest impossible: a symlink, an unreadable path. */
export class ModelPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelPathError';
  }
}

export interface ModelFile {
  /** POSIX path relative to the model folder (the file's own name for a single-file model). */
  readonly name: string;
  /** Absolute path of the bytes (the symlink's target when symlinks are allowed). */
  readonly path: string;
  readonly size: number;
}

export interface WalkOptions {
  /** Paths relative to the model folder (POSIX), each ignored with everything under it. */
  readonly ignore: readonly string[];
  /** Follow symlinks (their targets' bytes are hashed); refused otherwise. */
  readonly allowSymlinks: boolean;
}

/**
 * The files of a model, in manifest order: the model folder walked recursively (or the one file),
 * ignored paths left out, sorted component by component in code-point order, as Python's `pathlib`
 * orders paths (`a/b` before `a-c`, which a plain string sort gets wrong).
 */
export async function modelFiles(model: string, options: WalkOptions): Promise<ModelFile[]> {
  const root = resolve(model);
  const rootStat = await lstat(root).catch((error: NodeJS.ErrnoException) => {
    throw new ModelPathError(`cannot read ${model}: ${error.code ?? error.message}`);
  });
  if (rootStat.isFile()) return [{ name: basename(root), path: root, size: rootStat.size }];
  if (rootStat.isSymbolicLink() && !options.allowSymlinks) {
    throw new ModelPathError(`${model} is a symlink; pass --allow-symlinks to follow symlinks`);
  }
  const ignored = new Set(options.ignore.map((path) => trimSlashes(path)).filter((path) => path !== ''));
  const files: ModelFile[] = [];
  const visited = new Set<string>([await realpath(root)]);
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      throw new ModelPathError(`cannot read folder ${dir}: ${error.code ?? error.message}`);
    });
    for (const entry of entries) {
      const name = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (isIgnored(name, ignored)) continue;
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        if (!options.allowSymlinks) {
          throw new ModelPathError(`${name} is a symlink; pass --allow-symlinks to follow symlinks`);
        }
        const target = await stat(path).catch((error: NodeJS.ErrnoException) => {
          throw new ModelPathError(`symlink ${name} cannot be followed: ${error.code ?? error.message}`);
        });
        if (target.isDirectory()) {
          const real = await realpath(path);
          if (visited.has(real)) throw new ModelPathError(`symlink ${name} makes a cycle`);
          visited.add(real);
          await walk(path, name);
          visited.delete(real);
        } else if (target.isFile()) files.push({ name, path: await realpath(path), size: target.size });
        else throw new ModelPathError(`${name} is neither a file nor a folder`);
      } else if (entry.isDirectory()) {
        await walk(path, name);
      } else if (entry.isFile()) {
        const { size } = await stat(path);
        files.push({ name, path, size });
      } else {
        throw new ModelPathError(`${name} is neither a file nor a folder (a FIFO, socket or device)`);
      }
    }
  };
  await walk(root, '');
  return files.sort((a, b) => comparePaths(a.name, b.name));
}

function isIgnored(name: string, ignored: ReadonlySet<string>): boolean {
  if (ignored.has(name)) return true;
  for (let cut = name.indexOf('/'); cut !== -1; cut = name.indexOf('/', cut + 1)) {
    if (ignored.has(name.slice(0, cut))) return true;
  }
  return false;
}

function trimSlashes(path: string): string {
  return path.replace(/^\.\/+/, '').replace(/\/+$/, '');
}

/** `pathlib` order: component by component, each compared by Unicode code points. */
export function comparePaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareCodePoints(left[i]!, right[i]!);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** Code-point order; JavaScript's `<` compares UTF-16 units, which misorders characters above U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!.codePointAt(0)!;
    const y = right[i]!.codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return left.length - right.length;
}

/**
 * An ignore path as the manifest records it: relative to the model folder, POSIX separators. Paths
 * given on the command line are resolved against the working directory first (as the model signing
 * tool does); a path outside the model is dropped (it cannot match anything in it).
 */
export function ignoreRelativeTo(model: string, path: string): string | undefined {
  const root = resolve(model);
  const absolute = isAbsolute(path) ? path : resolve(path);
  const rel = relative(root, absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
