import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLeast, type Severity, severityRank } from '../../../contracts/index.js';
import { BufferSource } from '../../io/source.js';
import { scanWithGguf } from './test-deps.js';

const testdata = join(import.meta.dirname, 'testdata');
interface Entry {
  readonly file: string;
  readonly description: string;
  readonly allow?: readonly string[];
  readonly expect?: ReadonlyArray<{ readonly ruleId: string }>;
  readonly minSeverity?: Severity;
}
const manifest = JSON.parse(readFileSync(join(testdata, 'manifest.json'), 'utf8')) as {
  benign: Entry[];
  malicious: Entry[];
};
const scan = (file: string) => scanWithGguf(join(testdata, file), new BufferSource(readFileSync(join(testdata, file))));

describe('benign GGUF and llamafile fixtures', () => {
  it.each(
    manifest.benign.map((entry) => [entry.file, entry] as const),
  )('%s raises nothing at medium or above', async (file, entry) => {
    const result = await scan(file);
    const loud = result.findings.filter((f) => atLeast(f.severity, 'medium') && !entry.allow?.includes(f.ruleId));
    expect(loud.map((f) => `${f.severity} ${f.ruleId}: ${f.evidence}`)).toEqual([]);
    expect(result.file.status).toBe('scanned');
    expect(result.file.formats).toContain('gguf');
  });
});

describe('malicious and hostile GGUF fixtures', () => {
  it.each(manifest.malicious.map((entry) => [entry.file, entry] as const))('%s is caught', async (file, entry) => {
    const result = await scan(file);
    const seen = result.findings.map((f) => f.ruleId);
    for (const expected of entry.expect ?? []) expect(seen, entry.description).toContain(expected.ruleId);
    const highest = Math.max(...result.findings.map((f) => severityRank(f.severity)));
    expect(highest).toBeGreaterThanOrEqual(severityRank(entry.minSeverity ?? 'info'));
    expect(seen).not.toContain('scan.internal-error');
  });
});

describe('bounded reading', () => {
  it('walks a large vocabulary without reading tensor data', async () => {
    const bytes = bigModel(200_000, 8 << 20);
    let read = 0;
    const source = new BufferSource(bytes);
    const counting = {
      size: source.size,
      read: async (offset: number, length: number) => {
        const chunk = await source.read(offset, length);
        read += chunk.length;
        return chunk;
      },
      slice: (offset: number, length: number) => source.slice(offset, length),
    };
    const result = await scanWithGguf('big.gguf', counting);
    expect(result.findings).toEqual([]);
    expect(result.file.status).toBe('scanned');
    expect(read).toBeLessThan(bytes.length - (8 << 20) + (256 << 10));
  });
});

/** GGUF v3 with `tokens` vocabulary strings and one F32 tensor of `dataBytes`, written like gen_fixtures.py. */
function bigModel(tokens: number, dataBytes: number): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => parts.push(Buffer.from(new Uint32Array([n]).buffer));
  const u64 = (n: number) => parts.push(Buffer.from(new BigUint64Array([BigInt(n)]).buffer));
  const str = (s: string) => {
    u64(Buffer.byteLength(s));
    parts.push(Buffer.from(s));
  };
  parts.push(Buffer.from('GGUF'));
  u32(3);
  u64(1);
  u64(2);
  str('tokenizer.ggml.tokens');
  u32(9);
  u32(8);
  u64(tokens);
  for (let i = 0; i < tokens; i++) str(`tok${i}`);
  str('tokenizer.chat_template');
  u32(8);
  str("{% for m in messages %}{{ m['content'] }}{% endfor %}");
  str('token_embd.weight');
  u32(1);
  u64(dataBytes / 4);
  u32(0);
  u64(0);
  const header = Buffer.concat(parts);
  const padded = Math.ceil(header.length / 32) * 32;
  return Buffer.concat([header, Buffer.alloc(padded - header.length), Buffer.alloc(dataBytes)]);
}
