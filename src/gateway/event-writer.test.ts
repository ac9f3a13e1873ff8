import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/index.js';
import { WorkerEventSink } from './event-writer.js';
import type { GatewayEvent } from './telemetry.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-event-writer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const event = (n: number): GatewayEvent => ({
  at: new Date(n * 1000).toISOString(),
  model: 'ranker',
  key: 'k',
  status: 200,
  latencyMs: n,
  verdicts: n % 2 ? ['extraction'] : [],
  bodySha256: null,
  inputs: [[n, n + 0.5]],
});

describe('WorkerEventSink', () => {
  it('writes batches to the event store and a JSON-lines file from its own thread, in order', async () => {
    const store = join(scratch, 'events.db');
    const file = join(scratch, 'events.jsonl');
    const sink = await WorkerEventSink.start({ store, file });
    await sink.write([event(1), event(2)]);
    await Promise.all([sink.write([event(3)]), sink.write([event(4), event(5)])]);
    await sink.close();

    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as GatewayEvent);
    expect(lines.map((line) => line.latencyMs)).toEqual([1, 2, 3, 4, 5]);
    expect(lines[0]?.inputs).toEqual([[1, 1.5]]);
    const database = await openDatabase({ url: store });
    const rows = await database.db
      .selectFrom('gateway_events')
      .select(['latency_ms', 'verdicts', 'inputs'])
      .orderBy('id')
      .execute();
    await database.close();
    expect(rows.map((row) => row.latency_ms)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]).toMatchObject({ verdicts: '["extraction"]', inputs: '[[1,1.5]]' });
    expect(rows[1]?.verdicts).toBe('[]');
  });

  it.runIf(process.platform === 'linux')(
    'runs its thread at the lowest CPU priority, the process at its own',
    async () => {
      const niceness = () =>
        readdirSync('/proc/self/task').map((thread) => {
          const stat = readFileSync(`/proc/self/task/${thread}/stat`, 'utf8');
          // Fields after the command name (which ends with the last ')'): niceness is the 19th field.
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        });
      const before = niceness();
      const sink = await WorkerEventSink.start({ file: join(scratch, 'priority.jsonl') });
      const during = niceness();
      await sink.close();
      expect(before).not.toContain(19);
      expect(during.filter((nice) => nice === 19)).toHaveLength(1);
    },
  );

  it('fails at start when the event store cannot be opened', async () => {
    // A folder cannot be made under a regular file.
    const file = join(scratch, 'plain-file');
    writeFileSync(file, 'x');
    await expect(WorkerEventSink.start({ store: join(file, 'events.db') })).rejects.toThrow(
      /cannot open the event targets: .*(EEXIST|ENOTDIR)/,
    );
  });

  it('gives up at start when the targets take too long to open', async () => {
    // PostgreSQL on a port that accepts and never answers would do the same; a 1 ms limit is shorter
    // than any worker's start.
    await expect(WorkerEventSink.start({ file: join(scratch, 'slow.jsonl') }, 1)).rejects.toThrow(/no answer in 1 ms/);
  });

  it('rejects the batch a target failed on, and later batches still go', async () => {
    const folder = join(scratch, 'later');
    const sink = await WorkerEventSink.start({ file: join(folder, 'events.jsonl') });
    await expect(sink.write([event(1)])).rejects.toThrow(/ENOENT/);
    mkdirSync(folder);
    await sink.write([event(2)]);
    await sink.close();
    expect(JSON.parse(readFileSync(join(folder, 'events.jsonl'), 'utf8')).latencyMs).toBe(2);
    // Once stopped, a write fails at once instead of waiting for an answer that cannot come.
    await expect(sink.write([event(3)])).rejects.toThrow(/stopped/);
  });
});
