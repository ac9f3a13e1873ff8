import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanPaths } from '../../index.js';
import { listPython } from './python-static.js';

const testdata = join(import.meta.dirname, 'testdata');
const rulesOf = async (path: string) => (await scanPaths([join(testdata, path)])).findings.map((f) => f.ruleId);

describe('Hugging Face model folders', () => {
  it('raises nothing for an ordinary model folder', async () => {
    const report = await scanPaths([join(testdata, 'plain-model')]);
    expect(report.findings).toEqual([]);
  });

  it('reports remote code, naming classes from other repositories', async () => {
    const report = await scanPaths([join(testdata, 'remote-code-model/config.json')]);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['repo.remote-code']);
    expect(report.findings[0]?.evidence).toContain('modeling_tiny.TinyForCausalLM');
    expect(report.findings[0]?.properties?.remoteRepositories).toBe('other-org/helpers');
  });

  it('lists shipped Python and its dangerous calls', async () => {
    expect(await rulesOf('remote-code-model/configuration_tiny.py')).toEqual(['repo.python-source']);
    const report = await scanPaths([join(testdata, 'remote-code-model/modeling_tiny.py')]);
    const calls = report.findings.find((f) => f.ruleId === 'repo.python-dangerous-call');
    expect(calls?.evidence).toBe('calls os.system (line 17), subprocess.Popen (line 18), builtins.exec (line 19)');
  });

  it('reports a TorchServe archive with a custom handler that phones home', async () => {
    const report = await scanPaths([join(testdata, 'tiny.mar')]);
    expect(report.files[0]?.formats).toEqual(
      expect.arrayContaining(['zip', 'torchserve-mar', 'torchserve-manifest', 'python-source']),
    );
    expect(report.findings.map((f) => `${f.ruleId} ${f.location.member}`)).toEqual(
      expect.arrayContaining(['repo.custom-handler MAR-INF/MANIFEST.json', 'repo.python-dangerous-call handler.py']),
    );
  });
});

describe('static Python listing', () => {
  it('resolves aliases and from-imports, and ignores strings and comments', () => {
    const listing = listPython(
      [
        'import os.path',
        'import subprocess as sp',
        'from pickle import loads as l, dumps',
        'x = "os.system(\'no\')"  # eval("no")',
        'doc = """',
        'exec("not code")',
        '"""',
        'os.path.join("a", "b")',
        'sp.run(["ls"])',
        'l(data)',
        'eval(expr)',
      ].join('\n'),
    );
    expect(listing.imports).toEqual(['os.path', 'subprocess', 'pickle']);
    expect(listing.calls.map((c) => `${c.module}.${c.name}:${c.line}`)).toEqual([
      'os.path.join:8',
      'subprocess.run:9',
      'pickle.loads:10',
      'builtins.eval:11',
    ]);
  });
});
