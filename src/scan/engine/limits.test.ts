import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanPaths } from '../index.js';

/** Limits end as findings and partial statuses, never as crashes, hangs or internal errors. */
const compressTestdata = join(import.meta.dirname, '../compress/testdata');

describe('scan limits', () => {
  it('stops a slow decompression at the per-file time budget', async () => {
    const report = await scanPaths([join(compressTestdata, 'bomb.bz2')], {
      limits: { timeoutMs: 1, maxDecompressedBytes: 1 << 30 },
    });
    expect(report.findings.map((f) => f.ruleId)).toEqual(['scan.limit-exceeded']);
    expect(report.findings[0]?.evidence).toMatch(/timeoutMs/);
    expect(report.files[0]?.status).toBe('partial');
  });

  it('stops a decompression bomb at maxDecompressedBytes', async () => {
    const report = await scanPaths([join(compressTestdata, 'bomb.xz')], { limits: { maxDecompressedBytes: 1 << 20 } });
    expect(report.findings.map((f) => f.ruleId)).toContain('scan.limit-exceeded');
    expect(report.findings[0]?.evidence).toMatch(/maxDecompressedBytes/);
  });

  it('aborts between files when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const report = await scanPaths([join(compressTestdata, 'bomb.gz')], { signal: controller.signal });
    expect(report.findings.map((f) => f.ruleId)).toEqual(['scan.limit-exceeded']);
    expect(report.findings[0]?.evidence).toMatch(/aborted/);
  });
});
