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
    .select(['caller', 'status', 'verdicts', 'scores', 'inputs'])
    .where('model', '=', model)
    .where('at', '>', start.toISOString())
    .where('at', '<=', end.toISOString())
    .orderBy('id', 'desc')
    .limit(settings.maxRows)
    .execute();
  const types = Object.fromEntries(reference.columns.map((column) => [column.name, column.type]));
  const names = settings.features ?? reference.columns.map((column) => column.name);
  const builder = new ProfileBuilder({ types });
  const signals: GatewaySignals = {
    requests: rows.length,
    detections: 0,
    blocked: 0,
    errors: 0,
    verdicts: {},
    callers: {},
    minExtractionW: null,
  };
  let row = 0;
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
    for (const instance of parseJson<unknown[]>(event.inputs) ?? []) {
      if (row >= settings.maxRows) break;
      addInstance(builder, row++, instance, names);
    }
  }
  return { start: start.toISOString(), end: end.toISOString(), rows: row, profile: builder.build(), signals };
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
