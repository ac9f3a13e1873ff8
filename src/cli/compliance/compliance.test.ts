import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../contracts/index.js';
import { loadPack } from '../../policy/index.js';
import { bootstrapAdmin } from '../../registry/index.js';
import { createApp } from '../../server/index.js';
import { type Database, LocalBlobStore, openDatabase } from '../../store/index.js';
import { DEMO_MODEL, type SeededDemo, seedDemo } from '../demo/seed.js';
import { RegistryClient } from '../http.js';
import { cli } from '../test-support.js';
import type { ComplianceReport } from './assemble.js';

/**
 * The promotion gate with a shipped pack beside the change-control settings, and the compliance
 * report over the demo's story, told to a real server in this process.
 */
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-compliance-'));
const signing = generateKeyPairSync('ed25519');
const auditKey = generateKeyPairSync('ed25519');
const auditPem = join(scratch, 'audit.pub.pem');
let app: FastifyInstance;
let database: Database;
let admin: RegistryClient;
let seeded: SeededDemo;
const env: Record<string, string> = {};

beforeAll(async () => {
  database = await openDatabase({ url: join(scratch, 'registry.db') });
  app = await createApp({
    database,
    blobs: await LocalBlobStore.create(join(scratch, 'blobs')),
    auditKey: auditKey.privateKey,
    trust: [{ kind: 'public-key', key: signing.publicKey }],
    gatePolicies: [loadPack('baseline')],
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  env.ADMIN = (await bootstrapAdmin(database))!.token;
  admin = new RegistryClient(url, env.ADMIN);
  seeded = await seedDemo(admin, () => {}, { workDir: join(scratch, 'datasets'), signingKey: signing.privateKey });
  writeFileSync(auditPem, auditKey.publicKey.export({ type: 'spki', format: 'pem' }) as string);
}, 60_000);
afterAll(async () => {
  await app.close();
  await database.close();
  rmSync(scratch, { recursive: true, force: true });
});

const versions = `/api/v1/models/${DEMO_MODEL}/versions`;

describe('the promotion gate reads evidence through policies', () => {
  it('blocks the version trained on poisoned data for its data-scan findings, and stores every decision', async () => {
    const gate = await admin.json<{ passed: boolean; checks: { check: string; passed: boolean; detail: string }[] }>(
      `${versions}/${seeded.versions.poisoned}/gate?alias=production`,
    );
    expect(gate.passed).toBe(false);
    const failed = gate.checks.filter((check) => !check.passed).map((check) => check.check);
    expect(failed).toContain('policy.no-critical-data-findings');
    expect(failed).toContain('registry.approvals');
    // The clean version passes the change-control rules and the pack alike.
    const clean = await admin.json<{ passed: boolean; decisions: { policy: { name: string } }[] }>(
      `${versions}/${seeded.versions.clean}/gate?alias=production`,
    );
    expect(clean.decisions.map((decision) => decision.policy.name)).toEqual(['registry-change-control', 'baseline']);
    const stored = (
      await database.db.selectFrom('gate_results').select(['decision']).where('decision', 'is not', null).execute()
    ).map((row) => JSON.parse(row.decision as string) as { policy: { name: string } }[]);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((decisions) => decisions.some((decision) => decision.policy.name === 'baseline'))).toBe(true);
  });

  it('serves the evidence document the gate reads, with incidents and drift from the monitor', async () => {
    const evidence = await admin.json<{
      subject: { alias: string };
      incidents: { open: number };
      drift: { checked: boolean; drifted: boolean };
      signature: { verified: boolean };
      dataScan: { present: boolean };
    }>(`${versions}/${seeded.versions.clean}/evidence-document?alias=production`);
    expect(evidence.subject.alias).toBe('production');
    expect(evidence.signature.verified).toBe(true);
    expect(evidence.dataScan.present).toBe(true);
    expect(evidence.incidents.open).toBeGreaterThan(0);
    expect(evidence.drift.checked).toBe(true);
  });
});

describe('mlsecops gate on a registry version', () => {
  it('reads the evidence the registry assembled and decides with any policy', async () => {
    const gate = (version: number) =>
      cli(
        [
          'gate',
          `${DEMO_MODEL}@${version}`,
          '--server',
          admin.server,
          '--token-env',
          'ADMIN',
          '--policy',
          'pack:baseline',
          '--format',
          'json',
        ],
        env,
      );
    const poisoned = await gate(seeded.versions.poisoned);
    expect(poisoned.code, poisoned.stderr).toBe(1);
    const decision = JSON.parse(poisoned.stdout) as {
      subject: { kind: string };
      rules: { id: string; passed: boolean }[];
    };
    expect(decision.subject.kind).toBe('registry');
    expect(decision.rules.find((rule) => rule.id === 'policy.no-critical-data-findings')?.passed).toBe(false);
    const clean = await gate(seeded.versions.clean);
    expect(clean.code, clean.stdout).toBe(0);
    const local = await cli(
      [
        'gate',
        `${DEMO_MODEL}@1`,
        '--server',
        admin.server,
        '--token-env',
        'ADMIN',
        '--policy',
        'pack:baseline',
        '--data-report',
        'x.json',
      ],
      env,
    );
    expect(local.code).toBe(2);
    expect((await cli(['gate', `${DEMO_MODEL}@1`, '--policy', 'pack:baseline'], {})).stderr).toMatch(/need --server/);
  });
});

describe('assessment evidence', () => {
  it('attaches an assessment report with mlsecops attach, and the gate reads its metrics', async () => {
    const report = {
      ...buildReport({
        kind: 'assessment',
        version: '0',
        startedAt: new Date().toISOString(),
        targets: ['digits.onnx'],
        files: [],
        findings: [],
      }),
      metrics: { cleanAccuracy: 0.97, robustAccuracy: 0.42 },
    };
    const file = join(scratch, 'robustness.json');
    writeFileSync(file, JSON.stringify(report));
    const attached = await cli(
      [
        'attach',
        DEMO_MODEL,
        String(seeded.versions.poisoned),
        file,
        '--kind',
        'assessment',
        '--name',
        'robustness',
        '--server',
        admin.server,
        '--token-env',
        'ADMIN',
      ],
      env,
    );
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stdout).toMatch(/attached assessment robustness .* sha256:[0-9a-f]{64}/);
    const evidence = await admin.json<{ assessments: { robustness: { present: boolean; robustAccuracy: number } } }>(
      `${versions}/${seeded.versions.poisoned}/evidence-document`,
    );
    expect(evidence.assessments.robustness).toEqual({ present: true, robustAccuracy: 0.42 });
    const strict = await cli(
      [
        'gate',
        `${DEMO_MODEL}@${seeded.versions.poisoned}`,
        '--server',
        admin.server,
        '--token-env',
        'ADMIN',
        '--policy',
        'pack:strict',
        '--format',
        'json',
      ],
      env,
    );
    const rules = (JSON.parse(strict.stdout) as { rules: { id: string; passed: boolean; skipped: boolean }[] }).rules;
    expect(rules.find((rule) => rule.id === 'policy.robust-accuracy')).toMatchObject({ passed: false, skipped: false });
    const refused = await cli(
      ['attach', DEMO_MODEL, '1', file, '--kind', 'weights', '--server', admin.server, '--token-env', 'ADMIN'],
      env,
    );
    expect(refused.code).toBe(2);
  });
});

