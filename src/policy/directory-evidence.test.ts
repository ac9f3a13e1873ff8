import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, evidenceSchema } from '../contracts/index.js';
import { scanData } from '../data/index.js';
import { driftReport, profileDataset } from '../drift/index.js';
import { buildBom, keySigner, provenanceStatement, serializationFor, signModel } from '../integrity/index.js';
import { collectDirectoryEvidence } from './directory-evidence.js';
import { PolicyError } from './issues.js';

const repo = resolve(import.meta.dirname, '../..');
const fixtures = {
  maliciousPickle: join(repo, 'src/scan/testdata/malicious/process/os_system.pkl'),
  safetensors: join(repo, 'src/scan/formats/safetensors/testdata/model.safetensors'),
  onnx: join(repo, 'src/scan/formats/onnx/testdata/benign/mlp.onnx'),
};
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-gate-evidence-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const at = (...parts: string[]) => join(scratch, ...parts);

const card = `---
license: apache-2.0
base_model: acme/base-encoder
datasets:
  - acme/tickets
---
# Ticket encoder

## Intended Use
Routing support tickets to the right queue.

## Limitations
English only.
### Out-of-scope use
Medical or legal advice.
`;

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const trust = { kind: 'public-key', key: publicKey } as const;

beforeAll(async () => {
  mkdirSync(at('clean'));
  copyFileSync(fixtures.safetensors, at('clean', 'model.safetensors'));
  copyFileSync(fixtures.onnx, at('clean', 'head.onnx'));
  writeFileSync(at('clean', 'README.md'), card);
  writeFileSync(at('train.csv'), 'text,label\nreset my password,account\n');
  writeFileSync(at('clean', 'bom.json'), JSON.stringify(await buildBom({ model: at('clean') })));
  const { bundle } = await signModel(at('clean'), serializationFor(), keySigner(privateKey));
  writeFileSync(at('clean', 'model.sig'), JSON.stringify(bundle));
  // Provenance is written after signing, beside the folder, as `mlsecops attest` does by default.
  const { statement } = await provenanceStatement({
    model: at('clean'),
    serialization: serializationFor(),
    datasets: [at('train.csv')],
    code: `https://example.org/acme/encoder.git@${'a'.repeat(40)}`,
  });
  writeFileSync(`${at('clean')}.provenance.json`, JSON.stringify(await keySigner(privateKey).signStatement(statement)));

  mkdirSync(at('malicious'));
  copyFileSync(fixtures.maliciousPickle, at('malicious', 'model.pkl'));
  copyFileSync(fixtures.safetensors, at('malicious', 'model.safetensors'));

  // Training data with a real private key in it, scanned by the data engine.
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  writeFileSync(at('leaky.csv'), `id,note\n1,"${pem.trim()}"\n`);
  writeFileSync(at('data-report.json'), JSON.stringify(await scanData([at('leaky.csv')])));
});

