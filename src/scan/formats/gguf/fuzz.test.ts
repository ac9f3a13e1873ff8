import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../io/source.js';
import { analyzeTemplate } from './template-analysis.js';
import { scanWithGguf } from './test-deps.js';

/**
 * Real GGUF and llamafile fixtures, mutated and truncated, through the real dispatcher: every scan
 * resolves with a status and never with an internal error. Random text through the template analyser
 * never throws.
 */
const testdata = join(import.meta.dirname, 'testdata');
const seeds = [
  'benign/llama-v3.gguf',
  'benign/llama2-v1.gguf',
  'benign/mistral-v3-big-endian.gguf',
  'benign/tiny.llamafile',
  'malicious/ssti-cve-2024-34359-poc.gguf',
].map((file) => readFileSync(join(testdata, file)));

describe('GGUF readers under fuzzing', () => {
  it('survive mutated and truncated real files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(seeds.length - 1),
        fc.array(fc.tuple(fc.noBias(fc.nat(1 << 30)), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.oneof(fc.constant(1), fc.noBias(fc.double({ min: 0.01, max: 1, noNaN: true }))),
        async (which, edits, keep) => {
          const bytes = Buffer.from(seeds[which] as Buffer);
          for (const [where, value] of edits) bytes[8 + (where % (bytes.length - 8))] = value;
          const cut = bytes.subarray(0, Math.max(16, Math.ceil(keep * bytes.length)));
          const result = await scanWithGguf('fuzz.gguf', new BufferSource(cut), { timeoutMs: 5_000 });
          expect(['scanned', 'partial', 'skipped']).toContain(result.file.status);
          expect(result.findings.filter((f) => f.ruleId === 'scan.internal-error')).toEqual([]);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('analyses arbitrary template text without throwing', () => {
    const pieces = ['{{', '}}', '{%', '%}', '{#', '#}', "'", '"', '\\', '__', 'class', '.', '|', 'attr', '(', ')'];
    const more = ['[', ']', ' ', 'x', '~', '-', 'raw', 'endraw', '\\N{', '\\x5f'];
    const jinjaish = fc.array(fc.constantFrom(...pieces, ...more), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(jinjaish, fc.string({ maxLength: 200 })), (text) => {
        const analysis = analyzeTemplate(text);
        expect(Array.isArray(analysis.signals)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