describe('mlsecops report compliance', () => {
  it('maps the evidence to framework controls, and the report verifies offline against the audit key', async () => {
    const json = join(scratch, 'report.json');
    const html = join(scratch, 'report.html');
    const target = `${DEMO_MODEL}@${seeded.versions.clean}`;
    const made = await cli(
      [
        'report',
        'compliance',
        target,
        '--server',
        admin.server,
        '--token-env',
        'ADMIN',
        '--format',
        'json',
        '--output',
        json,
      ],
      env,
    );
    expect(made.code, made.stderr).toBe(1); // the open drift incident leaves a control not met
    const report = JSON.parse(readFileSync(json, 'utf8')) as ComplianceReport;
    expect(report.frameworks.map((framework) => framework.id)).toEqual([
      'owaspMl',
      'owaspLlm',
      'atlasTechniques',
      'atlasMitigations',
      'nistAiRmf',
      'euAiAct',
    ]);
    const mitigations = report.frameworks.find((framework) => framework.id === 'atlasMitigations')!;
    const signing = mitigations.controls.find((control) => control.id === 'AML.M0013')!;
    expect(signing.status).toBe('met');
    const kinds = report.records.map((record) => record.kind);
    expect(kinds).toContain('scan');
    expect(kinds).toContain('data-scan');
    expect(report.audit.entries.length).toBeGreaterThan(3);
    expect(report.decisions.map((decision) => decision.policy.name)).toContain('strict');

    expect(
      (
        await cli(
          ['report', 'compliance', target, '--server', admin.server, '--token-env', 'ADMIN', '--output', html],
          env,
        )
      ).code,
    ).toBe(1);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('AML.M0013');
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']https?:/);

    for (const file of [json, html]) {
      const verified = await cli(['report', 'verify', file, '--key', auditPem]);
      expect(verified.stdout).toContain('verified');
      expect(verified.code, verified.stdout).toBe(0);
    }
    // An entry edited after the fact, a listed digest nobody recorded, or another key: each is caught.
    const tampered = structuredClone(report) as { -readonly [K in keyof ComplianceReport]: ComplianceReport[K] } & {
      audit: { entries: { index: number; entry: string; proof: string[] }[] };
      records: { digest: string }[];
    };
    tampered.audit.entries[0]!.entry = tampered.audit.entries[0]!.entry.replace('"model"', '"modell"');
    const forged = join(scratch, 'forged.json');
    writeFileSync(forged, JSON.stringify(tampered));
    const refused = await cli(['report', 'verify', forged, '--key', auditPem]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/FAILED: audit entry \d+ is not in the signed log/);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    writeFileSync(join(scratch, 'other.pem'), other);
    const wrongKey = await cli(['report', 'verify', json, '--key', join(scratch, 'other.pem')]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(/not validly signed/);
  });

  it.runIf(existsSync('/usr/bin/chromium'))(
    'prints the report to PDF with Chromium',
    async () => {
      const pdf = join(scratch, 'report.pdf');
      const target = `${DEMO_MODEL}@${seeded.versions.clean}`;
      const result = await cli(
        [
          'report',
          'compliance',
          target,
          '--server',
          admin.server,
          '--token-env',
          'ADMIN',
          '--output',
          join(scratch, 'r.html'),
          '--pdf',
          pdf,
        ],
        env,
      );
      expect(result.code, result.stderr).toBe(1);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    },
    60_000,
  );
});