describe('collectDirectoryEvidence', () => {
  it('reads a clean, signed, attested model folder', async () => {
    const { evidence, notes } = await collectDirectoryEvidence(at('clean'), { trust, alias: 'production' });
    expect(evidenceSchema.parse(evidence)).toEqual(evidence);
    expect(notes).toEqual([]);
    expect(evidence.subject).toMatchObject({ kind: 'directory', name: 'clean', version: null, alias: 'production' });
    expect(evidence.subject.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(evidence.scan).toMatchObject({ present: true, status: 'clean', findings: 0, errors: 0 });
    expect(evidence.signature).toEqual({
      present: true,
      verified: true,
      signer: expect.stringMatching(/^key:sha256:[0-9a-f]{64}$/),
      // The signature covers exactly the files the subject digest is computed over.
      subject: evidence.subject.digest,
    });
    expect(evidence.attestations).toEqual({ provenance: true, bom: true });
    expect(evidence.lineage.datasets).toEqual([{ name: 'train.csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(evidence.lineage.code).toEqual([
      { uri: `git+https://example.org/acme/encoder.git@${'a'.repeat(40)}`, commit: 'a'.repeat(40) },
    ]);
    expect(evidence.lineage.parents).toEqual([{ model: 'acme/base-encoder', version: 0 }]);
    expect(evidence.modelCard.present).toBe(true);
    expect(evidence.modelCard.fields).toMatchObject({
      license: 'apache-2.0',
      'base model': 'acme/base-encoder',
      datasets: 'acme/tickets',
      'intended use': 'Routing support tickets to the right queue.',
      'out of scope use': 'Medical or legal advice.',
    });
    // A `##` section holds its `###` subsections.
    expect(evidence.modelCard.fields.limitations).toContain('Medical or legal advice.');
    expect(evidence.dataScan.present).toBe(false);
  });

  it('counts a signature as present but not verified without a trust anchor, and says why', async () => {
    const { evidence, notes } = await collectDirectoryEvidence(at('clean'));
    expect(evidence.signature).toEqual({ present: true, verified: false, signer: '', subject: '' });
    expect(notes).toEqual(['model.sig not verified: no trust anchor given']);
  });

  it('does not verify a signature made by another key', async () => {
    const stranger = { kind: 'public-key', key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey } as const;
    const { evidence, notes } = await collectDirectoryEvidence(at('clean'), { trust: stranger });
    expect(evidence.signature.verified).toBe(false);
    expect(notes[0]).toMatch(/^model\.sig: /);
  });

  it('does not verify a folder changed after signing', async () => {
    mkdirSync(at('tampered'));
    copyFileSync(fixtures.safetensors, at('tampered', 'model.safetensors'));
    const { bundle } = await signModel(at('tampered'), serializationFor(), keySigner(privateKey));
    writeFileSync(at('tampered', 'model.sig'), JSON.stringify(bundle));
    copyFileSync(fixtures.maliciousPickle, at('tampered', 'extra.pkl'));
    const { evidence, notes } = await collectDirectoryEvidence(at('tampered'), { trust });
    expect(evidence.signature).toMatchObject({ present: true, verified: false });
    expect(notes[0]).toMatch(/added extra\.pkl/);
  });

  it('still verifies when only attestations or BOMs were added after signing', async () => {
    mkdirSync(at('late'));
    copyFileSync(fixtures.safetensors, at('late', 'model.safetensors'));
    const { bundle } = await signModel(at('late'), serializationFor(), keySigner(privateKey));
    writeFileSync(at('late', 'model.sig'), JSON.stringify(bundle));
    writeFileSync(at('late', 'late.cdx.json'), JSON.stringify(await buildBom({ model: at('late') })));
    const { evidence, notes } = await collectDirectoryEvidence(at('late'), { trust });
    expect(notes).toEqual([]);
    expect(evidence.signature.verified).toBe(true);
    expect(evidence.attestations.bom).toBe(true);
  });

  it('reports what the scan finds in a malicious pickle', async () => {
    const { evidence } = await collectDirectoryEvidence(at('malicious'));
    expect(evidence.scan.status).toBe('findings');
    expect(evidence.scan.bySeverity.critical).toBeGreaterThanOrEqual(1);
    expect(evidence.scan.rules).toContain('pickle.dangerous-global');
    expect(evidence.signature.present).toBe(false);
    expect(evidence.modelCard).toEqual({ present: false, fields: {}, length: 0 });
  });

  it('adds data-scan reports, assessments and a drift report given by the caller', async () => {
    // Assessment reports as `mlsecops assess` writes them: kind assessment, with their metrics.
    const assessment = (metrics: Record<string, number>) =>
      JSON.stringify({
        ...buildReport({
          kind: 'assessment',
          version: '0',
          startedAt: new Date().toISOString(),
          targets: [],
          files: [],
          findings: [],
        }),
        metrics,
      });
    writeFileSync(at('robustness.json'), assessment({ cleanAccuracy: 0.97, robustAccuracy: 0.61 }));
    writeFileSync(at('probes.json'), assessment({ probes: 40, failedProbes: 2 }));
    // A drift report from the drift engine: the current data's only column moved far from the reference.
    const column = (offset: number) => `x\n${Array.from({ length: 200 }, (_, i) => i + offset).join('\n')}\n`;
    writeFileSync(at('reference.csv'), column(0));
    writeFileSync(at('current.csv'), column(1000));
    const profile = async (path: string) => (await profileDataset(path, { workers: 0 })).profile;
    const drift = driftReport(await profile(at('reference.csv')), await profile(at('current.csv')));
    writeFileSync(at('drift.json'), JSON.stringify(drift));
    const { evidence } = await collectDirectoryEvidence(at('malicious'), {
      dataReports: [at('data-report.json')],
      assessments: [at('robustness.json'), at('probes.json')],
      driftReport: at('drift.json'),
    });
    expect(evidence.dataScan).toMatchObject({ present: true, datasets: 1 });
    expect(evidence.dataScan.bySeverity.critical).toBeGreaterThanOrEqual(1);
    expect(evidence.dataScan.rules).toContain('secret.private-key');
    expect(evidence.assessments).toEqual({
      robustness: { present: true, robustAccuracy: 0.61 },
      llm: { present: true, failedProbes: 2 },
      explain: { present: false, suspicious: 0 },
    });
    expect(evidence.drift).toEqual({ checked: true, drifted: true, share: 1, checkedAt: drift.finishedAt });
  });

  it.each([
    [
      'a model-scan report as a data report',
      { dataReports: ['scan-report.json'] },
      /data-scan report .* is not valid: .*data-scan/,
    ],
    ['an assessment that is not a report', { assessments: ['odd.json'] }, /assessment .* is not valid/],
    ['a missing report', { dataReports: ['nowhere.json'] }, /cannot read data-scan report .*ENOENT/],
  ])('refuses %s before scanning', async (_name, files, message) => {
    writeFileSync(
      at('scan-report.json'),
      JSON.stringify(await scanData([at('train.csv')])).replace('"data-scan"', '"model-scan"'),
    );
    writeFileSync(at('odd.json'), JSON.stringify({ kind: 'vibes', score: 1 }));
    const options = Object.fromEntries(Object.entries(files).map(([key, names]) => [key, names.map((n) => at(n))]));
    const failure = collectDirectoryEvidence(at('malicious'), options);
    await expect(failure).rejects.toThrow(PolicyError);
    await expect(failure).rejects.toThrow(message);
  });

  it('refuses a path that is not a folder', async () => {
    await expect(collectDirectoryEvidence(fixtures.maliciousPickle)).rejects.toThrow(/is not a folder/);
  });
});
