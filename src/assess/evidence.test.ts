import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/test-support.js';

/** Assessment reports are evidence: a gate reads their metrics like any other report. */
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-assess-evidence-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const robustness = join(import.meta.dirname, 'robustness/testdata');
const explain = join(import.meta.dirname, 'explain/testdata');

describe('assessment reports feed the gate', () => {
  it('fails the robust-accuracy and attribution rules on an undefended, backdoored model', async () => {
    const robust = join(scratch, 'robustness.json');
    const assessed = await cli([
      'assess',
      'robustness',
      join(robustness, 'digits-mlp.onnx'),
      '--data',
      join(robustness, 'digits-test.csv'),
      '--samples',
      '20',
      '--max-queries',
      '200',
      '--format',
      'json',
      '--output',
      robust,
    ]);
    expect(assessed.code, assessed.stderr).toBe(1);
    const explained = join(scratch, 'explain.json');
    const flagged = await cli([
      'assess',
      'explain',
      join(explain, 'backdoor.onnx'),
      '--data',
      join(explain, 'backdoor.csv'),
      '--label',
      'label',
      '--format',
      'json',
      '--output',
      explained,
    ]);
    expect(flagged.code, flagged.stderr).toBe(1);
    const gate = await cli([
      'gate',
      robustness,
      '--policy',
      'pack:strict',
      '--assessment',
      robust,
      '--assessment',
      explained,
      '--format',
      'json',
    ]);
    const rules = (JSON.parse(gate.stdout) as { rules: { id: string; passed: boolean; skipped: boolean }[] }).rules;
    const rule = (id: string) => rules.find((candidate) => candidate.id === id);
    expect(rule('policy.assessed')?.passed).toBe(true);
    expect(rule('policy.robust-accuracy')).toMatchObject({ passed: false, skipped: false });
    expect(rule('policy.no-suspicious-attributions')).toMatchObject({ passed: false, skipped: false });
    expect(rule('policy.llm-probes-pass')?.skipped).toBe(true);
  }, 60_000);
});
