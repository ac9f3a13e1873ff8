import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileBuilder } from '../drift/index.js';
import type { Database } from '../store/index.js';
import { testDatabases } from '../store/test-support.js';
import { holds, metricValue, webhookBody } from './alerts.js';
import { Monitor } from './monitor.js';
import { type GatewaySignals, predictionValue } from './window.js';

/** An audit sink that keeps entries in order, as the registry's trail would. */
const auditEntries: { kind: string; details: Record<string, unknown> }[] = [];
const audit = {
  append: async (_executor: unknown, event: { kind: string; details: Record<string, unknown> }) =>
    auditEntries.push(event),
};

describe.each(testDatabases)('Monitor on $name', ({ open }) => {
  let database: Database;
  let monitor: Monitor;
  const sent: { url: string; body: Record<string, unknown> }[] = [];
  beforeEach(async () => {
    database = await open();
    sent.length = 0;
    auditEntries.length = 0;
    monitor = new Monitor({
      database,
      audit,
      notify: async (target, body) => {
        sent.push({ url: target.url, body: JSON.parse(body) as Record<string, unknown> });
        return { delivered: true };
      },
    });
    const builder = new ProfileBuilder();
    for (let row = 0; row < 50; row++) builder.add(row, 'x', String(row));
    await monitor.setReference('clf', 3, builder.build(), { windowSeconds: 3600 }, null);
  });
  afterEach(async () => {
    await database.close();
  });

  const detection = (at: Date) =>
    database.db
      .insertInto('gateway_events')
      .values({
        at: at.toISOString(),
        model: 'clf',
        caller: 'key:a',
        status: 403,
        latency_ms: 1,
        verdicts: '["probing:blocked"]',
        body_sha256: null,
        scores: '{"queries":9,"extractionW":0.71,"nearDuplicates":30}',
        inputs: null,
      })
      .execute();

  it('fires only after forSeconds, once, opens one incident, and resolves when the condition ends', async () => {
    await monitor.alerting.putRule(
      {
        name: 'probing',
        metric: 'gateway.blocked',
        op: '>=',
        threshold: 1,
        forSeconds: 600,
        severity: 'critical',
        webhooks: [{ url: 'http://hooks.example/a', secret: 'x'.repeat(16), format: 'slack' }],
      },
      null,
    );
    const t0 = new Date('2026-11-21T10:00:00Z');
    await detection(new Date(t0.getTime() - 60_000));
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

    expect((await monitor.tick(t0))[0]!.signals).toMatchObject({
      requests: 1,
      detections: 1,
      blocked: 1,
      minExtractionW: 0.71,
      verdicts: { probing: 1 },
    });
    expect(await monitor.alerting.alerts('pending')).toHaveLength(1);
    await monitor.tick(at(300));
    expect(sent).toHaveLength(0);
    await monitor.tick(at(700));
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.body.text)).toMatch(
      /^\[FIRING\] probing on clf: gateway.blocked = 1 \(>= 1\), severity critical \(incident #\d+\)$/,
    );
    await monitor.tick(at(800));
    expect(sent).toHaveLength(1);
    const [incident] = await monitor.incidents.list({ status: 'open' });
    expect(incident).toMatchObject({ model: 'clf', severity: 'critical', source: 'alert:probing' });

    // An hour later the window no longer holds the detection: resolved, said once, noted on the incident.
    await monitor.tick(at(3700));
    expect(sent).toHaveLength(2);
    expect(String(sent[1]!.body.text)).toMatch(/^\[resolved\] probing on clf: gateway.blocked = 0/);
    expect((await monitor.incidents.get(incident!.id)).timeline!.map((event) => event.kind)).toEqual([
      'opened',
      'alert-resolved',
    ]);
    expect(auditEntries.map((entry) => entry.kind)).toEqual([
      'monitor.reference-set',
      'monitor.rule-set',
      'incident.opened',
      'incident.alert-resolved',
    ]);
    // The rule's webhook secret is not in the trail.
    expect(JSON.stringify(auditEntries)).not.toContain('x'.repeat(16));
  });

  it('notes a new firing on the incident that is still open instead of opening another', async () => {
    await monitor.alerting.putRule({ name: 'blocked', metric: 'gateway.blocked', op: '>', threshold: 0 }, null);
    const t0 = new Date('2026-11-21T10:00:00Z');
    await detection(t0);
    await monitor.tick(t0);
    await monitor.tick(new Date(t0.getTime() + 7_200_000)); // resolved: window empty
    await detection(new Date(t0.getTime() + 7_300_000));
    await monitor.tick(new Date(t0.getTime() + 7_300_000));
    const incidents = await monitor.incidents.list();
    expect(incidents).toHaveLength(1);
    expect((await monitor.incidents.get(incidents[0]!.id)).timeline!.map((event) => event.kind)).toEqual([
      'opened',
      'alert-resolved',
      'alert-fired',
    ]);
  });

  it('gives no drift verdict on too few rows, and refuses a version 1 profile', async () => {
    const [check] = await monitor.tick(new Date());
    expect(check).toMatchObject({ rows: 0, skipped: expect.stringMatching(/fewer than 100/) });
    expect(check!.report).toBeUndefined();
    await expect(
      monitor.setReference(
        'clf',
        4,
        { kind: 'mlsecops.profile', schemaVersion: 1, rows: 0, quantiles: [], columns: [] },
        {},
        null,
      ),
    ).rejects.toThrow(/version 2 profile/);
  });

  it('reads count windows: the newest instances, however old', async () => {
    const builder = new ProfileBuilder();
    for (let row = 0; row < 50; row++) builder.add(row, 'x', String(row));
    await monitor.setReference(
      'clf',
      4,
      builder.build(),
      { windowSeconds: 30 * 86_400, windowRows: 5, minRows: 5 },
      null,
    );
    const now = new Date('2026-11-21T10:00:00Z');
    for (let i = 0; i < 8; i++) {
      await database.db
        .insertInto('gateway_events')
        .values({
          at: new Date(now.getTime() - (8 - i) * 86_400_000).toISOString(),
          model: 'clf',
          caller: 'k',
          status: 200,
          latency_ms: 1,
          verdicts: '[]',
          body_sha256: null,
          scores: null,
          inputs: JSON.stringify([[i * 10]]),
        })
        .execute();
    }
    const [check] = await monitor.tick(now);
    expect(check).toMatchObject({ version: 4, rows: 5 });
    // The five newest: 30, 40, 50, 60, 70; the reference holds 0..49.
    expect(check!.report!.columns[0]).toMatchObject({ column: 'x', current: { count: 5 } });
  });

  it('moves incidents only forward', async () => {
    const id = await monitor.incidents.open(
      { title: 'manual', model: null, severity: 'low', source: 'manual', note: '' },
      { id: 1, name: 'alice' },
    );
    await monitor.incidents.transition(id, 'resolved', 'false alarm', { id: 1, name: 'alice' });
    await expect(monitor.incidents.transition(id, 'acknowledged', 'late', null)).rejects.toThrow(
      /resolved; it cannot become acknowledged/,
    );
    await expect(monitor.incidents.get(999)).rejects.toThrow(/no incident 999/);
  });
});

