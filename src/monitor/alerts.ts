import type { DriftReport } from '../contracts/index.js';
import type { AlertRule, WebhookTarget } from './settings.js';
import type { GatewaySignals } from './window.js';

/** The value of a rule's metric in one check; undefined when the check does not have it. */
export function metricValue(
  metric: string,
  report: DriftReport | undefined,
  signals: GatewaySignals,
): number | undefined {
  if (metric === 'drift.share') return report?.dataset.share;
  if (metric === 'drift.dataset') return report ? Number(report.dataset.drifted) : undefined;
  if (metric.startsWith('drift.column:')) {
    const column = report?.columns.find((item) => item.column === metric.slice('drift.column:'.length));
    return column ? Number(column.drifted) : undefined;
  }
  if (metric === 'gateway.detections') return signals.detections;
  if (metric === 'gateway.blocked') return signals.blocked;
  if (metric === 'gateway.errors') return signals.errors;
  if (metric === 'gateway.extraction.minW') return signals.minExtractionW ?? undefined;
  if (metric === 'drift.multivariate') return report?.multivariate ? Number(report.multivariate.drifted) : undefined;
  if (metric.startsWith('performance.')) {
    const field = metric.slice('performance.'.length) as 'accuracy' | 'mae' | 'rmse' | 'labelled';
    return signals.performance?.[field];
  }
  return undefined;
}

export function holds(rule: Pick<AlertRule, 'op' | 'threshold'>, value: number): boolean {
  switch (rule.op) {
    case '>':
      return value > rule.threshold;
    case '>=':
      return value >= rule.threshold;
    case '<':
      return value < rule.threshold;
    case '<=':
      return value <= rule.threshold;
  }
}

export interface AlertMessage {
  readonly kind: 'alert.firing' | 'alert.resolved';
  readonly rule: string;
  readonly model: string;
  readonly metric: string;
  readonly value: number | null;
  readonly op: string;
  readonly threshold: number;
  readonly severity: string;
  readonly since: string;
  readonly at: string;
  readonly incident: number | null;
}

/** The webhook body for a target: the message as JSON, or Slack's `{ text }`. */
export function webhookBody(message: AlertMessage, target: WebhookTarget): string {
  if (target.format === 'json') return JSON.stringify(message);
  const state = message.kind === 'alert.firing' ? 'FIRING' : 'resolved';
  const value = message.value === null ? 'no value' : String(Math.round(message.value * 10_000) / 10_000);
  const incident = message.incident === null ? '' : ` (incident #${message.incident})`;
  return JSON.stringify({
    text: `[${state}] ${message.rule} on ${message.model}: ${message.metric} = ${value} (${message.op} ${message.threshold}), severity ${message.severity}${incident}`,
  });
}
