import { Worker } from 'node:worker_threads';
import { workerProgram } from '../worker-program.js';
import type { EventTargets, WriterJob, WriterMessage } from './event-writer-worker.js';
import type { EventSink, GatewayEvent } from './telemetry.js';

export type { EventTargets } from './event-writer-worker.js';

/**
 * An event sink on a worker thread of its own. The gateway's request path must never wait on the
 * event store, and a batch insert is not free even when it is asynchronous: SQLite (better-sqlite3)
 * writes synchronously, with a sync of its log on commit, and building a many-row statement for
 * PostgreSQL takes milliseconds of the thread's time. Here batches cross to the worker as messages and
 * the gateway's thread only copies them.
 */
export class WorkerEventSink implements EventSink {
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private next = 0;
  private failure: Error | undefined;

  /** Settled by the worker's first message: whether it opened its targets. */
  private readonly opened: Promise<void>;

  private constructor(private readonly worker: Worker) {
    let ready: (outcome: string | undefined) => void = () => undefined;
    this.opened = new Promise<string | undefined>((resolve) => {
      ready = resolve;
    }).then((error) => {
      if (error !== undefined) throw new Error(`cannot open the event targets: ${error}`);
    });
    worker.on('message', (message: WriterMessage) => {
      if ('ready' in message) return ready(message.ready ? undefined : message.error);
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(message.error));
    });
    worker.on('error', (error) => {
      ready(error.message);
      this.fail(error);
    });
    worker.on('exit', (code) => {
      ready(`the event writer stopped (exit code ${code})`);
      this.fail(new Error('the event writer stopped'));
    });
  }

  /**
   * Starts the writer and waits until it has opened its targets: a bad database URL fails here, and
   * so does a target that takes longer than `timeoutMs` to open (an unreachable server, a stuck disk).
   */
  static async start(targets: EventTargets, timeoutMs = 30_000): Promise<WorkerEventSink> {
    const worker = new Worker(workerProgram(import.meta.url, './event-writer-worker', 'serveEventWriter'), {
      eval: true,
      workerData: targets,
    });
    const sink = new WorkerEventSink(worker);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`cannot open the event targets: no answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([sink.opened, late]);
    } catch (error) {
      await worker.terminate();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return sink;
  }

  write(events: readonly GatewayEvent[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, events } satisfies WriterJob);
    });
  }

  /** Lets the writer finish the batches it has, close its database and stop. */
  async close(): Promise<void> {
    if (this.failure) return;
    const stopped = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ close: true } satisfies WriterJob);
    await stopped;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
