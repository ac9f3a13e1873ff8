import { basename } from 'node:path';
import { profileDataset } from '../../drift/index.js';
import { CliError } from '../errors.js';
import { send, sendFile } from './api.js';
import type { DemoDatasets } from './datasets.js';
import type { Cast, Log } from './versions.js';

interface BatchCheck {
  readonly report?: { readonly dataset: { readonly share: number; readonly drifted: boolean } };
  readonly alerts: readonly { readonly kind: string; readonly rule: string; readonly incident: number | null }[];
}

/** The alert rule the demo defines: half the model's input columns drifting opens an incident. */
export const DRIFT_RULE = 'fraud-detector-input-drift';

/**
 * The drift incident: the monitor gets version 1's training inputs as its reference, an alert rule
 * (no webhook: the demo sends nothing anywhere), a batch like the training data and one after a
 * shift; the second fires the alert, which opens an incident that the admin notes and acknowledges.
 */
export async function driftIncident(
  cast: Cast,
  model: string,
  version: number,
  datasets: DemoDatasets,
  log: Log,
): Promise<number> {
  const monitorPath = `/api/v1/monitor/models/${encodeURIComponent(model)}`;
  const { profile } = await profileDataset(datasets.reference);
  await send(cast.publisher, 'PUT', `${monitorPath}/reference`, {
    version,
    profile,
    settings: { shareThreshold: 0.5 },
  });
  await send(cast.admin, 'PUT', '/api/v1/monitor/alert-rules', {
    name: DRIFT_RULE,
    model,
    metric: 'drift.share',
    op: '>=',
    threshold: 0.5,
    severity: 'high',
    openIncident: true,
    webhooks: [],
  });
  const batch = (file: string) =>
    sendFile<BatchCheck>(cast.publisher, `${monitorPath}/batches?format=csv`, file, 'text/csv');
  const normal = await batch(datasets.normalBatch);
  const shifted = await batch(datasets.shiftedBatch);
  // The scheduled check over gateway traffic, run now (the demo sends no traffic: it has nothing to judge).
  await send(cast.admin, 'POST', '/api/v1/monitor/run', {});
  const fired = shifted.alerts.find((alert) => alert.rule === DRIFT_RULE && alert.kind === 'alert.firing');
  if (normal.report?.dataset.drifted || !fired?.incident) {
    throw new CliError(
      'PATH_UNREADABLE',
      `expected drift only in the shifted batch (normal: ${normal.report?.dataset.share}, shifted: ${shifted.report?.dataset.share}, alert: ${fired ? 'fired' : 'none'})`,
    );
  }
  const incident = fired.incident;
  await send(cast.admin, 'POST', `/api/v1/incidents/${incident}/notes`, {
    note: `${basename(datasets.shiftedBatch)}: amounts, hours, distances and merchant mix all moved; looks like a fraud ring, not a data bug`,
  });
  await send(cast.admin, 'POST', `/api/v1/incidents/${incident}/acknowledge`, {
    note: 'on it: v1 stays in production, fraud ops informed',
  });
  log(
    `monitor: reference = v${version} training inputs; ${basename(datasets.normalBatch)} drift share ${normal.report?.dataset.share ?? 0} (quiet); ${basename(datasets.shiftedBatch)} drift share ${shifted.report?.dataset.share} → alert ${DRIFT_RULE} fired, incident #${incident} opened, noted and acknowledged`,
  );
  return incident;
}
