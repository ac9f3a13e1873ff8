import { describe, expect, it } from 'vitest';
import { celVariables, evidenceShape, fieldRows, VIEW_LIMITS } from './cel-types.js';
import { evidenceWith } from './test-support.js';

describe('the CEL view of the evidence', () => {
  it('declares every field of the evidence contract, and nothing else', () => {
    const leaves = (value: unknown, path: string): string[] =>
      value && typeof value === 'object' && !Array.isArray(value) && path !== 'modelCard.fields'
        ? Object.entries(value).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key))
        : [path];
    const { schemaVersion: _version, ...evidence } = evidenceWith();
    const declared = fieldRows()
      .filter((row) => row.type !== 'object' && !row.path.includes('[]'))
      .map((row) => row.path);
    expect(declared.sort()).toEqual(leaves(evidence, '').sort());
    expect(Object.keys(evidenceShape.fields)).toEqual(Object.keys(evidence));
  });

  it('gives integers as BigInt, nulls as zero values, and keeps doubles', () => {
    const variables = celVariables(
      evidenceWith({ scan: { findings: 3 }, drift: { share: 0.5 }, subject: { version: null, alias: null } }),
    ) as { scan: { findings: unknown }; drift: { share: unknown }; subject: { version: unknown; alias: unknown } };
    expect(variables.scan.findings).toBe(3n);
    expect(variables.drift.share).toBe(0.5);
    expect(variables.subject.version).toBe(0n);
    expect(variables.subject.alias).toBe('');
  });

  it('cuts long lists and strings to the view limits', () => {
    const rules = Array.from({ length: VIEW_LIMITS.listItems + 5 }, (_, i) => `rule.n${i}`);
    const long = 'x'.repeat(VIEW_LIMITS.stringChars + 10);
    const variables = celVariables(evidenceWith({ scan: { rules }, modelCard: { fields: { notes: long } } })) as {
      scan: { rules: string[] };
      modelCard: { fields: Record<string, string> };
    };
    expect(variables.scan.rules).toHaveLength(VIEW_LIMITS.listItems);
    expect(variables.modelCard.fields.notes).toHaveLength(VIEW_LIMITS.stringChars);
  });
});
