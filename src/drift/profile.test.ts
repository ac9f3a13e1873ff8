import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryUsage } from 'node:process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { mergeProfiles, ProfileBuilder, ProfileMergeError, QUANTILES } from './profile.js';
import { profileDataset } from './profile-dataset.js';
import { referenceProfileSchema } from './profile-schema.js';
import { NumberSketch } from './sketch.js';
import { profileViolations } from './violations.js';

const dir = mkdtempSync(join(tmpdir(), 'mlsecops-profile-'));

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('profileDataset', () => {
  it('profiles numbers with range, moments and numpy-style quantiles, and categories with counts', async () => {
    const rows = Array.from({ length: 101 }, (_, i) => `${i + 1},${i % 3 === 0 ? 'red' : 'blue'},${i === 5 ? '' : i}`);
    const { profile } = await profileDataset(csv('iris.csv', `size,colour,age\n${rows.join('\n')}\n`));
    expect(referenceProfileSchema.parse(profile)).toEqual(profile);
    expect(profile.rows).toBe(101);
    const [size, colour, age] = profile.columns;
    expect(size).toMatchObject({ name: 'size', type: 'number', count: 101, missing: 0, min: 1, max: 101, mean: 51 });
    if (size?.type !== 'number') throw new Error('size is numeric');
    expect(size.std).toBeCloseTo(29.3001706, 6);
    // numpy.quantile(np.arange(1, 102), [0.01, 0.5]) == [2, 51]
    expect(size.quantiles[QUANTILES.indexOf(0.01)]).toBeCloseTo(2, 12);
    expect(size.quantiles[QUANTILES.indexOf(0.5)]).toBe(51);
    expect(colour).toMatchObject({ type: 'category', categories: { blue: 67, red: 34 }, other: 0 });
    expect(age).toMatchObject({ type: 'number', missing: 1 });
  });

  it('keeps memory bounded: a thousand distinct categories, the rest counted as other', () => {
    const builder = new ProfileBuilder();
    for (let i = 0; i < 5000; i++) builder.add(i, 'id', `user-${i}`);
    const [id] = builder.build().columns;
    expect(id?.type === 'category' && Object.keys(id.categories).length).toBe(1000);
    expect(id).toMatchObject({ other: 4000 });
  });

  it('keeps no reader chunk alive through its category list', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const builder = new ProfileBuilder({ jointColumns: [] });
    gc();
    const before = memoryUsage().heapUsed;
    for (let row = 0; row < 200; row++) {
      // A reader's megabyte of text, and a new category cut from it.
      const chunk = `${'x'.repeat(1 << 20)}category ${String(row).padStart(6, '0')}`;
      builder.add(row, 'tag', chunk.slice(-15));
    }
    gc();
    expect(memoryUsage().heapUsed - before).toBeLessThan(20 << 20);
    expect(builder.build().columns[0]).toMatchObject({ type: 'category', other: 0 });
  });

  it('refuses a file that is not a dataset', async () => {
    const path = join(dir, 'blob.bin');
    writeFileSync(path, Buffer.from([0, 1, 2, 3, 0, 0, 0, 255]));
    await expect(profileDataset(path)).rejects.toThrow(/not a dataset/);
  });
});

describe('profileViolations', () => {
  const builder = new ProfileBuilder();
  for (let i = 0; i < 100; i++) {
    builder.add(i, 'petal_length', String(1 + i / 20));
    builder.add(i, 'species', ['setosa', 'versicolor', 'virginica'][i % 3]!);
  }
  const profile = builder.build();

  it.each([
    ['inside the range', { petal_length: 3.2, species: 'setosa' }, []],
    ['just past the range within tolerance', { petal_length: 6.1 }, []],
    ['far past the range', { petal_length: 60 }, ['range']],
    ['a string where a number belongs', { petal_length: 'long' }, ['type']],
    ['an unseen category', { species: 'rosa' }, ['category']],
    ['a feature the reference never had', { stem: 1 }, ['unknown-feature']],
    ['missing values are allowed', { petal_length: null }, []],
    ['arrays read by the profile column order', [70, 'setosa'], ['range']],
  ])('%s', (_name, instance, reasons) => {
    const found = profileViolations(profile, instance, { tolerance: 0.05 });
    expect(found.map((violation) => violation.reason)).toEqual(reasons);
  });

  it('stops at its limit', () => {
    const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, i]));
    expect(profileViolations(profile, wide, { tolerance: 0, limit: 3 })).toHaveLength(3);
  });
});

