import { describe, expect, it } from 'vitest';
import { MAX_EXPRESSION_LENGTH } from './cel.js';
import { formatIssue, type PolicyIssue } from './issues.js';
import { parsePolicy } from './load-policy.js';

/** A policy file: four header lines, `rules:` on line 5, the rule text from line 6. */
const policy = (rules: string) => `apiVersion: mlsecops.dev/v1
kind: Policy
name: test
description: table of bad policies
rules:
${rules}`;

const rule = (fields: string) => `  - id: scan.no-critical
    title: No critical findings
    severity: critical
${fields}`;

function issuesOf(text: string): readonly PolicyIssue[] {
  const parsed = parsePolicy(text, 'policy.yaml');
  if (parsed.ok) throw new Error('expected the policy to be refused');
  return parsed.issues;
}

describe('parsePolicy refuses a bad policy before anything runs, saying where', () => {
  it.each([
    {
      name: 'YAML syntax error',
      text: 'apiVersion: mlsecops.dev/v1\nkind: Policy\nname: a: b\nrules: []\n',
      at: [3, 7],
      message: 'YAML: Nested mappings are not allowed in compact mappings',
    },
    {
      name: 'duplicate key',
      text: policy(rule('    expr: scan.present\n')).replace('description:', 'name: again\ndescription:'),
      at: [4, 1],
      message: 'YAML: Map keys must be unique',
    },
    {
      name: 'unknown field in a rule',
      text: policy(rule('    expr: scan.present\n    colour: red\n')),
      at: [10, 5],
      message: "rule scan.no-critical: unknown field 'colour'",
    },
    {
      name: 'unknown top-level field',
      text: `${policy(rule('    expr: scan.present\n'))}extra: 1\n`,
      at: [10, 1],
      message: "unknown field 'extra'",
    },
    {
      name: 'non-bool expr',
      text: policy(rule('    expr: scan.findings\n')),
      at: [9, 11],
      message: 'rule scan.no-critical: expr: must be bool, got int',
    },
    {
      name: 'reason that is not a string',
      text: policy(rule('    expr: scan.present\n    reason: scan.findings\n')),
      at: [10, 13],
      message: 'rule scan.no-critical: reason: must be string, got int',
    },
    {
      name: 'unknown field of the evidence (typo)',
      text: policy(rule('    expr: scan.bySeverity.critcal == 0\n')),
      at: [9, 27],
      message: /^rule scan\.no-critical: expr: no field 'critcal' on scan\.bySeverity \(did you mean 'critical'\?\)/,
    },
    {
      name: 'unknown variable',
      text: policy(rule('    expr: sacn.present\n')),
      at: [9, 11],
      message: /^rule scan\.no-critical: expr: unknown variable 'sacn' \(did you mean 'scan'\?\)/,
    },
    {
      name: 'CEL syntax error',
      text: policy(rule('    expr: scan.present &&\n')),
      at: [9, 26],
      message: /^rule scan\.no-critical: expr: Unexpected token: EOF/,
    },
    {
      name: 'type error inside a when',
      text: policy(rule('    when: subject.alias == 1\n    expr: scan.present\n')),
      at: [9, 11],
      message: /^rule scan\.no-critical: when: no such overload: string == int/,
    },
    {
      name: 'bad severity',
      text: policy(`  - id: scan.no-critical\n    title: x\n    severity: severe\n    expr: scan.present\n`),
      at: [8, 15],
      message: /^rule scan\.no-critical: severity: Invalid option/,
    },
    {
      name: 'missing expr',
      text: policy(`  - id: scan.no-critical\n    title: x\n    severity: high\n`),
      at: [6, 5],
      message: "rule scan.no-critical: missing field 'expr'",
    },
    {
      name: 'expression that YAML reads as a boolean',
      text: policy(rule('    expr: true\n')),
      at: [9, 11],
      message: 'rule scan.no-critical: expr: must be a string, got boolean (quote it)',
    },
    {
      name: 'rule id that cannot be a finding rule id',
      text: policy(`  - id: NoCritical\n    title: x\n    severity: high\n    expr: scan.present\n`),
      at: [6, 9],
      message: /^rule NoCritical: id: must be lower-case words joined by dots/,
    },
    {
      name: 'wrong apiVersion',
      text: policy(rule('    expr: scan.present\n')).replace('mlsecops.dev/v1', 'mlsecops.dev/v2'),
      at: [1, 13],
      message: /^apiVersion: /,
    },
    {
      name: 'unknown control in a framework override',
      text: policy(rule('    expr: scan.present\n    frameworks:\n      owaspMl: [ML06, ML99]\n')),
      at: [11, 23],
      message: "rule scan.no-critical: frameworks.owaspMl: unknown control 'ML99'",
    },
    {
      name: 'comprehensions nested three deep',
      text: policy(rule('    expr: scan.rules.all(a, scan.rules.all(b, scan.rules.exists(c, a == c)))\n')),
      at: [9, 47],
      message: /comprehensions nested more than 2 deep/,
    },
  ])('$name', ({ text, at, message }) => {
    const [first] = issuesOf(text);
    expect([first!.line, first!.column]).toEqual(at);
    if (typeof message === 'string') expect(first!.message).toBe(message);
    else expect(first!.message).toMatch(message);
  });

  it('names a duplicate rule id at its second definition, with the line of the first', () => {
    const text = policy(`${rule('    expr: scan.present\n')}${rule('    expr: scan.errors == 0\n')}`);
    expect(issuesOf(text)).toEqual([
      {
        source: 'policy.yaml',
        line: 10,
        column: 9,
        message: 'rule scan.no-critical: duplicate rule id (first at line 6)',
      },
    ]);
  });

  it('reports every problem, in file order', () => {
    const text = policy(
      `${rule('    expr: scan.findings\n')}  - id: scan.other\n    title: y\n    severity: low\n    expr: nope\n`,
    );
    expect(issuesOf(text).map((issue) => [issue.line, issue.message.split(':')[0]])).toEqual([
      [9, 'rule scan.no-critical'],
      [13, 'rule scan.other'],
    ]);
  });

  it.each([
    ['a double-quoted string with escapes', '    expr: "scan.status == \\"x\\" && scan.critcal"\n', [9, 41]],
    ["a single-quoted string with ''", "    expr: 'scan.status == ''x'' && scan.critcal'\n", [9, 41]],
    ['a block literal', '    expr: |\n      scan.present &&\n        scan.critcal\n', [11, 14]],
    ['a folded block', '    expr: >-\n      scan.present\n      && scan.critcal\n', [11, 15]],
    ['a plain scalar over two lines', '    expr: scan.present\n      && scan.critcal\n', [10, 15]],
  ])('points inside %s', (_kind, fields, at) => {
    const [issue] = issuesOf(policy(rule(fields)));
    expect([issue!.line, issue!.column]).toEqual(at);
    expect(issue!.message).toMatch(/no field 'critcal' on scan/);
  });

  it('refuses expressions longer than the limit', () => {
    const long = `scan.present${' && scan.present'.repeat(MAX_EXPRESSION_LENGTH / 10)}`;
    expect(issuesOf(policy(rule(`    expr: ${long}\n`)))[0]!.message).toBe(
      'rule scan.no-critical: expr: longer than 2000 characters',
    );
  });

  it('formats an issue as file:line:col with a caret under the expression', () => {
    const [issue] = issuesOf(policy(rule('    expr: scan.bySeverity.critcal == 0\n')));
    expect(formatIssue(issue!)).toBe(
      [`policy.yaml:9:27: ${issue!.message}`, '    scan.bySeverity.critcal == 0', '                    ^~~~~~~'].join(
        '\n',
      ),
    );
  });
});

describe('parsePolicy accepts a good policy', () => {
  it('compiles every expression and digests the text', () => {
    const text = policy(
      rule(
        [
          '    when: subject.alias == "production"',
          '    expr: scan.bySeverity.critical == 0',
          '    reason: string(scan.bySeverity.critical) + " critical"',
          '    remediation: Fix it.',
          '    frameworks:',
          '      owaspMl: [ML06]',
          '',
        ].join('\n'),
      ),
    );
    const parsed = parsePolicy(text, 'policy.yaml');
    if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
    const { policy: loaded } = parsed;
    expect(loaded.name).toBe('test');
    expect(loaded.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(loaded.rules).toHaveLength(1);
    expect(loaded.rules[0]).toMatchObject({
      id: 'scan.no-critical',
      severity: 'critical',
      remediation: 'Fix it.',
      frameworks: { owaspMl: ['ML06'] },
      when: { source: 'subject.alias == "production"' },
      expr: { source: 'scan.bySeverity.critical == 0' },
    });
  });
});
