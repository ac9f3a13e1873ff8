import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/test-support.js';
import { parseBundle } from './bundle.js';
import { codeDescriptor } from './provenance.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-provenance-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const p = (...parts: string[]) => join(scratch, ...parts);

beforeAll(async () => {
  mkdirSync(p('model'), { recursive: true });
  mkdirSync(p('data', 'shards'), { recursive: true });
  writeFileSync(p('model', 'weights.safetensors'), Buffer.alloc(2048, 7));
  writeFileSync(p('model', 'config.json'), '{}');
  writeFileSync(p('data', 'train.csv'), 'text,label\nhello,1\n');
  writeFileSync(p('data', 'shards', 'part-0.jsonl'), '{"a":1}\n');
  writeFileSync(p('data', 'other.csv'), 'x\n');
  mkdirSync(p('code'));
  const git = (...args: string[]) => execFileSync('git', ['-C', p('code'), ...args], { stdio: 'pipe' });
  git('init', '-q');
  writeFileSync(p('code', 'train.py'), 'print("train")\n');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'train');
  expect((await cli(['keygen', p('key')])).code).toBe(0);
  expect((await cli(['keygen', p('other')])).code).toBe(0);
});

function statementOf(file: string) {
  const bundle = parseBundle(readFileSync(file, 'utf8'));
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
}

describe('attest provenance and verify-attestation', () => {
  it('records the model, datasets, code and parameters, and verifies against the model on disk', async () => {
    const out = p('model.provenance.json');
    const made = await cli([
      'attest',
      'provenance',
      '--model',
      p('model'),
      '--dataset',
      p('data', 'train.csv'),
      p('data', 'shards'),
      '--code',
      p('code'),
      '--param',
      'epochs=3',
      'lr=0.001',
      '--started-on',
      '2026-11-20T08:00:00Z',
      '--key',
      p('key.pem'),
    ]);
    expect(made.code, made.stderr).toBe(0);
    const statement = statementOf(out);
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    const digest = (await cli(['digest', p('model')])).stdout.trim();
    expect(`sha256:${statement.subject[0].digest.sha256}`).toBe(digest);
    const definition = statement.predicate.buildDefinition;
    expect(definition.externalParameters).toEqual({ epochs: '3', lr: '0.001' });
    expect(definition.resolvedDependencies.map((d: { name?: string }) => d.name)).toEqual([
      'train.csv',
      'shards',
      'code',
    ]);
    const commit = execFileSync('git', ['-C', p('code'), 'rev-parse', 'HEAD'])
      .toString()
      .trim();
    expect(definition.resolvedDependencies[2]).toMatchObject({
      digest: { gitCommit: commit },
      annotations: { uncommittedChanges: false },
    });
    expect(statement.predicate.runDetails.metadata.startedOn).toBe('2026-11-20T08:00:00.000Z');

    const ok = await cli([
      'verify-attestation',
      out,
      '--model',
      p('model'),
      '--dataset',
      p('data', 'train.csv'),
      '--public-key',
      p('key.pub.pem'),
    ]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`gitCommit:${commit}`);

    const wrongData = await cli([
      'verify-attestation',
      out,
      '--model',
      p('model'),
      '--dataset',
      p('data', 'other.csv'),
      '--public-key',
      p('key.pub.pem'),
    ]);
    expect(wrongData.code).toBe(1);
    expect(wrongData.stdout).toMatch(/other\.csv .* not among the attested dependencies/);

    const wrongKey = await cli(['verify-attestation', out, '--model', p('model'), '--public-key', p('other.pub.pem')]);
    expect(wrongKey.code).toBe(1);

    appendFileSync(p('model', 'config.json'), ' ');
    const changed = await cli(['verify-attestation', out, '--model', p('model'), '--public-key', p('key.pub.pem')]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/is not the attested subject/);
  });

  it('refuses a model signature offered as an attestation, and an attestation offered as a signature', async () => {
    mkdirSync(p('m2'));
    writeFileSync(p('m2', 'w.bin'), 'w');
    await cli(['sign', p('m2'), '--key', p('key.pem')]);
    const asAttestation = await cli([
      'verify-attestation',
      p('m2', 'model.sig'),
      '--model',
      p('m2'),
      '--public-key',
      p('key.pub.pem'),
    ]);
    expect(asAttestation.code).toBe(1);
    expect(asAttestation.stderr).toMatch(/not a SLSA provenance v1 statement/);
    await cli(['attest', 'provenance', '--model', p('m2'), '--key', p('key.pem'), '--out', p('m2.att.json')]);
    const asSignature = await cli([
      'verify',
      p('m2'),
      '--signature',
      p('m2.att.json'),
      '--public-key',
      p('key.pub.pem'),
    ]);
    expect(asSignature.code).toBe(1);
    expect(asSignature.stderr).toMatch(/not a model signature statement/);
  });

  it('leaves an attestation written inside the model out of its subject', async () => {
    mkdirSync(p('m3'));
    writeFileSync(p('m3', 'w.bin'), 'w');
    const out = p('m3', 'provenance.json');
    expect((await cli(['attest', 'provenance', '--model', p('m3'), '--key', p('key.pem'), '--out', out])).code).toBe(0);
    expect((await cli(['verify-attestation', out, '--model', p('m3'), '--public-key', p('key.pub.pem')])).code).toBe(0);
  });

  it('takes code as url@commit and refuses anything else that is not a git tree', async () => {
    const commit = 'a'.repeat(40);
    expect(await codeDescriptor(`https://github.com/org/train@${commit}`)).toMatchObject({
      uri: `git+https://github.com/org/train@${commit}`,
      digest: { gitCommit: commit },
    });
    await expect(codeDescriptor(p('data'))).rejects.toThrow(/neither a git working tree/);
    const bad = await cli([
      'attest',
      'provenance',
      '--model',
      p('model'),
      '--code',
      p('data'),
      '--key',
      p('key.pem'),
      '--out',
      p('x.json'),
    ]);
    expect(bad.code).toBe(2);
  });
});
