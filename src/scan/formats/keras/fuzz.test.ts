import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanSource } from '../../engine/file-scan.js';
import { BufferSource } from '../../io/source.js';
import { testDeps } from './test-support.js';

/**
 * Real Keras HDF5 files and .keras zips (compact and dense attribute storage, v0 and v2 superblocks, a user
 * block), mutated and truncated, through the real dispatcher: the scan always resolves and never reports
 * an internal error.
 */
const testdata = join(import.meta.dirname, 'testdata');
const seeds = [
  'benign/sequential_conv.h5',
  'benign/functional_nested.h5',
  'benign/userblock.h5',
  'benign/dense_attributes.h5',
  'malicious/lambda_os_system.h5',
  'malicious/lambda_dense_attributes.h5',
  'malicious/torch_module_wrapper.keras',
];
const data = seeds.map((file) => readFileSync(join(testdata, file)));

describe('Keras readers under fuzzing', () => {
  it('survive mutated and truncated real files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(data.length - 1),
        // Most structure sits in the first few KiB: bias half the edits there.
        fc.array(fc.tuple(fc.oneof(fc.nat(4096), fc.noBias(fc.nat(1 << 30))), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.oneof(fc.constant(1), fc.noBias(fc.double({ min: 0.02, max: 1, noNaN: true }))),
        async (which, edits, keep) => {
          const bytes = Buffer.from(data[which] as Buffer);
          for (const [where, value] of edits) bytes[8 + (where % (bytes.length - 8))] = value;
          const cut = bytes.subarray(0, Math.max(16, Math.ceil(keep * bytes.length)));
          const result = await scanSource(seeds[which] as string, new BufferSource(cut), testDeps);
          expect(['scanned', 'partial', 'skipped']).toContain(result.file.status);
          expect(result.findings.filter((f) => f.ruleId === 'scan.internal-error')).toEqual([]);
        },
      ),
      { numRuns: 3000 },
    );
  }, 120_000);
});
