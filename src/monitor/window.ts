import type { ReferenceProfile } from '../drift/index.js';
import { ProfileBuilder } from '../drift/index.js';
import type { Database } from '../store/index.js';
import type { MonitorSettings } from './settings.js';

/** The gateway's security signals over a window, rolled into each check. */
export interface GatewaySignals {
  requests: number;
  /** Requests with at least one detector verdict. */
  detections: number;
  /** Requests refused by a detector. */
  blocked: number;
  /** Answers with status ≥ 500. */
  errors: number;
  /** Verdict counts by detector rule. */
  verdicts: Record<string, number>;
  /** Detector verdicts per caller. */
  callers: Record<string, number>;
  /** Lowest extraction W of any caller in the window, when scored. */
  minExtractionW: number | null;
  /** Predictions of the window against labels sent for them (POST …/labels). */
  performance?: Performance;
}

export interface Performance {
  /** Predictions with a label. */
  labelled: number;
  /** Share of labelled predictions equal to their label (classes). */
  accuracy?: number;
  /** Mean absolute and root mean squared error (numbers). */
  mae?: number;
  rmse?: number;
}

/** Signals of a window with no requests (and of uploaded batches, which have none). */
export function emptySignals(): GatewaySignals {
  return { requests: 0, detections: 0, blocked: 0, errors: 0, verdicts: {}, callers: {}, minExtractionW: null };
}

export interface GatewayWindow {
  readonly start: string;
  readonly end: string;
  /** Query instances read (at most settings.maxRows). */
  readonly rows: number;
  readonly profile: ReferenceProfile;
  readonly signals: GatewaySignals;
}

/**
 * The current window of a model from the gateway's events: the query instances as a profile (typed
 * like the reference, so the two compare) and the security signals. Instances that are arrays are
 * read by position (`settings.features`, else the reference's column order); objects by key.
 */
export async function gatewayWindow(
  database: Database,
  model: string,
  reference: ReferenceProfile,
  settings: MonitorSettings,
  end: Date,
): Promise<GatewayWindow> {
  const start = new Date(end.getTime() - settings.windowSeconds * 1000);
  const rows = await database.db
    .selectFrom('gateway_events')
    .select(['caller', 'status', 'verdicts', 'scores', 'inputs', 'outputs', 'request_id'])
    .where('model', '=', model)
    .where('at', '>', start.toISOString())
    .where('at', '<=', end.toISOString())
    .orderBy('id', 'desc')
    .limit(settings.windowRows ?? settings.maxRows)
    .execute();
  const types = Object.fromEntries(reference.columns.map((column) => [column.name, column.type]));
  const names = settings.features ?? reference.columns.map((column) => column.name);
  const builder = new ProfileBuilder({ types });
  const signals = emptySignals();
  signals.requests = rows.length;
  let row = 0;
  const predictions = new Map<string, string | number>();
  const limit = Math.min(settings.windowRows ?? settings.maxRows, settings.maxRows);
  for (const event of rows) {
    const verdicts = parseJson<string[]>(event.verdicts) ?? [];
    if (verdicts.length > 0) {
      signals.detections++;
      const caller = event.caller ?? 'anonymous';
      signals.callers[caller] = (signals.callers[caller] ?? 0) + 1;
    }
    if (verdicts.some((verdict) => verdict.endsWith(':blocked'))) signals.blocked++;
    if (event.status >= 500) signals.errors++;
    for (const verdict of verdicts) {
      const rule = verdict.replace(/:blocked$/, '');
      signals.verdicts[rule] = (signals.verdicts[rule] ?? 0) + 1;
    }
    const w = parseJson<{ extractionW?: unknown }>(event.scores)?.extractionW;
    if (typeof w === 'number' && (signals.minExtractionW === null || w < signals.minExtractionW))
      signals.minExtractionW = w;
    const outputs = parseJson<unknown[]>(event.outputs) ?? [];
    const inputs = parseJson<unknown[]>(event.inputs) ?? [];
    for (const [i, instance] of inputs.entries()) {
      if (row >= limit) break;
      const prediction = predictionValue(outputs[i]);
      if (settings.predictionColumn && prediction !== undefined)
        builder.add(row, settings.predictionColumn, String(prediction));
      addInstance(builder, row++, instance, names);
      if (event.request_id && prediction !== undefined) {
        predictions.set(inputs.length === 1 ? event.request_id : `${event.request_id}#${i}`, prediction);
      }
    }
  }
  const performance = await scorePredictions(database, model, predictions);
  if (performance) signals.performance = performance;
  return { start: start.toISOString(), end: end.toISOString(), rows: row, profile: builder.build(), signals };
}

/**
 * One prediction as a value: a number or a string as is, a probability vector as its most likely
 * class (index), `{ label }` or `{ class }` as that field.
 */
export function predictionValue(output: unknown): string | number | undefined {
  if (typeof output === 'number' || typeof output === 'string') return output;
  if (typeof output === 'boolean') return Number(output);
  if (Array.isArray(output) && output.length > 0 && output.every((value) => typeof value === 'number')) {
    return output.indexOf(Math.max(...(output as number[])));
  }
  if (output && typeof output === 'object') {
    const named = (output as { label?: unknown; class?: unknown }).label ?? (output as { class?: unknown }).class;
    if (typeof named === 'number' || typeof named === 'string') return named;
  }
  return undefined;
}

/** The window's predictions against their labels: accuracy for classes, MAE and RMSE for numbers. */
async function scorePredictions(
  database: Database,
  model: string,
  predictions: Map<string, string | number>,
): Promise<Performance | undefined> {
  if (predictions.size === 0) return undefined;
  const pairs: [string | number, unknown][] = [];
  const ids = [...predictions.keys()];
  for (let at = 0; at < ids.length; at += 500) {
    const rows = await database.db
      .selectFrom('monitor_labels')
      .select(['request_id', 'label'])
      .where('model', '=', model)
      .where('request_id', 'in', ids.slice(at, at + 500))
      .execute();
    for (const row of rows) pairs.push([predictions.get(row.request_id)!, parseJson<unknown>(row.label)]);
  }
  if (pairs.length === 0) return { labelled: 0 };
  const numeric = pairs.every(([p, l]) => typeof p === 'number' && typeof l === 'number');
  if (numeric && pairs.some(([p, l]) => !Number.isInteger(p) || !Number.isInteger(l))) {
    const errors = pairs.map(([p, l]) => (p as number) - (l as number));
    return {
      labelled: pairs.length,
      mae: errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length,
      rmse: Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length),
    };
  }
  const right = pairs.filter(([p, l]) => String(p) === String(l)).length;
  return { labelled: pairs.length, accuracy: right / pairs.length };
}

function addInstance(builder: ProfileBuilder, row: number, instance: unknown, names: readonly string[]): void {
  const cell = (value: unknown) =>
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (Array.isArray(instance)) {
    instance.slice(0, names.length).forEach((value, index) => {
      builder.add(row, names[index]!, cell(value));
    });
  } else if (instance && typeof instance === 'object') {
    for (const [name, value] of Object.entries(instance).slice(0, 10_000)) builder.add(row, name, cell(value));
  }
}

function parseJson<T>(text: string | null): T | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
