import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../registry/index.js';
import { createApp } from '../../server/index.js';
import { type Database, LocalBlobStore, openDatabase } from '../../store/index.js';
import { type AuditExport, verifyExport } from '../commands/audit.js';
import { RegistryClient } from '../http.js';
import { DRIFT_RULE } from './incident.js';
import { DEMO_MODEL, type SeededDemo, seedDemo } from './seed.js';

/** The demo's story told to a real server in this process, then checked through the same API. */
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-demo-seed-'));
const signing = generateKeyPairSync('ed25519');
const audit = generateKeyPairSync('ed25519');
let app: FastifyInstance;
let database: Database;
let admin: RegistryClient;
let seeded: SeededDemo;
let elapsed = 0;
const lines: string[] = [];

beforeAll(async () => {
  database = await openDatabase({ url: join(scratch, 'registry.db') });
  app = await createApp({
    database,
    blobs: await LocalBlobStore.create(join(scratch, 'blobs')),
    auditKey: audit.privateKey,
    trust: [{ kind: 'public-key', key: signing.publicKey }],
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  admin = new RegistryClient(url, (await bootstrapAdmin(database))!.token);
  const started = performance.now();
  seeded = await seedDemo(admin, (line) => lines.push(line), {
    workDir: join(scratch, 'datasets'),
    signingKey: signing.privateKey,
  });
  elapsed = performance.now() - started;
});
afterAll(async () => {
  await app.close();
  await database.close();
  rmSync(scratch, { recursive: true, force: true });
});

const model = `/api/v1/models/${DEMO_MODEL}`;
const get = <T>(path: string) => admin.json<T>(path);
interface Evidence {
  kind: string;
  summary: { worst?: string; rules?: string[]; bySeverity?: Record<string, number> };
}

describe('seedDemo', () => {
  it('tells every step in one line each, well within a minute', () => {
    expect(lines).toHaveLength(5);
    expect(lines.map((line) => line.split(':')[0])).toEqual([
      'accounts',
      'v1 clean',
      'v2 poisoned',
      'v3 malicious',
      'monitor',
    ]);
    expect(elapsed).toBeLessThan(30_000);
  });

  it('puts a clean, signed, annotated, approved version 1 in production', async () => {
    const v1 = await get<{
      status: string;
      signature?: { verified: boolean };
      annotations: { modelCard?: string; lineage?: { datasets: unknown[]; code: unknown[] }; tags?: string[] };
    }>(`${model}/versions/${seeded.versions.clean}`);
    expect(v1.status).toBe('available');
    expect(v1.signature?.verified).toBe(true);
    expect(v1.annotations.modelCard).toMatch(/## Intended use[\s\S]*## Limitations/);
    expect(v1.annotations.lineage?.datasets).toHaveLength(1);
    expect(v1.annotations.lineage?.code).toHaveLength(1);
    expect(v1.annotations.tags).toContain('fraud');
    const history = await get<{ moves: { version: number; movedBy: string }[] }>(`${model}/aliases/production/history`);
    expect(history.moves).toEqual([expect.objectContaining({ version: 1, movedBy: 'demo-reviewer' })]);
    const { evidence } = await get<{ evidence: Evidence[] }>(`${model}/versions/1/evidence`);
    const dataScan = evidence.find((item) => item.kind === 'data-scan');
    expect(dataScan?.summary.worst ?? 'info').toBe('info');
  });

  it('holds version 2 back: its data scan shows poisoning, personal data and a secret, and the gate refuses it', async () => {
    const { evidence } = await get<{ evidence: Evidence[] }>(`${model}/versions/${seeded.versions.poisoned}/evidence`);
    const dataScan = evidence.find((item) => item.kind === 'data-scan');
    expect(dataScan?.summary.worst).toBe('critical');
    expect(dataScan?.summary.rules).toEqual(
      expect.arrayContaining([
        'poisoning.trigger-token',
        'poisoning.label-neighbour-disagreement',
        'poisoning.conflicting-duplicates',
        'poisoning.outlier',
        'pii.credit-card',
        'pii.email',
        'secret.stripe-key',
      ]),
    );
    const gate = await get<{ passed: boolean; checks: { check: string; passed: boolean; detail: string }[] }>(
      `${model}/versions/2/gate?alias=production`,
    );
    expect(gate.passed).toBe(false);
    const failed = gate.checks.filter((check) => !check.passed);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((check) => check.detail.length > 0)).toBe(true);
    const { decisions } = await get<{ decisions: { version: number; alias: string; passed: boolean }[] }>(
      `${model}/gate-decisions`,
    );
    expect(decisions).toContainEqual(expect.objectContaining({ version: 2, alias: 'production', passed: false }));
    expect(decisions).toContainEqual(expect.objectContaining({ version: 1, alias: 'production', passed: true }));
  });

  it('rejects version 3 at upload with critical findings', async () => {
    const versions = await get<{ number: number; status: string; scan?: { worst?: string; rules: string[] } }[]>(
      `${model}/versions`,
    );
    expect(versions.map((version) => version.status)).toEqual(['available', 'available', 'rejected']);
    const v3 = versions.find((version) => version.number === seeded.versions.malicious);
    expect(v3?.scan?.worst).toBe('critical');
    expect(v3?.scan?.rules).toContain('pickle.dangerous-global');
  });

  it('opens a drift incident from the shifted batch, noted and acknowledged', async () => {
    const { incidents } = await get<{ incidents: { id: number; status: string; severity: string; title: string }[] }>(
      `/api/v1/incidents?model=${DEMO_MODEL}`,
    );
    expect(incidents).toEqual([
      expect.objectContaining({ id: seeded.incident, status: 'acknowledged', severity: 'high' }),
    ]);
    expect(incidents[0]?.title).toContain(DRIFT_RULE);
    const incident = await get<{ timeline: { kind: string }[] }>(`/api/v1/incidents/${seeded.incident}`);
    expect(incident.timeline.length).toBeGreaterThanOrEqual(3);
    const { alerts } = await get<{ alerts: { rule: string; state: string }[] }>('/api/v1/monitor/alerts');
    expect(alerts).toContainEqual(expect.objectContaining({ rule: DRIFT_RULE, state: 'firing' }));
  });

  it('leaves an audit trail that verifies against the checkpoint key', async () => {
    const key = await get<{ origin: string; name: string; pem: string }>('/api/v1/audit/key');
    const checkpoint = await (await admin.request('/api/v1/audit/checkpoint')).text();
    const { entries } = await get<{ entries: string[] }>('/api/v1/audit/entries?limit=10000');
    const data: AuditExport = { origin: key.origin, key: { name: key.name, pem: key.pem }, checkpoint, entries };
    const pem = audit.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(verifyExport(data, pem).ok).toBe(true);
    expect(entries.map((entry) => JSON.parse(entry).kind)).toEqual(
      expect.arrayContaining(['gate.evaluated', 'alias.moved', 'version.scanned', 'monitor.reference-set']),
    );
  });

  it('refuses to tell the story twice on one server', async () => {
    await expect(seedDemo(admin, () => {})).rejects.toThrow(/already has a model named fraud-detector/);
  });
});