describe('alert metrics', () => {
  const signals: GatewaySignals = {
    requests: 5,
    detections: 2,
    blocked: 1,
    errors: 0,
    verdicts: {},
    callers: {},
    minExtractionW: null,
  };
  it.each([
    ['gateway.detections', 2],
    ['gateway.errors', 0],
    ['gateway.extraction.minW', undefined],
    ['drift.share', undefined],
  ])('%s → %s', (metric, value) => {
    expect(metricValue(metric, undefined, signals)).toBe(value);
  });
  it.each([
    ['>', 1, 2, true],
    ['>', 2, 2, false],
    ['>=', 2, 2, true],
    ['<', 0.9, 0.8, true],
    ['<=', 0.8, 0.9, false],
  ] as const)('%s %s holds for %s: %s', (op, threshold, value, expected) => {
    expect(holds({ op, threshold }, value)).toBe(expected);
  });
  it('reads performance and multivariate metrics when the check has them', () => {
    const scored = { ...signals, performance: { labelled: 40, accuracy: 0.85 } };
    expect(metricValue('performance.accuracy', undefined, scored)).toBe(0.85);
    expect(metricValue('performance.labelled', undefined, scored)).toBe(40);
    expect(metricValue('performance.mae', undefined, scored)).toBeUndefined();
    expect(metricValue('drift.multivariate', undefined, scored)).toBeUndefined();
  });

  it.each([
    [1, 1],
    ['cat', 'cat'],
    [true, 1],
    [[0.1, 0.7, 0.2], 1],
    [{ label: 'spam', score: 0.9 }, 'spam'],
    [{ class: 3 }, 3],
    [null, undefined],
    [[], undefined],
    [['a', 'b'], undefined],
  ])('reads the prediction %j as %j', (output, value) => {
    expect(predictionValue(output)).toBe(value);
  });

  it('renders JSON and Slack bodies', () => {
    const message = {
      kind: 'alert.firing' as const,
      rule: 'r',
      model: 'm',
      metric: 'drift.share',
      value: 0.6666666,
      op: '>=',
      threshold: 0.5,
      severity: 'high',
      since: '',
      at: '',
      incident: 4,
    };
    expect(JSON.parse(webhookBody(message, { url: 'http://x', secret: 's'.repeat(16), format: 'json' }))).toEqual(
      message,
    );
    expect(JSON.parse(webhookBody(message, { url: 'http://x', secret: 's'.repeat(16), format: 'slack' }))).toEqual({
      text: '[FIRING] r on m: drift.share = 0.6667 (>= 0.5), severity high (incident #4)',
    });
  });
});
