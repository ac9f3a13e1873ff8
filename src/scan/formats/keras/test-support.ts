import { BufferSource, type Source } from '../../io/source.js';
import { defaultLimits } from '../../limits.js';
import { createGlobalClassifier } from '../../pickle/verdicts.js';
import { defaultScanners } from '../../registry.js';
import type { FormatScanner } from '../../types.js';
import { analyzeKerasConfig, looksLikeKerasConfig } from './config.js';
import { hdf5Scanner } from './hdf5-scanner.js';

/**
 * Test stand-in for the lead's JSON scanner: it takes JSON objects (zip members such as config.json) and
 * hands Keras configs to analyzeKerasConfig, the way the real one will. Tests only; not registered.
 */
export const testJsonScanner: FormatScanner = {
  name: 'json',
  version: 'test',
  sniff: (head) => /^\s*\{/.test(head.subarray(0, 64).toString('latin1')),
  async scan(ctx, input) {
    let json: unknown;
    try {
      json = JSON.parse((await input.source.read(0, Math.min(input.source.size, 64 << 20))).toString('utf8'));
    } catch {
      return;
    }
    if (looksLikeKerasConfig(json)) await analyzeKerasConfig(ctx, input, json, input.name);
  },
};

export const kerasScanners: readonly FormatScanner[] = [hdf5Scanner, testJsonScanner, ...defaultScanners];

export const testDeps = {
  scanners: kerasScanners,
  limits: { ...defaultLimits, timeoutMs: 10_000 },
  classify: createGlobalClassifier(),
  signal: new AbortController().signal,
};

/**
 * A file `size` bytes long whose first bytes are `prefix` and the rest zeros, made up on demand: stands in
 * for a multi-GB model without allocating it, and counts what the scanner reads.
 */
export class VirtualSource implements Source {
  bytesRead = 0;
  constructor(
    private readonly prefix: Buffer,
    readonly size: number,
  ) {}
  async read(offset: number, length: number): Promise<Buffer> {
    const start = Math.min(Math.max(0, offset), this.size);
    const want = Math.min(this.size - start, Math.max(0, length));
    this.bytesRead += want;
    const out = Buffer.alloc(want);
    if (start < this.prefix.length) this.prefix.copy(out, 0, start, Math.min(this.prefix.length, start + want));
    return out;
  }
  slice(offset: number, length: number): Source {
    return new BufferSource(this.prefix).slice(offset, length);
  }
}
