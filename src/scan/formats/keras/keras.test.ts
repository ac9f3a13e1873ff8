import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLeast, type Severity, severityRank } from '../../../contracts/index.js';
import { scanSource } from '../../engine/file-scan.js';
import { BufferSource } from '../../io/source.js';
import { analyzeKerasConfig, looksLikeKerasConfig } from './config.js';
import { findSignature } from './hdf5-file.js';
import { hdf5Scanner } from './hdf5-scanner.js';
import { summarizeCode } from './marshal.js';
import { testDeps, VirtualSource } from './test-support.js';

const testdata = join(import.meta.dirname, 'testdata');

interface Entry {
  readonly file: string;
  readonly description: string;
  readonly expect: ReadonlyArray<{ readonly ruleId: string; readonly global?: string; readonly cve?: string }>;
  readonly minSeverity: Severity;
}
const manifest = JSON.parse(readFileSync(join(testdata, 'manifest.json'), 'utf8')) as Entry[];

async function scan(file: string) {
  return scanSource(file, new BufferSource(readFileSync(join(testdata, file))), testDeps);
}

describe('benign Keras models', () => {
  it.each(
    readdirSync(join(testdata, 'benign')).map((file) => [file]),
  )('%s raises nothing at medium or above', async (file) => {
    const { file: result, findings } = await scan(join('benign', file));
    const loud = findings.filter((finding) => atLeast(finding.severity, 'medium'));
    expect(loud.map((f) => `${f.severity} ${f.ruleId}: ${f.evidence}`)).toEqual([]);
    expect(result.status).toBe('scanned');
  });

  it('recognises Keras HDF5 files, with or without a user block', async () => {
    expect((await scan('benign/userblock.h5')).file.formats).toEqual(['hdf5', 'keras-h5']);
    expect((await scan('benign/weights_only.h5')).file.formats).toEqual(['hdf5']);
    expect(findSignature(readFileSync(join(testdata, 'benign/userblock.h5')).subarray(0, 4096))).toBe(1024);
  });
});

describe('malicious and hostile Keras models', () => {
  it.each(manifest.map((entry) => [entry.file, entry] as const))('%s is caught', async (file, entry) => {
    const { findings } = await scan(file);
    const seen = findings.map((f) => `${f.ruleId} ${f.properties?.global ?? ''}`.trim());
    for (const want of entry.expect) {
      const match = findings.some(
        (f) =>
          f.ruleId === want.ruleId &&
          (!want.global || f.properties?.global === want.global) &&
          (!want.cve || f.references.some((ref) => ref.id === want.cve)),
      );
      expect(match, `${entry.description}: expected ${JSON.stringify(want)}; saw ${seen.join(', ')}`).toBe(true);
    }
    const highest = findings.map((f) => f.severity).sort((a, b) => severityRank(b) - severityRank(a))[0] ?? 'info';
    expect(severityRank(highest), `highest ${highest}`).toBeGreaterThanOrEqual(severityRank(entry.minSeverity));
    expect(findings.filter((f) => f.ruleId === 'scan.internal-error')).toEqual([]);
  });

  it('says what a Lambda calls', async () => {
    const { findings } = await scan('malicious/lambda_os_system.h5');
    const lambda = findings.find((f) => f.ruleId === 'keras.lambda-code');
    expect(lambda?.severity).toBe('critical');
    expect(lambda?.evidence).toContain('"__import__", "system"');
    expect(lambda?.evidence).toContain('"os"');
  });
});

describe('bounded reading', () => {
  it('reads only the root metadata of a 4 GiB model', async () => {
    const real = readFileSync(join(testdata, 'malicious/lambda_os_system.h5'));
    const source = new VirtualSource(real, 4 * 1024 ** 3);
    const { findings } = await scanSource('big.h5', source, testDeps);
    expect(findings.some((f) => f.ruleId === 'keras.lambda-code')).toBe(true);
    expect(source.bytesRead).toBeLessThan(64 * 1024);
  });

  it('refuses forged lengths without allocating them', async () => {
    const bytes = Buffer.from(readFileSync(join(testdata, 'benign/sequential_conv.h5')));
    // Root object header v1: its header size field (offset 8) claims 2 GiB.
    const root = 96;
    expect(bytes[root]).toBe(1);
    bytes.writeUInt32LE(0x7fff_fff0, root + 8);
    const { findings, file } = await scanSource('forged.h5', new BufferSource(bytes), testDeps);
    expect(findings.map((f) => f.ruleId)).toContain('scan.malformed');
    expect(file.status).toBe('partial');
  });
});

