import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, readJson, runDataScript } from './data.js';

/** formats.json, written by bench/make-format-data.py. */
export const formatsMetaPath = join(dataDir, 'formats.json');

export interface FormatFileMeta {
  /** Relative to bench/.data/. */
  readonly path: string;
  readonly bytes: number;
  /** What a headers-only scan needs: 8 + header length of a safetensors file, all of model.onnx or a JSON file. */
  readonly headerBytes: number;
}

export interface FormatTargetMeta {
  /** The format the scan must recognise. */
  readonly kind: 'safetensors' | 'onnx';
  /** File or folder in bench/.data/ passed to scanPaths. */
  readonly target: string;
  readonly tensors: number;
  readonly files: readonly FormatFileMeta[];
  readonly bytes: number;
  readonly headerBytes: number;
}

export interface FormatsMeta {
  readonly onnx: string;
  readonly targets: readonly FormatTargetMeta[];
}

/** Runs bench/make-format-data.py (numpy and onnx, ~6 GB of disk) unless every output is present. */
export async function ensureFormatData(): Promise<FormatsMeta> {
  const present = () =>
    existsSync(formatsMetaPath) &&
    readJson<FormatsMeta>(formatsMetaPath).targets.every((target) =>
      target.files.every((file) => existsSync(join(dataDir, file.path))),
    );
  if (!present()) {
    console.error(`bench: generating format data in ${dataDir} (about a minute, ~6 GB of disk, ~7 GB of RAM)`);
    await runDataScript('make-format-data.py');
  }
  return readJson<FormatsMeta>(formatsMetaPath);
}
