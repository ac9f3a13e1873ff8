import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dataDir = join(repoRoot, 'bench', '.data');
export const debianPython = '/usr/bin/python3';

export const dataPaths = {
  torch: join(dataDir, 'torch-1gib.pt'),
  torchMeta: join(dataDir, 'torch-1gib.json'),
  pickle: join(dataDir, 'pickle-8m-ops.pkl'),
  pickleMeta: join(dataDir, 'pickle-8m-ops.json'),
  modelsDir: join(dataDir, 'models-dir'),
  large: [
    join(dataDir, 'models-dir', 'large', 'legacy-200mb.pt'),
    join(dataDir, 'models-dir', 'large', 'model-300mb.joblib'),
    join(dataDir, 'models-dir', 'large', 'embeddings-200mb.npy'),
  ],
} as const;

export interface PickleMeta {
  readonly bytes: number;
  readonly opcodes: number;
}

export interface ZipMemberMeta {
  readonly name: string;
  readonly dataOffset: number;
  readonly size: number;
}

export interface TorchMeta {
  readonly bytes: number;
  readonly members: readonly ZipMemberMeta[];
}

/** Runs bench/make-data.py with Debian's python (the one with torch) unless every output is present. */
export async function ensureData(): Promise<void> {
  const expected = [dataPaths.torch, dataPaths.torchMeta, dataPaths.pickle, dataPaths.pickleMeta, ...dataPaths.large];
  if (expected.every((path) => existsSync(path))) return;
  console.error(`bench: generating data in ${dataDir} (a few minutes, ~2 GB of disk)`);
  await runDataScript('make-data.py');
}

/** Runs bench/<script> with Debian's python, its output on stderr; rejects when it fails. */
export async function runDataScript(script: string): Promise<void> {
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(debianPython, [join(repoRoot, 'bench', script)], { stdio: ['ignore', 2, 2] });
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) throw new Error(`bench/${script} exited with ${code}`);
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
