import { execFile } from 'node:child_process';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { reportSchema } from '../contracts/index.js';
import { cli } from './test-support.js';

const root = resolve(import.meta.dirname, '../..');
const examples = join(root, 'examples/models');
const testdata = join(root, 'src/scan/testdata');

describe('mlsecops scan (in-process)', () => {
  it('exits 1 and names the gadget when a finding reaches --fail-on', async () => {
    const result = await cli(['scan', examples]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/CRITICAL\s+pickle\.dangerous-global/);
    expect(result.stdout).toContain('os.system');
    expect(result.stdout).toMatch(/8 file\(s\)/);
    expect(result.stdout).toContain('gguf.chat-template-injection');
  });

  it('exits 0 on clean models', async () => {
    const result = await cli(['scan', join(testdata, 'benign/torch'), join(testdata, 'benign/sklearn')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('applies --fail-on', async () => {
    const strict = await cli(['scan', join(testdata, 'malicious/renamed/config.json'), '--fail-on', 'critical']);
    expect(strict.code).toBe(1);
    const lenient = await cli(['scan', join(testdata, 'benign/numpy/object_array.npy'), '--fail-on', 'info']);
    expect(lenient.code).toBe(1);
    expect((await cli(['scan', join(testdata, 'benign/numpy/object_array.npy')])).code).toBe(0);
  });

  it('writes JSON that validates against the report contract, to --output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlsecops-'));
    const output = join(dir, 'report.json');
    const result = await cli(['scan', examples, '--format', 'json', '--output', output]);
    expect(result.stdout).toBe('');
    const report = reportSchema.parse(JSON.parse(await readFile(output, 'utf8')));
    expect(report.summary.bySeverity.critical).toBeGreaterThanOrEqual(2);
  });

  it('takes settings from the environment, flags first', async () => {
    const fromEnv = await cli(['scan', examples], { MLSECOPS_FORMAT: 'markdown', MLSECOPS_FAIL_ON: 'critical' });
    expect(fromEnv.stdout).toMatch(/^## mlsecops model scan/);
    const flagWins = await cli(['scan', examples, '--format', 'json'], { MLSECOPS_FORMAT: 'markdown' });
    expect(() => JSON.parse(flagWins.stdout)).not.toThrow();
  });

  it.each([
    [['scan', '/nonexistent/model.pkl'], /cannot read \/nonexistent\/model\.pkl/],
    [['scan', examples, '--format', 'xml'], /--format/],
    [['scan', examples, '--fail-on', 'severe'], /--fail-on/],
    [['scan', examples, '--max-depth', '-1'], /--max-depth/],
    [['scan', examples, '--allow', '/nonexistent/allow.yaml'], /cannot read allowlist/],
    [['scan'], /missing required argument/],
    [['frobnicate'], /unknown command/],
  ])('exits 2 when it cannot run: %s', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('quiets reviewed unknown globals with --allow, never dangerous ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlsecops-'));
    const pickle = join(dir, 'custom.pkl');
    // protocol 0: custom.layers.Gate() then os.system('x')
    await writeFile(pickle, "ccustom.layers\nGate\n)Rcos\nsystem\n(S'x'\ntR.", 'latin1');
    const allow = join(dir, 'allow.yaml');
    await writeFile(
      allow,
      'allow:\n  - global: custom.layers:Gate\n    reason: reviewed\n  - global: os:system\n    reason: nope\n',
    );
    const before = await cli(['scan', pickle, '--format', 'json']);
    const after = await cli(['scan', pickle, '--format', 'json', '--allow', allow]);
    const rules = (text: string) => JSON.parse(text).findings.map((f: { ruleId: string }) => f.ruleId);
    expect(rules(before.stdout)).toEqual(expect.arrayContaining(['pickle.unknown-global', 'pickle.dangerous-global']));
    expect(rules(after.stdout)).toEqual(['pickle.dangerous-global']);
  });

  it('reports symlinks that leave the scanned folder without reading them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlsecops-'));
    await symlink(join(testdata, 'malicious/process/os_system.pkl'), join(dir, 'linked.pkl'));
    const result = await cli(['scan', dir, '--format', 'json']);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['scan.symlink-outside-root']);
    expect(report.files[0].status).toBe('skipped');
  });
});

describe('mlsecops (spawned, as installed)', () => {
  const run = promisify(execFile);
  const bin = join(root, 'bin/mlsecops.js');

  it('prints help and version', async () => {
    const help = await run('node', [bin, '--help']);
    expect(help.stdout).toContain('scan [options] <paths...>');
    const version = await run('node', [bin, '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('keeps stdout parseable and returns the exit code', async () => {
    const failure = await run('node', [bin, 'scan', examples, '--format', 'json']).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(JSON.parse(failure.stdout).summary.files).toBe(8);
  });
});

describe('mlsecops scan on special files', () => {
  const run = promisify(execFile);

  it('refuses a FIFO named on the command line instead of blocking on it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlsecops-'));
    const fifo = join(dir, 'model.pkl');
    await run('mkfifo', [fifo]);
    const result = await cli(['scan', fifo]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a regular file or folder/);
  });

  it('lists a FIFO inside a folder as skipped, without reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlsecops-'));
    await run('mkfifo', [join(dir, 'pipe.pkl')]);
    const result = await cli(['scan', dir, '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.files).toEqual([
      expect.objectContaining({ status: 'skipped', errors: [expect.objectContaining({ code: 'NOT_A_REGULAR_FILE' })] }),
    ]);
  });
});

describe('mlsecops data scan (in-process)', () => {
  const datasets = join(root, 'src/data/testdata');

  it('scans datasets into a data-scan report and follows the exit-code rule', async () => {
    const result = await cli(['data', 'scan', datasets, '--format', 'json']);
    const report = reportSchema.parse(JSON.parse(result.stdout));
    expect(report.kind).toBe('data-scan');
    expect(report.files.map((f) => f.formats[0] ?? '-').sort()).toEqual(
      ['-', 'csv', 'json', 'jsonl', 'parquet', 'text', 'tsv'].filter((f) => f !== '-').sort(),
    );
    expect(result.code).toBe(0);
    expect((await cli(['data', 'scan', datasets, '--fail-on', 'medium'])).code).toBe(1);
  });

  it('exits 2 on bad arguments', async () => {
    const result = await cli(['data', 'scan', datasets, '--min-score', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--min-score/);
  });
});

describe('mlsecops data scan --redact', () => {
  it('refuses to write over the dataset it scanned', async () => {
    const file = join(root, 'src/data/testdata/notes.txt');
    const result = await cli(['data', 'scan', file, '--redact', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to overwrite the input/);
  });
});
