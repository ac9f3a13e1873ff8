import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileBuilder, profileViolations, QUANTILES, referenceProfileSchema } from './profile.js';
import { profileDataset } from './profile-dataset.js';

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
