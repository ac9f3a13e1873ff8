import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceSchema, gateDecisionSchema } from '../../contracts/index.js';
import { cli } from '../test-support.js';

// ajv-draft-04 is CommonJS: its default export is the class at run time.
const Ajv = AjvDraft04 as unknown as typeof AjvDraft04.default;

const repo = resolve(import.meta.dirname, '../../..');
const fixtures = {
  maliciousPickle: join(repo, 'src/scan/testdata/malicious/process/os_system.pkl'),
  safetensors: join(repo, 'src/scan/formats/safetensors/testdata/model.safetensors'),
  onnx: join(repo, 'src/scan/formats/onnx/testdata/benign/mlp.onnx'),
};
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-gate-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const at = (...parts: string[]) => join(scratch, ...parts);

beforeAll(async () => {
  mkdirSync(at('clean'));
  copyFileSync(fixtures.safetensors, at('clean', 'model.safetensors'));
  copyFileSync(fixtures.onnx, at('clean', 'head.onnx'));
  mkdirSync(at('malicious'));
  copyFileSync(fixtures.maliciousPickle, at('malicious', 'model.pkl'));
  writeFileSync(
    at('bad.yaml'),
    [
      'apiVersion: mlsecops.dev/v1',
      'kind: Policy',
      'name: bad',
      'rules:',
      '  - id: scan.no-critical',
      '    title: No critical findings',
      '    severity: critical',
      '    expr: scan.bySeverity.critcal == 0',
      '',
    ].join('\n'),
  );
});