describe('marshal code objects', () => {
  const int = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    return b;
  };
  const short = (s: string) => Buffer.concat([Buffer.from([0x7a, s.length]), Buffer.from(s, 'latin1')]);
  const tuple = (...items: Buffer[]) => Buffer.concat([Buffer.from([0x29, items.length]), ...items]);
  const bytes = (b: Buffer) => Buffer.concat([Buffer.from('s'), int(b.length), b]);

  it('decodes the Python 3.8–3.10 layout (six leading ints)', () => {
    const code = Buffer.concat([
      Buffer.from('c'),
      int(1),
      int(0),
      int(0),
      int(1),
      int(3),
      int(0x43),
      bytes(Buffer.from([0x74, 0, 0x64, 0])),
      tuple(Buffer.from('N'), short('os')),
      tuple(short('__import__'), short('system')),
      tuple(short('x')),
      tuple(),
      tuple(),
      short('<f>'),
      short('<lambda>'),
      int(1),
      bytes(Buffer.alloc(2)),
    ]);
    expect(summarizeCode(code)).toEqual({ names: ['__import__', 'system'], strings: ['os'], layout: 'py3.8-3.10' });
  });

  it('degrades to undecodable on garbage and truncation', () => {
    expect(summarizeCode(Buffer.from('not a code object'))).toBeUndefined();
    const real = Buffer.from([0xe3, 0, 0, 0]);
    expect(summarizeCode(real)).toBeUndefined();
  });
});

describe('config analysis', () => {
  it('recognises Keras configs', () => {
    expect(looksLikeKerasConfig({ class_name: 'Sequential', config: {} })).toBe(true);
    expect(looksLikeKerasConfig({ name: 'x' })).toBe(false);
    expect(looksLikeKerasConfig([1])).toBe(false);
  });

  it('walks a deeply nested config without recursion', async () => {
    let config: unknown = { class_name: 'Dense', config: {} };
    for (let i = 0; i < 100_000; i++) config = [config];
    const reports: string[] = [];
    const ctx = {
      ...(await import('./test-support.js')).testDeps,
      report: (_: unknown, draft: { ruleId: string }) => reports.push(draft.ruleId),
      partial: () => {},
      checkTime: () => {},
      classify: testDeps.classify,
    };
    const input = { source: new BufferSource(Buffer.alloc(0)), path: 'x', name: 'x', depth: 0 };
    // biome-ignore lint/suspicious/noExplicitAny: a minimal context for a pure function
    await analyzeKerasConfig(ctx as any, input, config, 'config.json');
    expect(reports).toEqual(['scan.limit-exceeded']);
  });

  it('finds the superblock behind a user block larger than the sniffed head', async () => {
    const real = readFileSync(join(testdata, 'malicious/lambda_os_system.h5'));
    const shifted = Buffer.concat([Buffer.alloc(8192, 0x20), real]);
    const { findings } = await scanSource('model.h5', new BufferSource(shifted), testDeps);
    expect(findings.find((f) => f.ruleId === 'keras.lambda-code')?.severity).toBe('critical');
    const none = await scanSource('model.h5', new BufferSource(Buffer.alloc(9000, 0x20)), testDeps);
    expect(none.findings.map((f) => f.ruleId)).toEqual(['scan.unrecognized-format']);
  });

  it('is not fooled into scanning HDF5 it does not own', () => {
    expect(hdf5Scanner.sniff(Buffer.from('PK\x03\x04'), { name: 'model.h5', size: 4, strict: false })).toBe(false);
    expect(hdf5Scanner.sniff(Buffer.alloc(4096), { name: 'model.h5', size: 1 << 20, strict: true })).toBe(false);
  });
});
