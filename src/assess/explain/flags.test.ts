import { describe, expect, it } from 'vitest';
import { identifierReasons, suspiciousImportance } from './flags.js';
import { explainRules } from './rules.js';

const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('identifierReasons', () => {
  it.each([
    ['id', range(5, (i) => i % 2), ['named "id"']],
    ['customer_id', range(5, () => 1), ['named "customer_id"']],
    ['rowIndex', range(5, () => 1), ['named "rowIndex"']],
    ['x', range(30, (i) => (i * 7919) % 101), ['every value is a distinct integer']],
    ['t', range(30, (i) => i / 3), ['strictly increasing with the row order']],
    ['width', range(30, (i) => Math.sin(i)), []],
    ['paid', range(30, (i) => i % 2), []],
    ['valid', range(5, () => 0), []],
  ])('%s', (name, values, reasons) => {
    expect(identifierReasons(name, values)).toEqual(reasons);
  });
});

describe('suspiciousImportance', () => {
  const flat = range(40, () => [0.2, 0.3, 0.25]);
  const base = {
    path: 'data.csv',
    features: ['a', 'b', 'c'],
    columns: [range(40, Math.sin), range(40, Math.cos), range(40, (i) => Math.sin(i * 2))],
    attributions: flat,
    explainedValues: range(40, (i) => [Math.sin(i), Math.cos(i), Math.sin(i * 2)]),
    dominance: 0.5,
  };

  it('stays quiet on spread importance', () => {
    expect(suspiciousImportance({ ...base, shares: [0.3, 0.4, 0.3] })).toEqual([]);
  });

  it('flags a dominant feature', () => {
    const [finding] = suspiciousImportance({ ...base, shares: [0.1, 0.7, 0.2] });
    expect(finding).toMatchObject({
      ruleId: 'explain.dominant-feature',
      severity: 'medium',
      location: { column: 'b' },
    });
  });

  const trigger = (value: number) => {
    const columns = [base.columns[0]!, base.columns[1]!, range(40, (i) => (i < 3 ? value : Math.sin(i * 2)))];
    const explainedValues = range(40, (i) => [columns[0]![i]!, columns[1]![i]!, columns[2]![i]!]);
    const attributions = range(40, (i) => [0.2, 0.3, i < 3 ? 0.9 : 0.001]);
    return suspiciousImportance({ ...base, columns, explainedValues, shares: [0.3, 0.4, 0.3], attributions });
  };

  it('flags attribution concentrated on a few rows holding a rare value (a trigger)', () => {
    // 9 is far out; 0.123 is in range but shared by the three rows and rare in the column.
    for (const value of [9, 0.123]) {
      const findings = trigger(value);
      expect(findings.map((f) => [f.ruleId, f.location.column])).toEqual([['explain.concentrated-attribution', 'c']]);
      expect(findings[0]!.properties).toMatchObject({ strongRows: 3, explainedRows: 40, atypicalRows: 3 });
    }
  });

  it('does not flag concentration on rows with ordinary values (the decision boundary)', () => {
    const attributions = range(40, (i) => [0.2, 0.3, i < 3 ? 0.9 : 0.001]);
    expect(suspiciousImportance({ ...base, shares: [0.3, 0.4, 0.3], attributions })).toEqual([]);
  });

  it('every finding carries the catalog entry of its rule', () => {
    const findings = suspiciousImportance({
      ...base,
      features: ['id', 'b', 'c'],
      columns: [base.columns[0]!, base.columns[1]!, range(40, (i) => (i < 2 ? 50 : Math.sin(i)))],
      explainedValues: range(40, (i) => [0, 0, i < 2 ? 50 : Math.sin(i)]),
      shares: [0.8, 0.1, 0.1],
      attributions: range(40, (i) => [0.2, 0.3, i < 2 ? 0.9 : 0]),
    });
    expect(findings.map((f) => f.ruleId).sort()).toEqual([
      'explain.concentrated-attribution',
      'explain.dominant-feature',
      'explain.identifier-importance',
    ]);
    for (const f of findings) {
      const rule = explainRules[f.ruleId as keyof typeof explainRules];
      expect(f).toMatchObject({ severity: rule.severity, title: rule.title, references: rule.references });
    }
  });
});
