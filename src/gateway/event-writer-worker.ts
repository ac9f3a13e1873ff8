import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type Database, openDatabase } from '../store/index.js';
import { DatabaseSink, type EventSink, type GatewayEvent, JsonLinesSink } from './telemetry.js';

/** Where a worker writes events: the monitor's event store (database URL), a JSON-lines file, or both. */
export interface EventTargets {
  readonly store?: string;
  readonly file?: string;
}

/** From the worker: whether it opened its targets, then one answer per batch. */
export type WriterMessage = { ready: true } | { ready: false; error: string } | { id: number; error?: string };
/** To the worker: a batch to write, or the request to close its database and stop. */
export type WriterJob = { id: number; events: readonly GatewayEvent[] } | { close: true };

/**
 * The event writer's side of the thread: opens the targets named in `workerData`, then writes each
 * batch to all of them and answers with the batch's id (and the error, when a target failed).
 */
export async function serveEventWriter(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveEventWriter runs in a worker thread');
  const { store, file } = workerData as EventTargets;
  lowerPriority();
  const sinks: EventSink[] = [];
  let database: Database | undefined;
  try {
    if (store) {
      database = await openDatabase({ url: store });
      sinks.push(new DatabaseSink(database));
    }
    if (file) sinks.push(new JsonLinesSink(file));
  } catch (error) {
    port.postMessage({ ready: false, error: (error as Error).message } satisfies WriterMessage);
    return;
  }
  port.postMessage({ ready: true } satisfies WriterMessage);
  // One job at a time, in order: a close waits for the batches before it.
  let done: Promise<void> = Promise.resolve();
  port.on('message', (job: WriterJob) => {
    done = done.then(() => run(job));
  });
  const run = async (job: WriterJob): Promise<void> => {
    if ('close' in job) {
      await database?.close();
      port.close();
      return;
    }
    try {
      await Promise.all(sinks.map((sink) => sink.write(job.events)));
      port.postMessage({ id: job.id } satisfies WriterMessage);
    } catch (error) {
      port.postMessage({ id: job.id, error: (error as Error).message } satisfies WriterMessage);
    }
  };
}

/**
 * Events are background work: on Linux this thread alone (its thread id, from /proc/thread-self) drops
 * to the lowest CPU priority, so that on a busy machine it runs on the time the request path leaves
 * rather than taking turns with it. Elsewhere it keeps the process's priority.
 */
function lowerPriority(): void {
  try {
    const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isSafeInteger(thread) && thread > 0) setPriority(thread, 19);
  } catch {
    // Not Linux, or not allowed: the writer runs at the process's priority.
  }
}
