import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildReport, type Finding, type Severity } from '../../src/contracts/index.js';
import { mulberry32 } from '../../src/data/index.js';
import { ProfileBuilder } from '../../src/drift/index.js';
import { bootstrapAdmin, createPrincipal, issueToken } from '../../src/registry/index.js';
import { createApp } from '../../src/server/index.js';
import { type Database, LocalBlobStore, openDatabase } from '../../src/store/index.js';
import { dashboardDir } from './dashboard-build.js';

const examples = resolve(import.meta.dirname, '../../examples/models');

export interface Seeded {
  readonly url: string;
  readonly tokens: { readonly admin: string; readonly approver: string; readonly publisher: string };
  readonly database: Database;
  close(): Promise<void>;
}

/**
 * A real server on a free port (SQLite and blobs in a temporary folder) serving the built dashboard,
 * seeded through the API as people and CI would: model `fraud-detector` with a clean upload (v1,
 * available) and a malicious one (v2, rejected), lineage, a data scan of 10,000 findings, staging
 * pointing to v1 and a refused production promotion, monitor checks with gateway signals, and incidents.
 */
export async function startSeededServer(): Promise<Seeded> {
  const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-browser-'));
  const database = await openDatabase({ url: join(scratch, 'registry.db') });
  const blobs = await LocalBlobStore.create(join(scratch, 'blobs'));
  const app = await createApp({ database, blobs, dashboardDir, maxFailedAuthPerMinute: 100_000 });
  const admin = (await bootstrapAdmin(database))!.token;
  const approver = (
    await issueToken(
      database,
      await createPrincipal(database, 'release-manager', 'user', [{ scope: '*', role: 'approver' }]),
    )
  ).token;
  const publisher = (
    await issueToken(
      database,
      await createPrincipal(database, 'ci-publisher', 'service', [{ scope: 'fraud-detector', role: 'publisher' }]),
    )
  ).token;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const call = async (token: string, method: string, path: string, body?: unknown, type = 'application/json') => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) },
      ...(body === undefined
        ? {}
        : { body: type === 'application/json' ? JSON.stringify(body) : (body as string | Uint8Array<ArrayBuffer>) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const upload = (token: string, model: string, file: string) =>
    call(
      token,
      'POST',
      `/api/v1/models/${model}/versions`,
      new Uint8Array(readFileSync(join(examples, file))),
      'application/octet-stream',
    );

  await call(admin, 'POST', '/api/v1/models', { name: 'fraud-base', description: 'Shared transaction encoder' });
  await upload(admin, 'fraud-base', 'encoder.safetensors');
  await call(admin, 'POST', '/api/v1/models', {
    name: 'fraud-detector',
    description: 'Card-not-present fraud scoring',
  });
  const clean = await upload(publisher, 'fraud-detector', 'encoder.safetensors');
  const evil = await upload(publisher, 'fraud-detector', 'backdoored-classifier.pkl');
  if (clean.status !== 'available' || evil.status !== 'rejected') throw new Error('the example scans changed');
  await call(publisher, 'PATCH', '/api/v1/models/fraud-detector/versions/1', {
    tags: ['tabular', 'pci'],
    modelCard: '# fraud-detector\n\nIntended use: scoring card-not-present payments.\n',
    lineage: {
      datasets: [{ name: 'transactions-2025q1.parquet', sha256: 'a'.repeat(64) }],
      code: [{ uri: 'https://git.example.com/risk/fraud.git', commit: '0123456789abcdef0123456789abcdef01234567' }],
      parents: [{ model: 'fraud-base', version: 1 }],
    },
  });
  await call(publisher, 'POST', '/api/v1/models/fraud-detector/versions/1/evidence', {
    kind: 'data-scan',
    name: 'training-data',
    document: manyFindings(10_000),
  });
  // Staging needs no approval; production does, so asking for it now is refused and stored as blocked.
  await call(admin, 'PUT', '/api/v1/models/fraud-detector/aliases/staging', { version: 1 });
  await call(admin, 'PUT', '/api/v1/models/fraud-detector/aliases/production', { version: 1 }).then(
    () => {
      throw new Error('production should need an approval');
    },
    (error: Error) => {
      if (!error.message.includes(' 403 ')) throw error;
    },
  );
  await seedMonitoring(database, (method, path, body, type) => call(admin, method, path, body, type));
  const incident = await call(admin, 'POST', '/api/v1/incidents', {
    title: 'Extraction-like query pattern from partner-b',
    model: 'fraud-detector',
    severity: 'high',
    note: 'Opened from the gateway signals',
  });
  await call(admin, 'POST', `/api/v1/incidents/${incident.id}/acknowledge`, {
    note: 'Rate limit lowered for partner-b',
  });
  await call(admin, 'POST', '/api/v1/incidents', {
    title: 'Drift in amount',
    model: 'fraud-detector',
    severity: 'medium',
  });

  return {
    url,
    tokens: { admin, approver, publisher },
    database,
    async close() {
      await app.close();
      await database.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** A data-scan report with `count` findings over a few rules, files and every severity. */
function manyFindings(count: number) {
  const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
  const rules = ['data.pii.email', 'data.pii.credit-card', 'data.secret.aws-key', 'data.poison.trigger-token'];
  const findings: Finding[] = Array.from({ length: count }, (_, i) => ({
    ruleId: rules[i % rules.length]!,
    title: `Finding ${i + 1} in the training data`,
    severity: severities[i % 97 === 0 ? 0 : 1 + (i % 4)]!,
    category: 'data',
    location: { path: `data/part-${i % 8}.csv`, row: i, column: 'note' },
    evidence: `row ${i}: value looks sensitive`,
    remediation: 'Remove or mask the value before training.',
    references: [{ kind: 'owasp-ml', id: 'ML02' }],
  }));
  return buildReport({
    kind: 'data-scan',
    version: '0.1.0',
    startedAt: new Date().toISOString(),
    targets: ['data'],
    files: [],
    findings,
  });
}

type Call = (method: string, path: string, body?: unknown, type?: string) => Promise<unknown>;

/** A reference profile, two uploaded batches (calm, shifted) and gateway windows with security signals. */
async function seedMonitoring(database: Database, call: Call): Promise<void> {
  const random = mulberry32(7);
  const amount = (shift: number) =>
    Math.round((100 + shift + 15 * (random() + random() + random() - 1.5) * 2) * 100) / 100;
  const builder = new ProfileBuilder();
  for (let row = 0; row < 1000; row++) {
    builder.add(row, 'amount', String(amount(0)));
    builder.add(row, 'items', String(1 + Math.floor(random() * 5)));
  }
  await call('PUT', '/api/v1/monitor/models/fraud-detector/reference', {
    version: 1,
    profile: builder.build(),
    settings: { windowSeconds: 3600, minRows: 50 },
  });
  for (const shift of [0, 45]) {
    const rows = Array.from({ length: 300 }, () => `${amount(shift)},${1 + Math.floor(random() * 5)}`);
    await call(
      'POST',
      '/api/v1/monitor/models/fraud-detector/batches?format=csv',
      `amount,items\n${rows.join('\n')}\n`,
      'text/csv',
    );
  }
  // Gateway traffic as the mounted gateway records it (one event per request), then a check per window.
  for (const [count, shift, w] of [
    [120, 0, 0.97],
    [120, 30, 0.82],
    [160, 60, 0.41],
  ] as const) {
    const at = new Date().toISOString();
    await database.db
      .insertInto('gateway_events')
      .values(
        Array.from({ length: count }, (_, i) => {
          const caller = ['partner-a', 'partner-b', 'mobile-app'][i % 3]!;
          const flagged = caller === 'partner-b' && i % 2 === 0;
          return {
            at,
            model: 'fraud-detector',
            caller,
            status: i % 50 === 0 ? 502 : 200,
            latency_ms: 12,
            verdicts: JSON.stringify(flagged ? [i % 4 === 0 ? 'extraction:blocked' : 'probing'] : []),
            body_sha256: null,
            scores: JSON.stringify({ extractionW: caller === 'partner-b' ? w : 0.99 }),
            inputs: JSON.stringify([{ amount: amount(shift), items: 1 + (i % 5) }]),
            outputs: JSON.stringify([0]),
            request_id: null,
          };
        }),
      )
      .execute();
    await call('POST', '/api/v1/monitor/run');
  }
  // In production checks run minutes apart; spread the seeded ones over the last hour for the charts.
  const checks = await database.db.selectFrom('monitor_checks').select('id').orderBy('id').execute();
  for (const [index, check] of checks.entries()) {
    const at = new Date(Date.now() - (checks.length - index) * 12 * 60_000).toISOString();
    await database.db.updateTable('monitor_checks').set({ at }).where('id', '=', check.id).execute();
  }
}
