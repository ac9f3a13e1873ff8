import { describe, expect, it } from 'vitest';
import { EventQueue, type GatewayEvent, GatewayMetrics } from './telemetry.js';

const event = (n: number): GatewayEvent => ({
  at: new Date(0).toISOString(),
  model: 'm',
  key: 'k',
  status: 200,
  latencyMs: n,
  verdicts: [],
  bodySha256: null,
});

describe('EventQueue', () => {
  it('never blocks: past capacity it counts and drops', async () => {
    const written: GatewayEvent[] = [];
    const metrics = new GatewayMetrics();
    const queue = new EventQueue({ write: async (batch) => void written.push(...batch) }, metrics, 3, 60_000);
    for (let i = 0; i < 5; i++) queue.push(event(i));
    await queue.close();
    expect(written.map((e) => e.latencyMs)).toEqual([0, 1, 2]);
    expect(await metrics.dropped.get()).toMatchObject({ values: [{ value: 2 }] });
  });

  it('a failing sink loses its batch, counted, and later batches still go', async () => {
    const metrics = new GatewayMetrics();
    let fail = true;
    const written: GatewayEvent[] = [];
    const queue = new EventQueue(
      {
        write: async (batch) => {
          if (fail) throw new Error('disk full');
          written.push(...batch);
        },
      },
      metrics,
      100,
      60_000,
    );
    queue.push(event(1));
    await queue.flush();
    fail = false;
    queue.push(event(2));
    await queue.close();
    expect(written.map((e) => e.latencyMs)).toEqual([2]);
    expect((await metrics.dropped.get()).values[0]?.value).toBe(1);
  });

  it('on close, writes what was queued while a batch was in flight, then closes the sink', async () => {
    const written: number[] = [];
    let release: () => void = () => undefined;
    const sink = {
      write: async (batch: readonly GatewayEvent[]) => {
        if (written.length === 0) {
          await new Promise<void>((done) => {
            release = done;
          });
        }
        written.push(...batch.map((e) => e.latencyMs));
      },
      close: async () => void written.push(-1),
    };
    const queue = new EventQueue(sink, new GatewayMetrics(), 100, 60_000);
    queue.push(event(1));
    const first = queue.flush();
    queue.push(event(2));
    const closed = queue.close();
    release();
    await Promise.all([first, closed]);
    expect(written).toEqual([1, 2, -1]);
  });
});