describe('mlsecops gate (in-process)', () => {
  it('exits 0 when every rule holds, listing each with why', async () => {
    const result = await cli(['gate', '--policy', 'pack:baseline', at('clean')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^PASSED {2}policy baseline/);
    expect(result.stdout).toMatch(
      /PASS {2}critical {2}policy\.no-critical-findings +No critical model-scan findings\n +0 critical finding\(s\)/,
    );
    expect(result.stdout).toMatch(/SKIP {2}critical {2}policy\.no-critical-data-findings/);
    expect(result.stdout).toContain('6 rule(s): 0 failed, 5 passed, 1 skipped');
  });

  it('exits 1 when a failed rule reaches --fail-on, and names the finding', async () => {
    const result = await cli(['gate', '--policy', 'pack:baseline', at('malicious')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED/);
    expect(result.stdout).toMatch(/FAIL {2}critical {2}policy\.no-critical-findings/);
    expect(result.stdout).toContain('pickle.dangerous-global');
  });

  it('applies --fail-on to the severity of the failed rules', async () => {
    // Strict over an unsigned, unattested folder fails high and medium rules, nothing critical.
    expect((await cli(['gate', '--policy', 'pack:strict', at('clean')])).code).toBe(1);
    expect((await cli(['gate', '--policy', 'pack:strict', at('clean'), '--fail-on', 'critical'])).code).toBe(0);
    expect((await cli(['gate', '--policy', 'pack:strict', at('clean')], { MLSECOPS_FAIL_ON: 'critical' })).code).toBe(
      0,
    );
  });

  it('exits 2 on a bad policy, with file, line, column and the expression on stderr, before scanning', async () => {
    const result = await cli(['gate', '--policy', at('bad.yaml'), at('malicious')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${at('bad.yaml')}:8:27: rule scan.no-critical: expr: no field 'critcal' on scan.bySeverity (did you mean 'critical'?)`,
    );
    expect(result.stderr).toContain('    scan.bySeverity.critcal == 0\n                    ^~~~~~~');
  });

  it.each([
    [['gate', '--policy', 'pack:baseline', 'fraud-model@3'], /fraud-model@3: registry targets need --server/],
    [['gate', '--policy', 'pack:baseline', '/nonexistent/model'], /cannot read \/nonexistent\/model/],
    [['gate', 'somewhere'], /give at least one --policy/],
    [['gate', '--policy', 'pack:nope', 'somewhere'], /no policy pack 'nope'; packs: baseline, strict/],
    [
      ['gate', '--policy', '/nonexistent/policy.yaml', 'somewhere'],
      /cannot read policy \/nonexistent\/policy\.yaml: ENOENT/,
    ],
    [['gate', '--policy', 'pack:baseline', '--format', 'xml', 'somewhere'], /--format/],
  ])('exits 2 for %j', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('writes the decision as JSON, to --output', async () => {
    const output = at('decision.json');
    const result = await cli([
      'gate',
      '--policy',
      'pack:baseline',
      at('malicious'),
      '--format',
      'json',
      '--output',
      output,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const decision = gateDecisionSchema.parse(JSON.parse(readFileSync(output, 'utf8')));
    expect(decision.passed).toBe(false);
    expect(decision.subject.name).toBe('malicious');
    expect(decision.rules.find((rule) => rule.id === 'policy.no-critical-findings')).toMatchObject({
      passed: false,
      frameworks: { owaspMl: ['ML06', 'ML10'] },
    });
  });

  it('writes SARIF with one result per failed rule, valid against the SARIF 2.1.0 schema', async () => {
    const result = await cli(['gate', '--policy', 'pack:baseline', at('malicious'), '--format', 'sarif']);
    expect(result.code).toBe(1);
    const sarif = JSON.parse(result.stdout);
    const schemaPath = createRequire(import.meta.url).resolve(
      '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
    );
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
      JSON.parse(readFileSync(schemaPath, 'utf8')),
    );
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run = sarif.runs[0];
    expect(run.results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['policy.no-critical-findings']);
    expect(run.tool.driver.rules[0]).toMatchObject({
      id: 'policy.no-critical-findings',
      shortDescription: { text: 'No critical model-scan findings' },
      properties: { tags: expect.arrayContaining(['ML06', 'AML.T0010.003', 'AML.M0016']) },
    });
  });

  it('writes markdown for a pull-request comment', async () => {
    const result = await cli(['gate', '--policy', 'pack:baseline', at('malicious'), '--format', 'markdown']);
    expect(result.stdout).toMatch(/^## ❌ mlsecops gate: failed\n/);
    expect(result.stdout).toContain('| Rule | Result | Why | Frameworks |');
    expect(result.stdout).toMatch(
      /\| `policy\.no-critical-findings` No critical model-scan findings \(critical\) \| ❌ \*\*fail\*\* \|/,
    );
  });

  it('gates a signed, attested, documented model with its data scan for production', async () => {
    mkdirSync(at('release'));
    copyFileSync(fixtures.safetensors, at('release', 'model.safetensors'));
    writeFileSync(at('release', 'README.md'), '# Encoder\n\n## Intended use\nRouting support tickets.\n');
    writeFileSync(at('train.csv'), 'text,label\nreset my password,account\n');
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    writeFileSync(at('leaky.csv'), `id,note\n1,"${pem.trim()}"\n`);
    const step = async (args: string[]) => {
      const result = await cli(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBeLessThan(2);
    };
    await step(['keygen', at('key')]);
    await step(['bom', at('release'), '--out', at('release', 'bom.json')]);
    await step(['sign', at('release'), '--key', at('key.pem')]);
    await step([
      'attest',
      'provenance',
      '--model',
      at('release'),
      '--dataset',
      at('train.csv'),
      '--key',
      at('key.pem'),
    ]);
    await step(['data', 'scan', at('train.csv'), '--format', 'json', '--output', at('train-report.json')]);
    await step(['data', 'scan', at('leaky.csv'), '--format', 'json', '--output', at('leaky-report.json')]);

    const args = [
      'gate',
      '--policy',
      'pack:strict',
      at('release'),
      '--public-key',
      at('key.pub.pem'),
      '--alias',
      'production',
    ];
    const evidenceFile = at('evidence.json');
    const result = await cli([
      ...args,
      '--data-report',
      at('train-report.json'),
      '--format',
      'json',
      '--save-evidence',
      evidenceFile,
    ]);
    expect(result.stderr).toBe('');
    const outcome = Object.fromEntries(
      gateDecisionSchema
        .parse(JSON.parse(result.stdout))
        .rules.map((rule) => [rule.id, rule.skipped ? 'skip' : rule.passed]),
    );
    expect(outcome).toMatchObject({
      'policy.signature-verified': true,
      'policy.provenance-attested': true,
      'policy.bom-present': true,
      'policy.model-card-intended-use': true,
      'policy.lineage-datasets': true,
      'policy.data-scanned': true,
      'policy.no-critical-data-findings': true,
      'policy.production-approved': false,
      'policy.no-drift': 'skip',
    });
    const evidence = evidenceSchema.parse(JSON.parse(readFileSync(evidenceFile, 'utf8')));
    expect(evidence.subject.alias).toBe('production');

    // The same model with training data that holds a private key fails on the data scan.
    const leaky = await cli([...args, '--data-report', at('leaky-report.json')]);
    expect(leaky.code).toBe(1);
    expect(leaky.stdout).toMatch(/FAIL {2}critical {2}policy\.no-critical-data-findings/);
  });

  it('verifies a certificate-signed model up to the --cert-chain root and names the signer', async () => {
    const pki = at('pki');
    mkdirSync(pki);
    writeFileSync(join(pki, 'leaf.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
    for (const command of [
      'genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out root.key',
      'genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key',
      'req -x509 -new -key root.key -subj /CN=release-ca -days 30 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -out root.pem',
      'req -new -key leaf.key -subj /CN=release-signer -out leaf.csr',
      'x509 -req -in leaf.csr -CA root.pem -CAkey root.key -CAcreateserial -days 30 -extfile leaf.ext -out leaf.pem',
    ]) {
      execFileSync('openssl', command.split(' '), { cwd: pki, stdio: 'pipe' });
    }
    mkdirSync(at('certified'));
    copyFileSync(fixtures.safetensors, at('certified', 'model.safetensors'));
    const signed = await cli([
      'sign',
      at('certified'),
      '--key',
      join(pki, 'leaf.key'),
      '--cert',
      join(pki, 'leaf.pem'),
    ]);
    expect(signed.code, signed.stderr).toBe(0);
    const policy = ['--policy', 'pack:strict', '--format', 'json'];
    const result = await cli(['gate', ...policy, at('certified'), '--cert-chain', join(pki, 'root.pem')]);
    const rule = gateDecisionSchema
      .parse(JSON.parse(result.stdout))
      .rules.find((r) => r.id === 'policy.signature-verified');
    expect(rule).toMatchObject({ passed: true, reason: 'signed by CN=release-signer' });
    // Without a trust anchor the signature is only present, and stderr says so.
    const unverified = await cli(['gate', ...policy, at('certified')]);
    expect(unverified.stderr).toBe('mlsecops: note: model.sig not verified: no trust anchor given\n');
  });
});
