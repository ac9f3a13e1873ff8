import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/index.js';
import { ProfileBuilder } from '../drift/index.js';
import { parseGatewayConfig } from '../gateway/index.js';
import { webhookSignature } from '../registry/index.js';
import { testDatabases } from '../store/test-support.js';
import { registryApp } from './test-support.js';

/** A model server answering every instance with a score, and a webhook receiver that checks signatures. */
let upstream: Server;
let receiver: Server;
let upstreamUrl: string;
let hookUrl: string;
const SECRET = 'alert-secret-0123456789';
const received: { body: Record<string, unknown>; signed: boolean }[] = [];

beforeAll(async () => {
  upstream = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const { instances } = JSON.parse(text) as { instances: number[][] };
      // A threshold classifier on the first feature.
      const predictions = instances.map((row) => (row[0]! > 110 ? 1 : 0));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ predictions }));
    });
  });
  receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const timestamp = String(request.headers['x-mlsecops-timestamp']);
      const signed = request.headers['x-mlsecops-signature'] === webhookSignature(SECRET, timestamp, text);
      received.push({ body: JSON.parse(text) as Record<string, unknown>, signed });
      response.writeHead(204).end();
    });
  });
  for (const server of [upstream, receiver]) await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1/models`;
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/alerts`;
});
afterAll(() => {
  upstream.close();
  receiver.close();
});

/** Two features: `amount` ~ N(100, 15) and `items` ~ 1..5; shifted traffic moves amount by +40. */
function instance(random: () => number, shift: number): number[] {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return [Math.round((100 + shift + 15 * normal) * 100) / 100, 1 + Math.floor(random() * 5)];
}

