import { appendFile } from 'node:fs/promises';
import { Counter, Histogram, Registry } from 'prom-client';
import type { Database } from '../store/index.js';

/** One request as the monitor sees it: who, which model, how it went, what the detectors said. */
export interface GatewayEvent {
  readonly at: string;
  readonly model: string;
  readonly key: string | null;
  readonly status: number;
  readonly latencyMs: number;
  readonly verdicts: readonly string[];
  /** SHA-256 of the request body: enough to spot repeated probing without keeping prompts. */
  readonly bodySha256: string | null;
  /** The caller's abuse scores after this request (model servers with extraction or probing on). */
  readonly scores?: { readonly queries: number; readonly extractionW?: number; readonly nearDuplicates: number };
  /** Query instances as sent, when the configuration's `events.inputs` is `features` (at most 16). */
  readonly inputs?: readonly unknown[];
  /** The answer's predictions, with the inputs (at most 16). */
  readonly outputs?: readonly unknown[];
  /** The request's id (`x-mlsecops-request-id` in the answer), for labels that arrive later. */
  readonly requestId?: string;
}

/** Where events go in batches: a JSON-lines file, or the event store the monitor reads (`DatabaseSink`). */
export interface EventSink {
  write(events: readonly GatewayEvent[]): Promise<void>;
  /** Called once the queue has written everything, when the sink has something to release. */
  close?(): Promise<void>;
}

/** Events as JSON lines appended to a file. */
export class JsonLinesSink implements EventSink {
  constructor(private readonly path: string) {}

  async write(events: readonly GatewayEvent[]): Promise<void> {
    await appendFile(this.path, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  }
}

/**
 * Events into the event store the monitor reads (`gateway_events`, SQLite or PostgreSQL), one
 * multi-row insert per batch, split so no statement exceeds the databases' parameter limits.
 */
export class DatabaseSink implements EventSink {
  constructor(private readonly database: Database) {}

  async write(events: readonly GatewayEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += 500) {
      const rows = events.slice(start, start + 500).map((event) => ({
        at: event.at,
        model: event.model,
        caller: event.key,
        status: event.status,
        latency_ms: event.latencyMs,
        verdicts: JSON.stringify(event.verdicts),
        body_sha256: event.bodySha256,
        scores: event.scores ? JSON.stringify(event.scores) : null,
        inputs: event.inputs ? JSON.stringify(event.inputs) : null,
        outputs: event.outputs ? JSON.stringify(event.outputs) : null,
        request_id: event.requestId ?? null,
      }));
      await this.database.db.insertInto('gateway_events').values(rows).execute();
    }
  }
}

/** Prometheus metrics of the gateway, in a registry of its own. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'mlsecops_gateway_requests_total',
    help: 'Requests by model and status code.',
    labelNames: ['model', 'status'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'mlsecops_gateway_request_seconds',
    help: 'Time from request to response, upstream included.',
    labelNames: ['model'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly detections = new Counter({
    name: 'mlsecops_gateway_detections_total',
    help: 'Detector verdicts by detector rule.',
    labelNames: ['verdict'],
    registers: [this.registry],
  });
  readonly dropped = new Counter({
    name: 'mlsecops_gateway_events_dropped_total',
    help: 'Events dropped because the queue was full or the sink failed.',
    registers: [this.registry],
  });
}

/**
 * A bounded queue between requests and the event sink: requests only push (never wait); a timer
 * writes batches; when the queue is full, events are counted and dropped, never allowed to block.
 * Batches go every 25 ms by default, small (about 50 events at 2,000 requests/s): copying a batch to
 * the writer thread stops the request thread for about 1.3 µs per event, and events held longer
 * outlive young-generation collections and make them slower. While a batch is being written the next
 * one grows, so a slow sink gets larger batches.
 */
export class EventQueue {
  private queue: GatewayEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly sink: EventSink | undefined,
    private readonly metrics: GatewayMetrics,
    private readonly capacity = 10_000,
    intervalMs = 25,
  ) {
    if (sink) {
      this.timer = setInterval(() => void this.flush(), intervalMs);
      this.timer.unref();
    }
  }

  /** False when there is no sink: requests need not build their events at all. */
  get accepting(): boolean {
    return this.sink !== undefined;
  }

  push(event: GatewayEvent): void {
    if (!this.sink) return;
    if (this.queue.length >= this.capacity) {
      this.metrics.dropped.inc();
      return;
    }
    this.queue.push(event);
  }

  /** Writes what is queued; a failing sink loses that batch (counted), it never stops requests. */
  async flush(): Promise<void> {
    if (!this.sink || this.queue.length === 0) return this.flushing;
    if (this.flushing) return this.flushing;
    const batch = this.queue;
    this.queue = [];
    const sink = this.sink;
    this.flushing = sink
      .write(batch)
      .catch(() => this.metrics.dropped.inc(batch.length))
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    // A batch may be in flight; what was queued meanwhile goes after it.
    while (this.flushing || this.queue.length > 0) await (this.flushing ?? this.flush());
    await this.sink?.close?.();
  }
}
