import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/index.js';
import { driftReport } from './drift-report.js';
import { mergeProfiles, ProfileBuilder } from './profile.js';

/** Rows of (a, b, c) with b = ρ·a + noise and c independent; `rho` sets how a and b move together. */
function profile(seed: number, rows: number, rho: number) {
  const random = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const builder = new ProfileBuilder();
  for (let row = 0; row < rows; row++) {
    const a = gaussian();
    const b = rho * a + Math.sqrt(1 - rho * rho) * gaussian();
    builder.add(row, 'a', a.toFixed(5));
    builder.add(row, 'b', b.toFixed(5));
    builder.add(row, 'c', gaussian().toFixed(5));
    builder.add(row, 'label', row % 2 ? 'x' : 'y');
  }
  return builder.build();
}

describe('multivariate drift by PCA reconstruction error', () => {
  const reference = profile(1, 20_000, 0.95);

  it('keeps joint moments of the numeric columns only', () => {
    expect(reference.joint).toMatchObject({ columns: ['a', 'b', 'c'], count: 20_000 });
  });

  it('sees a broken correlation that no single column shows', () => {
    const current = profile(2, 5000, -0.95);
    const report = driftReport(reference, current);
    // Each column alone is still N(0, 1).
    expect(report.columns.filter((column) => column.type === 'number').some((column) => column.drifted)).toBe(false);
    expect(report.multivariate).toMatchObject({
      method: 'pca-reconstruction',
      columns: ['a', 'b', 'c'],
      drifted: true,
    });
    expect(report.multivariate!.ratio).toBeGreaterThan(10);
    expect(report.findings.map((finding) => finding.ruleId)).toContain('drift.multivariate');
  });

  it('stays quiet on a fresh sample of the same distribution, even a small one', () => {
    for (const rows of [50, 500, 5000]) {
      const report = driftReport(reference, profile(rows, rows, 0.95));
      expect(report.multivariate?.drifted, `${rows} rows`).toBe(false);
      expect(report.multivariate!.ratio).toBeGreaterThan(0.5);
    }
  });

  it('merges joint moments of shards exactly', () => {
    const whole = profile(3, 4000, 0.5);
    const random = mulberry32(3);
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const shards = [new ProfileBuilder(), new ProfileBuilder()];
    for (let row = 0; row < 4000; row++) {
      const a = gaussian();
      const b = 0.5 * a + Math.sqrt(0.75) * gaussian();
      const shard = shards[row < 1500 ? 0 : 1]!;
      const local = row < 1500 ? row : row - 1500;
      shard.add(local, 'a', a.toFixed(5));
      shard.add(local, 'b', b.toFixed(5));
      shard.add(local, 'c', gaussian().toFixed(5));
      shard.add(local, 'label', row % 2 ? 'x' : 'y');
    }
    const merged = mergeProfiles(shards.map((shard) => shard.build()));
    expect(merged.joint!.count).toBe(whole.joint!.count);
    const worst = (a: number[], b: number[]) => Math.max(...a.map((value, i) => Math.abs(value - b[i]!)));
    expect(worst(merged.joint!.mean, whole.joint!.mean)).toBeLessThan(1e-10);
    expect(worst(merged.joint!.comoment.flat(), whole.joint!.comoment.flat())).toBeLessThan(1e-6);
  });

  it('gives no result without two varying numeric columns', () => {
    const builder = new ProfileBuilder();
    for (let row = 0; row < 100; row++) {
      builder.add(row, 'k', '1');
      builder.add(row, 'x', String(row));
    }
    const flat = builder.build();
    expect(driftReport(flat, flat).multivariate).toBeUndefined();
  });
});