describe.each(testDatabases)('monitor end to end on $name', ({ open }) => {
  let context: Awaited<ReturnType<typeof registryApp>>;
  beforeAll(async () => {
    received.length = 0;
    const gateway = parseGatewayConfig(`
keys: []
models:
  ranker: { upstream: ${upstreamUrl}, detectors: { extraction: { mode: off }, probing: { mode: off } } }
  scorer: { upstream: ${upstreamUrl}, detectors: { extraction: { mode: off }, probing: { mode: off } } }
events: { inputs: features }
`);
    context = await registryApp(open, mkdtempSync(join(tmpdir(), 'mlsecops-monitor-')), {
      gateway: { config: () => gateway },
      monitor: { allow: ['127.0.0.0/8'] },
    });
  });
  afterAll(async () => {
    await context.close();
  });

  const call = (path: string, method: 'GET' | 'POST' | 'PUT', payload?: unknown) =>
    context.app.inject({
      method,
      url: path,
      headers: context.admin,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  async function traffic(count: number, shift: number, seed: number): Promise<void> {
    const random = mulberry32(seed);
    for (let i = 0; i < count; i++) {
      const response = await call('/gateway/ranker/ranker:predict', 'POST', { instances: [instance(random, shift)] });
      expect(response.statusCode).toBe(200);
    }
  }

  /** Events are written in batches; waits until the window holds `count` of them. */
  async function eventsStored(count: number): Promise<void> {
    for (let waited = 0; waited < 10_000; waited += 100) {
      const row = await context.database.db
        .selectFrom('gateway_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      if (Number(row.n) >= count) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`fewer than ${count} gateway events stored`);
  }

  it('turns shifted gateway traffic into a drifted window, a signed webhook and an open incident', async () => {
    // Reference: what the model was trained on.
    const builder = new ProfileBuilder();
    const random = mulberry32(1);
    for (let row = 0; row < 2000; row++) {
      const [amount, items] = instance(random, 0);
      builder.add(row, 'amount', String(amount));
      builder.add(row, 'items', String(items));
    }
    const reference = await call('/api/v1/monitor/models/ranker/reference', 'PUT', {
      version: 1,
      profile: builder.build(),
      settings: { windowSeconds: 3600, minRows: 100 },
    });
    expect(reference.statusCode).toBe(204);
    const rule = await call('/api/v1/monitor/alert-rules', 'PUT', {
      name: 'ranker-drift',
      model: 'ranker',
      metric: 'drift.dataset',
      op: '>=',
      threshold: 1,
      severity: 'high',
      webhooks: [{ url: hookUrl, secret: SECRET }],
    });
    expect(rule.statusCode).toBe(200);

    // Ordinary traffic: checked, no drift, nothing sent.
    await traffic(150, 0, 2);
    await eventsStored(150);
    const calm = (await call('/api/v1/monitor/run', 'POST')).json().checks[0];
    expect(calm).toMatchObject({ model: 'ranker', source: 'gateway', rows: 150, alerts: [] });
    expect(calm.report.dataset.drifted).toBe(false);
    expect(received).toHaveLength(0);

    // The traffic shifts: the window drifts, the alert fires once, an incident opens.
    await traffic(250, 40, 3);
    await eventsStored(400);
    const drifted = (await call('/api/v1/monitor/run', 'POST')).json().checks[0];
    expect(drifted.report.dataset.drifted).toBe(true);
    expect(drifted.report.columns.find((column: { column: string }) => column.column === 'amount').drifted).toBe(true);
    expect(drifted.alerts).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      signed: true,
      body: { kind: 'alert.firing', rule: 'ranker-drift', model: 'ranker', value: 1 },
    });
    const incidentId = received[0]!.body.incident as number;
    const incidents = (await call('/api/v1/incidents?status=open', 'GET')).json().incidents;
    expect(incidents).toEqual([
      expect.objectContaining({ id: incidentId, model: 'ranker', severity: 'high', source: 'alert:ranker-drift' }),
    ]);

    // Still drifting: the alert stays firing and nothing is sent again.
    expect((await call('/api/v1/monitor/run', 'POST')).json().checks[0].alerts).toHaveLength(0);
    expect(received).toHaveLength(1);
    const firing = (await call('/api/v1/monitor/alerts?state=firing', 'GET')).json().alerts;
    expect(firing).toEqual([
      expect.objectContaining({ rule: 'ranker-drift', model: 'ranker', incident_id: incidentId }),
    ]);

    // People take it from there: acknowledged, then resolved with notes, each step in the audit trail.
    expect(
      (await call(`/api/v1/incidents/${incidentId}/acknowledge`, 'POST', { note: 'looking at the upstream feed' }))
        .statusCode,
    ).toBe(200);
    const resolved = await call(`/api/v1/incidents/${incidentId}/resolve`, 'POST', {
      note: 'currency bug fixed upstream',
    });
    expect(resolved.json()).toMatchObject({ status: 'resolved' });
    expect(resolved.json().timeline.map((event: { kind: string }) => event.kind)).toEqual([
      'opened',
      'acknowledged',
      'resolved',
    ]);
    expect((await call(`/api/v1/incidents/${incidentId}/acknowledge`, 'POST', { note: 'again' })).statusCode).toBe(409);
    const entries = (await call('/api/v1/audit/entries', 'GET'))
      .json()
      .entries.map((entry: string) => JSON.parse(entry).kind);
    expect(entries).toEqual(
      expect.arrayContaining([
        'monitor.reference-set',
        'monitor.rule-set',
        'incident.opened',
        'incident.acknowledged',
        'incident.resolved',
      ]),
    );
    const checks = (await call('/api/v1/monitor/models/ranker/checks', 'GET')).json().checks;
    expect(checks.map((check: { drifted: boolean }) => check.drifted)).toEqual([true, true, false]);
  });

  it('tests prediction drift and scores predictions against labels sent later', async () => {
    const builder = new ProfileBuilder();
    const random = mulberry32(5);
    for (let row = 0; row < 2000; row++) {
      const [amount, items] = instance(random, 0);
      builder.add(row, 'amount', String(amount));
      builder.add(row, 'items', String(items));
      builder.add(row, 'prediction', String(amount! > 110 ? 1 : 0));
    }
    const set = await call('/api/v1/monitor/models/scorer/reference', 'PUT', {
      version: 2,
      profile: builder.build(),
      settings: { minRows: 50, predictionColumn: 'prediction', features: ['amount', 'items'] },
    });
    expect(set.statusCode).toBe(204);
    const accuracyRule = await call('/api/v1/monitor/alert-rules', 'PUT', {
      name: 'scorer-accuracy',
      model: 'scorer',
      metric: 'performance.accuracy',
      op: '<',
      threshold: 0.9,
      webhooks: [{ url: hookUrl, secret: SECRET, format: 'slack' }],
    });
    expect(accuracyRule.statusCode).toBe(200);
    const before = received.length;
    const stored = await eventCount();
    // Shifted traffic: more positive predictions than in training, and labels that disagree often.
    const traffic = mulberry32(6);
    const labels: { requestId: string; label: number }[] = [];
    for (let i = 0; i < 120; i++) {
      const features = instance(traffic, 15);
      const response = await context.app.inject({
        method: 'POST',
        url: '/gateway/scorer/scorer:predict',
        headers: { ...context.admin, 'x-request-id': `order-${i}` },
        payload: { instances: [features] },
      });
      expect(response.headers['x-mlsecops-request-id']).toBe(`order-${i}`);
      labels.push({ requestId: `order-${i}`, label: features[0]! > 125 ? 1 : 0 });
    }
    await eventsStored(stored + 120);
    const sent = await call('/api/v1/monitor/models/scorer/labels', 'POST', { labels });
    expect(sent.json()).toEqual({ stored: 120 });
    const check = (await call('/api/v1/monitor/run', 'POST'))
      .json()
      .checks.find((item: { model: string }) => item.model === 'scorer');
    expect(check.report.columns.find((column: { column: string }) => column.column === 'prediction')).toMatchObject({
      drifted: true,
    });
    expect(check.signals.performance.labelled).toBe(120);
    expect(check.signals.performance.accuracy).toBeLessThan(0.9);
    expect(received.length).toBe(before + 1);
    expect(String(received.at(-1)!.body.text)).toMatch(
      /^\[FIRING\] scorer-accuracy on scorer: performance\.accuracy = 0\.\d+/,
    );
    expect(received.at(-1)!.signed).toBe(true);
  });

  async function eventCount(): Promise<number> {
    const row = await context.database.db
      .selectFrom('gateway_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('checks an uploaded batch against the reference', async () => {
    const random = mulberry32(9);
    const rows = ['amount,items', ...Array.from({ length: 300 }, () => instance(random, 0).join(','))].join('\n');
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/v1/monitor/models/ranker/batches?format=csv',
      headers: { ...context.admin, 'content-type': 'text/csv' },
      payload: rows,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ source: 'batch', rows: 300, report: { dataset: { drifted: false } } });
    const unknown = await context.app.inject({
      method: 'POST',
      url: '/api/v1/monitor/models/other/batches',
      headers: { ...context.admin, 'content-type': 'text/csv' },
      payload: rows,
    });
    expect(unknown.statusCode).toBe(400);
  });
});