/** A column without mean and std, which a merge reproduces only to rounding. */
const withoutMoments = (column: unknown) => {
  const { mean: _mean, std: _std, ...rest } = column as { mean: number; std: number };
  return rest;
};

describe('mergeable profiles', () => {
  const rows = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return [String(Math.sin(i) * 50 + i / 1000), ['a', 'b', 'c'][i % 3]!, i % 10 === 0 ? 'inf' : String(i % 4)];
    });
  const profileOf = (data: string[][], types?: Record<string, 'number' | 'category'>) => {
    const builder = new ProfileBuilder({ types });
    data.forEach((row, i) => {
      builder.add(i, 'x', row[0]!);
      builder.add(i, 'label', row[1]!);
      builder.add(i, 'level', row[2]!);
    });
    return builder.build();
  };

  it('merges shards into exactly the profile of the whole (sketches, counts, values)', () => {
    const whole = profileOf(rows(0, 30_000));
    const merged = mergeProfiles([profileOf(rows(0, 12_345)), profileOf(rows(12_345, 30_000))]);
    const [wx, wl, wv] = whole.columns;
    const [mx, ml, mv] = merged.columns;
    expect(merged.rows).toBe(30_000);
    if (wx?.type !== 'number' || mx?.type !== 'number') throw new Error('x is numeric');
    expect(mx.sketch).toEqual(wx.sketch);
    expect(mx.exact).toBeUndefined(); // 30,000 values: past the exact limit
    expect(mx).toMatchObject({ count: wx.count, missing: wx.missing, min: wx.min, max: wx.max });
    expect(mx.mean).toBeCloseTo(wx.mean, 9);
    expect(mx.std).toBeCloseTo(wx.std, 9);
    expect(mx.quantiles).toEqual(wx.quantiles);
    expect(ml).toEqual(wl);
    expect(withoutMoments(mv)).toEqual(withoutMoments(wv));
    expect(mv).toMatchObject({
      type: 'number',
      infinite: 3000,
      values: { '0': 6000, '1': 7500, '2': 6000, '3': 7500 },
    });
  });

  it('keeps small columns exact through a merge', () => {
    const merged = mergeProfiles([profileOf(rows(0, 100)), profileOf(rows(100, 250))]);
    const [x] = merged.columns;
    expect(x?.type === 'number' && x.exact?.length).toBe(250);
    expect(withoutMoments(x)).toEqual(withoutMoments(profileOf(rows(0, 250)).columns[0]));
  });

  it('takes type overrides and refuses to merge a column typed differently', () => {
    const asCategory = profileOf(rows(0, 50), { level: 'category' });
    expect(asCategory.columns[2]).toMatchObject({ type: 'category' });
    expect(() => mergeProfiles([asCategory, profileOf(rows(50, 100))])).toThrow(ProfileMergeError);
  });

  it('counts a column absent from a shard as missing there', () => {
    const other = new ProfileBuilder();
    for (let i = 0; i < 10; i++) other.add(i, 'x', String(i));
    const merged = mergeProfiles([profileOf(rows(0, 20)), other.build()]);
    expect(merged.columns.find((column) => column.name === 'label')).toMatchObject({ count: 30, missing: 10 });
  });
});

describe('NumberSketch', () => {
  it('reads quantiles back within its relative accuracy and round-trips through JSON', () => {
    const values = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? 1 : -1) * Math.exp(Math.sin(i) * 8));
    const sketch = new NumberSketch(0.01);
    sketch.addAll(values);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1]) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
      expect(Math.abs(sketch.quantile(q) - exact)).toBeLessThanOrEqual(0.01 * Math.abs(exact) + 1e-12);
    }
    expect(NumberSketch.fromJSON(JSON.parse(JSON.stringify(sketch))).toJSON()).toEqual(sketch.toJSON());
  });

  it('stays bounded on values spanning the whole double range', () => {
    const sketch = new NumberSketch();
    for (const value of [Number.MIN_VALUE, 1e-300, 1e-100, 1, 1e100, Number.MAX_VALUE, -Number.MAX_VALUE, 0])
      sketch.add(value);
    expect(sketch.count).toBe(8);
    expect(sketch.buckets().length).toBeLessThanOrEqual(8);
    expect(() => sketch.add(Number.NaN)).toThrow(RangeError);
    expect(() =>
      NumberSketch.fromJSON({
        alpha: 0.01,
        zero: 0,
        positive: { index: [1], count: [] },
        negative: { index: [], count: [] },
      }),
    ).toThrow(RangeError);
  });
});
